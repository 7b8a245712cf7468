"""Reads of programmes and their reference data, scoped first."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet

from phoihop.core.gate import PROGRAMME_DATA
from phoihop.core.scoping import path_prefixes
from phoihop.orgunits.counterparts import counterparts_of
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Field, Indicator, Party, Phase, Programme, Signatory, Signing, Target


def programme_list(*, user: Any) -> QuerySet[Programme]:
    return Programme.objects.restrict(user, "view").prefetch_related("phases")


def programme_get(*, user: Any, code: str, action: str = "view") -> Programme:
    return (
        Programme.objects.restrict(user, action)
        .prefetch_related(
            Prefetch(
                "parties", queryset=Party.objects.select_related("organisation", "representative_unit", "root_unit")
            ),
            Prefetch("indicators", queryset=Indicator.objects.select_related("field", "introduced_in", "retired_in")),
            Prefetch("fields", queryset=Field.objects.prefetch_related("indicators")),
            Prefetch("phases", queryset=Phase.objects.select_related("signing")),
        )
        .get(code=code)
    )


def phase_get(*, user: Any, programme: Programme, code: str) -> Phase:
    return Phase.objects.restrict(user, "view").select_related("programme").get(programme=programme, code=code)


def signing_for(*, user: Any, phase: Phase) -> Signing | None:
    return (
        Signing.objects.restrict(user, "view")
        .filter(phase=phase)
        .prefetch_related(
            "bodies",
            Prefetch("signatories", queryset=Signatory.objects.select_related("person", "body")),
        )
        .first()
    )


def target_list(*, user: Any, phase: Phase) -> QuerySet[Target]:
    return (
        Target.objects.restrict(user, "view")
        .filter(phase=phase)
        .select_related("unit", "indicator", "indicator__field")
        .order_by("unit__path", "indicator__field__order", "indicator__order")
    )


# --- which units a programme covers: the one home of the rule --------------------------------


def parties_in_order(programme_id: int) -> QuerySet[Party]:
    """The programme's parties, in their order (reference data of the programme): whose root
    units ``party_roots`` reads, and a page keeping its statement reads as values."""
    return Party.objects.unrestricted(PROGRAMME_DATA).filter(programme_id=programme_id).order_by("order", "pk")


def party_roots(programme_id: int) -> list[OrgUnit]:
    """The root units of the programme's parties (the subtrees it covers), in the parties' order."""
    return [party.root_unit for party in parties_in_order(programme_id).select_related("root_unit")]


def covers(programme_id: int, unit: OrgUnit, roots: list[OrgUnit] | None = None) -> bool:
    """Whether ``unit`` lies in the subtree of one of the programme's parties."""
    path = unit.path
    for root in roots or party_roots(programme_id):  # a loop: an import asks 40,000 times
        if path.startswith(root.path):
            return True
    return False


def programmes_covering(*, user: Any, unit: OrgUnit) -> QuerySet[Programme]:
    """The programmes the user takes part in whose parties cover ``unit`` (a party's root at or
    above it), oldest first."""
    return (
        Programme.objects.restrict(user, "view")
        .filter(parties__root_unit__path__in=path_prefixes(unit.path, OrgUnit.steplen))
        .distinct()
        .order_by("pk")
    )


# --- the parties' roots: a joint programme's national co-owners ------------------------------------


def fellow_roots(unit: OrgUnit) -> list[OrgUnit]:
    """For a party's root unit, the other parties' roots of the programmes it co-owns (the
    General Political Department for the Veterans' Association's Central Committee)."""
    parties = Party.objects.unrestricted(PROGRAMME_DATA)
    programmes = parties.filter(root_unit=unit).values("programme_id")
    others = parties.filter(programme_id__in=programmes).exclude(root_unit=unit).select_related("root_unit")
    return sorted({p.root_unit_id: p.root_unit for p in others}.values(), key=lambda u: u.path)


def joint_partners(unit: OrgUnit, on: date) -> list[OrgUnit]:
    """The units that act jointly with ``unit`` (a joint report, a commendation crossing to the
    other side): its counterparts on ``on``, and for a party's root the other parties' roots."""
    found = {other.pk: other for other in counterparts_of(unit, on)}
    for root in fellow_roots(unit) if unit.depth == 1 else []:
        found.setdefault(root.pk, root)
    return list(found.values())
