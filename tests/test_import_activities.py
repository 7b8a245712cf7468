"""Importing activities with their values (issue 15, item 4): dry run, atomic real run,
idempotent re-import, updates by external id, roll-ups exact, scoping through the gate."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from phoihop.activities.models import Activity, ActivityStatus
from phoihop.audit.models import ActionLog
from phoihop.core.text import fold
from phoihop.entry.models import EntryLock, IndicatorValue
from phoihop.figures.models import Grain, Rollup
from phoihop.figures.rebuild import check_rollups
from phoihop.imports.reading import Table
from phoihop.imports.services import import_table
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Indicator, Programme

pytestmark = pytest.mark.django_db

HEADERS = [
    "Mã hoạt động",
    "Giai đoạn",
    "Tên hoạt động",
    "Từ ngày",
    "Đến ngày",
    "Đơn vị chủ trì",
    "partners",
    "Người tham gia bên chủ trì",
    "participants_partner",
]
CODES = ["tt-buoi", "tt-luot", "xh-nha"]
DAY = date(2026, 11, 20)


@pytest.fixture
def programme() -> Programme:
    return Programme.objects.get(code="QDND-CCB")


def free_day(unit: OrgUnit) -> date:
    """A day of the active phase on which no lock covers ``unit`` (the demo locks past periods)."""
    locks = EntryLock.objects.filter(reopened_at__isnull=True)
    day = DAY
    while any(lock.start <= day <= lock.end and unit.path.startswith(lock.unit.path) for lock in locks):
        day = date.fromordinal(day.toordinal() + 1)
    assert day <= date(2026, 11, 27)
    return day


def table(rows: list[list[Any]], headers: list[str] | None = None) -> Table:
    return Table(
        headers=[*(headers or HEADERS), *CODES],
        rows=[(i + 2, list(r)) for i, r in enumerate(rows)],
        source_encoding="xlsx",
    )


def row(external_id: str, lead: str, day: date, values: tuple[Any, ...] = (2, 150, 1), **kw: Any) -> list[Any]:
    return [
        external_id,
        kw.get("phase", "2022-2027"),
        kw.get("title", f"Tọa đàm {external_id}"),
        kw.get("start", day),
        kw.get("end", day),
        lead,
        kw.get("partners", "QS-HANOI"),
        kw.get("participants_lead", 40),
        kw.get("participants_partner", 20),
        *values,
    ]


def run(user: Any, programme: Programme, t: Table, *, dry_run: bool = False) -> Any:
    return import_table(acting_user=user, kind="activities", table=t, programme=programme, dry_run=dry_run)


def subtree_sum(unit: OrgUnit, indicator: Indicator, day: date) -> int:
    """Brute force: the counted values of the unit's subtree on ``day``."""
    rows = IndicatorValue.objects.filter(
        unit__path__startswith=unit.path, indicator=indicator, date=day, counted=True
    ).values_list("value", flat=True)
    return sum(rows)


def rollup(unit: OrgUnit, indicator: Indicator, day: date) -> int:
    found = Rollup.objects.filter(
        unit_id=unit.pk, indicator_id=indicator.pk, grain=Grain.DAY, bucket=day.year * 10000 + day.month * 100 + day.day
    ).first()
    return found.submitted if found else 0


def test_dry_run_then_import_then_reimport(demo_user: Any, programme: Programme) -> None:
    user = demo_user("hanoi.ccb")
    hanoi = OrgUnit.objects.get(code="CCB-HANOI")
    commune = OrgUnit.objects.filter(path__startswith=hanoi.path, depth=hanoi.depth + 1, valid_to__isnull=True).first()
    day = free_day(commune)
    t = table(
        [
            row("HN-001", "CCB-HANOI", day),
            row("HN-002", commune.code, day, (1, 30, None)),
            # by name, without diacritics
            row("HN-003", fold(hanoi.name), day, (5, 1000, 2)),
        ]
    )
    activities, values, logs = Activity.objects.count(), IndicatorValue.objects.count(), ActionLog.objects.count()
    runs = ActionLog.objects.filter(action="import.run").count()  # the demo's own imports

    dry = run(user, programme, t, dry_run=True)
    assert dry.errors == []
    assert (dry.created, dry.updated, dry.unchanged) == (3, 0, 0)
    assert Activity.objects.count() == activities and IndicatorValue.objects.count() == values
    assert ActionLog.objects.count() == logs

    done = run(user, programme, t)
    assert done.errors == [] and (done.created, done.updated, done.unchanged) == (3, 0, 0)
    assert Activity.objects.count() == activities + 3
    assert IndicatorValue.objects.count() == values + 8
    imported = Activity.objects.get(phase__programme=programme, external_id="HN-002")
    assert imported.status == ActivityStatus.SUBMITTED
    assert imported.lead_unit == commune
    assert list(imported.partners.values_list("code", flat=True)) == ["QS-HANOI"]
    assert imported.search_text  # filled as the model's save fills it
    assert imported.history.count() == 1
    assert ActionLog.objects.filter(action="import.run").count() == runs + 1
    # Roll-ups equal brute-force sums, for the province and the commune, and everywhere.
    for code in CODES:
        indicator = Indicator.objects.get(programme=programme, code=code)
        for unit in (hanoi, commune):
            assert rollup(unit, indicator, day) == subtree_sum(unit, indicator, day)
    assert check_rollups() is None

    again = run(user, programme, t)
    assert again.errors == [] and (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Activity.objects.count() == activities + 3
    assert check_rollups() is None

    # A changed row updates its activity by external id; the roll-ups follow.
    changed = table(
        [
            row("HN-001", "CCB-HANOI", day),
            row("HN-002", commune.code, day, (4, None, 3), partners=""),
            row("HN-003", hanoi.name, day, (5, 1000, 2)),
        ]
    )
    refused = run(user, programme, changed, dry_run=True).errors  # the partners' participants need partners
    assert [(e.row, e.column) for e in refused] == [(3, "participants_partner")]
    changed.rows[1][1][8] = 0
    result = run(user, programme, changed)
    assert result.errors == [] and (result.created, result.updated, result.unchanged) == (0, 1, 2)
    imported.refresh_from_db()
    assert imported.version == 2 and imported.partners.count() == 0
    assert sorted(imported.values.values_list("indicator__code", "value")) == [("tt-buoi", 4), ("xh-nha", 3)]
    assert check_rollups() is None
    for code in CODES:
        indicator = Indicator.objects.get(programme=programme, code=code)
        assert rollup(hanoi, indicator, day) == subtree_sum(hanoi, indicator, day)


def test_one_bad_row_imports_nothing_and_names_the_row(demo_user: Any, programme: Programme) -> None:
    user = demo_user("hanoi.ccb")
    day = free_day(OrgUnit.objects.get(code="CCB-HANOI"))
    t = table(
        [
            row("HN-101", "CCB-HANOI", day),
            row("HN-102", "CCB-HANOI", day, (1, -5, 1)),
            row("HN-103", "CCB-HANOI", day),
            row("HN-104", "CCB-HANOI", day, end=date(2030, 1, 1)),
        ]
    )
    before = Activity.objects.count(), IndicatorValue.objects.count(), Rollup.objects.count()
    for dry_run in (True, False):
        result = run(user, programme, t, dry_run=dry_run)
        assert {e.row for e in result.errors} == {3, 5}
        bad = next(e for e in result.errors if e.row == 3)
        assert bad.column == "tt-luot" and bad.value == "-5"
        late = next(e for e in result.errors if e.row == 5)
        assert late.column == "Đến ngày" and "giai đoạn" in late.message
        assert (Activity.objects.count(), IndicatorValue.objects.count(), Rollup.objects.count()) == before


def test_a_hanoi_user_cannot_import_activities_led_by_ca_mau(demo_user: Any, programme: Programme) -> None:
    user = demo_user("hanoi.ccb")
    day = free_day(OrgUnit.objects.get(code="CCB-HANOI"))
    t = table(
        [
            row("X-1", "CCB-HANOI", day),
            row("X-2", "CCB-CAMAU", day, partners=""),
            row("X-3", "QS-HANOI", day, partners=""),  # a counterpart: readable, not theirs to record
        ]
    )
    before = Activity.objects.count()
    result = run(user, programme, t)
    assert [(e.row, e.column) for e in result.errors] == [(3, "Đơn vị chủ trì"), (4, "Đơn vị chủ trì")]
    assert "phạm vi của bạn" in result.errors[0].message and "CCB-CAMAU" in result.errors[0].message
    assert "Cà Mau" not in result.errors[0].message  # nothing said about a unit out of scope
    assert "không thuộc phạm vi của bạn" in result.errors[1].message
    assert Activity.objects.count() == before


def test_unknown_and_missing_columns_are_refused(demo_user: Any, programme: Programme) -> None:
    user = demo_user("hanoi.ccb")
    t = Table(
        headers=["Mã hoạt động", "Tên hoạt động", "Màu sắc"], rows=[(2, ["A", "B", "C"])], source_encoding="utf-8"
    )
    result = run(user, programme, t, dry_run=True)
    messages = " ".join(e.message for e in result.errors)
    assert "Màu sắc" in messages and "Giai đoạn" in messages and "Đơn vị chủ trì" in messages
    assert all(e.row == 1 for e in result.errors)
