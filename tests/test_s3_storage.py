"""Stored files on S3 when configured (issue 17, ADR 0026): with ``PHOIHOP_S3_BUCKET`` every
stored file (attachments, built documents and exports, imports' uploads) goes to the bucket and
nothing to MEDIA_ROOT; files still go out only through the scoped views; deletions reach the
bucket after the commit; the health page and the backup work on the bucket as on the folder.

S3 is moto's, in memory (no network); the settings are the ones ``s3_storage`` makes from the
environment, as in production."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from botocore.exceptions import EndpointConnectionError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from storages.backends.s3 import S3Storage

from phoihop.activities import services as activity_services
from phoihop.activities.models import Attachment
from phoihop.commendations.models import NominationFile
from phoihop.core import backup, health
from phoihop.core.storage import describe, walk
from phoihop.imports.runs import local_path
from phoihop.jobs.models import Job, JobStatus
from phoihop.settings import s3_storage
from tests.support.s3 import BUCKET, ENVIRONMENT, PREFIX, Bucket
from tests.test_uploads import PDF_BYTES, new_activity, nomination_files_url

ROOT = Path(__file__).resolve().parents[1]


def nothing_in(folder: Path) -> bool:
    return not folder.exists() or not any(p.is_file() for p in folder.rglob("*"))


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_the_environment_names_the_bucket_and_nothing_else_changes_without_it() -> None:
    assert s3_storage({}) is None
    assert s3_storage({"PHOIHOP_S3_BUCKET": "  "}) is None
    storage = s3_storage(ENVIRONMENT | {"PHOIHOP_S3_ENDPOINT_URL": "https://s3.tinh.gov.vn"})
    assert storage is not None and storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert (options["bucket_name"], options["location"], options["endpoint_url"]) == (
        BUCKET,
        PREFIX,
        "https://s3.tinh.gov.vn",
    )
    # An in-house store is addressed by path; files never overwrite each other; no public ACL.
    config = options["client_config"]
    assert config.s3 == {"addressing_style": "path"} and options["file_overwrite"] is False
    # A store out of reach fails a request within seconds, not after boto3's minute-long waits.
    assert (config.connect_timeout, config.read_timeout, config.retries["max_attempts"]) == (5, 15, 2)
    assert options["querystring_auth"] is False  # no bearer link, ever
    assert options["default_acl"] is None
    # No key in the settings: boto3 reads AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY itself.
    assert not {"access_key", "secret_key"} & set(options)


def test_the_settings_read_the_bucket_from_the_environment(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "LC_ALL", "TZ"}}
    env |= ENVIRONMENT | {"PHOIHOP_S3_ENDPOINT_URL": "http://127.0.0.1:9000", "PHOIHOP_VAR_DIR": str(tmp_path)}
    env |= {"SECRET_KEY": "test-only-key-not-for-production", "DJANGO_SETTINGS_MODULE": "phoihop.settings"}
    code = "import django; django.setup(); from phoihop.core.storage import describe; print(describe())"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"s3://{BUCKET}/{PREFIX} (http://127.0.0.1:9000)"
    # Without the bucket, the files stay in the folder.
    env.pop("PHOIHOP_S3_BUCKET")
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(tmp_path / "media")


@pytest.mark.django_db
def test_an_attachment_goes_to_the_bucket_out_through_the_scoped_view_and_its_deletion_reaches_it(
    bucket: Bucket,
    media_folder: Path,
    client_as: Callable[[str], Client],
    demo_user: Callable[[str], Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    activity = new_activity(demo_user)
    client = client_as("hoankiem.ccb")
    response = client.post(
        reverse("activities:attachment-add", args=[activity.pk]),
        {"file": SimpleUploadedFile("bien-ban.pdf", PDF_BYTES)},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(activity=activity)
    key = f"{PREFIX}/{attachment.file.name}"
    assert bucket.keys() == [key] and bucket.read(key) == PDF_BYTES
    assert nothing_in(media_folder)

    download = reverse("activities:attachment", args=[attachment.token])
    response = client.get(download)
    assert response.status_code == 200 and body(response) == PDF_BYTES
    assert response["Content-Length"] == str(len(PDF_BYTES))
    # Another province's user gets nothing, as with the folder.
    assert client_as("camau.ccb").get(download).status_code == 404
    # An object gone from the bucket is a 404 as a file gone from the folder, not a 500.
    bucket.client.copy_object(Bucket=BUCKET, Key=f"{key}.kept", CopySource={"Bucket": BUCKET, "Key": key})
    bucket.client.delete_object(Bucket=BUCKET, Key=key)
    assert client.get(download).status_code == 404
    bucket.client.copy_object(Bucket=BUCKET, Key=key, CopySource={"Bucket": BUCKET, "Key": f"{key}.kept"})
    bucket.client.delete_object(Bucket=BUCKET, Key=f"{key}.kept")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("activities:attachment-delete", args=[attachment.token]), {"reason": "Nhầm tệp"})
    assert response.status_code == 302
    assert bucket.keys() == []


@pytest.mark.django_db
def test_an_export_is_built_into_the_bucket_and_downloaded_from_it(
    bucket: Bucket,
    media_folder: Path,
    client_as: Callable[[str], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_as("camau.ccb")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("activities:export"))
    job = Job.objects.latest("pk")
    assert job.status == JobStatus.DONE, job.message
    assert bucket.keys() == [f"{PREFIX}/{job.file.name}"]
    assert nothing_in(media_folder)
    response = client.get(reverse("jobs:download", kwargs={"pk": job.pk}))
    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(body(response)), read_only=True).worksheets[0].iter_rows())
    assert len(rows) > 1


@pytest.mark.django_db
def test_the_importer_reads_its_upload_from_the_bucket(bucket: Bucket, demo_user: Callable[[str], Any]) -> None:
    attachment = activity_services.attachment_add(
        activity=new_activity(demo_user),
        upload=SimpleUploadedFile("so-lieu.pdf", PDF_BYTES),
        acting_user=demo_user("hoankiem.ccb"),
    )
    with local_path(attachment.file) as path:
        assert path.read_bytes() == PDF_BYTES
    assert not path.exists()  # the local copy is gone with the block


@pytest.mark.django_db
def test_the_health_page_names_the_bucket_and_sees_it_gone(bucket: Bucket, demo_user: Callable[[str], Any]) -> None:
    part = health.storage_part()
    assert part.ok and part.detail == f"s3://{BUCKET}/{PREFIX}"
    assert bucket.keys() == []  # the probe leaves nothing behind
    client = Client()
    client.force_login(demo_user("admin"))
    assert f"s3://{BUCKET}/{PREFIX}" in client.get("/system/health/").content.decode()

    bucket.client.delete_bucket(Bucket=BUCKET)
    part = health.storage_part()
    assert not part.ok and part.detail.startswith(f"Không ghi được vào s3://{BUCKET}/{PREFIX}")


def test_the_backup_copies_the_bucket_out_and_the_restore_puts_every_file_back(bucket: Bucket, tmp_path: Path) -> None:
    files = {"attachments/2026/11/a1b2": PDF_BYTES, "jobs/2026/12/bao-cao.docx": b"PK\x03\x04 word", "top.txt": b"1"}
    for name, content in files.items():
        bucket.client.put_object(Bucket=BUCKET, Key=f"{PREFIX}/{name}", Body=content)
    assert list(walk(default_storage)) == sorted(files, key=lambda n: (n.count("/") > 0, n))

    out = tmp_path / "backup" / "media"
    assert backup._copy_out(default_storage, out) == set(files)
    assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()} == files

    for key in bucket.keys():
        bucket.client.delete_object(Bucket=BUCKET, Key=key)
    bucket.client.put_object(Bucket=BUCKET, Key=f"{PREFIX}/top.txt", Body=b"changed since")
    assert backup._copy_in(out, default_storage) == set(files)
    # Every file is back under its own name (the database refers to it), the changed one replaced.
    assert bucket.keys() == sorted(f"{PREFIX}/{name}" for name in files)
    assert all(bucket.read(f"{PREFIX}/{name}") == content for name, content in files.items())
    assert describe() == f"s3://{BUCKET}/{PREFIX}"


@pytest.mark.django_db
def test_an_upload_while_the_store_is_out_of_reach_answers_503_and_keeps_nothing(
    bucket: Bucket,
    client_as: Callable[[str], Client],
    api_client_as: Callable[[str], Any],
    demo_user: Callable[[str], Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    activity = new_activity(demo_user)

    def out_of_reach(*args: Any, **kwargs: Any) -> Any:
        raise EndpointConnectionError(endpoint_url="https://s3.tinh.gov.vn")

    monkeypatch.setattr(S3Storage, "_save", out_of_reach)
    client = client_as("hoankiem.ccb")
    response = client.post(
        reverse("activities:attachment-add", args=[activity.pk]),
        {"file": SimpleUploadedFile("bien-ban.pdf", PDF_BYTES)},
    )
    assert response.status_code == 503 and response["Retry-After"] == "15"
    page = response.content.decode()
    assert "Kho tệp lưu trữ tạm thời không phản hồi" in page and "Traceback" not in page
    assert not Attachment.objects.filter(activity=activity).exists()
    # The API says it in JSON.
    api = api_client_as("hoankiem.ccb")
    response = api.post(
        nomination_files_url(api),
        {"kind": "submission", "file": SimpleUploadedFile("to-trinh.pdf", PDF_BYTES)},
        format="multipart",
    )
    assert response.status_code == 503 and response.json()["code"] == "file_store_unavailable"
    assert not NominationFile.objects.exists()
