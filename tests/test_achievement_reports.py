"""Achievement reports (báo cáo thành tích, Decree 98/2023 forms 01 and 02) downloaded from a
nomination, as Word and PDF, from the page and the API: the national name on one line, the
form's headings, the table of earlier awards (one row per award in the database), both
signature blocks on rows that do not break, the body's "./.", page numbers from page 2; the
private fields only for those who may read them; 404 out of scope and for an unknown format."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from phoihop.audit.models import ActionLog
from phoihop.commendations import services
from phoihop.commendations.models import Award, AwardKind, AwardType, Nomination, NominationStatus
from phoihop.documents.pdf import pdf_available
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Phase

pytestmark = pytest.mark.django_db

COMMUNE = "CCB-X00070"
NATIONAL = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def decided() -> Nomination:
    """The demo's decided nominee: Phạm Văn Thành, Bằng khen of the Minister of Defence."""
    return Nomination.objects.get(person__full_name="Phạm Văn Thành", award__code="bk-tcct")


def pending_collective() -> Nomination:
    return Nomination.objects.get(nominee_unit__code=COMMUNE, status=NominationStatus.SUBMITTED)


def page_url(n: Nomination, fmt: str) -> str:
    return reverse("commendations:nomination-achievement", kwargs={"pk": n.pk, "fmt": fmt})


def api_url(n: Nomination, fmt: str) -> str:
    return reverse("api:nomination-achievement-report-file", kwargs={"pk": n.pk, "fmt": fmt})


def earlier_awards(n: Nomination) -> list[Award]:
    same = {"nominee_unit": n.nominee_unit} if n.nominee_unit_id else {"person": n.person}
    return list(
        Award.objects.unrestricted("tests")
        .filter(year__lte=n.year, **same)
        .exclude(nomination=n)
        .select_related("award", "decision__issuing_unit")
    )


def texts(document: Any) -> list[str]:
    """Every paragraph's text, the body's and the tables' (nested included), in order."""
    out = []
    for p in document.element.body.iter(qn("w:p")):
        parts = [(e.text or "") if e.tag == qn("w:t") else " " for e in p.iter(qn("w:t"), qn("w:br"))]
        out.append("".join(parts))
    return out


def award_tables(document: Any) -> list[Any]:
    return [t for t in document.tables if t.rows and t.rows[0].cells[0].text == "Năm"]


def data_rows(document: Any) -> list[list[str]]:
    rows = []
    for table in award_tables(document):
        for row in table.rows[1:]:
            cells = [c.text for c in row.cells]
            if cells[0]:  # "Chưa có" rows have no year
                rows.append(cells)
    return rows


def check_layout(document: Any, blocks: list[str]) -> None:
    paragraphs = texts(document)
    assert NATIONAL in paragraphs  # one paragraph, one line
    assert "Độc lập - Tự do - Hạnh phúc" in paragraphs
    assert "BÁO CÁO THÀNH TÍCH" in paragraphs
    assert "./." in paragraphs
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 15)
    assert section.different_first_page_header_footer  # no number on page 1
    assert "PAGE" in section.header._element.xml
    # Each signature block (title, room to sign, name) sits in a table row that cannot break.
    signature_rows = [
        row
        for table in document.tables
        for row in table.rows
        if any(block in " ".join(" ".join(c.text for c in row.cells).split()) for block in blocks)
    ]
    found = " ".join(" ".join(c.text for row in signature_rows for c in row.cells).split())
    for block in blocks:
        assert block in found
    for row in signature_rows:
        assert row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None


def pdf_text(pdf: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode("utf-8")


# --- an individual (form 02) ------------------------------------------------------------------


def test_the_decided_nominees_report_downloads_as_word_from_the_page(client_as: Callable[[str], Any]) -> None:
    nomination = decided()
    earlier = earlier_awards(nomination)
    assert len(earlier) >= 2  # the demo's record before the Ministry's Bằng khen
    before = ActionLog.objects.filter(action="personal_data.export").count()

    client = client_as("hoankiem.ccb")
    page = client.get(reverse("commendations:nomination-detail", kwargs={"pk": nomination.pk})).content.decode()
    assert page_url(nomination, "docx") in page
    response = client.get(page_url(nomination, "docx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "bao-cao-thanh-tich-pham-van-thanh-2025.docx" in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    paragraphs = texts(document)
    for heading in ("I. SƠ LƯỢC LÝ LỊCH", "II. THÀNH TÍCH ĐẠT ĐƯỢC", "III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG"):
        assert heading in paragraphs
    assert "ĐỀ NGHỊ TẶNG BẰNG KHEN CỦA CHỦ NHIỆM TỔNG CỤC CHÍNH TRỊ" in paragraphs
    assert "- Họ tên: Phạm Văn Thành" in paragraphs
    assert any(p.startswith("- Sinh ngày") and "năm 1952" in p and "Giới tính: Nam" in p for p in paragraphs)
    assert "- Cấp bậc: Thượng úy" in paragraphs
    # The identity comes from the record (the demo holds his); what it lacks is a line to fill.
    assert any(p.startswith("- Sinh ngày 19 tháng 05 năm 1952") for p in paragraphs)
    assert "- Quê quán: xã Thanh Mai, huyện Thanh Oai, thành phố Hà Nội" in paragraphs
    assert "- Trình độ chuyên môn, nghiệp vụ: Trung cấp lý luận chính trị" in paragraphs
    label = "- Học hàm, học vị, danh hiệu, giải thưởng:"
    assert any(p.startswith(label) and not any(c.isalpha() for c in p[len(label) :]) for p in paragraphs)
    check_layout(
        document,
        ["THỦ TRƯỞNG ĐƠN VỊ XÁC NHẬN, ĐỀ NGHỊ", "NGƯỜI BÁO CÁO THÀNH TÍCH", "XÁC NHẬN CỦA CẤP TRÌNH KHEN THƯỞNG"],
    )
    assert "Thượng úy Phạm Văn Thành" in paragraphs  # the reporter's name under the block

    # The awards tables: titles, then forms; one row per earlier award, with its decision.
    tables = award_tables(document)
    assert [t.rows[0].cells[1].text for t in tables] == ["Danh hiệu thi đua", "Hình thức khen thưởng"]
    rows = data_rows(document)
    assert len(rows) == len(earlier)
    assert sorted((r[0], r[1]) for r in rows) == sorted((str(a.year), a.award.name) for a in earlier)
    for a in earlier:
        assert any(
            a.decision.issuing_unit.name in r[2] and a.decision.issued_on.strftime("%d/%m/%Y") in r[2] for r in rows
        )
    titles = {r[1] for r in [[c.text for c in row.cells] for row in tables[0].rows[1:]]}
    assert titles <= {a.award.name for a in earlier if a.award.kind == AwardKind.TITLE} | {"Chưa có"}
    # The report's own award is not an earlier one.
    assert "Bằng khen của Chủ nhiệm Tổng cục Chính trị" not in {r[1] for r in rows}

    # The download names a person: one row of the access log (ADR 0011).
    assert ActionLog.objects.filter(action="personal_data.export").count() == before + 1


def test_a_reader_up_the_route_gets_the_report_without_the_private_fields(
    client_as: Callable[[str], Any], api_client_as: Callable[[str], Any]
) -> None:
    nomination = decided()
    response = api_client_as("tcct").get(api_url(nomination, "docx"))
    assert response.status_code == 200
    paragraphs = texts(Document(io.BytesIO(response.content)))
    assert "- Họ tên: Phạm Văn Thành" in paragraphs
    assert not any("1952" in p for p in paragraphs)
    assert not any("Giới tính: Nam" in p for p in paragraphs)
    assert len(data_rows(Document(io.BytesIO(response.content)))) == len(earlier_awards(nomination))


@pytest.mark.skipif(not pdf_available(), reason="LibreOffice is not installed")
def test_the_decided_nominees_report_downloads_as_pdf(
    client_as: Callable[[str], Any], api_client_as: Callable[[str], Any]
) -> None:
    nomination = decided()
    response = api_client_as("hoankiem.ccb").get(api_url(nomination, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    pages = text.count("\f")
    assert pages >= 1
    flat = " ".join(text.split())
    assert "Phạm Văn Thành" in flat
    assert NATIONAL in flat
    for block in ("NGƯỜI BÁO CÁO THÀNH TÍCH", "XÁC NHẬN CỦA CẤP TRÌNH KHEN THƯỞNG"):
        assert block in flat
    # The signature title and the name under it are on the same page.
    last = text.split("\f")[pages - 1]
    assert "NGƯỜI BÁO CÁO THÀNH TÍCH" in last and "Thượng úy Phạm Văn Thành" in last

    page = client_as("hoankiem.ccb").get(page_url(nomination, "pdf"))
    assert page.status_code == 200 and page.content.startswith(b"%PDF")


# --- a collective (form 01) ------------------------------------------------------------------


def test_a_collectives_report_has_the_collective_forms_sections_and_its_awards(
    api_client_as: Callable[[str], Any], demo_user: Callable[[str], Any]
) -> None:
    commune = OrgUnit.objects.get(code=COMMUNE)
    # An earlier award of the commune's association (2022, the previous phase), through the services.
    earlier = services.nomination_create(
        acting_user=demo_user("hoankiem.ccb"),
        proposing_unit=commune,
        nominee_unit=commune,
        award=AwardType.objects.get(code="tap-the-ldxs-ccb"),
        phase=Phase.objects.get(programme__code="QDND-CCB", code="2017-2022"),
        year=2022,
    )
    services.nomination_submit(nomination=earlier, acting_user=demo_user("hoankiem.ccb"))
    services.nomination_decide(
        nomination=earlier,
        acting_user=demo_user("hanoi.ccb"),
        signer_title="Phó Chủ tịch Hội Cựu chiến binh thành phố Hà Nội",
        signer_name="Lê Quang Vinh",
    )
    nomination = pending_collective()
    response = api_client_as("hanoi.ccb").get(api_url(nomination, "docx"))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    paragraphs = texts(document)
    assert commune.name.upper() in paragraphs  # the unit at the top left
    assert commune.name in paragraphs  # the collective's name under the title
    for heading in (
        "I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH",
        "1. Đặc điểm, tình hình:",
        "2. Chức năng, nhiệm vụ:",
        "II. THÀNH TÍCH ĐẠT ĐƯỢC",
        "4. Hoạt động của tổ chức đảng, đoàn thể:",
        "III. CÁC HÌNH THỨC KHEN THƯỞNG ĐÃ ĐƯỢC GHI NHẬN",
    ):
        assert heading in paragraphs
    assert any("chủ trì" in p and "hoạt động" in p and "lượt người tham gia" in p for p in paragraphs)
    check_layout(document, ["XÁC NHẬN CỦA CẤP TRÌNH KHEN THƯỞNG", "THỦ TRƯỞNG ĐƠN VỊ"])
    rows = data_rows(document)
    assert len(rows) == len(earlier_awards(nomination)) == 1
    assert rows[0][:2] == ["2022", "Tập thể lao động xuất sắc (Hội Cựu chiến binh)"]


# --- scope and formats ------------------------------------------------------------------------


def test_another_provinces_user_gets_404_and_an_unknown_format_is_404(
    client_as: Callable[[str], Any], api_client_as: Callable[[str], Any]
) -> None:
    nomination = decided()
    outsider, api_outsider = client_as("camau.ccb"), api_client_as("camau.ccb")
    for fmt in ("docx", "pdf"):
        assert outsider.get(page_url(nomination, fmt)).status_code == 404
        assert api_outsider.get(api_url(nomination, fmt)).status_code == 404
    assert outsider.get(reverse("commendations:nomination-detail", kwargs={"pk": nomination.pk})).status_code == 404
    reader, api_reader = client_as("hoankiem.ccb"), api_client_as("hoankiem.ccb")
    assert reader.get(page_url(nomination, "odt")).status_code == 404
    assert api_reader.get(api_url(nomination, "xlsx")).status_code == 404
    # Without the trailing slash, the API's address leads to the same file.
    bare = api_url(nomination, "docx").rstrip("/")
    response = api_reader.get(bare, follow=True)
    assert response.status_code == 200 and response.content.startswith(b"PK")
