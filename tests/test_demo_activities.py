"""The demo's activities and figures (``phoihop.demo.activities``), as the test session loads them.

The root conftest loads the whole demo once per session; these tests read it, and the ones that
run the generator again do so inside their own rolled-back transaction.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db.models import Count, F, Max, Q, Sum

from phoihop.activities.models import Activity, ActivityPartner, ActivityStatus
from phoihop.demo.activities import FIXED_END, RECENT, ActivityDemo, generated_activities
from phoihop.entry.models import EntryLock, IndicatorValue
from phoihop.figures.models import Rollup
from phoihop.figures.rebuild import check_rollups
from phoihop.figures.selectors import totals
from phoihop.orgunits.models import OrgUnit, OrgUnitPair
from phoihop.programmes.models import Indicator, Phase, Programme
from phoihop.records.models import Exchange, ExchangeRecipient, Lesson, PracticeModel, Proposal, Replication

pytestmark = pytest.mark.django_db

REFORM_DAY = date(2025, 7, 1)
HOAN_KIEM = "CCB-X00070"


def generated() -> Any:
    return generated_activities()


def counts() -> dict[str, int]:
    return {
        "activities": Activity.objects.count(),
        "partners": ActivityPartner.objects.count(),
        "values": IndicatorValue.objects.count(),
        "locks": EntryLock.objects.count(),
        "models": PracticeModel.objects.count(),
        "replications": Replication.objects.count(),
        "exchanges": Exchange.objects.count(),
        "recipients": ExchangeRecipient.objects.count(),
        "lessons": Lesson.objects.count(),
        "proposals": Proposal.objects.count(),
    }


def fingerprint() -> list[tuple[Any, ...]]:
    """What the generator decided, independent of row ids."""
    values: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for activity_id, code, amount in IndicatorValue.objects.filter(activity__isnull=False).values_list(
        "activity_id", "indicator__code", "value"
    ):
        values[activity_id].append((code, amount))
    rows = [
        (a.end_date, a.lead_unit.code, a.title, a.status, a.place, tuple(sorted(values[a.pk])))
        for a in generated().select_related("lead_unit")
    ]
    entered = IndicatorValue.objects.entered().values_list("unit__code", "indicator__code", "date", "value")
    models = PracticeModel.objects.values_list("name", "origin_unit__code", "started_on")
    return sorted(rows) + sorted(entered) + sorted(models)


def test_it_generates_thousands_of_activities_and_entered_figures() -> None:
    activities = generated().count()
    assert 4000 <= activities <= 6000
    activity_values = IndicatorValue.objects.filter(activity__in=generated()).count()
    assert activities <= activity_values <= 3 * activities
    assert not generated().annotate(n=Count("values")).filter(Q(n=0) | Q(n__gt=3)).exists()
    entered = IndicatorValue.objects.entered()
    assert 2000 <= entered.count() <= 6000
    assert set(entered.values_list("indicator__code", flat=True)) == {"gn-ho", "xh-nha", "ds-nguoi", "kt-von"}
    assert generated().filter(end_date__gte=date(2017, 9, 23)).count() == activities
    assert generated().aggregate(last=Max("end_date"))["last"] <= FIXED_END
    # Every year of the span has activities, before and after the reform.
    years = Counter(generated().values_list("end_date__year", flat=True))
    assert all(years[y] >= 300 for y in range(2018, 2027))


def test_it_gives_plausible_sizes_per_indicator() -> None:
    rows = IndicatorValue.objects.filter(activity__isnull=False).values("indicator__code").annotate(hi=Max("value"))
    bounds = {row["indicator__code"]: row["hi"] for row in rows}
    assert 5 < bounds["tt-buoi"] <= 40  # a province's campaign holds many sessions
    assert 500 <= bounds["tt-luot"] <= 4000
    assert bounds["xh-nha"] <= 3
    assert 500 <= bounds["kt-von"] <= 2000
    assert not IndicatorValue.objects.filter(value__lte=0).exists()


def test_it_gives_mostly_approved_activities_and_recent_drafts_and_returns() -> None:
    statuses = Counter(generated().values_list("status", flat=True))
    total = sum(statuses.values())
    assert statuses[ActivityStatus.APPROVED] > 0.9 * total
    assert statuses[ActivityStatus.SUBMITTED] > 0
    assert 0 < statuses[ActivityStatus.DRAFT] < 0.05 * total
    assert 0 < statuses[ActivityStatus.RETURNED] < 0.05 * total
    unfinished = generated().filter(status__in=[ActivityStatus.DRAFT, ActivityStatus.RETURNED])
    assert not unfinished.filter(end_date__lt=RECENT).exists()
    assert not generated().filter(status=ActivityStatus.RETURNED, return_reason="").exists()
    assert not generated().filter(status=ActivityStatus.DRAFT, submitted_at__isnull=False).exists()
    assert not generated().filter(status=ActivityStatus.APPROVED, decided_at__lt=F("submitted_at")).exists()


def test_it_never_has_an_activity_led_by_a_unit_not_open_on_its_end_date() -> None:
    closed = Q(lead_unit__valid_to__lt=F("end_date")) | Q(lead_unit__valid_from__gt=F("end_date"))
    assert not generated().filter(closed).exists()
    before, after = generated().filter(end_date__lt=REFORM_DAY), generated().filter(end_date__gte=REFORM_DAY)
    # Before the reform the 63 provinces of the time lead (those closed since among them).
    assert not before.exclude(lead_unit__level__code="province").exists()
    assert before.filter(lead_unit__valid_to=date(2025, 6, 30)).values("lead_unit").distinct().count() == 2 * 29
    # After it, today's provinces and communes.
    assert not after.filter(lead_unit__valid_to__isnull=False).exists()
    assert after.filter(lead_unit__level__code="commune").exists()
    assert after.filter(lead_unit__level__code="province").exists()
    assert not generated().filter(end_date__lt=F("start_date")).exists()
    assert not generated().filter(Q(end_date__lt=F("phase__start")) | Q(end_date__gt=F("phase__end"))).exists()


def test_it_puts_values_before_the_reform_only_on_units_open_then() -> None:
    closed = Q(unit__valid_to__lt=F("date")) | Q(unit__valid_from__gt=F("date"))
    assert not IndicatorValue.objects.filter(closed).exists()
    early = IndicatorValue.objects.filter(date__lt=REFORM_DAY)
    assert not early.filter(unit__level__code="commune").exists()
    assert early.filter(unit__code="CCB-HOABINH").exists()
    # Activity values count under the lead unit on the end date.
    assert not IndicatorValue.objects.filter(activity__isnull=False).exclude(unit=F("activity__lead_unit")).exists()
    assert not IndicatorValue.objects.filter(activity__isnull=False).exclude(date=F("activity__end_date")).exists()


def test_it_takes_partners_from_the_other_organisation_with_the_counterpart_among_them() -> None:
    links = ActivityPartner.objects.filter(activity__in=generated())
    assert not links.filter(unit__organisation=F("activity__lead_unit__organisation")).exists()
    assert not generated().filter(partner_links__isnull=True).exists()
    pairs = set(OrgUnitPair.objects.values_list("unit_a_id", "unit_b_id"))
    pairs |= {(b, a) for a, b in pairs}
    partners: dict[int, set[int]] = defaultdict(set)
    for activity_id, unit_id in links.values_list("activity_id", "unit_id"):
        partners[activity_id].add(unit_id)
    leads = dict(generated().values_list("pk", "lead_unit_id"))
    without = [pk for pk, lead in leads.items() if not any((lead, p) in pairs for p in partners[pk])]
    assert without == []


def test_it_sets_value_flags_as_the_services_would() -> None:
    values = IndicatorValue.objects.filter(activity__isnull=False)
    unsent = [ActivityStatus.DRAFT, ActivityStatus.RETURNED]
    assert not values.filter(activity__status__in=unsent, counted=True).exists()
    assert not values.filter(activity__status__in=unsent, approved=True).exists()
    assert not values.exclude(activity__status__in=unsent).filter(counted=False).exists()
    assert not values.filter(activity__status=ActivityStatus.APPROVED, approved=False).exists()
    assert not IndicatorValue.objects.entered().filter(counted=False).exists()
    # Otherwise approved exactly when an active lock of its programme (or of every programme)
    # covers the unit (or one above) and day.
    locks: dict[str, list[tuple[date, date, int | None]]] = defaultdict(list)
    for path, start, end, programme_id in EntryLock.objects.filter(reopened_at__isnull=True).values_list(
        "unit__path", "start", "end", "programme_id"
    ):
        locks[path].append((start, end, programme_id))
    assert locks
    step = OrgUnit.steplen
    rest = IndicatorValue.objects.filter(counted=True).exclude(activity__status=ActivityStatus.APPROVED)
    wrong = []
    for path, day, programme, approved in rest.values_list("unit__path", "date", "indicator__programme_id", "approved"):
        covered = any(
            start <= day <= end and lock_programme in (None, programme)
            for k in range(1, len(path) // step + 1)
            for start, end, lock_programme in locks.get(path[: k * step], ())
        )
        if covered != approved:
            wrong.append((path, day, approved))
    assert wrong == []
    assert IndicatorValue.objects.entered().filter(approved=True).exists()
    assert IndicatorValue.objects.entered().filter(approved=False).exists()


def test_it_locks_no_period_of_the_walk_through_provinces_nor_after_2024() -> None:
    # The Nghệ An 2021–2026 summary, approved on both sides, locks its own programme only
    # (phoihop.demo.nghean, ADR 0022).
    assert not EntryLock.objects.filter(end__gte=date(2025, 1, 1)).exclude(programme__code="CA-CCB-NGHEAN").exists()
    for code in ("HANOI", "CAMAU", "HOABINH", "PHUTHO"):
        assert not EntryLock.objects.filter(Q(unit__code=f"CCB-{code}") | Q(unit__code=f"QS-{code}")).exists()


def test_it_keeps_the_rollups_equal_to_the_raw_values() -> None:
    assert check_rollups() is None


@pytest.mark.parametrize("side", ["CCB", "QS"])
def test_it_shows_hoa_binh_2019_under_phu_tho_today_and_under_hoa_binh_historically(side: str) -> None:
    units = {name: OrgUnit.objects.get(code=f"{side}-{name}") for name in ("HOABINH", "PHUTHO", "VINHPHUC")}
    ids = [u.pk for u in units.values()]
    indicators = list(Indicator.objects.filter(programme__code="QDND-CCB").values_list("pk", flat=True))
    span: dict[str, Any] = {"start": date(2019, 1, 1), "end": date(2019, 12, 31)}
    historical = totals(unit_ids=ids, indicator_ids=indicators, view="historical", **span)
    today = totals(unit_ids=ids, indicator_ids=indicators, view="today", **span)
    hb, pt, vp = (units[n].pk for n in ("HOABINH", "PHUTHO", "VINHPHUC"))
    assert sum(historical[(hb, i)] for i in indicators) > 0
    assert sum(historical[(pt, i)] for i in indicators) > 0
    for i in indicators:
        assert today[(pt, i)] == historical[(pt, i)] + historical[(hb, i)] + historical[(vp, i)]
        assert today[(hb, i)] == 0
    # Both kinds of figures: Hòa Bình's activities and its entered half-year figures of 2019.
    assert generated().filter(lead_unit=units["HOABINH"], end_date__year=2019).exists()
    assert IndicatorValue.objects.entered().filter(unit=units["HOABINH"], date__year=2019).count() >= 2


def test_it_spreads_models_and_records_exchanges_lessons_and_proposals() -> None:
    assert 15 <= PracticeModel.objects.count() <= 30
    spread = sorted(PracticeModel.objects.annotate(n=Count("replications")).values_list("n", flat=True))
    assert spread[0] >= 1 and 10 <= spread[-1] <= 40 and spread[-3] >= 10
    assert Replication.objects.values("unit").distinct().count() >= 40
    assert not Replication.objects.filter(replicated_on__lt=F("model__started_on")).exists()
    assert not Replication.objects.filter(unit=F("model__origin_unit")).exists()
    assert not Replication.objects.filter(
        Q(unit__valid_to__lt=F("replicated_on")) | Q(unit__valid_from__gt=F("replicated_on"))
    ).exists()
    assert 24 <= Exchange.objects.count() <= 80
    assert ExchangeRecipient.objects.filter(read_at__isnull=False).exists()
    assert ExchangeRecipient.objects.filter(read_at__isnull=True).exists()
    assert Exchange.objects.filter(sender__level__code="province", deliveries__unit__level__code="commune").exists()
    assert not Exchange.objects.filter(sent_at__date__gt=FIXED_END).exists()
    for phase in Phase.objects.filter(programme__code="QDND-CCB"):
        assert Lesson.objects.filter(phase=phase).count() >= 5
        assert Proposal.objects.filter(phase=phase).exists()


def test_it_asks_for_approval_of_activities_in_the_demo_programme() -> None:
    assert Programme.objects.get(code="QDND-CCB").activity_approval


def test_it_gives_hoan_kiem_a_history_and_a_to_do_list(demo_user: Callable[[str], Any]) -> None:
    seen = Activity.objects.restrict(demo_user("hoankiem.ccb"), "view")
    assert seen.filter(lead_unit__code=HOAN_KIEM).count() >= 5
    assert seen.filter(lead_unit__code=HOAN_KIEM, status=ActivityStatus.DRAFT).exists()
    assert seen.filter(lead_unit__code=HOAN_KIEM, status=ActivityStatus.RETURNED).exists()
    waiting = Activity.objects.restrict(demo_user("hanoi.ccb"), "approve").filter(status=ActivityStatus.SUBMITTED)
    assert waiting.exists()
    assert not Activity.objects.restrict(demo_user("hanoi.ccb"), "view").filter(lead_unit__code="CCB-CAMAU").exists()


def rollup_summary() -> dict[str, Any]:
    return Rollup.objects.aggregate(rows=Count("*"), submitted=Sum("submitted"), approved=Sum("approved"))


def test_it_adds_nothing_when_run_again() -> None:
    before, rollups = counts(), rollup_summary()

    created = ActivityDemo().run()

    assert not any(created.values())
    assert counts() == before
    assert rollup_summary() == rollups


def test_it_generates_the_same_data_again_from_scratch() -> None:
    before = fingerprint()
    # Remove the generated rows (raw deletes: no history rows, constraints checked at commit,
    # and this test's transaction is rolled back anyway).
    IndicatorValue.objects.all()._raw_delete("default")
    ActivityPartner.objects.all()._raw_delete("default")
    generated()._raw_delete("default")
    Replication.objects.all()._raw_delete("default")
    PracticeModel.objects.all()._raw_delete("default")
    ExchangeRecipient.objects.all()._raw_delete("default")
    # The reports' links to their locks first (the demo's approved reports lock periods too).
    EntryLock.reports.through.objects.all()._raw_delete("default")
    # The conference's adoptions of proposals first (the demo's seed conference adopts its directions).
    from phoihop.conferences.models import ProposalAdoption

    ProposalAdoption.objects.all()._raw_delete("default")
    for model in (Exchange, EntryLock, Lesson, Proposal):
        model.objects.all()._raw_delete("default")
    # What is left is the second programme's, imported by the system administrator (phoihop.demo.nghean).
    assert not Activity.objects.filter(phase__programme__code="QDND-CCB").exists()

    created = ActivityDemo().run()

    assert created["activities"] == len([row for row in before if len(row) == 6])
    assert fingerprint() == before
