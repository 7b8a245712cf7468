"""Who may do what to accounts: the permission policies (phoihop/core/permissions.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from phoihop.accounts.models import RoleAssignment, User
from phoihop.core.permissions import ALLOWED, Permissions, Policy, Verdict, out_of_scope, register
from phoihop.core.scoping import get_scope, nothing, subtree_q


@register(User)
class UserPolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        """Unit administrators see and manage the users whose roles all sit in their subtree."""
        scope = get_scope(user)
        if scope.is_system_admin:
            return Q()
        if action not in ("view", "manage"):
            return nothing()
        inside = RoleAssignment.objects.filter(subtree_q(user, "manage", "unit")).values("user_id")
        outside = RoleAssignment.objects.exclude(subtree_q(user, "manage", "unit")).values("user_id")
        q = Q(pk__in=inside) & ~Q(pk__in=outside) & Q(is_superuser=False)
        if action == "view":
            q |= Q(pk=user.pk)
        return q

    def can_manage(self, perms: Permissions, target: User) -> Verdict:
        """Reset the password of, switch off, or give and end roles of an account: a unit
        administrator above all of its roles; nobody manages their own account this way."""
        if target.pk == perms.user.pk or not perms.in_scope(target, "manage"):
            return out_of_scope()
        return ALLOWED


def can_manage_users(perms: Permissions) -> bool:
    """Open the account pages that create and manage users: unit administrators."""
    return perms.has_units("manage")


def can_grant(perms: Permissions, target: Any, unit: Any) -> Verdict:
    """Give ``target`` a role on ``unit``: a unit administrator of the unit's subtree. Nobody
    widens their own rights, and only system administrators touch system administrators."""
    if not perms.reaches(unit, "manage"):
        return out_of_scope()
    if not perms.is_system_admin and (target.is_superuser or target.pk == perms.user.pk):
        return out_of_scope()
    return ALLOWED


@register(RoleAssignment)
class RoleAssignmentPolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        if action == "view":
            return subtree_q(user, "manage", "unit") | Q(user=user)
        return subtree_q(user, "manage", "unit")
