"""Whose figures a user reads: the counterpart rule (docs/adr/0008-the-gate-and-the-permission-object.md).

A unit's figures are its subtree's totals. A user reads the totals of

* every unit of their own subtrees (and everything below, drill-down included);
* their counterpart units: the units of the other side paired with a unit of their subtrees
  (Bộ CHQS tỉnh X's and Hội CCB tỉnh X's users read each other's province totals); the
  counterpart's own children stay theirs;
* for a joint programme, the root units of every party once they hold a role on one party's
  root (or above it): the national co-owners of the programme (the General Political
  Department and the Veterans' Association's Central Committee) read both sides' national
  totals, not what lies below the other side's root.

Anything else is not theirs to see, and a page says so ("không thuộc phạm vi xem"); it never
shows such a number as 0.
"""

from __future__ import annotations

from typing import Any

from phoihop.core.scoping import get_scope


def figure_units(user: Any) -> Any:
    """The units whose totals the user may read (the rule above), as a queryset of units."""
    from phoihop.core.permissions import scope_q
    from phoihop.orgunits.models import OrgUnit
    from phoihop.programmes.permissions import co_owned_roots_q

    if user is None or not getattr(user, "is_authenticated", False):
        return OrgUnit.objects.none()
    if get_scope(user).is_system_admin:
        return OrgUnit.objects.restrict(user, "view")
    readable = scope_q(OrgUnit, user, "view") | co_owned_roots_q(user)

    return OrgUnit.objects.unrestricted("whose figures the user reads: ADR 0008's counterpart rule").filter(readable)
