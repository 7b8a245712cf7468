"""Who is told: the one home for "who approves this" and "whose is this", asked of the models'
permission policies, so that a notice never goes to someone who may not see or act on the item.

* ``approvers(obj, units, action)``: the approvers of the nearest level above ``units`` who may
  ``action`` the object (``perms(user).for_(obj).can(action)``: the rule the approve button asks);
* ``people_of(units, roles)``: the users holding one of ``roles`` on the units themselves;
* ``may_see(users, obj)``: those of ``users`` whose ``restrict(user, "view")`` reaches the object;
* ``concerned(unit_ids)``: everyone whose inbox an event on the units' items can change (the
  holders of any role on the units or on a unit above them: the approvers of every level, who
  may approve below them, and the units' own people), for the inbox badge's cache.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Model
from django.utils import timezone

from phoihop.core.permissions import Permissions
from phoihop.core.scoping import Role, path_prefixes

WHO_IS_TOLD = "who is told of an event: the holders of roles on the units an item concerns"
WHO_IS_CONCERNED = "whose inbox badge an event can change: the holders of roles on and above the item's units"

CHANGE_ROLES = (Role.REPORTER, Role.APPROVER)
ANY_ROLE = (Role.VIEWER, Role.REPORTER, Role.APPROVER, Role.UNIT_ADMIN)


def _assignments() -> Any:
    from phoihop.accounts.models import RoleAssignment

    return RoleAssignment.objects.unrestricted(WHO_IS_TOLD).active_on(timezone.localdate()).filter(user__is_active=True)


def users(ids: Iterable[int]) -> list[Any]:
    wanted = set(ids)
    if not wanted:
        return []
    return list(get_user_model().objects.unrestricted(WHO_IS_TOLD).filter(pk__in=wanted, is_active=True))  # type: ignore[attr-defined]


def approvers(obj: Model, units: Iterable[Any], action: str = "approve") -> list[Any]:
    """The approvers who may ``action`` ``obj`` and sit nearest above ``units``: a ward's
    activity goes to the approvers of the first unit above it that has one, not to every level
    up to the nation."""
    prefixes: set[str] = set()
    for unit in units:
        prefixes.update(path_prefixes(unit.path))
    if not prefixes:
        return []
    rows = _assignments().filter(role=Role.APPROVER, unit__path__in=prefixes).values_list("user_id", "unit__depth")
    by_depth: dict[int, set[int]] = defaultdict(set)
    for user_id, depth in rows:
        by_depth[depth].add(user_id)
    for depth in sorted(by_depth, reverse=True):
        found = [u for u in users(by_depth[depth]) if Permissions(u).for_(obj).can(action)]
        if found:
            return found
    return []


def people_of(unit_ids: Iterable[int], roles: Iterable[str] = CHANGE_ROLES) -> dict[int, set[int]]:
    """unit id -> ids of the users holding one of ``roles`` on that unit itself (its own people)."""
    found: dict[int, set[int]] = defaultdict(set)
    ids = list(set(unit_ids))
    for start in range(0, len(ids), 500):
        rows = _assignments().filter(unit_id__in=ids[start : start + 500], role__in=list(roles))
        for unit_id, user_id in rows.values_list("unit_id", "user_id"):
            found[unit_id].add(user_id)
    return found


def may_see(candidates: Iterable[Any], obj: Model) -> list[Any]:
    """Those of ``candidates`` who may read ``obj`` (the gate's answer for each of them)."""
    manager: Any = type(obj)._default_manager
    seen: set[int] = set()
    kept = []
    for user in candidates:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        if manager.restrict(user, "view").filter(pk=obj.pk).exists():
            kept.append(user)
    return kept


def concerned(unit_ids: Iterable[int]) -> set[int]:
    """Ids of the users holding a role (any) on one of the units or on a unit above one of them:
    a superset of everyone an event on items of these units can tell or put work before."""
    from phoihop.orgunits.models import OrgUnit

    ids = set(unit_ids)
    if not ids:
        return set()
    paths = OrgUnit.objects.unrestricted(WHO_IS_CONCERNED).filter(pk__in=ids).values_list("path", flat=True)
    prefixes: set[str] = set()
    for path in paths:
        prefixes.update(path_prefixes(path))
    found: set[int] = set()
    wanted = sorted(prefixes)
    for start in range(0, len(wanted), 500):
        rows = _assignments().filter(unit__path__in=wanted[start : start + 500]).values_list("user_id", flat=True)
        found.update(rows)
    return found
