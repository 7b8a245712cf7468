"""Entry locks per programme (ADR 0022): a unit in two programmes is locked in one of them only.

Hội CCB tỉnh Nghệ An and its commune associations are parties' units of the seed's programme
(QDND-CCB) and of the Nghệ An one (CA-CCB-NGHEAN). A lock of one programme (made by approving
one of its reports, or by hand) refuses changes of that programme's activities and values in
the period and approves only that programme's values; the other programme's stay open. A lock
of no programme holds for every programme, as every lock did before.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from phoihop.activities.models import Activity
from phoihop.activities.services import activity_create, activity_update
from phoihop.entry.models import EntryLock, IndicatorValue
from phoihop.entry.services import active_lock, figures_enter, lock_create, lock_reopen
from phoihop.figures.periods import PeriodKind, decree09_period
from phoihop.figures.rebuild import check_rollups
from phoihop.figures.selectors import total
from phoihop.imports.reading import Table
from phoihop.imports.services import import_table
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Indicator, Phase, Programme
from phoihop.reporting import services as reporting
from phoihop.reporting.models import Report, ReportingPeriod, ReportStatus
from tests.support.signing import sign

pytestmark = pytest.mark.django_db

SEED, NA = "QDND-CCB", "CA-CCB-NGHEAN"
PHASES = {SEED: "2022-2027", NA: "2026-2031"}
QUARTER = decree09_period("quarter", 2026, 3)  # 15/6/2026 – 14/9/2026: both phases run, it has ended
DAY = date(2026, 8, 10)
COMMUNE = "CCB-X16681"  # Hội CCB phường Thành Vinh, under Hội CCB tỉnh Nghệ An
REFUSED = "đã khóa"


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def programme(code: str) -> Programme:
    return Programme.objects.get(code=code)


def phase(code: str) -> Phase:
    return Phase.objects.get(programme__code=code, code=PHASES[code])


def indicator(code: str) -> Indicator:
    return Indicator.objects.get(programme__code=code, code="tt-buoi")


def new_activity(
    user: Any, code: str, amount: int, *, title: str = "Tuyên truyền pháp luật", submit: bool = True
) -> Activity:
    return activity_create(
        acting_user=user,
        phase=phase(code),
        lead_unit=unit(COMMUNE),
        title=f"{title} ({code})",
        start_date=DAY,
        end_date=DAY,
        values={indicator(code): amount},
        submit=submit,
        confirm_outliers=True,
    )


def enter(user: Any, code: str, amount: int | None) -> None:
    figures_enter(
        acting_user=user,
        unit=unit(COMMUNE),
        period_start=QUARTER.start,
        period_end=QUARTER.end,
        values={indicator(code): amount},
        confirm_outliers=True,
    )


def brute(code: str, unit_code: str, *, approved: bool) -> int:
    """The raw values' sum: the counted (approved) values of the subtree dated in the quarter."""
    rows = IndicatorValue.objects.filter(
        unit__path__startswith=unit(unit_code).path,
        indicator=indicator(code),
        counted=True,
        date__gte=QUARTER.start,
        date__lte=QUARTER.end,
    )
    if approved:
        rows = rows.filter(approved=True)
    return int(rows.aggregate(s=Sum("value"))["s"] or 0)


def assert_exact(*codes: str) -> None:
    """Roll-ups equal the raw values (the whole table, and the quarter's sums of both programmes)."""
    assert check_rollups() is None
    for code in codes:
        for unit_code in (COMMUNE, "CCB-NGHEAN", "CCB-TW"):
            for approved in (False, True):
                rolled = total(
                    unit_id=unit(unit_code).pk,
                    indicator_id=indicator(code).pk,
                    start=QUARTER.start,
                    end=QUARTER.end,
                    approved=approved,
                )
                assert rolled == brute(code, unit_code, approved=approved), (code, unit_code, approved)


@pytest.fixture
def admin(demo_user: Callable[[str], Any]) -> Any:
    return demo_user("admin")


def test_the_commune_is_a_unit_of_both_programmes() -> None:
    assert unit(COMMUNE).path.startswith(unit("CCB-NGHEAN").path)
    assert unit("CCB-NGHEAN").path.startswith(unit("CCB-TW").path)
    for code in (SEED, NA):
        assert phase(code).start <= QUARTER.start and QUARTER.end <= phase(code).end


# --- a programme's lock ----------------------------------------------------------------------------


def test_a_programme_lock_refuses_its_own_changes_and_lets_the_other_programme_through(admin: Any) -> None:
    na_activity = new_activity(admin, NA, 3, submit=False)  # drafts: their writer may change them
    seed_activity = new_activity(admin, SEED, 4, submit=False)
    lock = lock_create(
        unit=unit("CCB-NGHEAN"),
        start=QUARTER.start,
        end=QUARTER.end,
        acting_user=admin,
        reason="Báo cáo quý đã duyệt",
        programme=programme(NA),
    )
    assert lock.programme_id == programme(NA).pk
    # The Nghệ An programme's activities and values are locked, with the Vietnamese refusal.
    with pytest.raises(ValidationError, match=REFUSED):
        new_activity(admin, NA, 2)
    with pytest.raises(ValidationError, match=REFUSED):
        activity_update(activity=na_activity, acting_user=admin, data={"title": "Đổi tên"})
    with pytest.raises(ValidationError, match=REFUSED):
        enter(admin, NA, 7)
    na_activity.refresh_from_db()
    assert na_activity.title == f"Tuyên truyền pháp luật ({NA})"
    # The seed programme's are not.
    assert new_activity(admin, SEED, 2).pk
    activity_update(
        activity=seed_activity,
        acting_user=admin,
        data={"title": "Đổi tên"},
        values={indicator(SEED): 5},
        confirm_outliers=True,
    )
    enter(admin, SEED, 7)
    assert IndicatorValue.objects.filter(activity=seed_activity).get().value == 5
    # The one home of "which lock covers": the programme's lock for it, none for the other.
    assert active_lock(unit(COMMUNE), DAY, programme(NA).pk) == lock
    assert active_lock(unit(COMMUNE), DAY, programme(SEED).pk) is None
    assert_exact(SEED, NA)


def test_a_lock_of_every_programme_covers_both(admin: Any) -> None:
    lock = lock_create(unit=unit(COMMUNE), start=QUARTER.start, end=QUARTER.end, acting_user=admin, reason="Khóa")
    assert lock.programme_id is None
    for code in (SEED, NA):
        with pytest.raises(ValidationError, match=REFUSED):
            new_activity(admin, code, 2)
        with pytest.raises(ValidationError, match=REFUSED):
            enter(admin, code, 1)
        assert active_lock(unit(COMMUNE), DAY, programme(code).pk) == lock


def test_reopening_one_programme_leaves_the_others_lock_and_approvals(admin: Any) -> None:
    new_activity(admin, NA, 3)
    new_activity(admin, SEED, 4)
    enter(admin, NA, 6)
    enter(admin, SEED, 8)
    assert_exact(SEED, NA)
    locks = {
        code: lock_create(
            unit=unit(COMMUNE), start=QUARTER.start, end=QUARTER.end, acting_user=admin, programme=programme(code)
        )
        for code in (NA, SEED)
    }
    for code in (SEED, NA):
        assert brute(code, COMMUNE, approved=True) == brute(code, COMMUNE, approved=False) > 0
    assert_exact(SEED, NA)
    lock_reopen(lock=locks[NA], acting_user=admin, reason="Bổ sung số liệu")
    assert brute(NA, COMMUNE, approved=True) == 0
    assert brute(SEED, COMMUNE, approved=True) == brute(SEED, COMMUNE, approved=False) > 0
    assert_exact(SEED, NA)
    enter(admin, NA, 9)  # open again in its programme
    with pytest.raises(ValidationError, match=REFUSED):
        enter(admin, SEED, 9)


# --- the importer --------------------------------------------------------------------------------

HEADERS = ["Mã hoạt động", "Giai đoạn", "Tên hoạt động", "Từ ngày", "Đến ngày", "Đơn vị chủ trì", "tt-buoi"]


def import_row(user: Any, code: str, external_id: str, amount: int) -> Any:
    table = Table(
        headers=HEADERS,
        rows=[(2, [external_id, PHASES[code], f"Tọa đàm {external_id}", DAY, DAY, COMMUNE, amount])],
        source_encoding="xlsx",
    )
    return import_table(acting_user=user, kind="activities", table=table, programme=programme(code), dry_run=False)


def test_the_importer_refuses_the_locked_programme_only(admin: Any) -> None:
    assert import_row(admin, NA, "NA-LOCK-1", 2).errors == []
    assert import_row(admin, SEED, "SEED-LOCK-1", 2).errors == []
    lock_create(
        unit=unit("CCB-NGHEAN"), start=QUARTER.start, end=QUARTER.end, acting_user=admin, programme=programme(NA)
    )
    for external_id in ("NA-LOCK-1", "NA-LOCK-2"):  # a change of one there, a new one
        result = import_row(admin, NA, external_id, 5)
        assert result.errors and REFUSED in str(result.errors), external_id
    assert not Activity.objects.filter(external_id="NA-LOCK-2").exists()
    assert IndicatorValue.objects.get(activity__external_id="NA-LOCK-1").value == 2
    for external_id in ("SEED-LOCK-1", "SEED-LOCK-2"):
        assert import_row(admin, SEED, external_id, 5).errors == [], external_id
    assert IndicatorValue.objects.get(activity__external_id="SEED-LOCK-1").value == 5
    assert_exact(SEED, NA)


# --- a report's approval --------------------------------------------------------------------------


def test_approving_a_report_locks_its_programme_only_and_reopening_releases_it(
    admin: Any, demo_user: Callable[[str], Any]
) -> None:
    approver = demo_user("nghean.ccb")  # approver at Hội CCB tỉnh Nghệ An, above the commune
    new_activity(admin, NA, 3)
    new_activity(admin, SEED, 4)
    enter(admin, NA, 6)
    enter(admin, SEED, 8)
    seed_approved = brute(SEED, COMMUNE, approved=True)
    na_approved = brute(NA, COMMUNE, approved=True)
    assert brute(SEED, COMMUNE, approved=False) >= seed_approved + 12
    assert brute(NA, COMMUNE, approved=False) >= na_approved + 9
    period = ReportingPeriod.objects.get(
        programme__code=NA, kind=PeriodKind.QUARTER, start=QUARTER.start, end=QUARTER.end
    )
    report = reporting.report_open(period=period, unit=unit(COMMUNE), acting_user=admin)
    report = reporting.report_submit(report=sign(report, admin), acting_user=admin)
    report = reporting.report_approve(report=report, acting_user=approver)
    assert report.status == ReportStatus.APPROVED
    lock = report.locks.get()
    assert (lock.unit.code, lock.programme_id) == (COMMUNE, programme(NA).pk)
    # Only the Nghệ An programme's values are approved; the seed's stay as they were, and open.
    assert brute(NA, COMMUNE, approved=True) == brute(NA, COMMUNE, approved=False)
    assert brute(SEED, COMMUNE, approved=True) == seed_approved
    assert_exact(SEED, NA)
    with pytest.raises(ValidationError, match=REFUSED):
        new_activity(admin, NA, 1)
    new_activity(admin, SEED, 1, title="Sau khi duyệt báo cáo")
    enter(admin, SEED, 10)
    assert_exact(SEED, NA)

    report = reporting.report_reopen(report=report, reason="Bổ sung hoạt động", acting_user=approver)
    assert report.status == ReportStatus.RETURNED
    lock.refresh_from_db()
    assert not lock.is_active
    assert brute(NA, COMMUNE, approved=True) == na_approved  # the activities approved one by one stay
    assert brute(SEED, COMMUNE, approved=True) == seed_approved
    assert_exact(SEED, NA)
    new_activity(admin, NA, 1, title="Sau khi mở lại")


def test_a_seed_report_of_the_same_unit_and_period_makes_its_own_lock(
    admin: Any, demo_user: Callable[[str], Any]
) -> None:
    """A lock of the other programme for the same unit and period does not stand for this one's."""
    lock_create(unit=unit(COMMUNE), start=QUARTER.start, end=QUARTER.end, acting_user=admin, programme=programme(NA))
    reporting.periods_generate(phase=phase(SEED), acting_user=admin)
    period = ReportingPeriod.objects.get(
        programme__code=SEED, kind=PeriodKind.QUARTER, start=QUARTER.start, end=QUARTER.end
    )
    report = reporting.report_open(period=period, unit=unit(COMMUNE), acting_user=admin)
    report = reporting.report_submit(report=sign(report, admin), acting_user=admin)
    report = reporting.report_approve(report=report, acting_user=demo_user("nghean.ccb"))
    assert report.locks.get().programme_id == programme(SEED).pk
    assert EntryLock.objects.filter(unit__code=COMMUNE, start=QUARTER.start, reopened_at__isnull=True).count() == 2
    for code in (SEED, NA):
        with pytest.raises(ValidationError, match=REFUSED):
            new_activity(admin, code, 1)


# --- pages and API show the programme ----------------------------------------------------------------


def test_the_lock_pages_and_the_api_show_the_programme(admin: Any, client_as: Callable[[str], Client]) -> None:
    na = lock_create(
        unit=unit(COMMUNE), start=QUARTER.start, end=QUARTER.end, acting_user=admin, programme=programme(NA)
    )
    every = lock_create(unit=unit("CCB-X16681"), start=date(2026, 9, 15), end=date(2026, 10, 14), acting_user=admin)
    client = client_as("admin")
    listed = client.get(reverse("entry:locks"), {"unit": COMMUNE}).content.decode()
    assert "Chương trình" in listed and "Mọi chương trình" in listed
    assert programme(NA).title[:40] in listed
    page = client.get(reverse("entry:lock-reopen", kwargs={"pk": na.pk})).content.decode()
    assert programme(NA).title in page
    page = client.get(reverse("entry:lock-reopen", kwargs={"pk": every.pk})).content.decode()
    assert "Mọi chương trình" in page
    api = client.get(reverse("api:lock-detail", kwargs={"pk": na.pk})).json()
    assert (api["programme"], api["programme_name"]) == (NA, programme(NA).title)
    api = client.get(reverse("api:lock-detail", kwargs={"pk": every.pk})).json()
    assert (api["programme"], api["programme_name"]) == (None, "Mọi chương trình")


def test_a_lock_made_by_hand_can_name_its_programme(client_as: Callable[[str], Client]) -> None:
    data = {
        "unit": unit(COMMUNE).pk,
        "start": QUARTER.start.isoformat(),
        "end": QUARTER.end.isoformat(),
        "reason": "Báo cáo giấy đã duyệt",
        "programme": programme(NA).pk,
    }
    client = client_as("admin")
    # The status page's link names the programme of its phase: the form starts with it.
    form = client.get(reverse("entry:locks"), {"programme": programme(NA).pk}).content.decode()
    assert f'<option value="{programme(NA).pk}" selected>' in form and "Mọi chương trình" in form
    assert client.post(reverse("entry:lock-create"), data).status_code == 302
    lock = EntryLock.objects.get(unit__code=COMMUNE, start=QUARTER.start)
    assert lock.programme_id == programme(NA).pk
    # Another programme's lock of the same period is not a duplicate; one of every programme is.
    assert client.post(reverse("entry:lock-create"), {**data, "programme": programme(SEED).pk}).status_code == 302
    again = client.post(reverse("entry:lock-create"), {**data, "programme": ""})
    assert again.status_code == 200 and "đã có khóa đang hiệu lực" in again.content.decode()
    assert EntryLock.objects.filter(unit__code=COMMUNE, start=QUARTER.start).count() == 2


# --- the data migration -----------------------------------------------------------------------------


def test_the_migration_gives_a_reports_lock_its_programme(admin: Any) -> None:
    fill = importlib.import_module("phoihop.reporting.migrations.0008_lock_programme_from_reports").fill
    period = ReportingPeriod.objects.get(
        programme__code=NA, kind=PeriodKind.QUARTER, start=QUARTER.start, end=QUARTER.end
    )
    report = reporting.report_open(period=period, unit=unit(COMMUNE), acting_user=admin)
    by_report = lock_create(unit=unit(COMMUNE), start=QUARTER.start, end=QUARTER.end, acting_user=admin)
    by_hand = lock_create(unit=unit("CCB-NGHEAN"), start=QUARTER.start, end=QUARTER.end, acting_user=admin)
    Report.objects.get(pk=report.pk).locks.add(by_report)
    fill(apps, None)
    by_report.refresh_from_db()
    by_hand.refresh_from_db()
    assert (by_report.programme_id, by_hand.programme_id) == (programme(NA).pk, None)
