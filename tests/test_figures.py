"""Roll-ups: buckets, Decree 09 periods, the write path, the rebuild and the check commands."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from phoihop.accounts.models import User
from phoihop.activities import services as services
from phoihop.entry import services as entry_services
from phoihop.figures import selectors
from phoihop.figures.models import Grain, Rollup
from phoihop.figures.periods import Run, decompose, decree09_period, period_containing
from phoihop.figures.rebuild import check_rollups, rebuild_rollups
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Indicator, Phase


def days_of(runs: list[Run]) -> set[date]:
    out: set[date] = set()
    for run in runs:
        if run.grain == Grain.DAY:
            d = date(run.lo // 10000, run.lo // 100 % 100, run.lo % 100)
            last = date(run.hi // 10000, run.hi // 100 % 100, run.hi % 100)
        elif run.grain == Grain.MONTH:
            d = date(run.lo // 100, run.lo % 100, 1)
            last = date(run.hi // 100 + (run.hi % 100 == 12), run.hi % 100 % 12 + 1, 1) - timedelta(days=1)
        else:
            d, last = date(run.lo, 1, 1), date(run.hi, 12, 31)
        while d <= last:
            out.add(d)
            d += timedelta(days=1)
    return out


@given(
    start=st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31)),
    length=st.integers(min_value=0, max_value=4000),
)
def test_it_covers_every_day_of_a_range_exactly_once_with_at_most_five_runs(start: date, length: int) -> None:
    end = start + timedelta(days=length)
    runs = decompose(start, end)
    assert len(runs) <= 5
    assert sum(len(days_of([r])) for r in runs) == length + 1  # no day twice
    assert days_of(runs) == {start + timedelta(days=k) for k in range(length + 1)}


def test_it_cuts_decree_09_periods_on_the_15th() -> None:
    assert _span(decree09_period("year", 2025)) == (date(2024, 12, 15), date(2025, 12, 14))
    assert _span(decree09_period("half", 2026, 1)) == (date(2025, 12, 15), date(2026, 6, 14))
    assert _span(decree09_period("half", 2026, 2)) == (date(2026, 6, 15), date(2026, 12, 14))
    assert _span(decree09_period("nine", 2026)) == (date(2025, 12, 15), date(2026, 9, 14))
    assert _span(decree09_period("quarter", 2026, 1)) == (date(2025, 12, 15), date(2026, 3, 14))
    assert _span(decree09_period("month", 2026, 1)) == (date(2025, 12, 15), date(2026, 1, 14))
    assert period_containing("year", date(2025, 12, 20)) == decree09_period("year", 2026)
    assert period_containing("quarter", date(2026, 3, 15)) == decree09_period("quarter", 2026, 2)
    assert decree09_period("half", 2026, 1).label == "6 tháng đầu năm 2026"


def _span(period: object) -> tuple[date, date]:
    return (period.start, period.end)  # type: ignore[attr-defined]


@pytest.fixture
def hoankiem_activity_args() -> dict:
    phase = Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")
    codes = ("tt-buoi", "tt-luot", "qp-hoat-dong")
    indicators = {i.code: i for i in Indicator.objects.filter(programme__code="QDND-CCB", code__in=codes)}
    return {
        "acting_user": User.objects.get(username="hoankiem.ccb"),
        "phase": phase,
        "lead_unit": OrgUnit.objects.get(code="CCB-X00070"),
        "partners": [OrgUnit.objects.get(code="QS-X00070")],
        "title": "Tuyên truyền kỷ niệm Ngày thành lập Quân đội nhân dân",
        "start_date": date(2026, 3, 1),
        "end_date": date(2026, 3, 2),
        "values": {indicators[c]: v for c, v in zip(codes, (2, 180, 1), strict=True)},
    }


@pytest.mark.django_db
def test_it_touches_a_few_dozen_rollup_rows_for_one_activity_write(hoankiem_activity_args: dict) -> None:
    rows_before = Rollup.objects.count()
    activity = services.activity_create(**hoankiem_activity_args, submit=True)
    # Three indicators × (Hà Nội, Phường Hoàn Kiếm) × (day, month, year): no national row.
    root = OrgUnit.objects.get(code="CCB-TW")
    day_key = 20260302
    touched = Rollup.objects.filter(indicator_id__in=[i.pk for i in hoankiem_activity_args["values"]], bucket=day_key)
    assert set(touched.values_list("unit_id", flat=True)) == {
        OrgUnit.objects.get(code="CCB-HANOI").pk,
        activity.lead_unit_id,
    }
    assert not Rollup.objects.filter(unit_id=root.pk, bucket=day_key).exists()
    assert Rollup.objects.count() - rows_before <= 18


@pytest.mark.django_db
def test_it_shows_a_new_activity_in_every_level_at_once(hoankiem_activity_args: dict) -> None:
    indicator = next(iter(hoankiem_activity_args["values"]))
    units = [OrgUnit.objects.get(code=c).pk for c in ("CCB-X00070", "CCB-HANOI", "CCB-TW")]
    day = hoankiem_activity_args["end_date"]
    period = decree09_period("half", 2026, 1)

    def now() -> dict:
        return selectors.totals(unit_ids=units, indicator_ids=[indicator.pk], start=period.start, end=period.end)

    before = now()
    activity = services.activity_create(**hoankiem_activity_args)
    assert now() == before  # a draft does not count
    services.activity_submit(activity=activity, acting_user=hoankiem_activity_args["acting_user"])
    after = now()
    assert all(after[(u, indicator.pk)] - before[(u, indicator.pk)] == 2 for u in units)
    approved_before = selectors.total(unit_id=units[2], indicator_id=indicator.pk, start=day, end=day, approved=True)
    services.activity_approve(activity=activity, acting_user=User.objects.get(username="hanoi.ccb"))
    assert selectors.total(unit_id=units[2], indicator_id=indicator.pk, start=day, end=day, approved=True) == (
        approved_before + 2
    )
    services.activity_return(activity=activity, acting_user=User.objects.get(username="hanoi.ccb"), reason="Sai số")
    assert now() == before


@pytest.mark.django_db
def test_it_refuses_approval_by_the_lead_units_own_approver(hoankiem_activity_args: dict) -> None:
    from phoihop.core.services import OutOfScope

    activity = services.activity_create(**hoankiem_activity_args, submit=True)
    with pytest.raises(OutOfScope):
        services.activity_approve(activity=activity, acting_user=User.objects.get(username="hoankiem.ccb"))
    with pytest.raises(OutOfScope):
        services.activity_approve(activity=activity, acting_user=User.objects.get(username="camau.ccb"))


@pytest.mark.django_db
def test_it_rebuilds_exactly_what_the_writes_kept(hoankiem_activity_args: dict) -> None:
    services.activity_create(**hoankiem_activity_args, submit=True)
    kept = sorted(Rollup.objects.exclude(submitted=0, approved=0).values_list())
    rebuild_rollups()
    assert sorted(Rollup.objects.values_list()) == kept
    assert check_rollups() is None


@pytest.mark.django_db
def test_check_figures_exits_zero_on_the_demo_and_names_an_altered_row(capsys: pytest.CaptureFixture) -> None:
    call_command("check_figures")
    assert "khớp" in capsys.readouterr().out
    row = Rollup.objects.filter(grain=Grain.MONTH).order_by("unit_id", "indicator_id", "bucket").first()
    if row is None:  # a demo without figures: make one
        args = {
            "acting_user": User.objects.get(username="admin"),
            "unit": OrgUnit.objects.get(code="CCB-HANOI"),
            "period_start": date(2025, 12, 15),
            "period_end": date(2026, 6, 14),
            "values": {Indicator.objects.get(programme__code="QDND-CCB", code="gn-ho"): 7},
        }
        entry_services.figures_enter(**args)
        row = Rollup.objects.filter(grain=Grain.MONTH).first()
    assert row is not None
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE figures_rollup SET submitted = submitted + 1 "
            "WHERE unit_id = %s AND indicator_id = %s AND grain = %s AND bucket = %s",
            [row.unit_id, row.indicator_id, row.grain, row.bucket],
        )
    with pytest.raises(CommandError) as failure:
        call_command("check_figures")
    unit = OrgUnit.objects.get(pk=row.unit_id)
    assert unit.code in str(failure.value)
    assert Indicator.objects.get(pk=row.indicator_id).code in str(failure.value)
    assert str(row.bucket) in str(failure.value)
    call_command("rebuild_figures")
    call_command("check_figures")


@pytest.mark.django_db
def test_it_counts_hoa_binh_under_phu_tho_today_and_under_hoa_binh_historically() -> None:
    admin = User.objects.get(username="admin")
    hoabinh, phutho = OrgUnit.objects.get(code="CCB-HOABINH"), OrgUnit.objects.get(code="CCB-PHUTHO")
    root = OrgUnit.objects.get(code="CCB-TW")
    indicator = Indicator.objects.get(programme__code="QDND-CCB", code="tt-buoi")  # no demo figures entered for it
    # 2024: before the 2025 reform, after the 2017–2022 phase (which the demo's national report locks).
    year = decree09_period("year", 2024)

    def totals(view: str) -> dict:
        return selectors.totals(
            unit_ids=[hoabinh.pk, phutho.pk, root.pk],
            indicator_ids=[indicator.pk],
            start=year.start,
            end=year.end,
            view=view,  # type: ignore[arg-type]
        )

    hist, today = totals("historical"), totals("today")
    entry_services.figures_enter(
        acting_user=admin,
        unit=hoabinh,
        period_start=date(2024, 6, 15),
        period_end=date(2024, 12, 14),
        values={indicator: 41},
    )
    hist2, today2 = totals("historical"), totals("today")
    key = lambda u: (u.pk, indicator.pk)  # noqa: E731
    assert hist2[key(hoabinh)] == hist[key(hoabinh)] + 41
    assert hist2[key(phutho)] == hist[key(phutho)]
    assert today2[key(phutho)] == today[key(phutho)] + 41
    assert today2[key(hoabinh)] == 0  # closed with a successor: its figures count under Phú Thọ
    assert hist2[key(root)] == today2[key(root)] == hist[key(root)] + 41


def test_it_refuses_to_keep_rollups_outside_a_transaction() -> None:
    from phoihop.entry.models import IndicatorValue
    from phoihop.figures.upkeep import track

    with pytest.raises(RuntimeError), track(IndicatorValue.objects.none()):
        pass
