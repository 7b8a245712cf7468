"""Commendation reads, always through ``restrict``: the award catalogue, a nominee's history,
the nominations a user proposes and those waiting for the user's decision."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from django.db.models import Q, QuerySet

from phoihop.core.gate import STRUCTURE
from phoihop.documents.data import Body
from phoihop.orgunits.models import OrgUnit, Person

from .models import Award, AwardKind, AwardType, Decision, Nomination, NominationStatus


def award_forms(user: Any) -> QuerySet[AwardType]:
    return AwardType.objects.restrict(user).filter(kind=AwardKind.FORM, is_active=True)  # type: ignore[attr-defined,no-any-return]


def emulation_titles(user: Any) -> QuerySet[AwardType]:
    return AwardType.objects.restrict(user).filter(kind=AwardKind.TITLE, is_active=True)  # type: ignore[attr-defined,no-any-return]


def award_choices(user: Any) -> tuple[list[AwardType], list[AwardType]]:
    """The active award forms and emulation titles (``award_forms``, ``emulation_titles``), read
    in one query: the choices of the nominations' filter."""
    rows = list(AwardType.objects.restrict(user).filter(kind__in=[AwardKind.FORM, AwardKind.TITLE], is_active=True))  # type: ignore[attr-defined]
    return [a for a in rows if a.kind == AwardKind.FORM], [a for a in rows if a.kind == AwardKind.TITLE]


def commendation_history(*, user: Any, unit: OrgUnit | None = None, person: Person | None = None) -> QuerySet[Award]:
    """The awards a collective or an individual received, newest first, as the user may see them."""
    if (unit is None) == (person is None):
        raise ValueError("Give either unit or person.")
    rows = Award.objects.restrict(user)  # type: ignore[attr-defined]
    rows = rows.filter(nominee_unit=unit) if unit is not None else rows.filter(person=person)
    return rows.select_related("award", "phase", "decision", "decision__issuing_unit").order_by(  # type: ignore[no-any-return]
        "-decision__issued_on", "-pk"
    )


def nominations_visible(user: Any) -> QuerySet[Nomination]:
    return Nomination.objects.restrict(user).select_related(  # type: ignore[attr-defined,no-any-return]
        "award", "phase", "proposing_unit", "holder", "awarding_unit", "nominee_unit", "person"
    )


def to_decide_q(user: Any) -> Q:
    """Of the nominations a user sees, those waiting for their decision: submitted and held by a
    unit the user approves for."""
    return Q(pk__in=Nomination.objects.restrict(user, "approve").filter(status=NominationStatus.SUBMITTED).values("pk"))  # type: ignore[attr-defined]


def nominations_to_decide(user: Any) -> QuerySet[Nomination]:
    """Submitted nominations held by a unit the user approves for: theirs to endorse, return,
    reject or decide."""
    return nominations_visible(user).filter(to_decide_q(user))  # type: ignore[no-any-return]


def decision_numbers(decisions: Iterable[Decision]) -> list[tuple[Decision, str]]:
    """Each decision with its number as the Word document writes it ("01/QĐ-TCCT"; blank
    before the slash while not numbered). The issuing body is read once per awarding unit."""
    from phoihop.documents.builders import number_text
    from phoihop.reporting.documents import body_for

    bodies: dict[int, Body] = {}
    rows = []
    for decision in decisions:
        if decision.awarding_unit_id not in bodies:
            bodies[decision.awarding_unit_id] = body_for(decision.awarding_unit, {}, None)
        body = replace(bodies[decision.awarding_unit_id], number=decision.number)
        rows.append((decision, number_text([body], "QĐ")))
    return rows


def decision_number(decision: Decision) -> str:
    return decision_numbers([decision])[0][1]


def route_units(nomination: Nomination) -> list[OrgUnit]:
    """The units of the nomination's route, in order (the proposing unit first)."""
    by_pk = OrgUnit.objects.unrestricted(STRUCTURE).select_related("organisation", "level").in_bulk(nomination.route)

    return [nomination.proposing_unit, *(by_pk[pk] for pk in nomination.route if pk in by_pk)]
