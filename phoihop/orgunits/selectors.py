"""Reads of units, pairs and people. Every selector scopes first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from phoihop.core import statements
from phoihop.core.gate import STRUCTURE
from phoihop.core.scoping import collapse_prefixes, get_scope, path_prefixes
from phoihop.core.text import fold
from phoihop.orgunits.filtersets import PersonFilterSet, UnitFilterSet
from phoihop.orgunits.models import (
    AdminArea,
    Organisation,
    OrgUnit,
    OrgUnitLevel,
    OrgUnitPair,
    Person,
    SuccessionKind,
)


def unit_list(*, user: Any, filters: dict[str, Any] | None = None, action: str = "view") -> QuerySet[OrgUnit]:
    qs = OrgUnit.objects.restrict(user, action).select_related("organisation", "level", "area")
    return UnitFilterSet(filters, qs).qs


def unit_get(*, user: Any, pk: int, action: str = "view") -> OrgUnit:
    """The unit ``pk`` if ``user`` may ``action`` it (else ``OrgUnit.DoesNotExist``), with its
    organisation, level, area and successor: one restricted read, its statement kept for the
    reader, the day, the action and the unit (ADR 0016), its row read afresh."""
    columns = (
        *statements.attnames(OrgUnit),
        *statements.attnames(Organisation, "organisation__"),
        *statements.attnames(OrgUnitLevel, "level__"),
        *statements.attnames(AdminArea, "area__"),
        *statements.attnames(OrgUnit, "successor__"),
    )
    key = ("unit_get", action, int(pk), *statements.plan_key(user, timezone.localdate()))
    found = statements.rows(key, lambda: OrgUnit.objects.restrict(user, action).filter(pk=pk).values(*columns)[:1])
    if not found:
        raise OrgUnit.DoesNotExist("OrgUnit matching query does not exist.")
    row = found[0]
    unit: OrgUnit = statements.instance(OrgUnit, row)
    unit.organisation = statements.instance(Organisation, row, "organisation__")
    unit.level = statements.instance(OrgUnitLevel, row, "level__")
    unit.area = statements.instance(AdminArea, row, "area__") if row["area_id"] is not None else None
    unit.successor = statements.instance(OrgUnit, row, "successor__") if row["successor_id"] is not None else None
    return unit


def unit_search(*, user: Any, text: str) -> QuerySet[OrgUnit]:
    folded = fold(text)
    qs = OrgUnit.objects.restrict(user, "view").select_related("organisation", "level")
    return qs.filter(search_text__contains=folded) if folded else qs.none()


def own_units(user: Any, action: str = "view") -> Any:
    """The units of the user's roles for ``action``, the tops of their scope (for a system
    administrator with no role of their own: the roots), in path order."""
    scope = get_scope(user)
    paths = scope.paths(action)
    units = OrgUnit.objects.restrict(user, action)
    if not paths and scope.is_system_admin:
        return units.filter(depth=1).order_by("path")
    return units.filter(path__in=paths).order_by("path")


def unit_roots_for(*, user: Any) -> list[OrgUnit]:
    """The top units a user's tree starts from: their own role units, or the roots for an admin."""
    scope = get_scope(user)
    if scope.is_system_admin:
        return list(own_units(user).filter(depth=1).select_related("organisation", "level"))
    paths = collapse_prefixes(g.path for g in scope.grants)
    return list(
        OrgUnit.objects.restrict(user, "view")
        .filter(path__in=paths)
        .select_related("organisation", "level")
        .order_by("path")
    )


def unit_children(*, user: Any, unit: OrgUnit, on: date | None = None) -> tuple[list[OrgUnit], list[OrgUnit]]:
    """Open and closed children of a unit, both scoped; closed ones are shown apart."""
    day = on or timezone.localdate()
    children = (
        OrgUnit.objects.restrict(user, "view")
        .filter(path__startswith=unit.path, depth=unit.depth + 1)
        .select_related("level", "successor")
        .order_by("path")
    )
    open_units = [c for c in children if c.valid_to is None or c.valid_to >= day]
    closed = [c for c in children if c.valid_to is not None and c.valid_to < day]
    return open_units, closed


@dataclass(frozen=True)
class NamedUnit:
    """A unit named in a row of another (a closed unit's successor)."""

    name: str
    short_name: str

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


@dataclass(frozen=True)
class UnitRow:
    """A unit as a unit's page lists it (a child, a predecessor): the columns shown, read as
    values, with what ``tree_nodes.unit_nodes`` and the page ask of an ``OrgUnit``."""

    pk: int
    path: str
    depth: int
    code: str
    name: str
    numchild: int
    valid_to: date | None
    successor_id: int | None
    succession_date: date | None
    succession_kind: str
    level: str  # the level's name
    successor: NamedUnit | None

    @property
    def is_closed(self) -> bool:
        return self.valid_to is not None and self.valid_to < timezone.localdate()

    def get_succession_kind_display(self) -> str:
        return str(dict(SuccessionKind.choices).get(self.succession_kind, self.succession_kind))


@dataclass
class UnitSurroundings:
    """What a unit's page shows around the unit, each list scoped (``unit_surroundings``)."""

    children: list[UnitRow]  # open, in path order
    closed: list[UnitRow]  # closed children, shown apart
    predecessors: list[UnitRow]  # the units it took over, in path order
    readable: set[int]  # which of the units asked about the user may read


SURROUNDING_COLUMNS = (
    "pk",
    "path",
    "depth",
    "code",
    "name",
    "numchild",
    "valid_to",
    "successor_id",
    "succession_date",
    "succession_kind",
    "level__name",
    "successor__name",
    "successor__short_name",
)


def unit_surroundings(
    *, user: Any, unit: OrgUnit, readable_paths: Iterable[str] = (), readable_ids: Iterable[int] = ()
) -> UnitSurroundings:
    """One scoped read for a unit's page: its children (open and closed today), the units it took
    over, and which of the units at ``readable_paths`` or ``readable_ids`` (the units above it, its
    counterparts) the user may read. The same rows as ``unit_children``, ``restrict(user,
    "view").filter(successor=unit)`` and ``perms(user).readable(...)``, in one query."""
    day = timezone.localdate()
    paths, ids = set(readable_paths), set(readable_ids)

    def read() -> QuerySet[Any]:
        # The children as treebeard reads them (a path range: one index range, not a LIKE).
        wanted = Q(depth=unit.depth + 1, path__range=OrgUnit._get_children_path_interval(unit.path)) | Q(successor=unit)
        if paths:
            wanted |= Q(path__in=paths)
        if ids:
            wanted |= Q(pk__in=ids)
        return OrgUnit.objects.restrict(user, "view").filter(wanted).order_by("path").values(*SURROUNDING_COLUMNS)

    # The statement depends on the reader and the day, the unit, and the paths and ids asked about.
    key = (unit.pk, unit.path, unit.depth, tuple(sorted(paths)), tuple(sorted(ids)))
    rows = [
        UnitRow(
            pk=row["pk"],
            path=row["path"],
            depth=row["depth"],
            code=row["code"],
            name=row["name"],
            numchild=row["numchild"],
            valid_to=row["valid_to"],
            successor_id=row["successor_id"],
            succession_date=row["succession_date"],
            succession_kind=row["succession_kind"],
            level=row["level__name"],
            successor=NamedUnit(row["successor__name"], row["successor__short_name"])
            if row["successor_id"] is not None
            else None,
        )
        for row in statements.user_rows(user, f"unit_surroundings {key!r}", read)
    ]
    children = [u for u in rows if u.depth == unit.depth + 1 and u.path.startswith(unit.path)]
    return UnitSurroundings(
        children=[c for c in children if c.valid_to is None or c.valid_to >= day],
        closed=[c for c in children if c.valid_to is not None and c.valid_to < day],
        predecessors=[u for u in rows if u.successor_id == unit.pk],
        readable={u.pk for u in rows if u.path in paths or u.pk in ids},
    )


# --- the tree's shape: names and codes of the units around a unit already read ------------------


def unit_ancestors(*, unit: OrgUnit) -> QuerySet[OrgUnit]:
    """The chain above a unit, root first. Only names and codes of these are shown (breadcrumbs,
    addresses, the body above the issuing body of a document)."""
    paths = path_prefixes(unit.path, OrgUnit.steplen)[:-1]
    return (
        OrgUnit.objects.unrestricted(STRUCTURE)
        .filter(path__in=paths)
        .only("pk", "code", "name", "short_name", "path", "depth", "level", "organisation")
        .order_by("depth")
    )


def unit_ancestor_names(*, unit: OrgUnit) -> list[OrgUnit]:
    """``unit_ancestors`` as the breadcrumbs show them (id, code, names, path), its statement kept
    for the unit's path (never changes: units are not moved)."""
    if unit.depth <= 1:
        return []
    columns = ("id", "code", "name", "short_name", "path", "depth")
    found = statements.rows(("ancestor names", unit.path), lambda: unit_ancestors(unit=unit).values(*columns))
    return [statements.partial(OrgUnit, row) for row in found]


def unit_parent(unit: OrgUnit) -> OrgUnit | None:
    """The unit directly above ``unit`` (None for a root)."""
    if unit.depth <= 1:
        return None
    return OrgUnit.objects.unrestricted(STRUCTURE).filter(path=unit.path[: -OrgUnit.steplen]).first()


def unit_chain(unit: OrgUnit) -> list[OrgUnit]:
    """The unit and every unit above it, root first (with their levels)."""
    paths = path_prefixes(unit.path, OrgUnit.steplen)
    return list(
        OrgUnit.objects.unrestricted(STRUCTURE).filter(path__in=paths).select_related("level").order_by("depth")
    )


UNIT_NAMED = ("name", "organisation_id", "organisation__name", "organisation__short_name")


def unit_pairs(unit: OrgUnit) -> list[tuple[OrgUnitPair, OrgUnit]]:
    """Every pair of the unit, past ones too, with its other unit (name and organisation), whether
    the user may read that unit or not: the caller keeps those they may (the unit page)."""

    def read() -> QuerySet[Any]:
        return (
            OrgUnitPair.objects.unrestricted(STRUCTURE)
            .filter(Q(unit_a=unit) | Q(unit_b=unit))
            .order_by("valid_from", "pk")
            .values(*PAIR_COLUMNS)
        )

    result = []
    for row in statements.rows(("unit_pairs", unit.pk), read):
        side = "unit_b" if row["unit_a_id"] == unit.pk else "unit_a"
        pair = statements.partial(OrgUnitPair, {c: row[c] for c in PAIR_COLUMNS[:5]})
        other = statements.partial(
            OrgUnit,
            {"id": row[f"{side}_id"], "name": row[f"{side}__name"], "organisation_id": row[f"{side}__organisation_id"]},
        )
        other.organisation = statements.partial(
            Organisation,
            {
                "id": row[f"{side}__organisation_id"],
                "name": row[f"{side}__organisation__name"],
                "short_name": row[f"{side}__organisation__short_name"],
            },
        )
        result.append((pair, other))
    return result


PAIR_COLUMNS = (
    "id",
    "valid_from",
    "valid_to",
    "unit_a_id",
    "unit_b_id",
    *(f"{side}__{name}" for side in ("unit_a", "unit_b") for name in UNIT_NAMED),
)


def person_list(*, user: Any, filters: dict[str, Any] | None = None, action: str = "view") -> QuerySet[Person]:
    qs = Person.objects.restrict(user, action).select_related("unit")
    return PersonFilterSet(filters, qs).qs


def unit_people(*, user: Any, unit: OrgUnit) -> list[Person]:
    """The people of the unit the user may see, in Vietnamese order (the unit page's list)."""
    columns = ("id", "full_name", "rank", "positions")
    found = statements.user_rows(
        user,
        f"unit_people {unit.pk}",
        lambda: Person.objects.restrict(user, "view").filter(unit=unit).values(*columns),
    )
    return [statements.partial(Person, row) for row in found]


def person_get(*, user: Any, pk: int, action: str = "view") -> Person:
    return Person.objects.restrict(user, action).select_related("unit").get(pk=pk)
