"""Documents built from the demo data: plain prose, with a "BẢN MINH HỌA" watermark in the
header of every page (phoihop.core.demo, phoihop.documents.watermark), and a unit report's
sections prefilled from its own data (phoihop.reporting.prefill)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from docx import Document

from phoihop.activities.models import Activity
from phoihop.commendations.achievement import build as achievement_build
from phoihop.commendations.documents import decision_docx
from phoihop.commendations.models import Nomination
from phoihop.conferences.documents import build_bulletin, build_invitation, build_notice
from phoihop.conferences.models import Conference
from phoihop.core.demo import WATERMARK, is_demo_data
from phoihop.demo.conferences import NATIONAL_DAY
from phoihop.documents.watermark import watermark_of
from phoihop.figures.periods import PeriodKind
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Programme
from phoihop.records.models import Exchange, Lesson, Proposal
from phoihop.reporting import documents, services
from phoihop.reporting.content import content_for
from phoihop.reporting.forms import narrative_keys
from phoihop.reporting.models import Report, ReportingPeriod

pytestmark = pytest.mark.django_db

PROGRAMME = "QDND-CCB"
MARKERS = ("(Dữ liệu minh họa.)", "(Nội dung minh họa.)")


def national_report() -> Report:
    return Report.objects.get(
        period__programme__code=PROGRAMME, period__kind=PeriodKind.END_PHASE, period__phase__code="2017-2022"
    )


def decided() -> Nomination:
    return Nomination.objects.get(person__full_name="Phạm Văn Thành", award__code="bk-tcct")


def year_2026() -> ReportingPeriod:
    return ReportingPeriod.objects.get(
        programme__code=PROGRAMME, kind=PeriodKind.YEAR, start=date(2025, 12, 15), end=date(2026, 12, 14)
    )


def body_texts(content: bytes) -> list[str]:
    """Every paragraph of the body, tables included (python-docx)."""
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    return parts


def header_xml(content: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(content)) as docx:
        return [docx.read(n).decode() for n in docx.namelist() if n.startswith("word/header")]


def demo_documents() -> dict[str, bytes]:
    conference = Conference.objects.get(programme__code=PROGRAMME, held_on=NATIONAL_DAY)
    nomination = decided()
    assert nomination.decision is not None
    return {
        "national report": documents.build(national_report(), "docx").content,
        "decision": decision_docx(nomination.decision),
        "invitation": build_invitation(conference).content,
        "notice": build_notice(conference).content,
        "bulletin": build_bulletin(conference).content,
        "achievement": achievement_build(nomination, nomination.created_by, "docx")[0],
    }


def test_documents_built_from_the_demo_carry_the_watermark_and_no_marker() -> None:
    assert is_demo_data()
    for name, content in demo_documents().items():
        texts = body_texts(content)
        assert len(" ".join(texts)) > 300, name
        assert not any("minh họa" in t.lower() for t in texts), name
        # A VML text path in each header part: the first page's and the others'.
        headers = header_xml(content)
        assert headers, name
        assert all(f'string="{WATERMARK}"' in x and "rotation:315" in x for x in headers), name
        assert watermark_of(content) == WATERMARK, name


def test_documents_built_on_real_data_have_no_watermark() -> None:
    # A database the demo never loaded has no unit history written by it.
    OrgUnit.history.filter(history_change_reason="demo.load").update(history_change_reason="unit.create")  # type: ignore[attr-defined]
    assert not is_demo_data()
    for name, content in demo_documents().items():
        assert watermark_of(content) == "", name
        assert not any("BẢN MINH HỌA" in x for x in header_xml(content)), name


def test_the_demos_texts_carry_no_marker() -> None:
    for marker in MARKERS:
        assert not Activity.objects.filter(description__contains=marker).exists()
        assert not Exchange.objects.filter(body__contains=marker).exists()
        assert not Lesson.objects.filter(content__contains=marker).exists()
        assert not Proposal.objects.filter(content__contains=marker).exists()
        assert not Nomination.objects.filter(summary__contains=marker).exists()
        assert not Nomination.objects.filter(submission_text__contains=marker).exists()
        assert not Programme.objects.filter(legal_basis__contains=marker).exists()
        for report in Report.objects.all():
            assert not any(marker in text for text in report.narrative.values()), report


def test_a_load_removes_the_marker_of_an_earlier_load() -> None:
    from phoihop.demo.activities import OLD_MARK, ActivityDemo

    activity = Activity.objects.filter(created_by__isnull=True).first()
    assert activity is not None
    text = activity.description
    Activity.objects.filter(pk=activity.pk).update(
        description=f"{text}\n{OLD_MARK}", search_text=f"{activity.search_text} (du lieu minh hoa.)"
    )
    ActivityDemo().unmark()
    activity.refresh_from_db()
    assert activity.description == text and "minh hoa" not in activity.search_text


def test_a_unit_report_opened_on_demo_data_has_no_empty_section(demo_user: Callable[[str], Any]) -> None:
    unit = OrgUnit.objects.get(code="CCB-X00070")  # Hoàn Kiếm's association: its own activities
    period = year_2026()
    assert not Report.objects.filter(period=period, unit=unit).exists()
    report = services.report_open(period=period, unit=unit, acting_user=demo_user("hoankiem.ccb"))
    keys = [key for key, _label in narrative_keys(report)]
    empty = [key for key in keys if not report.section_text(key).strip()]
    assert not empty
    text = " ".join(report.section_text(key) for key in keys)
    assert "minh họa" not in text
    # Written from the period's data: the activities of the fields and their figures.
    assert "hoạt động phối hợp" in text and "đạt" in text
    # The document then has text under every field heading.
    sections = documents.document_for(report).sections
    results = sections[0].paragraphs
    fields = [p for p in results if p[:1].isdigit()]
    assert fields and all(len(p.split(". ", 1)[-1]) > 40 for p in fields)


def test_a_field_left_empty_is_written_from_the_data_when_the_document_is_built() -> None:
    report = Report.objects.get(period=year_2026(), unit__code="CCB-CAMAU")
    report.narrative = {"field:tuyen-truyen": "Đã viết."}  # as a report opened before the prefill (not saved)
    content = content_for(report)
    results = documents.sections_for(report, content)[0].paragraphs
    fields = [p for p in results if p[:1].isdigit()]
    assert len(fields) == len(content["fields"]) and fields[0].endswith(". Đã viết.")
    for line, field in zip(fields[1:], content["fields"][1:], strict=True):
        assert len(line.split(f"{field['name']}. ", 1)[-1]) > 40, line
