"""The pages of "Nhập dữ liệu" (issue 15, item 4): a unit administrator sends a file to check
first, reads the problems row by row (Dòng, Cột, Giá trị, Lý do) or the counts, then imports it
for real; a run's page polls its progress; templates and exports of each kind are one click away.

Actors (demo): hanoi.admin and camau.admin (unit administrators, tests/conftest.py), hanoi.ccb
(a reporter: no menu item, 403), admin (system administrator). The kind "notes"
(tests/support/imports.py) reads files with the real reader and writes nothing.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from phoihop.imports.models import ImportRun, ImportStatus
from tests.support import imports as fake

pytestmark = pytest.mark.django_db

HOME = "/imports/"


@pytest.fixture(autouse=True)
def private_media(settings: Any, tmp_path: Path) -> Iterator[Path]:
    settings.MEDIA_ROOT = tmp_path
    yield tmp_path


@pytest.fixture(autouse=True)
def fake_kind(monkeypatch: pytest.MonkeyPatch) -> None:
    fake.use_fake_kind(monkeypatch)


def signed_in(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(user)
    return client


def send(client: Client, capture: Any, content: bytes, action: str = "check", **fields: Any) -> Any:
    data = {"kind": "notes", "programme": "", "file": SimpleUploadedFile("ghi-chu.xlsx", content), "action": action}
    data.update(fields)
    with capture(execute=True):
        return client.post(HOME, data)


def latest_run() -> ImportRun:
    return ImportRun.objects.unrestricted("test").latest("pk")


def test_the_menu_offers_imports_to_unit_and_system_administrators_only(
    hanoi_admin: Any, demo_user: Callable[[str], Any]
) -> None:
    for user, shown in ((hanoi_admin, True), (demo_user("admin"), True), (demo_user("hanoi.ccb"), False)):
        page = signed_in(user).get(reverse("home")).content.decode()
        assert ('data-testid="nav-imports"' in page) is shown, user
    assert signed_in(demo_user("hanoi.ccb")).get(HOME).status_code == 403
    assert signed_in(demo_user("tuhoi")).get(HOME).status_code == 403


def test_the_home_page_offers_the_form_the_templates_and_the_exports(hanoi_admin: Any) -> None:
    page = signed_in(hanoi_admin).get(HOME)
    assert page.status_code == 200
    text = page.content.decode()
    for needle in ("Kiểm tra trước", 'name="programme"', "<select", 'data-testid="template-notes"', "export-notes"):
        assert needle in text
    assert reverse("imports:template", kwargs={"kind": "notes"}) in text
    assert "Bạn chưa nhập tệp nào." in text
    # The programme is chosen from a list of those the user takes part in (never typed).
    assert 'value="QDND-CCB"' in text


def test_a_check_shows_the_problems_row_by_row_and_no_import_button(
    hanoi_admin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = signed_in(hanoi_admin)
    response = send(client, django_capture_on_commit_callbacks, fake.BAD_NOTES)
    run = latest_run()
    assert response.status_code == 302 and response["Location"] == reverse("imports:run", kwargs={"pk": run.pk})
    assert run.dry_run and run.status == ImportStatus.DONE
    page = client.get(response["Location"]).content.decode()
    for needle in ("Dòng", "Cột", "Giá trị", "Lý do", "<td>3</td>", "Mã ghi chú", "Z", "Mã phải là A, B hoặc C."):
        assert needle in page
    assert 'data-testid="run-confirm"' not in page
    assert 'data-testid="run-problems"' in page
    # The run is listed on the home page.
    assert "ghi-chu.xlsx" in client.get(HOME).content.decode()


def test_a_clean_check_shows_the_counts_then_import_runs_it_for_real(
    hanoi_admin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = signed_in(hanoi_admin)
    send(client, django_capture_on_commit_callbacks, fake.GOOD_NOTES)
    check = latest_run()
    page = client.get(reverse("imports:run", kwargs={"pk": check.pk})).content.decode()
    assert 'data-count="total_rows">2<' in page and 'data-count="errors">0<' in page
    assert 'data-testid="run-confirm"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:run-confirm", kwargs={"pk": check.pk}))
    real = latest_run()
    assert real.pk != check.pk and not real.dry_run and real.source == check
    assert response["Location"] == reverse("imports:run", kwargs={"pk": real.pk})
    done = client.get(response["Location"]).content.decode()
    assert "Đã nhập xong: 2 tạo mới, 0 cập nhật, 0 không đổi." in done
    assert [c["dry_run"] for c in fake.CALLS] == [True, False]


def test_import_straight_away_is_one_button(hanoi_admin: Any, django_capture_on_commit_callbacks: Any) -> None:
    send(signed_in(hanoi_admin), django_capture_on_commit_callbacks, fake.GOOD_NOTES, action="import")
    assert not latest_run().dry_run


def test_a_refused_file_says_why(hanoi_admin: Any, django_capture_on_commit_callbacks: Any) -> None:
    client = signed_in(hanoi_admin)
    send(client, django_capture_on_commit_callbacks, b"PK\x03\x04 broken")
    run = latest_run()
    assert run.status == ImportStatus.FAILED
    page = client.get(reverse("imports:run", kwargs={"pk": run.pk})).content.decode()
    assert 'data-testid="run-failed"' in page and run.message in page


@pytest.mark.parametrize(
    ("fields", "needle"),
    [
        ({"kind": "notes_prog"}, "cần chọn chương trình"),
        ({"kind": "khong-co"}, "Không có loại dữ liệu này."),
        ({"programme": "khong-co"}, "Không tìm thấy chương trình này"),
        ({"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")}, "Chỉ nhận tệp Excel"),
        ({"file": SimpleUploadedFile("a.csv", b"")}, "Tệp rỗng."),
    ],
)
def test_the_form_refuses_in_vietnamese_and_keeps_nothing(
    hanoi_admin: Any, django_capture_on_commit_callbacks: Any, private_media: Path, fields: dict[str, Any], needle: str
) -> None:
    response = send(signed_in(hanoi_admin), django_capture_on_commit_callbacks, fake.GOOD_NOTES, **fields)
    assert response.status_code == 400
    assert needle in response.content.decode()
    assert not ImportRun.objects.unrestricted("test").exists()
    assert [p for p in private_media.rglob("*") if p.is_file()] == []


def test_a_run_page_polls_while_the_run_is_pending_and_is_its_senders_alone(
    hanoi_admin: Any, camau_admin: Any, demo_user: Callable[[str], Any]
) -> None:
    run = ImportRun.objects.create(kind="notes", filename="cho.xlsx", created_by=hanoi_admin, progress=40)
    url = reverse("imports:run", kwargs={"pk": run.pk})
    client = signed_in(hanoi_admin)
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'aria-valuenow="40"' in page
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<div id="run-status"') and "<html" not in fragment
    ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.DONE, total_rows=3, created=3, dry_run=False)
    done = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in done and "Đã nhập xong: 3 tạo mới" in done
    assert signed_in(camau_admin).get(url).status_code == 404
    assert signed_in(demo_user("hanoi.ccb")).get(url).status_code == 404
    assert signed_in(demo_user("admin")).get(url).status_code == 200
    assert signed_in(camau_admin).post(reverse("imports:run-confirm", kwargs={"pk": run.pk})).status_code == 404


def test_templates_download_and_exports_start_a_job(
    hanoi_admin: Any, demo_user: Callable[[str], Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = signed_in(hanoi_admin)
    template = client.get(reverse("imports:template", kwargs={"kind": "notes"}))
    assert template.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(template.content))
    assert book.sheetnames[:2] == ["ghi chú thử", "Hướng dẫn"]
    assert book.worksheets[0].data_validations.dataValidation
    with_programme = client.get(reverse("imports:template", kwargs={"kind": "notes_prog"}), {"programme": "QDND-CCB"})
    assert with_programme.status_code == 200
    assert (
        client.get(reverse("imports:template", kwargs={"kind": "notes_prog"}), {"programme": "khong"}).status_code
        == 404
    )
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("imports:export"), {"kind": "notes", "programme": ""})
    assert started.status_code == 302 and started["Location"].startswith("/jobs/")
    job_page = client.get(started["Location"]).content.decode()
    assert 'data-testid="job-download"' in job_page
    reporter = signed_in(demo_user("hanoi.ccb"))
    assert reporter.get(reverse("imports:template", kwargs={"kind": "notes"})).status_code == 403
    assert reporter.post(reverse("imports:export"), {"kind": "notes"}).status_code == 403


def test_the_files_of_old_runs_are_deleted_and_the_runs_kept(
    hanoi_admin: Any, django_capture_on_commit_callbacks: Any, private_media: Path, time_machine: Any
) -> None:
    from phoihop.imports.tasks import purge_files

    send(signed_in(hanoi_admin), django_capture_on_commit_callbacks, fake.GOOD_NOTES)
    run = latest_run()
    assert Path(run.file.path).exists()
    assert purge_files() == 0
    time_machine.move_to(run.finished_at + timedelta(days=8))
    assert purge_files() == 1
    run.refresh_from_db()
    assert not run.file and run.total_rows == 2
    assert not [p for p in (private_media / "imports").rglob("*") if p.is_file()]
