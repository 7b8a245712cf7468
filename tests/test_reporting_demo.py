"""The reporting cycle's demo data (``phoihop.demo.reporting``), loaded once per session by the
root conftest with the rest of ``load_demo``: the approved joint national summary of 2017–2022,
the provinces' first half of 2026, the 2026 annual reports under way; loading again adds nothing.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from phoihop.conferences.models import Conference
from phoihop.demo.base import DemoLoader
from phoihop.demo.reporting import H1_PLAN, YEAR_DRAFTS, ReportingDemo
from phoihop.documents.watermark import watermark_of
from phoihop.entry.models import EntryLock, IndicatorValue
from phoihop.entry.services import active_lock
from phoihop.figures.periods import PeriodKind
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Field, Programme
from phoihop.reporting import registers
from phoihop.reporting.documents import build
from phoihop.reporting.models import (
    NARRATIVE_SECTIONS,
    BodyProfile,
    NumberRegister,
    RegisteredNumber,
    Report,
    ReportingPeriod,
    ReportRequest,
    ReportStatus,
)
from phoihop.reporting.selectors import request_rows

pytestmark = pytest.mark.django_db

PROGRAMME = "QDND-CCB"


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def national() -> Report:
    return Report.objects.select_related("period", "unit", "partner_unit").get(
        period__programme__code=PROGRAMME, period__kind=PeriodKind.END_PHASE, period__phase__code="2017-2022"
    )


def frozen_of(report: Report) -> dict[str, Any]:
    assert report.frozen is not None
    return report.frozen


def period(kind: str, start: date, end: date) -> ReportingPeriod:
    return ReportingPeriod.objects.get(programme__code=PROGRAMME, kind=kind, start=start, end=end)


def half_2026() -> ReportingPeriod:
    return period(PeriodKind.HALF, date(2025, 12, 15), date(2026, 6, 14))


def year_2026() -> ReportingPeriod:
    return period(PeriodKind.YEAR, date(2025, 12, 15), date(2026, 12, 14))


def local_day(moment: Any) -> date:
    return timezone.localtime(moment).date()


# --- the national summary of 2017–2022 -----------------------------------------------------------


def test_the_national_summary_is_joint_approved_numbered_and_dated_before_the_conference(
    demo_user: Callable[[str], Any],
) -> None:
    report = national()
    assert (report.unit.code, report.partner_unit and report.partner_unit.code) == ("BQP", "CCB-TW")
    assert report.status == ReportStatus.APPROVED
    assert (report.period.start, report.period.end) == (date(2017, 9, 23), date(2022, 9, 22))
    # Dated the eve of the seed's conference (23/9/2022), sent and approved the same day.
    assert report.issued_on == date(2022, 9, 22)
    assert report.submitted_at and local_day(report.submitted_at) == report.issued_on
    assert report.first_submitted_at == report.submitted_at
    assert report.decided_at and local_day(report.decided_at) == report.issued_on
    assert report.submitted_by == demo_user("tcct")
    # The number comes from the 2022 register.
    assert report.number is not None and report.number >= 1
    # The issuing body's (TCCT's) 2022 register has its line, dated the day it went out.
    line = registers.entries_of(report).get()
    assert (line.unit.code, line.year, line.number, line.issued_on) == ("TCCT", 2022, report.number, report.issued_on)
    register = NumberRegister.objects.get(unit=line.unit, year=2022)
    assert register.last >= report.number
    # Approved side by side: the army's part by tcct, the association's by tuhoi; both locked.
    by_unit = {a["unit"]: a["by"] for a in report.approvals}
    assert by_unit == {unit("BQP").pk: demo_user("tcct").pk, unit("CCB-TW").pk: demo_user("tuhoi").pk}
    locks = list(report.locks.all())
    assert {lock.unit.code for lock in locks} == {"BQP", "CCB-TW"}
    assert all(lock.is_active and (lock.start, lock.end) == (report.period.start, report.period.end) for lock in locks)
    assert all(local_day(lock.locked_at) == date(2022, 9, 22) for lock in locks)
    # The history tells the same dates: every row before the conference.
    assert not report.history.filter(history_date__date__gt=date(2022, 9, 23)).exists()  # type: ignore[attr-defined]
    assert report.history.filter(status=ReportStatus.APPROVED).exists()  # type: ignore[attr-defined]


def test_the_national_summary_is_written_in_every_section_as_demo_text() -> None:
    report = national()
    fields = Field.objects.filter(programme__code=PROGRAMME).values_list("code", flat=True)
    keys = {"intro", *(f"field:{code}" for code in fields), *(key for key, _label in NARRATIVE_SECTIONS)}
    assert set(report.narrative) == keys
    for key in keys:
        text = report.narrative[key]
        assert len(text) > 80 and "minh họa" not in text, key
    # The figures quoted in the text are those of the report.
    frozen = {row["code"]: row["value"] for f in frozen_of(report)["fields"] for row in f["rows"]}
    assert f"{frozen['tt-buoi']:,}".replace(",", ".") in report.narrative["field:tuyen-truyen"]
    assert f"{frozen['gn-ho']:,}".replace(",", ".") in report.narrative["field:giam-ngheo"]
    assert report.recipients.splitlines()[:3] == [
        "Ban Bí thư Trung ương Đảng (để báo cáo)",
        "Thủ trưởng Bộ Quốc phòng (để báo cáo)",
        "Ban Dân vận Trung ương",
    ]
    # Signed by the seed's co-chairs, with the ranks and offices they held then.
    assert [(s["capacity"], s["title"], s["rank"], s["name"]) for s in report.signers] == [
        ("KT.", "PHÓ CHỦ NHIỆM", "Thiếu tướng", "Nguyễn Văn Gấu"),
        ("TM.", "PHÓ CHỦ TỊCH", "Trung tướng", "Khuất Việt Dũng"),
    ]
    tcct = BodyProfile.objects.get(unit__code="TCCT")
    assert (tcct.abbreviation, tcct.parent_name, tcct.signer_collective) == ("TCCT", "Bộ Quốc phòng", "CHỦ NHIỆM")
    ccb = BodyProfile.objects.get(unit__code="CCB-TW")
    assert (ccb.abbreviation, ccb.name_on_documents) == ("HCCB", "Trung ương Hội Cựu chiến binh Việt Nam")


def test_it_comes_out_as_a_word_document_signed_by_the_co_chairs() -> None:
    built = build(national(), "docx")
    with zipfile.ZipFile(io.BytesIO(built.content)) as docx:
        xml = docx.read("word/document.xml").decode()
    text = re.sub(r"<[^>]+>", "", xml)
    for expected in ("Nguyễn Văn Gấu", "Khuất Việt Dũng", "ngày 22 tháng 9 năm 2022"):
        assert expected in text, expected
    assert "minh họa" not in text  # demo data: a watermark in the header, not a marker in the text
    assert watermark_of(built.content) == "BẢN MINH HỌA"


def test_its_frozen_annex_lists_the_63_provinces_of_that_time() -> None:
    report = national()
    annexes = {a["unit"]["id"]: a for a in frozen_of(report)["annexes"]}
    assert list(annexes) == [unit("BQP").pk, unit("CCB-TW").pk]
    association = annexes[unit("CCB-TW").pk]
    provinces = [row for row in association["rows"] if row["id"] != unit("CCB-TW").pk]
    assert len(provinces) == 63
    expected = OrgUnit.objects.filter(
        path__startswith=unit("CCB-TW").path, depth=2, level__code="province", valid_from__isnull=True
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=report.period.start))
    assert {row["id"] for row in provinces} == set(expected.values_list("pk", flat=True))
    codes = {row["code"] for row in provinces}
    # Provinces that closed in 2025 are there, under their own names.
    assert {"CCB-HOABINH", "CCB-VINHPHUC", "CCB-BACLIEU", "CCB-HANOI", "CCB-CAMAU"} <= codes
    army = annexes[unit("BQP").pk]
    assert {row["code"] for row in army["rows"]} >= {"TCCT", "QK1", "QK9", "QS-HANOI"}


def test_every_frozen_figure_equals_a_brute_force_sum_over_the_raw_values() -> None:
    report = national()
    start, end = report.period.start, report.period.end
    roots = [unit("BQP"), unit("CCB-TW")]
    step = OrgUnit.steplen
    # Sums by indicator: for both roots together, for each root, and for each child of a root.
    whole: dict[int, int] = defaultdict(int)
    below: dict[tuple[str, int], int] = defaultdict(int)
    for root in roots:
        rows = IndicatorValue.objects.filter(
            counted=True, unit__path__startswith=root.path, date__gte=start, date__lte=end
        ).values_list("unit__path", "indicator_id", "value")
        for path, indicator_id, value in rows:
            whole[indicator_id] += value
            below[(path[: len(root.path) + step], indicator_id)] += value
    checked = 0
    for f in frozen_of(report)["fields"]:
        for row in f["rows"]:
            assert row["value"] == whole[row["indicator_id"]], row["code"]
            checked += 1
    assert checked == 13 and sum(whole.values()) > 0
    paths = dict(OrgUnit.objects.values_list("pk", "path"))
    for annex in frozen_of(report)["annexes"]:
        for row in annex["rows"]:
            for k, indicator_id in enumerate(annex["indicator_ids"]):
                assert row["values"][k] == below[(paths[row["id"]], indicator_id)], (row["code"], indicator_id)
        owner_total = [sum(r["values"][k] for r in annex["rows"]) for k in range(len(annex["indicator_ids"]))]
        assert annex["totals"] == owner_total


# --- the first half of 2026 ----------------------------------------------------------------------


def test_the_provinces_first_half_of_2026_is_a_mix_of_sent_late_returned_draft_and_missing() -> None:
    half = half_2026()
    requests = ReportRequest.objects.filter(period=half)
    assert requests.count() == 68
    assert set(requests.values_list("unit__level__code", flat=True)) == {"province"}
    assert not requests.exclude(due_date=half.due_date).exists() and half.due_date == date(2026, 6, 24)
    rows = {row.request.unit.code: row for row in request_rows(requests)}
    states: dict[str, int] = defaultdict(int)
    for row in rows.values():
        if row.status == ReportStatus.SUBMITTED:
            states["late" if row.late else "on_time"] += 1
        else:
            states[{"not_started": "missing"}.get(row.status, row.status)] += 1
    assert dict(states) == H1_PLAN
    assert rows["CCB-HANOI"].status == ReportStatus.SUBMITTED and not rows["CCB-HANOI"].late
    assert rows["CCB-CAMAU"].status == ReportStatus.DRAFT
    reports = Report.objects.filter(period=half)
    for report in reports.filter(status=ReportStatus.SUBMITTED):
        assert report.number and report.frozen and report.issued_on == local_day(report.first_submitted_at)
        assert date(2026, 6, 14) < report.issued_on <= date(2026, 11, 27)
        late = local_day(report.first_submitted_at) > half.due_date
        assert late == rows[report.unit.code].late
    for report in reports.filter(status=ReportStatus.RETURNED):
        assert report.return_reason and report.decided_at and report.decided_at > report.submitted_at
    assert not reports.filter(status=ReportStatus.APPROVED).exists()
    assert all(r.narrative["intro"] and "minh họa" not in r.narrative["intro"] for r in reports)


def test_the_walk_through_provinces_are_not_locked_by_any_report() -> None:
    half = half_2026()
    report_locks = EntryLock.objects.filter(reports__isnull=False)
    # The Nghệ An 2021–2026 summary, approved on both sides, locks its own programme only
    # (phoihop.demo.nghean, ADR 0022).
    assert not report_locks.filter(end__gte=date(2025, 1, 1)).exclude(programme__code="CA-CCB-NGHEAN").exists()
    programme_id = Programme.objects.get(code=PROGRAMME).pk
    for code in ("CCB-HANOI", "QS-HANOI", "CCB-CAMAU", "QS-CAMAU", "CCB-X00070"):
        for day in (half.start, half.end, date(2026, 11, 27)):
            assert active_lock(unit(code), day, programme_id) is None, (code, day)


# --- the year 2026, under way --------------------------------------------------------------------


def test_the_2026_annual_reports_are_under_way() -> None:
    year = year_2026()
    assert year.due_date == date(2026, 12, 29)
    requests = ReportRequest.objects.filter(period=year)
    assert requests.count() == 68
    reports = Report.objects.filter(period=year)
    assert sorted(reports.values_list("unit__code", flat=True)) == sorted(YEAR_DRAFTS)
    assert set(reports.values_list("status", flat=True)) == {ReportStatus.DRAFT}
    assert all(r.narrative.get("intro") and r.submitted_at is None for r in reports)
    rows = request_rows(requests, today=date(2026, 11, 27))
    assert not any(row.late for row in rows)  # due after the demo's "today"


# --- loading again -------------------------------------------------------------------------------


def reporting_counts() -> dict[str, int]:
    models = [m for m in apps.get_models() if m._meta.app_label == "reporting"]
    models += [EntryLock, EntryLock.history.model]  # type: ignore[attr-defined]
    return {m._meta.label: m._default_manager.count() for m in models}


def test_loading_the_demo_again_adds_no_rows_and_no_history() -> None:
    before = reporting_counts()
    assert before["reporting.HistoricalReport"] > before["reporting.Report"] > 0

    created = DemoLoader().run()

    assert not any(created.values())
    assert reporting_counts() == before


def fingerprint() -> list[tuple[Any, ...]]:
    """The seed's reports (the Nghệ An programme's summary is made by ``demo.nghean``)."""
    return sorted(
        Report.objects.filter(period__programme__code="QDND-CCB").values_list(
            "period__name", "unit__code", "status", "number", "issued_on", "first_submitted_at", "return_reason"
        )
    )


def request_fingerprint() -> list[tuple[Any, ...]]:
    return sorted(ReportRequest.objects.values_list("period__name", "unit__code", "due_date", "requested_at"))


def test_it_makes_the_same_reports_again_from_scratch() -> None:
    before = fingerprint()
    requests = request_fingerprint()
    # Remove what it made (raw deletes: this test's transaction is rolled back anyway).
    Conference.objects.update(report=None)  # the seed's conference points at the national report
    Report.locks.through.objects.all()._raw_delete("default")
    EntryLock.objects.filter(reason__startswith="Duyệt báo cáo")._raw_delete("default")
    Report.objects.all()._raw_delete("default")
    ReportRequest.objects.all()._raw_delete("default")
    NumberRegister.objects.all()._raw_delete("default")
    report_type = ContentType.objects.get_for_model(Report)
    RegisteredNumber.objects.filter(content_type=report_type)._raw_delete("default")

    created = ReportingDemo().run()

    assert created["reports"] == len(before) and created["report_requests"] == len(requests)
    assert fingerprint() == before
    assert request_fingerprint() == requests
    # The time it ran does not show: every date is the plan's.
    assert not Report.objects.filter(created_at__date__gt=date(2026, 11, 27)).exists()
