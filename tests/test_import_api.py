"""The import API (issue 15, item 4): ``POST /api/v1/imports/`` runs a check or an import as a
background job of its sender and answers the run (status, counts, errors row by row); a run is
its sender's alone; templates and exports of each kind, in the same columns.

Actors (demo): hanoi.admin and camau.admin (unit administrators of the two provinces'
associations, tests/conftest.py), hanoi.ccb (a reporter: may not import), admin (system
administrator). The kind "notes" (tests/support/imports.py) reads files with the real reader
and writes nothing; the round trip runs the real kinds.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from phoihop.audit.models import ActionLog
from phoihop.imports import registry
from phoihop.imports.models import ImportRun
from phoihop.jobs.models import Job
from tests.support import imports as fake

pytestmark = pytest.mark.django_db

LIST = "/api/v1/imports/"


@pytest.fixture(autouse=True)
def private_media(settings: Any, tmp_path: Path) -> Iterator[Path]:
    settings.MEDIA_ROOT = tmp_path
    yield tmp_path


@pytest.fixture(autouse=True)
def fake_kind(monkeypatch: pytest.MonkeyPatch) -> None:
    fake.use_fake_kind(monkeypatch)


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def send(client: APIClient, capture: Any, content: bytes, name: str = "ghi-chu.xlsx", **fields: Any) -> Any:
    data = {"kind": "notes", "file": SimpleUploadedFile(name, content), **fields}
    with capture(execute=True):
        return client.post(LIST, data, format="multipart", HTTP_ACCEPT_LANGUAGE="vi")


def sent(client: APIClient, capture: Any, content: bytes, name: str = "ghi-chu.xlsx", **fields: Any) -> dict[str, Any]:
    """The run once its job has run (the test's transaction never commits: the job runs when the
    capture ends, after the answer; without a test transaction it runs before the answer)."""
    response = send(client, capture, content, name, **fields)
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "pending"
    return client.get(response["Location"]).json()


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


# --- sending a file -------------------------------------------------------------------------------


def test_a_check_answers_the_run_with_its_counts_and_writes_nothing(
    hanoi_admin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = api(hanoi_admin)
    response = send(client, django_capture_on_commit_callbacks, fake.GOOD_NOTES, dry_run="true")
    assert response.status_code == 202, response.content
    assert response["Location"] == response.json()["url"]
    body = client.get(response["Location"]).json()
    assert body["status"] == "done"
    assert body["dry_run"] is True
    assert (body["total_rows"], body["created"], body["updated"], body["errors"]) == (2, 2, 0, [])
    assert body["filename"] == "ghi-chu.xlsx"
    assert fake.CALLS == [{"user": "hanoi.admin", "kind": "notes", "programme": None, "dry_run": True}]
    run = ImportRun.objects.unrestricted("test").get(pk=body["id"])
    assert run.created_by == hanoi_admin and run.progress == 100 and run.finished_at
    assert ActionLog.objects.filter(action="import.check", actor=hanoi_admin, target_id=str(run.pk)).exists()


def test_a_bad_row_is_named_with_its_column_value_and_reason(
    hanoi_admin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    body = sent(api(hanoi_admin), django_capture_on_commit_callbacks, fake.BAD_NOTES, dry_run="false")
    assert body["dry_run"] is False
    assert body["status"] == "done"
    assert body["error_count"] == 1
    assert body["errors"] == [{"row": 3, "column": "Mã ghi chú", "value": "Z", "message": "Mã phải là A, B hoặc C."}]
    # The problems as a workbook: the run's job file.
    run = ImportRun.objects.unrestricted("test").get(pk=body["id"])
    download = api(hanoi_admin).get(reverse("api:job-download", kwargs={"pk": run.job_id}))
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.values)
    assert rows == [("Dòng", "Cột", "Giá trị", "Lý do"), (3, "Mã ghi chú", "Z", "Mã phải là A, B hoặc C.")]


def test_a_refused_file_fails_with_the_readers_reason_as_row_0(
    hanoi_admin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    body = sent(api(hanoi_admin), django_capture_on_commit_callbacks, b"PK\x03\x04 not a zip at all")
    assert body["status"] == "failed"
    assert body["message"]
    assert body["errors"][0]["row"] == 0
    assert body["errors"][0]["message"] == body["message"]


def test_a_clean_check_is_confirmed_into_a_real_run_of_the_same_file(
    hanoi_admin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = api(hanoi_admin)
    check = sent(client, django_capture_on_commit_callbacks, fake.GOOD_NOTES, dry_run="true")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("api:import-confirm", kwargs={"pk": check["id"]}))
    assert response.status_code == 202
    real = client.get(response["Location"]).json()
    assert real["id"] != check["id"] and real["dry_run"] is False and real["status"] == "done"
    assert real["filename"] == "ghi-chu.xlsx"
    assert [c["dry_run"] for c in fake.CALLS] == [True, False]
    # A check with problems is not confirmed.
    bad = sent(client, django_capture_on_commit_callbacks, fake.BAD_NOTES, dry_run="true")
    refused = client.post(reverse("api:import-confirm", kwargs={"pk": bad["id"]}), HTTP_ACCEPT_LANGUAGE="vi")
    assert refused.status_code == 400
    assert "còn lỗi" in str(refused.json())


def test_a_file_as_large_as_the_limit_passes_djangos_own_limits(
    hanoi_admin: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    # More than DATA_UPLOAD_MAX_MEMORY_SIZE: a file's bytes are not counted by it.
    rows = [["A", "x" * 12_000] for _ in range(1_200)]
    content = fake.csv_bytes(["Mã ghi chú", "Tên ghi chú"], rows)
    assert len(content) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = sent(api(hanoi_admin), django_capture_on_commit_callbacks, content, name="lon.csv", dry_run="true")
    assert body["total_rows"] == 1_200


# --- refusals ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "content", "name", "field", "needle"),
    [
        ({"kind": "khong-co"}, fake.GOOD_NOTES, "a.xlsx", "kind", "Không có loại dữ liệu"),
        ({"kind": "notes_prog"}, fake.GOOD_NOTES, "a.xlsx", "programme", "cần chọn chương trình"),
        ({"programme": "khong-co"}, fake.GOOD_NOTES, "a.xlsx", "programme", "Không tìm thấy chương trình"),
        ({}, fake.GOOD_NOTES, "a.pdf", "file", "Chỉ nhận tệp Excel"),
        ({}, b"", "a.csv", "file", "Tệp rỗng"),
        ({"dry_run": "co le"}, fake.GOOD_NOTES, "a.xlsx", "dry_run", "true hoặc false"),
    ],
)
def test_bad_input_is_a_400_in_vietnamese_and_keeps_nothing(
    hanoi_admin: Any,
    django_capture_on_commit_callbacks: Any,
    private_media: Path,
    fields: dict[str, str],
    content: bytes,
    name: str,
    field: str,
    needle: str,
) -> None:
    response = send(api(hanoi_admin), django_capture_on_commit_callbacks, content, name=name, **fields)
    assert response.status_code == 400, response.content
    assert needle in " ".join(response.json()[field])
    assert not ImportRun.objects.unrestricted("test").exists()
    assert stored_files(private_media) == []


def test_a_missing_file_is_named(hanoi_admin: Any) -> None:
    response = api(hanoi_admin).post(LIST, {"kind": "notes"}, format="multipart", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    assert response.json()["file"] == ["Hãy chọn tệp cần nhập."]


def test_a_file_over_the_limit_is_refused_before_it_is_kept(
    hanoi_admin: Any, django_capture_on_commit_callbacks: Any, private_media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(registry, "max_bytes", lambda: 1024)
    response = send(api(hanoi_admin), django_capture_on_commit_callbacks, fake.GOOD_NOTES + b"\0" * 2048)
    assert response.status_code == 400
    assert response.json()["file"][0].startswith("Tệp lớn hơn 1,0")
    assert stored_files(private_media) == []


def test_only_unit_and_system_administrators_import(
    demo_user: Callable[[str], Any], django_capture_on_commit_callbacks: Any
) -> None:
    response = send(api(demo_user("hanoi.ccb")), django_capture_on_commit_callbacks, fake.GOOD_NOTES)
    assert response.status_code == 403
    assert "quản trị đơn vị" in response.json()["detail"]
    assert not ImportRun.objects.unrestricted("test").exists()
    assert send(api(demo_user("admin")), django_capture_on_commit_callbacks, fake.GOOD_NOTES).status_code == 202


# --- reading runs -----------------------------------------------------------------------------------


def test_a_run_is_its_senders_alone(
    hanoi_admin: Any, camau_admin: Any, demo_user: Callable[[str], Any], django_capture_on_commit_callbacks: Any
) -> None:
    mine = sent(api(hanoi_admin), django_capture_on_commit_callbacks, fake.GOOD_NOTES)
    theirs = sent(api(camau_admin), django_capture_on_commit_callbacks, fake.BAD_NOTES)
    url = reverse("api:import-detail", kwargs={"pk": mine["id"]})
    assert api(hanoi_admin).get(url).json()["id"] == mine["id"]
    assert api(camau_admin).get(url).status_code == 404
    assert api(demo_user("hanoi.ccb")).get(url).status_code == 404
    assert api(demo_user("admin")).get(url).status_code == 200
    listed = api(hanoi_admin).get(LIST).json()["results"]
    assert [r["id"] for r in listed] == [mine["id"]]
    assert theirs["id"] not in [r["id"] for r in api(demo_user("admin")).get(LIST).json()["results"]]
    confirm = api(camau_admin).post(reverse("api:import-confirm", kwargs={"pk": mine["id"]}))
    assert confirm.status_code == 404


# --- templates and exports ----------------------------------------------------------------------


def test_the_template_has_headers_an_example_drop_downs_and_a_guide(hanoi_admin: Any) -> None:
    response = api(hanoi_admin).get(reverse("api:import-template", kwargs={"kind": "notes"}))
    assert response.status_code == 200
    assert response["Content-Type"] == fake.XLSX
    assert 'filename="mau-nhap-notes.xlsx"' in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:2] == ["ghi chú thử", "Hướng dẫn"]
    data = book.worksheets[0]
    rows = list(data.values)
    assert rows[0] == ("Mã ghi chú", "Tên ghi chú", "Ngày")
    assert rows[1][:2] == ("A", "Ghi chú mẫu")
    assert rows[1][2].date().isoformat() == "2024-09-23"
    validations = data.data_validations.dataValidation
    assert [(v.type, v.formula1, str(v.sqref)) for v in validations] == [("list", '"A,B,C"', "A2:A200002")]
    guide = [row for row in book["Hướng dẫn"].values if any(row)]
    assert any(row[0] == "Mã ghi chú" and row[2] == "Có" and row[3] == "Một trong A, B, C." for row in guide)


def test_the_kinds_and_their_columns_are_listed(hanoi_admin: Any, demo_user: Callable[[str], Any]) -> None:
    client = api(hanoi_admin)
    kinds = {k["name"]: k for k in client.get(reverse("api:import-kinds")).json()}
    assert {"units", "people", "users", "targets", "activities", "figures", "notes"} <= set(kinds)
    assert kinds["notes"]["columns"][0] == {
        "key": "code",
        "header": "Mã ghi chú",
        "required": True,
        "help": "Một trong A, B, C.",
        "example": "A",
        "choices": ["A", "B", "C"],
    }
    assert kinds["notes"]["columns"][2]["example"] == "23/9/2024"
    assert kinds["activities"]["needs_programme"] and kinds["activities"]["columns"] == []
    with_programme = {k["name"]: k for k in client.get(reverse("api:import-kinds"), {"programme": "QDND-CCB"}).json()}
    keys = [c["key"] for c in with_programme["activities"]["columns"]]
    assert keys[:3] == ["external_id", "phase", "title"] and "tt-buoi" in keys
    assert api(demo_user("hanoi.ccb")).get(reverse("api:import-kinds")).status_code == 403


def test_the_template_of_a_kind_with_a_programme_asks_for_one(hanoi_admin: Any) -> None:
    client = api(hanoi_admin)
    url = reverse("api:import-template", kwargs={"kind": "notes_prog"})
    missing = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
    assert missing.status_code == 400
    assert "mã chương trình" in missing.json()["programme"][0]
    assert client.get(url, {"programme": "ct-khong-co"}).status_code == 400
    found = client.get(url, {"programme": "QDND-CCB"})
    assert found.status_code == 200
    assert 'filename="mau-nhap-notes_prog-QDND-CCB.xlsx"' in found["Content-Disposition"]
    assert client.get(reverse("api:import-template", kwargs={"kind": "khongco"})).status_code == 404


def test_the_export_is_a_job_in_the_templates_columns_with_text_never_a_formula(
    hanoi_admin: Any, demo_user: Callable[[str], Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = api(hanoi_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("api:import-export"), {"kind": "notes"}, format="json")
    assert response.status_code == 202
    job = Job.objects.restrict(hanoi_admin, "view").get(pk=response.json()["id"])
    assert job.status == "done", job.message
    download = client.get(reverse("api:job-download", kwargs={"pk": job.pk}))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    data = book.worksheets[0]
    assert [c.value for c in data[1]] == ["Mã ghi chú", "Tên ghi chú", "Ngày"]
    assert data["A2"].value == "A" and data["C2"].value.date().isoformat() == "2024-01-02"
    assert data["B3"].value == '=HYPERLINK("http://x")' and data["B3"].data_type == "s"
    assert "Hướng dẫn" in book.sheetnames
    assert ActionLog.objects.filter(action="import.export", actor=hanoi_admin).exists()
    refused = api(demo_user("hanoi.ccb")).post(reverse("api:import-export"), {"kind": "notes"}, format="json")
    assert refused.status_code == 403
    bad = client.post(reverse("api:import-export"), {"kind": "notes_prog"}, format="json", HTTP_ACCEPT_LANGUAGE="vi")
    assert bad.status_code == 400 and "cần chọn chương trình" in bad.json()["programme"][0]


# --- the real kinds: export → import round-trips ------------------------------------------------


@pytest.mark.parametrize(
    ("username", "kind", "programme"),
    [
        ("hanoi.admin", "units", None),
        ("admin", "people", None),
        ("hanoi.admin", "users", None),
        ("admin", "targets", "QDND-CCB"),
        ("admin", "figures", "QDND-CCB"),
        ("admin", "activities", "QDND-CCB"),
    ],
)
def test_an_export_imported_again_changes_nothing(
    username: str,
    kind: str,
    programme: str | None,
    hanoi_admin: Any,
    demo_user: Callable[[str], Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    user = hanoi_admin if username == "hanoi.admin" else demo_user(username)
    client = api(user)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("api:import-export"), {"kind": kind, "programme": programme}, format="json")
    assert started.status_code == 202, started.content
    job = Job.objects.restrict(user, "view").get(pk=started.json()["id"])
    assert job.status == "done", job.message
    content = b"".join(client.get(reverse("api:job-download", kwargs={"pk": job.pk})).streaming_content)
    fields = {"kind": kind, "file": SimpleUploadedFile(job.filename, content), "dry_run": "false"}
    if programme:
        fields["programme"] = programme
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LIST, fields, format="multipart")
    body = client.get(response["Location"]).json()
    assert body["errors"][:5] == [] and body["status"] == "done", body["message"]
    assert body["total_rows"] > 0
    assert (body["created"], body["updated"]) == (0, 0)
    assert body["unchanged"] == body["total_rows"]


def test_a_long_list_of_choices_sits_on_a_hidden_sheet_after_the_data(tmp_path: Path) -> None:
    from phoihop.imports.kinds.base import Column, ImportKind
    from phoihop.imports.reading import read_table
    from phoihop.imports.templates import template_bytes

    many = [f"Đơn vị số {n}, tỉnh thử" for n in range(80)]
    kind = ImportKind(
        "many",
        "nhiều lựa chọn",
        False,
        lambda p: [Column("unit", "Đơn vị", True, "", many[0], lambda p: many)],
        fake._fake_export,
    )
    content = template_bytes(kind)
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["nhiều lựa chọn", "Hướng dẫn", "Danh mục"]
    assert book["Danh mục"].sheet_state == "hidden"
    (validation,) = book.worksheets[0].data_validations.dataValidation
    assert validation.formula1 == "'Danh mục'!$A$2:$A$81"
    assert [row[0] for row in book["Danh mục"].values][1:] == many
    # The reader takes the data sheet, example row included.
    path = tmp_path / "mau.xlsx"
    path.write_bytes(content)
    table = read_table(path, "mau.xlsx")
    assert table.headers == ["Đơn vị"] and table.rows == [(2, [many[0]])]
