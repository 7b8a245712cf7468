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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.core import statements
from phoihop.core.formats import vn_date
from phoihop.core.gate import PROGRAMME_DATA, STRUCTURE
from phoihop.core.permissions import perms
from phoihop.core.scoping import collapse_prefixes, get_scope
from phoihop.core.text import sort_key
from phoihop.figures import selectors
from phoihop.figures.periods import Period, PeriodKind, decree09_period, month_end
from phoihop.figures.permissions import figure_units
from phoihop.figures.selectors import View
from phoihop.orgunits.counterparts import counterparts_of
from phoihop.orgunits.models import AdminArea, AdminAreaKind, Organisation, OrgUnit
from phoihop.orgunits.selectors import unit_ancestors
from phoihop.programmes.models import Field, Indicator, Phase, PhaseStatus, Programme, Target
from phoihop.programmes.selectors import parties_in_order, programmes_covering

TILES_FILE = Path(__file__).parent / "data" / "province_tiles.json"
# Colour classes of the tile grid (0: nothing recorded), light to dark.
MAP_CLASSES = 5
# Where a system administrator's dashboard opens, and the programme shown first: settings may
# name others (the defaults are the demo's association root and national programme).
DEFAULT_ADMIN_UNIT = "CCB-TW"
DEFAULT_PROGRAMME = "QDND-CCB"

PERIOD_PHASE = "phase"


# --- what to show --------------------------------------------------------------------------


# The unit a dashboard shows: its organisation (the heading), successor (a closed unit's
# notice) and administrative area (whether a tile grid is drawn), read with it.
UNIT_RELATED = ("organisation", "successor", "area")
# The reason to read a unit without the gate's filter: figure_units' first rule decides it
# from the reader's own scope (``perms(user).reaches``), before it is read.
OWN_UNIT = "a unit of the reader's own subtrees: they read its figures (figure_units' first rule)"
ASKED_UNIT = "the unit asked for by id: shown only if the reader reads its figures, else 404 (dashboard_unit)"


def _unit_read(key: tuple[Any, ...], units: Any) -> OrgUnit | None:
    """The first unit of the queryset ``units`` makes, with ``UNIT_RELATED`` (its statement kept)."""
    columns = (
        *statements.attnames(OrgUnit),
        *statements.attnames(Organisation, "organisation__"),
        *statements.attnames(OrgUnit, "successor__"),
        *statements.attnames(AdminArea, "area__"),
    )
    found = statements.rows(key, lambda: units().values(*columns)[:1])
    if not found:
        return None
    row = found[0]
    unit: OrgUnit = statements.instances(OrgUnit, found)[0]
    unit.organisation = statements.instances(Organisation, found, "organisation__")[0]
    unit.successor = (
        statements.instances(OrgUnit, found, "successor__")[0] if row["successor__id"] is not None else None
    )
    unit.area = statements.instances(AdminArea, found, "area__")[0] if row["area__id"] is not None else None
    return unit


def default_unit(user: Any) -> OrgUnit | None:
    """The user's first unit, with ``UNIT_RELATED``; for a system administrator, the association's
    root. One the user reads the figures of: a role's unit lies in the user's own subtree (read
    without the gate's filter, the rule decided from their scope); otherwise through
    ``figure_units``."""
    scope = get_scope(user)
    key = statements.plan_key(user, timezone.localdate())
    if scope.is_system_admin:
        code = getattr(settings, "PHOIHOP_DASHBOARD_ADMIN_UNIT", DEFAULT_ADMIN_UNIT)
        return _unit_read(
            ("default unit", figure_units, key, code), lambda: figure_units(user).filter(code=code)
        ) or _unit_read(("first root", figure_units, key), lambda: figure_units(user).filter(depth=1).order_by("path"))
    paths = collapse_prefixes(g.path for g in scope.grants)
    if not paths:
        return None
    path = paths[0]
    if perms(user).reaches(path, "view"):
        return _unit_read(("own unit", path), lambda: OrgUnit.objects.unrestricted(OWN_UNIT).filter(path=path))
    return _unit_read(("default unit", figure_units, key, path), lambda: figure_units(user).filter(path=path))


def dashboard_unit(user: Any, pk: int) -> OrgUnit | None:
    """The unit ``pk`` with ``UNIT_RELATED`` if the user reads its figures (else None: 404),
    asked as the page asks about every unit it names (``readable_ids``)."""
    unit = _unit_read(("unit", pk), lambda: OrgUnit.objects.unrestricted(ASKED_UNIT).filter(pk=pk))
    if unit is None or unit.pk not in readable_ids(user, [unit.pk], {unit.pk: unit.path}):
        return None
    return unit


def programmes_for(user: Any, unit: OrgUnit) -> list[Programme]:
    """The programmes whose parties cover the unit (a party's root at or above it), as seen by the user."""
    found = statements.rows(
        ("programmes", statements.plan_key(user, timezone.localdate()), unit.path),
        lambda: programmes_covering(user=user, unit=unit).order_by("code").values(*statements.attnames(Programme)),
    )
    return statements.instances(Programme, found)


def phases_of(programme: Programme) -> list[Phase]:
    """The programme's phases, oldest first (reference data of a programme the user reads)."""
    found = statements.rows(
        ("phases", programme.pk),
        lambda: (
            Phase.objects.unrestricted(PROGRAMME_DATA)
            .filter(programme_id=programme.pk)
            .order_by("start")
            .values(*statements.attnames(Phase))
        ),
    )
    return statements.instances(Phase, found)


def indicators_of(user: Any, programme: Programme) -> list[Indicator]:
    """The programme's indicators the user reads, field by field, each with its field."""
    found = statements.rows(
        ("indicators", statements.plan_key(user, timezone.localdate()), programme.pk),
        lambda: (
            Indicator.objects.restrict(user, "view")
            .filter(programme=programme)
            .order_by("field__order", "field__code", "order", "code")
            .values(*statements.attnames(Indicator), *statements.attnames(Field, "field__"))
        ),
    )
    indicators = statements.instances(Indicator, found)
    firsts = {row["field__id"]: row for row in found}  # each field once
    fields = {f.pk: f for f in statements.instances(Field, list(firsts.values()), "field__")}
    for indicator in indicators:
        indicator.field = fields[indicator.field_id]
    return indicators


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


@dataclass(frozen=True)
class ProvinceRow:
    """A unit the tile grid may draw: a province or city of today inside the unit's subtree.
    A tile's unit (what a tile shows of it: its id, code and names)."""

    unit_id: int
    code: str
    name: str
    short_name: str
    path: str
    depth: int
    state_code: str

    @property
    def pk(self) -> int:
        return self.unit_id

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


@dataclass
class Tile:
    state_code: str
    col: int
    row: int
    label: str
    unit: ProvinceRow | None = None
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

    @functools.cached_property
    def ranking(self) -> list[Tile]:
        """The provinces with figures, largest first (at most ten)."""
        drawn = [t for t in self.tiles if t.unit is not None and t.value]
        return sorted(drawn, key=lambda t: (-(t.value or 0), _name_key(t.name)))[:10]


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
    ancestors: list[Ancestor] = field(default_factory=list)
    visible_ancestor_ids: set[int] = field(default_factory=set)

    @property
    def indicator_total(self) -> int:
        indicator = self.choice.indicator
        return self.unit_totals.get(indicator.pk, 0) if indicator else 0

    @functools.cached_property
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
        others = [root for root in programme_roots(programme.pk) if root.pk != unit.pk]
    else:
        others = counterparts_of(unit, today)
    return [unit, *others]


def programme_roots(programme_id: int) -> list[OrgUnit]:
    """``party_roots``: the root units of the programme's parties in their order, its statement
    kept (``programmes.selectors.parties_in_order``, the programme's reference data)."""
    found = statements.rows(
        ("party roots", programme_id),
        lambda: parties_in_order(programme_id).values(*statements.attnames(OrgUnit, "root_unit__")),
    )
    return statements.instances(OrgUnit, found, "root_unit__")


def readable_ids(user: Any, unit_ids: Sequence[int], paths: Mapping[int, str] | None = None) -> set[int]:
    """Which of the units the user reads the figures of (phoihop/figures/permissions.py), in
    one query for everything a page names. A unit whose path ``paths`` gives and which lies in
    the user's own subtrees is theirs without asking (``figure_units``' first rule, decided from
    their scope by ``perms(user).reaches``: every unit for a system administrator)."""
    wanted = set(unit_ids)
    if not wanted:
        return set()
    known = {uid: paths[uid] for uid in wanted if uid in paths} if paths else {}
    reached = perms(user).reaches_all(known.values(), "view")
    readable = {uid for uid, path in known.items() if path in reached}
    rest = sorted(wanted - readable)
    if rest:
        found = statements.rows(
            ("readable", figure_units, statements.plan_key(user, timezone.localdate()), tuple(rest)),
            lambda: figure_units(user).filter(pk__in=rest).order_by().values("pk"),
        )
        readable.update(row["pk"] for row in found)
    return readable


def with_organisations(units: Sequence[OrgUnit]) -> None:
    """Give each unit its organisation (the sides' column heads name it), all read at once."""
    missing = [u for u in units if not OrgUnit.organisation.is_cached(u)]
    if not missing:
        return
    ids = tuple(sorted({u.organisation_id for u in missing}))
    found = statements.rows(
        ("organisations", ids),
        lambda: Organisation.objects.filter(pk__in=ids).values(*statements.attnames(Organisation)),
    )
    by_id = {o.pk: o for o in statements.instances(Organisation, found)}
    for u in missing:
        if u.organisation_id in by_id:
            u.organisation = by_id[u.organisation_id]


def side_units(user: Any, unit: OrgUnit, programme: Programme, today: date) -> list[Side]:
    """The sides, each saying whether the reader may see its figures."""
    units = side_candidates(unit, programme, today)
    visible = readable_ids(user, [u.pk for u in units])
    return [Side(u, u.pk in visible) for u in units]


def trend_data(
    unit: OrgUnit,
    indicators: Sequence[Indicator],
    period: Period,
    view: View,
    approved: bool,
    today: date,
    terms: Sequence[tuple[int, int]] | None = None,
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
            terms=terms,
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
    values: dict[tuple[int, int], int],
    total: int,
) -> tuple[list[ChildFigure], int, bool]:
    """The children of the unit in the chosen view (``rows``) with the indicator's totals
    (``values``, by (unit, indicator)), the part of the unit's total no listed child holds, and
    whether every child could be listed (``visible``: the units whose figures the reader reads)."""
    if not rows or indicator is None:
        return [], total, True
    shown = [r for r in rows if r.unit_id in visible]
    children = []
    for r in shown:
        value = values.get((r.unit_id, indicator.pk), 0)
        share = (Decimal(value) * 100 / total).quantize(Decimal("0.1")) if total else None
        children.append(ChildFigure(r.unit_id, r.code, r.name, r.closed, value, share, _name_key(r.name)))
    rest = total - sum(c.value for c in children)
    return children, rest, len(shown) == len(rows)


def province_rows(unit: OrgUnit, indicator: Indicator | None) -> list[ProvinceRow] | None:
    """The units the tile grid of ``unit`` may draw, before asking which the reader may see;
    None when the unit gets no tile grid (no indicator, or a province or a unit below one).

    Always today's provinces (``province_map``). Names and codes only: the grid draws those
    whose figures the reader reads (``readable_ids``), as ``figure_units`` would filter them.
    """
    if indicator is None:
        return None
    area = unit.area if unit.area_id else None
    if not unit.is_root() and area is not None and area.kind in (AdminAreaKind.CITY, AdminAreaKind.PROVINCE):
        return None  # a province's units below it are never provinces: no query to find out
    _columns, _rows, layout = province_tiles()
    columns = ("organisation_id", "pk", "code", "name", "short_name", "path", "depth", "area__state_code")
    found = statements.rows(
        ("provinces", unit.path, unit.depth),
        lambda: (
            OrgUnit.objects.unrestricted(STRUCTURE)
            .filter(
                path__startswith=unit.path,
                depth__gt=unit.depth,
                valid_to__isnull=True,
                area__state_code__in=list(layout),
                area__valid_to__isnull=True,
                area__kind__in=[AdminAreaKind.CITY, AdminAreaKind.PROVINCE],
            )
            .order_by("path")
            .values(*columns)
        ),
    )
    # The unit's organisation, compared here: in the query, SQLite would read the whole
    # organisation's units by its index instead of the 34 provinces' areas.
    return [
        ProvinceRow(*(row[c] for c in columns[1:])) for row in found if row["organisation_id"] == unit.organisation_id
    ]


@dataclass(frozen=True)
class Ancestor:
    """A unit above the dashboard's unit: its names and code (a breadcrumb)."""

    pk: int
    code: str
    name: str
    short_name: str
    path: str

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


def ancestors_of(unit: OrgUnit) -> list[Ancestor]:
    """The chain above the unit, root first (names and codes: ``unit_ancestors``)."""
    if unit.depth <= 1:
        return []
    columns = ("pk", "code", "name", "short_name", "path")
    found = statements.rows(("ancestors", unit.path), lambda: unit_ancestors(unit=unit).values(*columns))
    return [Ancestor(*(row[c] for c in columns)) for row in found]


def province_map(
    unit: OrgUnit, indicator: Indicator | None, provinces: Sequence[ProvinceRow], values: dict[tuple[int, int], int]
) -> ProvinceMap | None:
    """The 34 provinces of the unit's organisation inside its subtree, coloured by the indicator.

    Drawn on an organisation's root and on units whose children are provinces. Always in
    today's tree: the tiles are today's provinces, and the figures of the provinces merged in
    2025 count under the province that took them in. ``provinces``: those the reader may see
    (``province_rows``), in path order; ``values``: their totals in today's tree.
    """
    if indicator is None:
        return None
    columns, rows, layout = province_tiles()
    if not unit.is_root() and not any(p.depth == unit.depth + 1 for p in provinces):
        return None
    by_code: dict[str, ProvinceRow] = {}
    for p in provinces:
        by_code.setdefault(p.state_code, p)
    maximum = max((values.get((p.unit_id, indicator.pk), 0) for p in by_code.values()), default=0)
    tiles = []
    for code, (col, row, label) in sorted(layout.items(), key=lambda kv: (kv[1][1], kv[1][0])):
        tile = Tile(code, col, row, label)
        province = by_code.get(code)
        if province is not None:
            tile.unit = province
            tile.value = values.get((province.unit_id, indicator.pk), 0)
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
    """Everything the dashboard shows for the unit and the choice.

    The reads, whatever the number of children: the sides, the children, the ancestors and
    the provinces the tile grid may draw (names and codes); which of them the reader may see
    (one query); the tree's terms of every unit summed (``selectors.sources_for``, paths
    already read); every roll-up sum in one query (every indicator for the sides, the chosen
    one for the children and the provinces); the targets; the monthly series.
    """
    period, view, approved = choice.period, choice.view, choice.approved
    today = timezone.localdate()
    indicators = choice.indicators
    indicator = choice.indicator
    # Every unit the page names, and which of them the reader may see: one query.
    candidates = side_candidates(unit, choice.programme, today)
    with_organisations(candidates)
    child_rows = selectors.child_units(unit, view=view, start=period.start, end=period.end)
    ancestors = ancestors_of(unit)
    provinces = province_rows(unit, indicator)
    paths = {unit.pk: unit.path, **{u.pk: u.path for u in candidates}}
    paths.update((a.pk, a.path) for a in ancestors)
    paths.update((r.unit_id, r.path) for r in child_rows)
    paths.update((p.unit_id, p.path) for p in provinces or ())
    visible = readable_ids(user, list(paths), paths)
    sides = [Side(u, u.pk in visible) for u in candidates]
    side_ids = [s.unit.pk for s in sides if s.visible] or [unit.pk]
    shown_children = [r for r in child_rows if r.unit_id in visible]
    shown_provinces = [p for p in provinces or () if p.unit_id in visible]

    # The roll-up rows each total adds up, in the chosen view (today's tree for the provinces).
    in_view = [*side_ids, unit.pk, *(r.unit_id for r in shown_children)]
    province_ids = [p.unit_id for p in shown_provinces]
    if view == "today":
        sources = selectors.sources_for([*in_view, *province_ids], view, paths=paths)
        province_sources = sources
    else:
        sources = selectors.sources_for(in_view, view, paths=paths)
        province_sources = selectors.sources_for(province_ids, "today", paths=paths) if province_ids else {}

    # Every sum in one read: all indicators for the sides, the chosen one for the rest.
    indicator_ids = [i.pk for i in indicators]
    side_rows_ids = sorted({s for uid in side_ids for s, _ in sources.get(uid, ())})
    chosen = [indicator.pk] if indicator is not None else []
    others = {s for r in shown_children for s, _ in sources.get(r.unit_id, ())}
    others.update(s for uid in province_ids for s, _ in province_sources.get(uid, ()))
    if set(chosen) <= set(indicator_ids):
        others.difference_update(side_rows_ids)  # read with the sides' indicators already
    raw = selectors.block_sums(
        [(side_rows_ids, indicator_ids), (sorted(others), chosen)], period.start, period.end, approved=approved
    )
    all_totals = selectors.combine(sources, raw, side_ids, indicator_ids)
    unit_totals = {i.pk: all_totals.get((unit.pk, i.pk), 0) for i in indicators}
    targets: dict[int, Decimal] = {}
    target_phase = choice.target_phase
    if target_phase is not None:
        found = statements.rows(
            ("targets", statements.plan_key(user, today), target_phase.pk, unit.pk),
            lambda: (
                Target.objects.restrict(user, "view")
                .filter(phase=target_phase, unit=unit)
                .values("indicator_id", "value")
            ),
        )
        targets = {row["indicator_id"]: row["value"] for row in found}
    side_rows = [
        SideRow(i, [all_totals.get((s.unit.pk, i.pk), 0) if s.visible else None for s in sides]) for i in indicators
    ]
    chosen_total = unit_totals.get(indicator.pk, 0) if indicator else 0
    children_values = selectors.combine(sources, raw, [r.unit_id for r in shown_children], chosen)
    children, rest, all_visible = children_figures(child_rows, visible, indicator, children_values, chosen_total)
    tiles = None
    if provinces is not None:
        province_values = selectors.combine(province_sources, raw, province_ids, chosen)
        tiles = province_map(unit, indicator, shown_provinces, province_values)
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
        trend=trend_data(unit, choice.trend_indicators, period, view, approved, today, terms=sources.get(unit.pk, [])),
        province_map=tiles,
        ancestors=ancestors,
        visible_ancestor_ids=visible_ancestors,
    )
