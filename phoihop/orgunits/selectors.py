"""Reads of units, pairs and people. Every selector scopes first."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from phoihop.core.gate import STRUCTURE
from phoihop.core.scoping import collapse_prefixes, get_scope, path_prefixes
from phoihop.core.text import fold
from phoihop.orgunits.filtersets import PersonFilterSet, UnitFilterSet
from phoihop.orgunits.models import OrgUnit, OrgUnitPair, Person


def unit_list(*, user: Any, filters: dict[str, Any] | None = None, action: str = "view") -> QuerySet[OrgUnit]:
    qs = OrgUnit.objects.restrict(user, action).select_related("organisation", "level", "area")
    return UnitFilterSet(filters, qs).qs


def unit_get(*, user: Any, pk: int, action: str = "view") -> OrgUnit:
    return (
        OrgUnit.objects.restrict(user, action).select_related("organisation", "level", "area", "successor").get(pk=pk)
    )


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


def unit_counterparts(*, user: Any, unit: OrgUnit) -> list[tuple[OrgUnitPair, OrgUnit]]:
    """Every pair of the unit, past ones too, whose other unit the user may read (the unit page)."""
    pairs = (
        OrgUnitPair.objects.unrestricted(STRUCTURE)
        .filter(Q(unit_a=unit) | Q(unit_b=unit))
        .select_related("unit_a", "unit_b", "unit_a__organisation", "unit_b__organisation")
        .order_by("valid_from", "pk")
    )
    visible = set(
        OrgUnit.objects.restrict(user, "view")
        .filter(pk__in=[p.unit_b_id if p.unit_a_id == unit.pk else p.unit_a_id for p in pairs])
        .values_list("pk", flat=True)
    )
    result = []
    for pair in pairs:
        other = pair.unit_b if pair.unit_a_id == unit.pk else pair.unit_a
        if other.pk in visible:
            result.append((pair, other))
    return result


def person_list(*, user: Any, filters: dict[str, Any] | None = None, action: str = "view") -> QuerySet[Person]:
    qs = Person.objects.restrict(user, action).select_related("unit")
    return PersonFilterSet(filters, qs).qs


def person_get(*, user: Any, pk: int, action: str = "view") -> Person:
    return Person.objects.restrict(user, action).select_related("unit").get(pk=pk)
