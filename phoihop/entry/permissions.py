"""Who may do what to entry: the permission policies (phoihop/core/permissions.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from phoihop.core.permissions import ALLOWED, Permissions, Policy, Verdict, out_of_scope, refuse, register, scope_q
from phoihop.core.scoping import below_q, get_scope, path_prefixes, subtree_q
from phoihop.entry.models import EntryLock, IndicatorValue
from phoihop.orgunits.models import OrgUnit


@register(IndicatorValue)
class IndicatorValuePolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        own = subtree_q(user, action, "unit")
        if action != "view" or get_scope(user).is_system_admin:
            return own
        activity_model: Any = self.model._meta.get_field("activity").related_model
        return own | Q(activity__in=activity_model.objects.filter(scope_q(activity_model, user, "view")).values("pk"))


@register(EntryLock)
class EntryLockPolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        """Read: locks in the user's subtree and locks above it that cover it. Reopen
        ("approve"): locks strictly below one of the user's approver units."""
        if action == "approve":
            if get_scope(user).is_system_admin:
                return Q()
            # Approvers strictly above; a root's locks (national reports) by its own approvers.
            return below_q(user, "approve", "unit") | (Q(unit__depth=1) & subtree_q(user, "approve", "unit"))
        own = subtree_q(user, action, "unit")
        if action != "view" or get_scope(user).is_system_admin:
            return own
        above = {p for path in get_scope(user).paths("view") for p in path_prefixes(path)}
        return own | Q(unit__path__in=sorted(above))

    def can_reopen(self, perms: Permissions, lock: EntryLock) -> Verdict:
        """Reopen a lock: an approver above its unit, while it holds, unless a report's approval
        made it (that report is reopened instead, and its locks with it)."""
        if not perms.in_scope(lock, "approve"):
            return out_of_scope(_("Chỉ người duyệt của cấp trên mới mở khóa được."))
        if not lock.is_active:
            return refuse(_("Kỳ này đã được mở khóa trước đó."))
        if lock.reports.filter(status="approved").exists():
            return refuse(
                _("Khóa này có do duyệt báo cáo. Hãy mở lại chính báo cáo đó (nút “Mở lại” trên trang báo cáo).")
            )
        return ALLOWED


def lockable_units_q(user: Any) -> Q:
    """Units whose entry the user may close by hand: strictly below a unit where they approve."""
    return below_q(user, "approve")


def entering_unit_for(perms: Permissions, unit: OrgUnit) -> OrgUnit | None:
    """The unit above ``unit`` on whose behalf the user enters its figures (their nearest unit
    above it), or None when they enter as the unit itself."""
    paths = perms.scope.paths("change")
    if unit.path in paths or (perms.is_system_admin and not paths):
        return None
    above = [p for p in paths if unit.path.startswith(p) and unit.path != p]
    if not above:
        return None
    return perms.units("change").get(path=max(above, key=len))
