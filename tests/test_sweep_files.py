"""Stray stored files (issue 17's leftover): a file no row refers to, written more than a day ago
(a request that failed after storing its file, a deletion the store missed), is listed by
``manage.py sweep_files`` and deleted with --delete; a referenced file, or one just written, never
is. On the folder and on an S3 bucket alike."""

from __future__ import annotations

import io
import os
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from phoihop.activities import services as activity_services
from tests.support.s3 import BUCKET, PREFIX, Bucket
from tests.test_uploads import PDF_BYTES, new_activity

pytestmark = pytest.mark.django_db


def sweep(*args: str) -> str:
    out = io.StringIO()
    call_command("sweep_files", *args, stdout=out)
    return out.getvalue()


def attach(demo_user: Callable[[str], Any]) -> str:
    user = demo_user("hoankiem.ccb")
    attachment = activity_services.attachment_add(
        activity=new_activity(demo_user), upload=SimpleUploadedFile("bien-ban.pdf", PDF_BYTES), acting_user=user
    )
    return str(attachment.file.name)


def test_on_the_folder_only_old_unreferenced_files_go(media_folder: Path, demo_user: Callable[[str], Any]) -> None:
    kept = attach(demo_user)
    stray, fresh = media_folder / "attachments" / "2026" / "01" / "mo-coi", media_folder / "jobs" / "vua-ghi"
    for path in (stray, fresh):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * 1000)
    two_days_ago = time.time() - 2 * 86400
    os.utime(stray, (two_days_ago, two_days_ago))
    os.utime(media_folder / kept, (two_days_ago, two_days_ago))

    listed = sweep()
    assert "attachments/2026/01/mo-coi\t1000\t" in listed
    assert kept not in listed and "vua-ghi" not in listed
    assert "1 tệp thừa (1000\xa0byte)" in listed and stray.exists()  # nothing deleted without --delete

    assert "Đã xóa 1 tệp thừa" in sweep("--delete")
    assert not stray.exists() and fresh.exists() and (media_folder / kept).exists()
    assert "Không có tệp thừa nào" in sweep("--delete")


def test_on_the_bucket_too(bucket: Bucket, demo_user: Callable[[str], Any]) -> None:
    kept = attach(demo_user)
    bucket.client.put_object(Bucket=BUCKET, Key=f"{PREFIX}/attachments/2026/01/mo-coi", Body=b"x" * 10)
    assert default_storage.exists("attachments/2026/01/mo-coi")
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert "Đã xóa 1 tệp thừa" in sweep("--delete")
    assert bucket.keys() == [f"{PREFIX}/{kept}"]
