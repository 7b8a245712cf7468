"""A sent report's Word and Excel files: every figure equals a brute-force sum over the raw
values of the unit's subtree (and of each child's, in the annex) at the time of submission, not
the roll-ups it was built from; a later change of figures does not change them. The Word file
has the Decree 30 frame filled from the report.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date
from typing import Any

import openpyxl
import pytest
from django.db.models import Sum
from django.utils import timezone
from docx import Document

from phoihop.activities.services import activity_create
from phoihop.documents.builders import date_line
from phoihop.entry.models import IndicatorValue
from phoihop.figures.selectors import child_units
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Indicator, Phase
from phoihop.reporting import services
from phoihop.reporting.documents import build
from phoihop.reporting.models import Report
from tests.support.signing import sign

pytestmark = pytest.mark.django_db

PROVINCE = "CCB-HANOI"
START, END = date(2025, 1, 1), date(2026, 9, 30)  # across the 2025 reform: closed and new communes


def vn(text: str) -> int:
    return int(text.replace(".", "").strip() or 0)


def brute(path: str, indicator_id: int) -> int:
    rows = IndicatorValue.objects.filter(
        unit__path__startswith=path, indicator_id=indicator_id, counted=True, date__gte=START, date__lte=END
    )
    return int(rows.aggregate(s=Sum("value"))["s"] or 0)


@pytest.fixture
def sent(demo_user: Callable[[str], Any]) -> tuple[Report, dict[str, int], dict[tuple[str, str], int]]:
    """Hà Nội's report for a custom period, sent; with the brute-force sums of that moment."""
    phase = Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")
    period = services.period_save(
        programme=phase.programme,
        acting_user=demo_user("admin"),
        data={
            "name": "Chuyên đề kiểm tra số liệu",
            "kind": "other",
            "report_type": "thematic",
            "start": START,
            "end": END,
        },
    )
    user = demo_user("hanoi.ccb")
    province = OrgUnit.objects.get(code=PROVINCE)
    report = services.report_open(period=period, unit=province, acting_user=user)
    report = services.report_submit(report=sign(report, user), acting_user=user)
    indicators = {i.name: i.pk for i in Indicator.objects.filter(programme=phase.programme)}
    totals = {name: brute(province.path, pk) for name, pk in indicators.items()}
    children = {}
    for child in child_units(province, view="historical", start=START, end=END):
        found = OrgUnit.objects.get(pk=child.unit_id)  # named in full, as documents write units
        for name, pk in indicators.items():
            children[(found.name, name)] = brute(found.path, pk)
    for name, pk in indicators.items():  # what the province recorded itself
        direct = IndicatorValue.objects.filter(
            unit=province, indicator_id=pk, counted=True, date__gte=START, date__lte=END
        ).aggregate(s=Sum("value"))["s"]
        children[(f"{province.name} (trực tiếp)", name)] = int(direct or 0)
    # Figures change after sending: the report's files must not.
    activity_create(
        acting_user=user,
        phase=phase,
        lead_unit=province,
        title="Hoạt động sau khi gửi báo cáo",
        start_date=date(2026, 3, 3),
        end_date=date(2026, 3, 3),
        values={Indicator.objects.get(programme=phase.programme, code="tt-buoi"): 999},
        submit=True,
        confirm_outliers=True,  # 999 sessions is an outlier on purpose: easy to spot if it leaked in
    )
    return report, totals, children


def test_word_figures_equal_brute_force_sums(sent: Any) -> None:
    report, totals, children = sent
    document = Document(io.BytesIO(build(report, "docx").content))
    seen_totals: dict[str, int] = {}
    seen_children: dict[tuple[str, str], int] = {}
    for table in document.tables:
        rows = [[cell.text.strip() for cell in row.cells] for row in table.rows]
        header = rows[0]
        if len(header) >= 4 and header[1] == "Chỉ tiêu" and header[3] == "Kỳ này":
            for row in rows[1:]:
                if row[1] in totals and row[2] != row[1]:
                    seen_totals[row[1]] = vn(row[3])
        elif len(header) >= 3 and header[:2] == ["STT", "Đơn vị"]:
            for row in rows[1:]:
                for k, column in enumerate(header[2:], start=2):
                    name = column.rsplit(" (", 1)[0]
                    if name in totals and row[1] and row[1] != "Tổng cộng":
                        seen_children[(row[1], name)] = vn(row[k])
    assert seen_totals == totals
    assert seen_children and all(seen_children[key] == children[key] for key in seen_children)
    assert {key for key in children if children[key]} <= set(seen_children)


def test_excel_figures_equal_brute_force_sums(sent: Any) -> None:
    report, totals, children = sent
    workbook = openpyxl.load_workbook(io.BytesIO(build(report, "xlsx").content))
    summary = workbook["Tổng hợp"]
    rows = list(summary.iter_rows(values_only=True))
    header = rows.index(next(r for r in rows if r and r[0] == "STT"))
    columns = list(rows[header])
    name_col, value_col = columns.index("Chỉ tiêu"), columns.index("Kỳ này")
    seen = {r[name_col]: r[value_col] for r in rows[header + 1 :] if r[name_col] in totals}
    assert seen == totals
    annex = workbook[next(name for name in workbook.sheetnames if name.startswith("Phụ lục"))]
    rows = list(annex.iter_rows(values_only=True))
    header = rows.index(next(r for r in rows if r and r[0] == "STT"))
    names = [str(c).rsplit(" (", 1)[0] if c else "" for c in rows[header]]
    seen_children = {
        (row[1], names[k]): row[k]
        for row in rows[header + 1 :]
        if row[1] and row[1] != "Tổng cộng"
        for k in range(2, len(names))
        if names[k] in totals
    }
    assert seen_children and all(seen_children[key] == children[key] for key in seen_children)
    assert {key for key in children if children[key]} <= set(seen_children)
    total_row = next(row for row in rows if row[1] == "Tổng cộng")
    assert {names[k]: total_row[k] for k in range(2, len(names)) if names[k] in totals} == {
        name: value for name, value in totals.items() if name in names
    }


def test_word_file_carries_the_decree_30_frame_of_the_report(sent: Any) -> None:
    report, _totals, _children = sent
    data = build(report, "docx").content
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode()
    text = " ".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    text += " ".join(c.text for t in Document(io.BytesIO(data)).tables for r in t.rows for c in r.cells)
    assert 'w:w="11906"' in xml and 'w:h="16838"' in xml
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "HỘI CỰU CHIẾN BINH THÀNH PHỐ HÀ NỘI" in text.upper()
    assert f"Số: {report.number:02d}/BC-" in text
    assert date_line("Hà Nội", report.issued_on or timezone.localdate()) in text
    assert "BÁO CÁO" in text and "Lưu: VT" in text
