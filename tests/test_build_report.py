"""``manage.py build_report``: the national 2017–2022 summary report of the seed's programme as
DOCX, XLSX and PDF, a unit's saved report, a joint report built from live figures (nothing
saved), and the errors an operator meets, in Vietnamese."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from docx import Document

from phoihop.documents.pdf import pdf_available
from phoihop.figures.periods import PeriodKind
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Phase
from phoihop.reporting import services
from phoihop.reporting.models import Report, ReportingPeriod, ReportType
from tests.support.signing import sign

pytestmark = pytest.mark.django_db
# Approving locks the period, and only a period that has ended is locked (ADR 0014): the tests
# that approve in the thematic period of 2027 move the clock after it.
AFTER_PERIOD = datetime(2027, 7, 1, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))

NATIONAL = ["--programme", "QDND-CCB", "--phase", "2017-2022"]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("build_report", *args, stdout=out)
    return out.getvalue()


def docx_text(path: Path) -> str:
    """Every piece of text of the document: body paragraphs, tables (nested too), headers, footers."""
    document = Document(str(path))
    parts: list[str] = []

    def tables(items: Any) -> None:
        for table in items:
            for row in table.rows:
                for cell in row.cells:
                    parts.extend(p.text for p in cell.paragraphs)
                    tables(cell.tables)

    parts.extend(p.text for p in document.paragraphs)
    tables(document.tables)
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header):
            parts.extend(p.text for p in part.paragraphs)
            tables(part.tables)
    return "\n".join(parts)


@pytest.fixture
def summary_period(demo_user: Callable[[str], Any]) -> ReportingPeriod:
    phase = Phase.objects.get(programme__code="QDND-CCB", code="2017-2022")
    services.periods_generate(phase=phase, kinds=[PeriodKind.END_PHASE], acting_user=demo_user("admin"))
    return ReportingPeriod.objects.get(phase=phase, kind=PeriodKind.END_PHASE)


@pytest.fixture
def thematic(demo_user: Callable[[str], Any]) -> ReportingPeriod:
    phase = Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")
    return services.period_save(
        programme=phase.programme,
        data={
            "phase": phase,
            "kind": PeriodKind.OTHER,
            "report_type": ReportType.THEMATIC,
            "name": "Chuyên đề thử lệnh build_report",
            "start": date(2027, 5, 15),
            "end": date(2027, 6, 14),
        },
        acting_user=demo_user("admin"),
    )


def test_it_writes_the_national_summary_report_as_word(summary_period: ReportingPeriod, tmp_path: Path) -> None:
    before = Report.objects.count()
    target = tmp_path / "tong-ket.docx"
    line = run(*NATIONAL, "--format", "docx", "--output", str(target))
    assert target.is_file() and target.stat().st_size > 5000
    assert str(target) in line and "byte" in line and "giây" in line and summary_period.name in line
    text = docx_text(target)
    assert "BÁO CÁO" in text
    assert "Lưu: VT" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    # The joint report of the two parties: both issuing bodies stand on it.
    assert "TỔNG CỤC CHÍNH TRỊ" in text.upper()
    assert "CỰU CHIẾN BINH" in text.upper()
    assert "2017" in text and "2022" in text
    assert Report.objects.count() == before  # built from what is there; nothing saved


def test_it_writes_the_national_summary_report_as_excel(summary_period: ReportingPeriod, tmp_path: Path) -> None:
    target = tmp_path / "tong-ket.xlsx"
    run(*NATIONAL, "--kind", "tong-ket", "--format", "xlsx", "--output", str(target))
    book = openpyxl.load_workbook(target)
    assert book.sheetnames
    cells = [str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert any("2017" in c for c in cells)


def test_it_writes_the_national_summary_report_as_pdf(summary_period: ReportingPeriod, tmp_path: Path) -> None:
    if not pdf_available() and os.environ.get("CI") != "true":
        pytest.skip("LibreOffice (soffice) is not installed here")
    target = tmp_path / "tong-ket.pdf"
    run(*NATIONAL, "--output", str(target))  # the format follows the file's extension
    assert target.read_bytes().startswith(b"%PDF-")


def test_it_says_so_when_pdf_cannot_be_made(
    summary_period: ReportingPeriod, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from phoihop.documents import pdf

    monkeypatch.setattr(pdf, "soffice_path", lambda: None)
    target = tmp_path / "tong-ket.pdf"
    with pytest.raises(CommandError, match="LibreOffice"):
        run(*NATIONAL, "--format", "pdf", "--output", str(target))
    assert not target.exists()


def test_it_uses_a_units_saved_report_with_its_frozen_figures(
    thematic: ReportingPeriod, tmp_path: Path, demo_user: Callable[[str], Any], time_machine: Any
) -> None:
    time_machine.move_to(AFTER_PERIOD)
    hanoi = OrgUnit.objects.get(code="CCB-HANOI")
    report = services.report_open(period=thematic, unit=hanoi, acting_user=demo_user("hanoi.ccb"))
    report = services.report_save(
        report=report,
        data={"narrative": {"strengths": "Ưu điểm riêng của Hà Nội để nhận ra văn bản."}},
        expected_version=report.version,
        acting_user=demo_user("hanoi.ccb"),
    )
    args = ["--programme", "QDND-CCB", "--period", thematic.name, "--unit", "CCB-HANOI"]
    target = tmp_path / "ha-noi.docx"
    with pytest.raises(CommandError, match="chưa được duyệt"):
        run(*args, "--status", "approved", "--output", str(target))

    services.report_submit(report=sign(report, demo_user("hanoi.ccb")), acting_user=demo_user("hanoi.ccb"))
    line = run(*args, "--output", str(target))
    assert "số liệu đã chốt" in line
    assert "Ưu điểm riêng của Hà Nội để nhận ra văn bản." in docx_text(target)

    services.report_approve(report=report, acting_user=demo_user("tuhoi"))
    line = run(*args, "--status", "approved", "--output", str(target))
    assert "đã duyệt" in line
    assert Report.objects.filter(period=thematic).count() == 1


def test_it_builds_a_joint_report_of_two_units_without_saving_it(thematic: ReportingPeriod, tmp_path: Path) -> None:
    target = tmp_path / "lien-tich.docx"
    line = run(
        "--programme", "QDND-CCB", "--period", str(thematic.pk),
        "--unit", "QS-HANOI", "--unit", "CCB-HANOI", "--output", str(target),
    )  # fmt: skip
    assert "QS-HANOI và CCB-HANOI" in line and "số liệu hiện nay" in line
    text = docx_text(target).upper()
    hanoi_army, hanoi_association = OrgUnit.objects.get(code="QS-HANOI"), OrgUnit.objects.get(code="CCB-HANOI")
    assert hanoi_army.name.upper() in text and hanoi_association.name.upper() in text
    assert "LƯU: VT" in text
    assert not Report.objects.filter(period=thematic).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--programme", "KHONG-CO", "--phase", "2017-2022"], "Không tìm thấy chương trình có mã “KHONG-CO”"),
        (["--programme", "QDND-CCB", "--phase", "2012-2017"], "không có giai đoạn “2012-2017”"),
        (["--programme", "QDND-CCB"], "Hãy cho biết giai đoạn"),
        ([*NATIONAL, "--kind", "mua-xuan"], "Loại kỳ “mua-xuan” không hợp lệ"),
        ([*NATIONAL, "--unit", "KHONG-CO"], "Không tìm thấy đơn vị có mã “KHONG-CO”"),
        ([*NATIONAL, "--unit", "A", "B", "C"], "Chỉ ghi một mã đơn vị"),
        (["--programme", "QDND-CCB", "--period", "Kỳ không có"], "không có kỳ báo cáo “Kỳ không có”"),
    ],
)
def test_it_explains_what_is_wrong(
    summary_period: ReportingPeriod, tmp_path: Path, args: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args, "--format", "docx", "--output", str(tmp_path / "x.docx"))
    assert not (tmp_path / "x.docx").exists()


def test_it_suggests_generating_the_periods_when_there_is_none(tmp_path: Path) -> None:
    phase = Phase.objects.get(programme__code="QDND-CCB", code="2017-2022")
    # A phase of its own (test set-up), so that no period of the demo's answers.
    Phase.objects.create(
        programme=phase.programme, code="thu-2031", name="Thử 2031", start=date(2031, 1, 1), end=date(2031, 12, 31)
    )
    with pytest.raises(CommandError, match="periods_generate") as raised:
        run("--programme", "QDND-CCB", "--phase", "thu-2031", "--kind", "so-ket", "--output", str(tmp_path / "x.docx"))
    assert "Sơ kết giữa giai đoạn" in str(raised.value)


def test_it_asks_which_period_when_the_phase_has_several_of_the_kind(
    tmp_path: Path, demo_user: Callable[[str], Any]
) -> None:
    phase = Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")
    services.periods_generate(phase=phase, kinds=[PeriodKind.YEAR], acting_user=demo_user("admin"))
    args = ["--programme", "QDND-CCB", "--phase", "2022-2027", "--kind", "nam"]
    with pytest.raises(CommandError, match="hãy chọn một bằng --period"):
        run(*args, "--output", str(tmp_path / "nam.xlsx"))
    year = ReportingPeriod.objects.get(phase=phase, kind=PeriodKind.YEAR, end=date(2025, 12, 14))
    line = run(
        "--programme",
        "QDND-CCB",
        "--period",
        str(year.pk),
        "--unit",
        "CCB-HANOI",
        "--output",
        str(tmp_path / "nam.xlsx"),
    )
    assert year.name in line and (tmp_path / "nam.xlsx").is_file()


def test_it_refuses_an_unknown_format_or_folder(summary_period: ReportingPeriod, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="--format"):
        run(*NATIONAL, "--output", str(tmp_path / "x.odt"))
    with pytest.raises(CommandError, match="Không có thư mục"):
        run(*NATIONAL, "--output", str(tmp_path / "khong-co" / "x.docx"))
