"""The reporting cycle through its services: periods, requests and their rates, the report's
life (draft, version check, submit with frozen figures and a number, return, resubmit, approve
with locks, reopen), joint reports approved side by side, and scoping.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.utils import timezone

from phoihop.activities.services import activity_create
from phoihop.core.services import OutOfScope
from phoihop.entry.models import EntryLock, IndicatorValue
from phoihop.figures.periods import PeriodKind
from phoihop.orgunits.models import OrgUnit, OrgUnitLevel
from phoihop.programmes.models import Indicator, Phase
from phoihop.reporting import registers, services
from phoihop.reporting.content import live_differences
from phoihop.reporting.models import DocumentKind, NumberRegister, Report, ReportingPeriod, ReportRequest, ReportStatus
from phoihop.reporting.selectors import completeness, owed, request_rows
from tests.support.signing import sign

pytestmark = pytest.mark.django_db

COMMUNE = "CCB-X00070"  # Hoàn Kiếm's association, reporter hoankiem.ccb, province approver hanoi.ccb


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


@pytest.fixture
def phase() -> Phase:
    return Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")


@pytest.fixture
def half(phase: Phase, demo_user: Callable[[str], Any]) -> ReportingPeriod:
    """The first half of 2026 (15/12/2025 – 14/6/2026), generated unless the demo has it."""
    services.periods_generate(phase=phase, acting_user=demo_user("admin"))
    return ReportingPeriod.objects.get(programme=phase.programme, kind=PeriodKind.HALF, start=date(2025, 12, 15))


def brute(units: list[OrgUnit], indicator_id: int, start: date, end: date) -> int:
    """The raw values' sum: every counted value of the subtrees dated in the period."""
    q = Q(pk__in=[])
    for u in units:
        q |= Q(unit__path__startswith=u.path)
    rows = IndicatorValue.objects.filter(q, indicator_id=indicator_id, counted=True, date__gte=start, date__lte=end)
    return int(rows.aggregate(s=Sum("value"))["s"] or 0)


def add_activity(user: Any, phase: Phase, day: date, amount: int) -> Any:
    indicator = Indicator.objects.get(programme=phase.programme, code="tt-buoi")
    return activity_create(
        acting_user=user,
        phase=phase,
        lead_unit=unit(COMMUNE),
        title="Tuyên truyền Luật Cựu chiến binh",
        start_date=day,
        end_date=day,
        values={indicator: amount},
        submit=True,
    )


# --- periods -------------------------------------------------------------------------------------


def test_default_periods_follow_decree_09_and_generation_is_idempotent(
    phase: Phase, demo_user: Callable[[str], Any]
) -> None:
    admin = demo_user("admin")
    services.periods_generate(phase=phase, acting_user=admin)
    assert services.periods_generate(phase=phase, acting_user=admin) == []
    periods = ReportingPeriod.objects.filter(programme=phase.programme, phase=phase)
    half = periods.get(kind=PeriodKind.HALF, start=date(2025, 12, 15))
    assert (half.end, half.due_date >= half.end) == (date(2026, 6, 14), True)
    year = periods.get(kind=PeriodKind.YEAR, end=date(2026, 12, 14))
    assert year.start == date(2025, 12, 15)
    nine = periods.get(kind=PeriodKind.NINE_MONTHS, end=date(2026, 9, 14))
    assert nine.start == date(2025, 12, 15)
    quarter = periods.get(kind=PeriodKind.QUARTER, end=date(2026, 3, 14))
    assert quarter.start == date(2025, 12, 15)
    month = periods.get(kind=PeriodKind.MONTH, end=date(2026, 2, 14))
    assert month.start == date(2026, 1, 15)
    end = periods.get(kind=PeriodKind.END_PHASE)
    assert (end.start, end.end) == (phase.start, phase.end)
    mid = periods.get(kind=PeriodKind.MID_PHASE)
    assert mid.start == phase.start and phase.start < mid.end < phase.end
    # Every default period overlaps the phase.
    assert not periods.filter(Q(end__lt=phase.start) | Q(start__gt=phase.end)).exists()


def test_only_programme_managers_change_periods(phase: Phase, demo_user: Callable[[str], Any]) -> None:
    with pytest.raises(OutOfScope):
        services.periods_generate(phase=phase, acting_user=demo_user("hanoi.ccb"))
    with pytest.raises(ValidationError) as error:
        services.period_save(
            programme=phase.programme,
            acting_user=demo_user("admin"),
            data={"name": "Chuyên đề", "kind": "other", "start": date(2026, 5, 1), "end": date(2026, 4, 1)},
        )
    assert "Ngày kết thúc" in str(error.value)


# --- requests and their rates ----------------------------------------------------------------------


def test_requests_rates_and_reminders(half: ReportingPeriod, demo_user: Callable[[str], Any]) -> None:
    admin = demo_user("admin")
    commune_level = OrgUnitLevel.objects.get(pk=unit(COMMUNE).level_id)
    services.requests_create(period=half, levels=[commune_level], acting_user=admin, under=unit("CCB-HANOI"))
    requests = ReportRequest.objects.filter(period=half, unit__path__startswith=unit("CCB-HANOI").path)
    expected = requests.filter(unit__level=commune_level).count()
    assert (
        expected
        == OrgUnit.objects.filter(
            path__startswith=unit("CCB-HANOI").path, level=commune_level, valid_to__isnull=True
        ).count()
    )
    # The commune sends its report on time; the others have not.
    hoankiem = demo_user("hoankiem.ccb")
    report = services.report_open(period=half, unit=unit(COMMUNE), acting_user=hoankiem)
    services.report_submit(report=sign(report, hoankiem), acting_user=hoankiem)
    Report.objects.filter(pk=report.pk).update(first_submitted_at=timezone.make_aware(timezone.datetime(2026, 6, 20)))
    rates = completeness(period=half, user=demo_user("hanoi.ccb"), under=unit("CCB-HANOI"))
    commune_rate = next(r for r in rates if r.level.pk == commune_level.pk)
    assert commune_rate.expected == expected
    assert (commune_rate.submitted, commune_rate.on_time) == (1, 1)
    assert len(commune_rate.missing) == expected - 1
    assert all(row.late for row in commune_rate.missing)  # due in June 2026, today is later
    # Sent after the due date: submitted, not on time.
    Report.objects.filter(pk=report.pk).update(first_submitted_at=timezone.make_aware(timezone.datetime(2026, 7, 30)))
    commune_rate = next(
        r for r in completeness(period=half, user=admin, under=unit("CCB-HANOI")) if r.level.pk == commune_level.pk
    )
    assert (commune_rate.submitted, commune_rate.on_time) == (1, 0)
    # Reminders: the other commune's reporter is reminded, Hoàn Kiếm's (sent) is not.
    other = requests.exclude(unit__code=COMMUNE).filter(unit__level=commune_level).first()
    assert other is not None
    assert COMMUNE not in {row.request.unit.code for row in owed(hoankiem)}
    rows = request_rows(ReportRequest.objects.filter(pk=other.pk))
    assert rows[0].status == "not_started" and rows[0].late


# --- a report's life -----------------------------------------------------------------------------


def test_submit_return_edit_resubmit_approve_reopen(
    half: ReportingPeriod, phase: Phase, demo_user: Callable[[str], Any]
) -> None:
    reporter, approver = demo_user("hoankiem.ccb"), demo_user("hanoi.ccb")
    commune = unit(COMMUNE)
    report = services.report_open(period=half, unit=commune, acting_user=reporter)
    assert report.status == ReportStatus.DRAFT and report.version == 1
    report = services.report_save(
        report=report, data={"narrative": {"strengths": "Phối hợp chặt chẽ."}}, expected_version=1, acting_user=reporter
    )
    assert report.version == 2

    # A reporter cannot approve; an approver cannot approve a draft.
    with pytest.raises(OutOfScope):
        services.report_approve(report=report, acting_user=reporter)
    with pytest.raises(ValidationError):
        services.report_approve(report=report, acting_user=approver)

    register = NumberRegister.objects.filter(unit=commune, year=timezone.localdate().year).first()
    before_number = register.last if register else 0
    report = services.report_submit(report=sign(report, reporter), acting_user=reporter)
    assert report.status == ReportStatus.SUBMITTED and report.number == before_number + 1
    assert report.frozen is not None and report.issued_on == timezone.localdate()
    with pytest.raises(ValidationError):
        services.report_save(
            report=report, data={"place": "Hà Nội"}, expected_version=report.version, acting_user=reporter
        )

    with pytest.raises(ValidationError) as no_reason:
        services.report_return(report=report, reason="  ", acting_user=approver)
    assert "lý do" in str(no_reason.value)
    report = services.report_return(report=report, reason="Bổ sung số liệu quý I.", acting_user=approver)
    assert report.status == ReportStatus.RETURNED
    report = services.report_save(
        report=report,
        data={"narrative": {"strengths": "Đã bổ sung."}},
        expected_version=report.version,
        acting_user=reporter,
    )
    number = report.number
    report = services.report_submit(report=sign(report, reporter), acting_user=reporter)
    assert report.number == number  # the number stays with the report

    report = services.report_approve(report=report, acting_user=approver)
    assert report.status == ReportStatus.APPROVED
    lock = EntryLock.objects.get(unit=commune, start=half.start, end=half.end, reopened_at__isnull=True)
    assert list(report.locks.all()) == [lock]
    # Locked: the report cannot change, and neither can the figures of its subtree and period.
    with pytest.raises(ValidationError):
        services.report_save(report=report, data={"place": "X"}, expected_version=report.version, acting_user=reporter)
    with pytest.raises(ValidationError) as locked:
        add_activity(reporter, phase, date(2026, 3, 1), 5)
    assert "khóa" in str(locked.value)
    assert (
        IndicatorValue.objects.filter(
            unit__path__startswith=commune.path, date__gte=half.start, date__lte=half.end, counted=True, approved=False
        ).count()
        == 0
    )

    # Reopening is a recorded act of the approver, with a reason.
    with pytest.raises(OutOfScope):
        services.report_reopen(report=report, reason="Sửa số liệu", acting_user=reporter)
    with pytest.raises(ValidationError):
        services.report_reopen(report=report, reason="", acting_user=approver)
    report = services.report_reopen(report=report, reason="Sửa số liệu tháng 3", acting_user=approver)
    lock.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and lock.reopened_by == approver
    assert lock.reopen_reason == "Sửa số liệu tháng 3"
    add_activity(reporter, phase, date(2026, 3, 1), 5)  # open again
    statuses = list(report.history.order_by("history_id").values_list("status", flat=True))
    assert statuses[-4:] == ["returned", "submitted", "approved", "returned"]


def test_the_second_save_of_a_stale_version_is_refused_and_nothing_is_overwritten(
    half: ReportingPeriod, demo_user: Callable[[str], Any]
) -> None:
    first, second = demo_user("hoankiem.ccb"), demo_user("hanoi.ccb")
    report = services.report_open(period=half, unit=unit(COMMUNE), acting_user=first)
    opened = report.version
    services.report_save(
        report=report,
        data={"narrative": {"lessons": "Của người thứ nhất."}},
        expected_version=opened,
        acting_user=first,
    )
    with pytest.raises(services.VersionConflict) as conflict:
        services.report_save(
            report=report,
            data={"narrative": {"lessons": "Của người thứ hai."}},
            expected_version=opened,
            acting_user=second,
        )
    assert "đã lưu báo cáo này" in str(conflict.value)
    report.refresh_from_db()
    assert report.narrative["lessons"] == "Của người thứ nhất." and report.version == opened + 1


def test_submitted_figures_are_frozen_and_equal_brute_force_sums(
    half: ReportingPeriod, phase: Phase, demo_user: Callable[[str], Any]
) -> None:
    reporter = demo_user("hoankiem.ccb")
    add_activity(reporter, phase, date(2026, 2, 2), 7)
    report = services.report_open(period=half, unit=unit(COMMUNE), acting_user=reporter)
    report = services.report_submit(report=sign(report, reporter), acting_user=reporter)
    frozen = report.frozen
    assert frozen is not None
    for field in frozen["fields"]:
        for row in field["rows"]:
            assert row["value"] == brute([unit(COMMUNE)], row["indicator_id"], half.start, half.end), row["code"]
    # A later change changes live figures, not the report, and the page can say so.
    add_activity(reporter, phase, date(2026, 2, 3), 4)
    report.refresh_from_db()
    assert report.frozen == frozen
    differences = live_differences(report)
    assert [(d["frozen"] + 4, d["live"]) for d in differences] == [(d["live"], d["live"]) for d in differences]
    assert len(differences) == 1


def test_joint_national_report_is_approved_side_by_side(phase: Phase, demo_user: Callable[[str], Any]) -> None:
    admin = demo_user("admin")
    period = services.period_save(
        programme=phase.programme,
        acting_user=admin,
        data={
            "name": "Chuyên đề thử nghiệm",
            "kind": "other",
            "report_type": "thematic",
            "start": date(2026, 1, 1),
            "end": date(2026, 3, 31),
        },
    )
    army, association = unit("BQP"), unit("CCB-TW")
    tcct, tuhoi = demo_user("tcct"), demo_user("tuhoi")
    report = services.report_open(period=period, unit=army, partner_unit=association, acting_user=tcct)
    with pytest.raises(ValidationError):  # a partner that is not a counterpart
        services.report_open(period=period, unit=unit("CCB-HANOI"), partner_unit=unit("CCB-CAMAU"), acting_user=admin)
    report = services.report_submit(report=sign(report, tuhoi), acting_user=tuhoi)  # either side's writer sends it
    annex_units = [a["unit"]["id"] for a in report.frozen["annexes"]]
    assert annex_units == [army.pk, association.pk]
    with pytest.raises(OutOfScope):
        services.report_approve(report=report, acting_user=demo_user("hanoi.ccb"))
    report = services.report_approve(report=report, acting_user=tuhoi)
    assert report.status == ReportStatus.SUBMITTED
    assert EntryLock.objects.filter(unit=association, start=period.start, reopened_at__isnull=True).exists()
    assert not EntryLock.objects.filter(unit=army, start=period.start).exists()
    with pytest.raises(ValidationError):  # tuhoi's part is done
        services.report_approve(report=report, acting_user=tuhoi)
    report = services.report_approve(report=report, acting_user=tcct)
    assert report.status == ReportStatus.APPROVED and report.locks.count() == 2
    # The joint report answers both sides' requests.
    assert set(Report.objects.restrict(tcct).filter(pk=report.pk).values_list("pk", flat=True)) == {report.pk}
    assert Report.objects.restrict(demo_user("hanoi.ccb")).filter(pk=report.pk).count() == 0


def test_reports_are_scoped_to_the_subtree(half: ReportingPeriod, demo_user: Callable[[str], Any]) -> None:
    hanoi, camau = demo_user("hanoi.ccb"), demo_user("camau.ccb")
    hn = services.report_open(period=half, unit=unit(COMMUNE), acting_user=demo_user("hoankiem.ccb"))
    with pytest.raises(OutOfScope):
        services.report_open(period=half, unit=unit("CCB-HANOI"), acting_user=camau)
    assert Report.objects.restrict(hanoi).filter(pk=hn.pk).exists()
    assert not Report.objects.restrict(camau).filter(pk=hn.pk).exists()
    with pytest.raises(OutOfScope):
        services.report_save(report=hn, data={"place": "Cà Mau"}, expected_version=hn.version, acting_user=camau)
    with pytest.raises(OutOfScope):
        services.report_submit(report=hn, acting_user=camau)


def test_numbers_start_again_each_year(demo_user: Callable[[str], Any]) -> None:
    body, user = unit("CCB-HANOI"), demo_user("hanoi.ccb")

    def take(year: int) -> int:
        return registers.take_number(
            unit=body, year=year, kind=DocumentKind.REPORT, symbol="BC-HCCB", acting_user=user
        ).number

    first = take(2031)
    assert take(2031) == first + 1
    assert take(2032) == 1
    assert first == 1


def test_due_dates_and_ranges_are_validated(phase: Phase, demo_user: Callable[[str], Any]) -> None:
    with pytest.raises(ValidationError) as error:
        services.period_save(
            programme=phase.programme,
            acting_user=demo_user("admin"),
            data={
                "name": "Hạn sai",
                "kind": "other",
                "start": date(2026, 1, 1),
                "end": date(2026, 3, 31),
                "due_date": date(2026, 3, 31) - timedelta(days=1),
            },
        )
    assert "Hạn gửi" in str(error.value)


def _joint(phase: Phase, demo_user: Callable[[str], Any]) -> Report:
    period = services.period_save(
        programme=phase.programme,
        acting_user=demo_user("admin"),
        data={"name": "Chuyên đề liên tịch", "kind": "other", "start": date(2026, 4, 1), "end": date(2026, 4, 30)},
    )
    report = services.report_open(
        period=period, unit=unit("BQP"), partner_unit=unit("CCB-TW"), acting_user=demo_user("tcct")
    )
    return services.report_submit(report=sign(report, demo_user("tcct")), acting_user=demo_user("tcct"))


def test_returning_a_half_approved_joint_report_releases_the_side_already_locked(
    phase: Phase, demo_user: Callable[[str], Any]
) -> None:
    report = services.report_approve(report=_joint(phase, demo_user), acting_user=demo_user("tuhoi"))
    lock = report.locks.get()
    assert lock.unit.code == "CCB-TW" and lock.is_active
    services.report_return(report=report, reason="Thống nhất lại số liệu hai bên.", acting_user=demo_user("tcct"))
    lock.refresh_from_db()
    assert not lock.is_active and lock.reopen_reason == "Thống nhất lại số liệu hai bên."


def test_reopening_a_joint_report_releases_both_sides_and_its_locks_only_reopen_with_it(
    phase: Phase, demo_user: Callable[[str], Any]
) -> None:
    from phoihop.entry.services import lock_reopen

    report = services.report_approve(report=_joint(phase, demo_user), acting_user=demo_user("tuhoi"))
    report = services.report_approve(report=report, acting_user=demo_user("tcct"))
    assert report.status == ReportStatus.APPROVED
    army_lock = report.locks.get(unit__code="BQP")
    with pytest.raises(ValidationError) as error:  # not from the locks page or API while approved
        lock_reopen(lock=army_lock, acting_user=demo_user("tcct"), reason="Mở riêng")
    assert "Mở lại" in str(error.value)
    services.report_reopen(report=report, reason="Bổ sung số liệu tháng 4.", acting_user=demo_user("tcct"))
    assert not report.locks.filter(reopened_at__isnull=True).exists()  # both sides, by one reopening


def test_a_scan_uploaded_from_a_stale_page_does_not_undo_an_approval(
    half: ReportingPeriod, demo_user: Callable[[str], Any]
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    reporter = demo_user("hoankiem.ccb")
    report = services.report_submit(
        report=sign(services.report_open(period=half, unit=unit(COMMUNE), acting_user=reporter), reporter),
        acting_user=reporter,
    )
    stale = Report.objects.get(pk=report.pk)
    services.report_approve(report=report, acting_user=demo_user("hanoi.ccb"))
    scan = SimpleUploadedFile("ban-ky.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    services.signed_scan_upload(report=stale, upload=scan, acting_user=reporter)
    stored = Report.objects.get(pk=report.pk)
    assert stored.status == ReportStatus.APPROVED and stored.approvals and stored.signed_scan_name == "ban-ky.pdf"


def test_period_dates_are_fixed_once_a_report_was_sent(half: ReportingPeriod, demo_user: Callable[[str], Any]) -> None:
    reporter = demo_user("hoankiem.ccb")
    services.report_submit(
        report=sign(services.report_open(period=half, unit=unit(COMMUNE), acting_user=reporter), reporter),
        acting_user=reporter,
    )
    with pytest.raises(ValidationError) as error:
        services.period_save(
            programme=half.programme, period=half, data={"end": date(2026, 6, 30)}, acting_user=demo_user("admin")
        )
    assert "không đổi được ngày" in str(error.value)
    services.period_save(  # the due date still moves
        programme=half.programme, period=half, data={"due_date": date(2026, 7, 1)}, acting_user=demo_user("admin")
    )
