"""Uploads are opened safely (issue 12, items 10 and 11).

Zip bombs and billion-laughs ``.docx``/``.xlsx`` files, and an HTML page named ``.pdf``, are
refused quickly with a Vietnamese message, leaving no row and no stored file, through the pages
(activity attachments, exchange attachments) and the API (a nomination's dossier files, a
conference paper); real Word, Excel and PDF files are accepted (``phoihop.core.files``).

Attachments keep a history: who added one, who deleted it and why (a tombstone row '-').
"""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from docx import Document

from phoihop.activities import services as activity_services
from phoihop.activities.models import Activity, Attachment
from phoihop.audit.actions import parse
from phoihop.commendations.models import NominationFile
from phoihop.core.files import DOCX, PDF, XLSX, check_bytes
from phoihop.orgunits.models import OrgUnit, Person
from phoihop.programmes.models import Indicator, Phase
from phoihop.records.models import Exchange

# --- the files ------------------------------------------------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML_AS_PDF = b"<!DOCTYPE html><html><body><script>fetch('/api/v1/')</script></body></html>"
HTML_BEHIND_PDF_MAGIC = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n"
TRUNCATED_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n" + b"x" * 4000

LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'.encode() for i in range(1, 10)
    )
    + b']>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
)
XXE = (
    b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    b'<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">&xxe;</w:styles>'
)


def real_docx() -> bytes:
    document = Document()
    document.add_paragraph("Biên bản tuần tra chung tháng 12.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def real_xlsx() -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.add_worksheet("Số liệu").write_string(0, 0, "Số buổi tuyên truyền")
    book.close()
    return out.getvalue()


def rezip(
    base: bytes, replace: dict[str, bytes] | None = None, add: Callable[[zipfile.ZipFile], None] | None = None
) -> bytes:
    """``base`` (a zip) with some members replaced, and more written by ``add``."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        if add:
            add(dst)
    return out.getvalue()


def zeros(name: str, megabytes: int) -> Callable[[zipfile.ZipFile], None]:
    """A member of ``megabytes`` MB of zeros, streamed (never held in memory whole)."""

    def add(archive: zipfile.ZipFile) -> None:
        chunk = b"\0" * (1 << 20)
        with archive.open(name, "w", force_zip64=True) as member:
            for _ in range(megabytes):
                member.write(chunk)

    return add


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """A .docx that unpacks to 200 MB (about 200 kB on the wire)."""
    return rezip(real_docx(), add=zeros("word/media/image1.png", 200))


@pytest.fixture(scope="module")
def ratio_bomb() -> bytes:
    """A .docx below the total limit whose one member is compressed a thousand to one."""
    return rezip(real_docx(), add=zeros("word/media/image2.png", 30))


def many_members() -> bytes:
    def add(archive: zipfile.ZipFile) -> None:
        for i in range(2100):
            archive.writestr(f"word/media/p{i}.txt", b"")

    return rezip(real_docx(), add=add)


def bad_files(zip_bomb: bytes, ratio_bomb: bytes) -> list[tuple[str, str, bytes, str]]:
    """(case, file name, content, what the message says)."""
    docx = real_docx()
    return [
        ("zip bomb", "bien-ban.docx", zip_bomb, "vượt giới hạn"),
        ("compression ratio", "bien-ban.docx", ratio_bomb, "nén bất thường"),
        ("billion laughs", "bien-ban.docx", rezip(docx, {"word/document.xml": LAUGHS}), "DTD"),
        ("external entity", "bien-ban.docx", rezip(docx, {"word/styles.xml": XXE}), "DTD"),
        ("laughs in xlsx", "so-lieu.xlsx", rezip(real_xlsx(), {"xl/workbook.xml": LAUGHS}), "DTD"),
        ("macro", "bien-ban.docx", rezip(docx, add=lambda z: z.writestr("word/vbaProject.bin", b"x")), "macro"),
        ("members", "bien-ban.docx", many_members(), "quá nhiều thành phần"),
        ("html named pdf", "to-trinh.pdf", HTML_AS_PDF, "không thuộc loại được phép"),
        ("html behind %PDF-", "to-trinh.pdf", HTML_BEHIND_PDF_MAGIC, "HTML"),
        ("truncated pdf", "to-trinh.pdf", TRUNCATED_PDF, "thiếu dấu kết thúc"),
    ]


CASES = [
    "zip bomb",
    "compression ratio",
    "billion laughs",
    "external entity",
    "laughs in xlsx",
    "macro",
    "members",
    "html named pdf",
    "html behind %PDF-",
    "truncated pdf",
]


@pytest.fixture
def bad(zip_bomb: bytes, ratio_bomb: bytes) -> dict[str, tuple[str, bytes, str]]:
    return {case: (name, content, says) for case, name, content, says in bad_files(zip_bomb, ratio_bomb)}


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()]


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "media"
    folder.mkdir()
    settings.MEDIA_ROOT = folder
    yield folder


# --- the check itself -------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_the_check_refuses_bombs_and_disguised_files_quickly(case: str, bad: dict[str, tuple[str, bytes, str]]) -> None:
    _name, content, says = bad[case]
    started = time.monotonic()
    with pytest.raises(ValidationError) as error:
        check_bytes(content)
    elapsed = time.monotonic() - started
    assert says in " ".join(error.value.messages)
    assert elapsed < 10  # about a millisecond; loose, so a busy machine does not fail it


def test_the_limits_come_from_the_settings(settings: Any) -> None:
    medium = rezip(real_docx(), add=zeros("word/media/image1.png", 3))  # 3 MB unpacked, at 1000:1
    with pytest.raises(ValidationError, match="nén bất thường"):
        check_bytes(medium)
    settings.UPLOAD_ZIP_MAX_RATIO = 10_000
    assert check_bytes(medium) == DOCX
    settings.UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES = 2 * 1024 * 1024
    with pytest.raises(ValidationError, match="vượt giới hạn 2,0"):
        check_bytes(medium)


def test_a_main_part_that_is_not_xml_is_refused() -> None:
    broken = rezip(real_docx(), {"word/document.xml": b"<w:document><w:body>"})
    with pytest.raises(ValidationError, match="nội dung XML không hợp lệ"):
        check_bytes(broken)


def test_real_files_are_accepted() -> None:
    assert check_bytes(real_docx()) == DOCX
    assert check_bytes(real_xlsx()) == XLSX
    assert check_bytes(PDF_BYTES) == PDF
    assert check_bytes(PDF_BYTES + b"\r\n\x00  ") == PDF  # blanks after %%EOF are common


# --- through the pages ------------------------------------------------------------------------------

DAY = date(2026, 10, 5)


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def new_activity(demo_user: Callable[[str], Any]) -> Activity:
    phase = Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")
    indicator = Indicator.objects.get(programme__code="QDND-CCB", code="tt-buoi")
    return activity_services.activity_create(
        acting_user=demo_user("hoankiem.ccb"),
        phase=phase,
        lead_unit=unit("CCB-X00070"),
        title="Tuyên truyền Luật Cựu chiến binh",
        start_date=DAY,
        end_date=DAY,
        values={indicator: 1},
        partners=[unit("QS-X00070")],
    )


def exchange_form(**overrides: Any) -> dict[str, Any]:
    return {
        "sender": unit("CCB-X00070").pk,
        "kind": "notice",
        "phase": "",
        "subject": "Lịch tuần tra chung tháng 12",
        "body": "Đề nghị Ban CHQS phường bố trí dân quân cùng tuần tra.",
        "recipients": [unit("QS-X00070").pk],
        **overrides,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_the_exchange_page_refuses_the_file_and_keeps_nothing(
    case: str, bad: dict[str, tuple[str, bytes, str]], client_as: Callable[[str], Client], media: Path
) -> None:
    name, content, says = bad[case]
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    started = time.monotonic()
    response = client_as("hoankiem.ccb").post(reverse("records:exchange-create"), exchange_form(attachments=[upload]))
    assert time.monotonic() - started < 10
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["attachments"])
    assert errors.startswith(f"{name}: ") and says in errors
    assert not Exchange.objects.filter(subject="Lịch tuần tra chung tháng 12").exists()
    assert not Attachment.objects.filter(original_name=name).exists()
    assert stored_files(media) == []


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["zip bomb", "billion laughs", "html named pdf", "html behind %PDF-"])
def test_the_activity_page_refuses_the_file_and_keeps_nothing(
    case: str,
    bad: dict[str, tuple[str, bytes, str]],
    client_as: Callable[[str], Client],
    demo_user: Callable[[str], Any],
    media: Path,
) -> None:
    name, content, says = bad[case]
    activity = new_activity(demo_user)
    response = client_as("hoankiem.ccb").post(
        reverse("activities:attachment-add", args=[activity.pk]),
        {"file": SimpleUploadedFile(name, content, content_type="application/octet-stream")},
    )
    assert response.status_code == 200
    assert says in " ".join(response.context["upload_form"].errors["file"])
    assert not Attachment.objects.filter(activity=activity).exists()
    assert stored_files(media) == []


@pytest.mark.django_db
def test_the_pages_accept_real_word_excel_and_pdf(client_as: Callable[[str], Client], media: Path) -> None:
    files = [
        SimpleUploadedFile("bien-ban.docx", real_docx(), content_type="application/octet-stream"),
        SimpleUploadedFile("so-lieu.xlsx", real_xlsx(), content_type="application/octet-stream"),
        SimpleUploadedFile("to-trinh.pdf", PDF_BYTES, content_type="application/pdf"),
    ]
    response = client_as("hoankiem.ccb").post(reverse("records:exchange-create"), exchange_form(attachments=files))
    assert response.status_code == 302
    exchange = Exchange.objects.get(subject="Lịch tuần tra chung tháng 12")
    assert sorted(exchange.attachments.values_list("original_name", "content_type")) == [
        ("bien-ban.docx", DOCX.content_type),
        ("so-lieu.xlsx", XLSX.content_type),
        ("to-trinh.pdf", PDF.content_type),
    ]
    assert len(stored_files(media)) == 3


# --- through the API ----------------------------------------------------------------------------------


def nomination_files_url(api: Any) -> str:
    phase = Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")
    veteran = Person.objects.create(full_name="Nguyễn Văn Cựu", birth_year=1955, unit=unit("CCB-X00070"))
    made = api.post(
        reverse("api:nomination-list"),
        {
            "proposing_unit": "CCB-X00070",
            "person": veteran.pk,
            "award": "bk-ccb-tw",
            "phase": phase.pk,
            "year": 2026,
            "summary": "Tích cực tham gia tuyên truyền.",
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    return reverse("api:nomination-files", kwargs={"pk": made.json()["id"]})


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_the_api_refuses_the_file_with_400_and_keeps_nothing(
    case: str, bad: dict[str, tuple[str, bytes, str]], api_client_as: Callable[[str], Any], media: Path
) -> None:
    name, content, says = bad[case]
    api = api_client_as("hoankiem.ccb")
    url = nomination_files_url(api)
    started = time.monotonic()
    response = api.post(url, {"kind": "submission", "file": SimpleUploadedFile(name, content)}, format="multipart")
    assert time.monotonic() - started < 10
    assert response.status_code == 400
    assert says in str(response.json())
    assert not NominationFile.objects.exists()
    assert stored_files(media) == []


@pytest.mark.django_db
def test_the_api_accepts_real_word_excel_and_pdf(api_client_as: Callable[[str], Any], media: Path) -> None:
    api = api_client_as("hoankiem.ccb")
    url = nomination_files_url(api)
    for name, content, kind in [
        ("to-trinh.docx", real_docx(), DOCX),
        ("bang-diem.xlsx", real_xlsx(), XLSX),
        ("to-trinh.pdf", PDF_BYTES, PDF),
    ]:
        response = api.post(url, {"kind": "submission", "file": SimpleUploadedFile(name, content)}, format="multipart")
        assert response.status_code == 201, response.json()
        assert response.json()["content_type"] == kind.content_type
    assert NominationFile.objects.count() == 3
    assert len(stored_files(media)) == 3


# --- attachments' history ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_adding_and_deleting_an_attachment_is_in_its_history_with_the_user_and_the_reason(
    client_as: Callable[[str], Client], demo_user: Callable[[str], Any], media: Path
) -> None:
    activity = new_activity(demo_user)
    client = client_as("hoankiem.ccb")
    response = client.post(
        reverse("activities:attachment-add", args=[activity.pk]),
        {"file": SimpleUploadedFile("bien-ban.pdf", PDF_BYTES)},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(activity=activity)
    added = attachment.history.get()
    assert (added.history_type, added.history_user.username) == ("+", "hoankiem.ccb")
    assert parse(added.history_change_reason) == ("attachment.add", "")

    response = client.post(
        reverse("activities:attachment-delete", args=[attachment.token]), {"reason": "Tải nhầm biên bản khác"}
    )
    assert response.status_code == 302
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    tombstone = Attachment.history.filter(id=attachment.pk).latest("history_id")
    assert tombstone.history_type == "-"
    assert tombstone.history_user.username == "hoankiem.ccb"
    assert parse(tombstone.history_change_reason) == ("attachment.delete", "Tải nhầm biên bản khác")
    assert (tombstone.original_name, tombstone.activity_id) == ("bien-ban.pdf", activity.pk)
    # The activity's own trail says it too.
    page = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert "Xóa tệp đính kèm" in page


@pytest.mark.django_db
def test_a_service_deletion_names_the_user_without_a_request(
    demo_user: Callable[[str], Any], media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    activity = new_activity(demo_user)
    user = demo_user("hoankiem.ccb")
    attachment = activity_services.attachment_add(
        acting_user=user, upload=SimpleUploadedFile("so-lieu.xlsx", real_xlsx()), activity=activity
    )
    pk = attachment.pk
    assert len(stored_files(media)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        activity_services.attachment_delete(attachment=attachment, acting_user=user, reason="Số liệu cũ")
    rows = list(Attachment.history.filter(id=pk).order_by("history_id"))
    assert [(r.history_type, r.history_user_id, parse(r.history_change_reason)) for r in rows] == [
        ("+", user.pk, ("attachment.add", "")),
        ("-", user.pk, ("attachment.delete", "Số liệu cũ")),
    ]
    assert stored_files(media) == []  # the file went with the row, once the transaction committed
