"""Counterparts: the one home of "which units of the other side are paired with this one".

Counterpart units of two organisations pair up, many to many and with dates (Bộ CHQS tỉnh X
with Hội CCB tỉnh X, Ban CHQS xã Y with Hội CCB xã Y). What pairing lets a user read is the
counterpart rule of docs/adr/0008-the-gate-and-the-permission-object.md:

* ``paired_with_q``: the units paired with a unit of the user's subtree (for reading the
  counterpart unit itself, its name, page and figures; not the counterpart's subtree);
* ``counterparts``: each unit's counterparts on a day, for forms and documents that offer them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import timezone

from phoihop.core import statements
from phoihop.core.gate import STRUCTURE
from phoihop.core.scoping import subtree_q


def paired_with_q(user: Any, action: str = "view", field: str = "") -> Q:
    """Rows whose unit (``field``, or the row itself) is paired with a unit of the user's
    subtree for ``action``. Two plain subqueries, not a correlated EXISTS: the planner runs
    each once."""
    from phoihop.orgunits.models import OrgUnitPair

    pk = f"{field}__pk__in" if field else "pk__in"
    pairs = OrgUnitPair.objects.unrestricted(STRUCTURE)
    return Q(**{pk: pairs.filter(subtree_q(user, action, "unit_a")).values("unit_b")}) | Q(
        **{pk: pairs.filter(subtree_q(user, action, "unit_b")).values("unit_a")}
    )


def counterparts(units: Iterable[Any], on: date | None = None) -> dict[int, list[Any]]:
    """Each unit's counterparts on ``on`` (today by default): the other side's units of its
    active pairs, themselves open that day, in path order."""
    from phoihop.orgunits.models import OrgUnitPair

    day = on or timezone.localdate()
    ids = {getattr(u, "pk", u) for u in units}
    result: dict[int, list[Any]] = defaultdict(list)
    if not ids:
        return result
    from phoihop.orgunits.models import OrgUnit

    key = tuple(sorted(ids))
    found = statements.rows(  # the statement kept for the units and the day (ADR 0016)
        ("counterparts", key, day),
        lambda: (
            OrgUnitPair.objects.unrestricted(STRUCTURE)
            .active_on(day)
            .filter(Q(unit_a_id__in=key) | Q(unit_b_id__in=key))
            .order_by("pk")
            .values(*statements.attnames(OrgUnit, "unit_a__"), *statements.attnames(OrgUnit, "unit_b__"))
        ),
    )
    for row in found:
        unit_a, unit_b = statements.instance(OrgUnit, row, "unit_a__"), statements.instance(OrgUnit, row, "unit_b__")
        for mine, other in ((unit_a, unit_b), (unit_b, unit_a)):
            if mine.pk in ids and other.is_active_on(day) and other not in result[mine.pk]:
                result[mine.pk].append(other)
    for theirs in result.values():
        theirs.sort(key=lambda u: u.path)
    return result


def counterparts_of(unit: Any, on: date | None = None) -> list[Any]:
    """One unit's counterparts on ``on`` (today by default)."""
    return counterparts([unit], on).get(unit.pk, [])
