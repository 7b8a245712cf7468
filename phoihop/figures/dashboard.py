"""The dashboard's data: totals by field, the trend by month, children, sides and the provinces.

Assembly only, over ``selectors`` (no writes). Every unit it names is one the user may read
(``phoihop.figures.permissions.figure_units``). The figures come from a bounded number of reads whatever the
number of children: one ``totals`` call for the table and the sides, one for the children, one
for the provinces' tile grid, and one monthly series.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.core.formats import vn_date
from phoihop.core.scoping import collapse_prefixes, get_scope
from phoihop.core.text import sort_key
from phoihop.figures import selectors
from phoihop.figures.periods import Period, PeriodKind, decree09_period, month_end
from phoihop.figures.permissions import figure_units
from phoihop.figures.selectors import View
from phoihop.orgunits.counterparts import counterparts_of
from phoihop.orgunits.models import AdminAreaKind, OrgUnit
from phoihop.orgunits.selectors import unit_ancestors
from phoihop.programmes.models import Field, Indicator, Phase, PhaseStatus, Programme, Target
from phoihop.programmes.selectors import party_roots, programmes_covering

TILES_FILE = Path(__file__).parent / "data" / "province_tiles.json"
# Colour classes of the tile grid (0: nothing recorded), light to dark.
MAP_CLASSES = 5
# Where a system administrator's dashboard opens, and the programme shown first: settings may
# name others (the defaults are the demo's association root and national programme).
DEFAULT_ADMIN_UNIT = "CCB-TW"
DEFAULT_PROGRAMME = "QDND-CCB"

PERIOD_PHASE = "phase"


# --- what to show --------------------------------------------------------------------------


def default_unit(user: Any, units: Any = None) -> OrgUnit | None:
    """The user's first unit; for a system administrator, the association's root. Read from
    ``units`` when given (the dashboard passes the units whose figures the user reads, so the
    unit is read once), else from the units the user may view."""
    scope = get_scope(user)
    if units is None:
        units = OrgUnit.objects.restrict(user, "view")
    if scope.is_system_admin:
        code = getattr(settings, "PHOIHOP_DASHBOARD_ADMIN_UNIT", DEFAULT_ADMIN_UNIT)
        return units.filter(code=code).first() or units.filter(depth=1).order_by("path").first()
    paths = collapse_prefixes(g.path for g in scope.grants)
    return units.filter(path=paths[0]).first() if paths else None


def programmes_for(user: Any, unit: OrgUnit) -> list[Programme]:
    """The programmes whose parties cover the unit (a party's root at or above it), as seen by the user."""
    return list(programmes_covering(user=user, unit=unit).order_by("code"))


def default_programme(programmes: Sequence[Programme]) -> Programme | None:
    code = getattr(settings, "PHOIHOP_DEFAULT_PROGRAMME", DEFAULT_PROGRAMME)
    return next((p for p in programmes if p.code == code), programmes[0] if programmes else None)


def default_phase(phases: Sequence[Phase], today: date) -> Phase | None:
    """The active phase; else the one running today; else the latest."""
    for phase in phases:
        if phase.status == PhaseStatus.ACTIVE:
            return phase
    for phase in phases:
        if phase.start <= today <= phase.end:
            return phase
    return phases[-1] if phases else None


def year_choices(phases: Sequence[Phase], today: date) -> list[int]:
    """Decree 09 years (15/12 of the year before to 14/12) met by the programme's phases."""
    first = min((p.start for p in phases), default=today)
    last = max((p.end for p in phases), default=today)
    return list(range(first.year, max(last, today).year + 1))


def phase_period(phase: Phase) -> Period:
    return Period(PERIOD_PHASE, phase.start, phase.end, _("Giai đoạn %(name)s") % {"name": phase.name})


def custom_period(start: date, end: date) -> Period:
    label = _("Từ %(start)s đến %(end)s") % {"start": vn_date(start), "end": vn_date(end)}
    return Period(PeriodKind.CUSTOM, start, end, label)


def half_period(year: int, half: int) -> Period:
    return decree09_period(PeriodKind.HALF, year, half)


def year_period(year: int) -> Period:
    return decree09_period(PeriodKind.YEAR, year)


def target_phase(period: Period, phases: Sequence[Phase], chosen: Phase | None) -> Phase | None:
    """The phase whose targets the period is measured against: the chosen phase, else the one
    holding the period's last day (a year or a half counts towards its phase's targets)."""
    if period.kind == PERIOD_PHASE:
        return chosen
    return next((p for p in phases if p.start <= period.end <= p.end), None)


@dataclass(frozen=True)
class Choice:
    """What the dashboard shows: programme, period, view of the tree and which figures."""

    programme: Programme
    period: Period
    target_phase: Phase | None
    view: View
    approved: bool
    indicators: list[Indicator]
    indicator: Indicator | None  # the one drawn for the children and the provinces
    trend_indicators: list[Indicator]


# --- the parts -----------------------------------------------------------------------------


@dataclass
class IndicatorRow:
    indicator: Indicator
    total: int
    target: Decimal | None = None

    @property
    def percent(self) -> Decimal | None:
        if not self.target:
            return None
        return (Decimal(self.total) * 100 / self.target).quantize(Decimal("0.1"))

    @property
    def bar(self) -> int:
        """Width of the progress bar, in per cent (capped at 100)."""
        return min(100, int(self.percent or 0))


@dataclass
class FieldGroup:
    field: Field
    rows: list[IndicatorRow]


@dataclass(frozen=True)
class Side:
    """A column of "Theo bên phối hợp": a party's root or a counterpart unit, and whether the
    reader may see its figures (when not, the column says so; it never shows 0)."""

    unit: OrgUnit
    visible: bool


@dataclass
class SideRow:
    indicator: Indicator
    values: list[int | None]  # None: the reader may not see that side's figures

    @property
    def total(self) -> int:
        """The total of the sides the reader sees."""
        return sum(v for v in self.values if v is not None)

    @property
    def complete(self) -> bool:
        return all(v is not None for v in self.values)

    @property
    def shares(self) -> list[float]:
        total = self.total
        return [round(100 * v / total, 1) if total and v is not None else 0.0 for v in self.values]


@dataclass
class ChildFigure:
    unit_id: int
    code: str
    name: str
    closed: bool
    value: int
    share: Decimal | None
    sort_name: str


@dataclass
class Tile:
    state_code: str
    col: int
    row: int
    label: str
    unit: OrgUnit | None = None
    value: int | None = None
    level: int = 0

    @property
    def name(self) -> str:
        return self.unit.display_name if self.unit else self.label


@dataclass
class ProvinceMap:
    columns: int
    rows: int
    tiles: list[Tile]
    legend: list[tuple[int, int, int]]  # (class, from, to)
    maximum: int

    @property
    def ranking(self) -> list[Tile]:
        """The provinces with figures, largest first (at most ten)."""
        drawn = [t for t in self.tiles if t.unit is not None and t.value]
        return sorted(drawn, key=lambda t: (-(t.value or 0), sort_key(t.name)))[:10]


@dataclass
class Dashboard:
    unit: OrgUnit
    choice: Choice
    fields: list[FieldGroup]
    unit_totals: dict[int, int]  # indicator id -> total
    sides: list[Side]
    side_rows: list[SideRow]
    children: list[ChildFigure]
    children_rest: int
    children_all_visible: bool
    trend: dict[str, Any]
    province_map: ProvinceMap | None
    ancestors: list[OrgUnit] = field(default_factory=list)
    visible_ancestor_ids: set[int] = field(default_factory=set)

    @property
    def indicator_total(self) -> int:
        indicator = self.choice.indicator
        return self.unit_totals.get(indicator.pk, 0) if indicator else 0

    @property
    def children_sorted(self) -> list[ChildFigure]:
        """Largest first; equal values in Vietnamese alphabetical order."""
        return sorted(self.children, key=lambda c: (-c.value, c.sort_name))


# Children's names sort the Vietnamese way; the same names come back on every request.
_name_key = functools.lru_cache(maxsize=50_000)(sort_key)


@functools.cache
def province_tiles() -> tuple[int, int, dict[str, tuple[int, int, str]]]:
    """The hand-made tile layout: (columns, rows, state code -> (col, row, label))."""
    data = json.loads(TILES_FILE.read_text(encoding="utf-8"))
    tiles = {code: (t["col"], t["row"], t["label"]) for code, t in data["tiles"].items()}
    return data["columns"], data["rows"], tiles


def field_groups(
    indicators: Sequence[Indicator], totals: dict[int, int], targets: dict[int, Decimal]
) -> list[FieldGroup]:
    groups: list[FieldGroup] = []
    for indicator in indicators:
        if not groups or groups[-1].field.pk != indicator.field_id:
            groups.append(FieldGroup(indicator.field, []))
        groups[-1].rows.append(IndicatorRow(indicator, totals.get(indicator.pk, 0), targets.get(indicator.pk)))
    return groups


def side_candidates(unit: OrgUnit, programme: Programme, today: date) -> list[OrgUnit]:
    """The sides of "Theo bên phối hợp", before asking which the reader may see: at an
    organisation's root, the programme's parties' roots (the unit first); elsewhere the unit and
    its counterparts (active pairs)."""
    if unit.depth == 1:
        others = [root for root in party_roots(programme.pk) if root.pk != unit.pk]
    else:
        others = counterparts_of(unit, today)
    return [unit, *others]


def readable_ids(user: Any, unit_ids: Sequence[int]) -> set[int]:
    """Which of the units the user reads the figures of (phoihop/figures/permissions.py), in
    one query for everything a page names."""
    if not unit_ids:
        return set()
    return set(figure_units(user).filter(pk__in=sorted(set(unit_ids))).values_list("pk", flat=True))


def side_units(user: Any, unit: OrgUnit, programme: Programme, today: date) -> list[Side]:
    """The sides, each saying whether the reader may see its figures."""
    units = side_candidates(unit, programme, today)
    visible = readable_ids(user, [u.pk for u in units])
    return [Side(u, u.pk in visible) for u in units]


def trend_data(
    unit: OrgUnit, indicators: Sequence[Indicator], period: Period, view: View, approved: bool, today: date
) -> dict[str, Any]:
    """The monthly series of the period, up to the month of ``today``: no month still to come is
    drawn (it would read as 0). A month is partial when the period holds only part of it (a phase
    or a Decree 09 year starting mid-month) or when it has not ended yet (the current month)."""
    end = min(period.end, month_end(today))
    months = selectors.months_between(period.start, end) if period.start <= end else []
    series = (
        selectors.monthly_series(
            unit_id=unit.pk,
            indicator_ids=[i.pk for i in indicators],
            start=period.start,
            end=end,
            view=view,
            approved=approved,
        )
        if indicators and months
        else {}
    )
    partial = []
    for m in months:
        first = date(m // 100, m % 100, 1)
        last = month_end(first)
        partial.append(period.start > first or period.end < last or today < last)
    return {
        "months": [f"{m % 100}/{m // 100}" for m in months],
        "partial": partial,
        "series": [
            {
                "name": indicator.name,
                "unit": indicator.unit_of_measure,
                "data": [series.get(indicator.pk, {}).get(m, 0) for m in months],
            }
            for indicator in indicators
        ],
    }


def children_figures(
    rows: Sequence[selectors.ChildRow],
    visible: set[int],
    indicator: Indicator | None,
    period: Period,
    view: View,
    approved: bool,
    total: int,
) -> tuple[list[ChildFigure], int, bool]:
    """The children of the unit in the chosen view (``rows``) with the indicator's totals, the
    part of the unit's total no listed child holds, and whether every child could be listed
    (``visible``: the units whose figures the reader reads)."""
    if not rows or indicator is None:
        return [], total, True
    shown = [r for r in rows if r.unit_id in visible]
    values = (
        selectors.totals(
            unit_ids=[r.unit_id for r in shown],
            indicator_ids=[indicator.pk],
            start=period.start,
            end=period.end,
            view=view,
            approved=approved,
        )
        if shown
        else {}
    )
    children = []
    for r in shown:
        value = values.get((r.unit_id, indicator.pk), 0)
        share = (Decimal(value) * 100 / total).quantize(Decimal("0.1")) if total else None
        children.append(ChildFigure(r.unit_id, r.code, r.name, r.closed, value, share, _name_key(r.name)))
    rest = total - sum(c.value for c in children)
    return children, rest, len(shown) == len(rows)


def province_map(
    user: Any, unit: OrgUnit, indicator: Indicator | None, period: Period, approved: bool
) -> ProvinceMap | None:
    """The 34 provinces of the unit's organisation inside its subtree, coloured by the indicator.

    Drawn on an organisation's root and on units whose children are provinces. Always in
    today's tree: the tiles are today's provinces, and the figures of the provinces merged in
    2025 count under the province that took them in.
    """
    if indicator is None:
        return None
    area = unit.area if unit.area_id else None
    if not unit.is_root() and area is not None and area.kind in (AdminAreaKind.CITY, AdminAreaKind.PROVINCE):
        return None  # a province's units below it are never provinces: no query to find out
    columns, rows, layout = province_tiles()
    provinces = list(
        figure_units(user)
        .filter(
            organisation_id=unit.organisation_id,
            path__startswith=unit.path,
            depth__gt=unit.depth,
            valid_to__isnull=True,
            area__state_code__in=list(layout),
            area__valid_to__isnull=True,
            area__kind__in=[AdminAreaKind.CITY, AdminAreaKind.PROVINCE],
        )
        .select_related("area")
        .order_by("path")
    )
    if not unit.is_root() and not any(p.depth == unit.depth + 1 for p in provinces):
        return None
    by_code: dict[str, OrgUnit] = {}
    for p in provinces:
        assert p.area is not None
        by_code.setdefault(p.area.state_code, p)
    values = selectors.totals(
        unit_ids=[p.pk for p in by_code.values()],
        indicator_ids=[indicator.pk],
        start=period.start,
        end=period.end,
        view="today",
        approved=approved,
    )
    maximum = max((values.get((p.pk, indicator.pk), 0) for p in by_code.values()), default=0)
    tiles = []
    for code, (col, row, label) in sorted(layout.items(), key=lambda kv: (kv[1][1], kv[1][0])):
        tile = Tile(code, col, row, label)
        province = by_code.get(code)
        if province is not None:
            tile.unit = province
            tile.value = values.get((province.pk, indicator.pk), 0)
            tile.level = math.ceil(MAP_CLASSES * tile.value / maximum) if maximum and tile.value > 0 else 0
        tiles.append(tile)
    legend = (
        [
            (k, math.floor(maximum * (k - 1) / MAP_CLASSES) + 1, math.floor(maximum * k / MAP_CLASSES))
            for k in range(1, MAP_CLASSES + 1)
        ]
        if maximum >= MAP_CLASSES
        else []
    )
    return ProvinceMap(columns, rows, tiles, legend, maximum)


def build(user: Any, unit: OrgUnit, choice: Choice) -> Dashboard:
    """Everything the dashboard shows for the unit and the choice."""
    period, view, approved = choice.period, choice.view, choice.approved
    today = timezone.localdate()
    indicators = choice.indicators
    # Every unit the page names, and which of them the reader may see: one query.
    candidates = side_candidates(unit, choice.programme, today)
    child_rows = selectors.child_units(unit, view=view, start=period.start, end=period.end)
    ancestors = list(unit_ancestors(unit=unit))
    visible = readable_ids(
        user, [u.pk for u in candidates] + [r.unit_id for r in child_rows] + [a.pk for a in ancestors]
    )
    sides = [Side(u, u.pk in visible) for u in candidates]
    all_totals = selectors.totals(
        unit_ids=[s.unit.pk for s in sides if s.visible] or [unit.pk],
        indicator_ids=[i.pk for i in indicators],
        start=period.start,
        end=period.end,
        view=view,
        approved=approved,
    )
    unit_totals = {i.pk: all_totals.get((unit.pk, i.pk), 0) for i in indicators}
    targets: dict[int, Decimal] = {}
    if choice.target_phase is not None:
        targets = dict(
            Target.objects.restrict(user, "view")
            .filter(phase=choice.target_phase, unit=unit)
            .values_list("indicator_id", "value")
        )
    side_rows = [
        SideRow(i, [all_totals.get((s.unit.pk, i.pk), 0) if s.visible else None for s in sides]) for i in indicators
    ]
    chosen_total = unit_totals.get(choice.indicator.pk, 0) if choice.indicator else 0
    children, rest, all_visible = children_figures(
        child_rows, visible, choice.indicator, period, view, approved, chosen_total
    )
    visible_ancestors = {a.pk for a in ancestors if a.pk in visible}
    return Dashboard(
        unit=unit,
        choice=choice,
        fields=field_groups(indicators, unit_totals, targets),
        unit_totals=unit_totals,
        sides=sides,
        side_rows=side_rows,
        children=children,
        children_rest=rest,
        children_all_visible=all_visible,
        trend=trend_data(unit, choice.trend_indicators, period, view, approved, today),
        province_map=province_map(user, unit, choice.indicator, period, approved),
        ancestors=ancestors,
        visible_ancestor_ids=visible_ancestors,
    )
