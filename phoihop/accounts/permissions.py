"""Who may do what to accounts: the permission policies (phoihop/core/permissions.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.accounts.models import RoleAssignment, User
from phoihop.core.permissions import ALLOWED, Permissions, Policy, Verdict, out_of_scope, register
from phoihop.core.scoping import Role, below_q, get_scope, nothing, subtree_q

# Roles with more power than a reporter's. An account holding one (now or from a later date),
# or a system administrator's (superuser or staff), is privileged: unit administrators neither
# create, reset, switch off nor change it; its password is reset by an approver above it or a
# system administrator, and its owner is told by e-mail (services.password_reset).
PRIVILEGED_ROLES = frozenset({Role.APPROVER, Role.UNIT_ADMIN})


def privileged_message() -> str:
    return _(
        "Tài khoản có vai trò phê duyệt hoặc quản trị chỉ do quản trị hệ thống tạo, giao vai trò, khóa hay mở; "
        "mật khẩu của nó do người phê duyệt cấp trên hoặc quản trị hệ thống cấp lại."
    )


def _live_privileged_roles() -> Q:
    today = timezone.localdate()
    return Q(role__in=PRIVILEGED_ROLES) & (Q(valid_to__isnull=True) | Q(valid_to__gte=today))


def is_privileged(target: Any) -> bool:
    """Whether the account holds (or will hold) more power than a reporter's."""
    if target.is_superuser or target.is_staff:
        return True
    if target.pk is None:
        return False
    return bool(
        RoleAssignment.objects.unrestricted("whether an account in the user's reach is privileged")
        .filter(_live_privileged_roles(), user_id=target.pk)
        .exists()
    )


@register(User)
class UserPolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        """Unit administrators see and manage the users whose roles all sit in their subtree;
        approvers see (``view``) and reach (``approve``) the privileged accounts strictly below
        them, whose passwords they reset (``can_reset_password``)."""
        scope = get_scope(user)
        if scope.is_system_admin:
            return Q()
        if action == "approve":
            return _below_approver_q(user)
        if action not in ("view", "manage"):
            return nothing()
        inside = RoleAssignment.objects.filter(subtree_q(user, "manage", "unit")).values("user_id")
        outside = RoleAssignment.objects.exclude(subtree_q(user, "manage", "unit")).values("user_id")
        q = Q(pk__in=inside) & ~Q(pk__in=outside) & Q(is_superuser=False)
        if action == "view":
            # Their own account, and the privileged accounts whose passwords they may reset.
            q |= Q(pk=user.pk) | _below_approver_q(user)
        return q

    def can_manage(self, perms: Permissions, target: User) -> Verdict:
        """Switch off, or give and end roles of an account: a unit administrator above all of its
        roles, for accounts with no more power than a reporter's (others: system administrators);
        nobody manages their own account this way."""
        if target.pk == perms.user.pk or not perms.in_scope(target, "manage"):
            return out_of_scope()
        if not perms.is_system_admin and is_privileged(target):
            return out_of_scope(privileged_message())
        return ALLOWED

    def can_reset_password(self, perms: Permissions, target: User) -> Verdict:
        """Give an account a one-time password. A privileged account's: an approver whose unit is
        strictly above all of its roles, or a system administrator. Any other account's: its
        unit administrators (``can_manage``)."""
        if target.pk == perms.user.pk:
            return out_of_scope()
        if perms.is_system_admin:
            return ALLOWED
        if not is_privileged(target):
            return self.can_manage(perms, target)
        if not (target.is_superuser or target.is_staff) and perms.in_scope(target, "approve"):
            return ALLOWED
        return out_of_scope(privileged_message() if perms.in_scope(target, "view") else "")

    def can_lift_protection(self, perms: Permissions, target: User) -> Verdict:
        """Lift another account's sign-in protection: unlock it after wrong passwords, or remove
        its second factor (a lost phone). System administrators only: it opens a privileged
        account to whoever holds its password."""
        return ALLOWED if perms.is_system_admin else out_of_scope()


def can_manage_users(perms: Permissions) -> bool:
    """Open the account pages that create and manage users: unit administrators."""
    return perms.has_units("manage")


def can_grant(perms: Permissions, target: Any, unit: Any, role: str = "") -> Verdict:
    """Give ``target`` a role on ``unit``: a unit administrator of the unit's subtree. Nobody
    widens their own rights, only system administrators touch system administrators, and only
    they give a role above a reporter's or change a privileged account."""
    if not perms.reaches(unit, "manage"):
        return out_of_scope()
    if perms.is_system_admin:
        return ALLOWED
    if target.is_superuser or target.pk == perms.user.pk:
        return out_of_scope()
    if role in PRIVILEGED_ROLES or is_privileged(target):
        return out_of_scope(privileged_message())
    return ALLOWED


def grantable_roles(perms: Permissions) -> frozenset[str]:
    """The roles the user's forms offer: all for system administrators, else up to reporter."""
    if perms.is_system_admin:
        return frozenset({Role.VIEWER, Role.REPORTER, *PRIVILEGED_ROLES})
    return frozenset({Role.VIEWER, Role.REPORTER})


def _below_approver_q(user: Any) -> Q:
    """Privileged accounts (not system administrators) all of whose roles sit strictly below
    one of the user's approver units: the accounts whose passwords they may reset."""
    below = below_q(user, "approve", "unit")
    if below == nothing():
        return nothing()
    inside = RoleAssignment.objects.filter(below).values("user_id")
    outside = RoleAssignment.objects.exclude(below).values("user_id")
    privileged = RoleAssignment.objects.filter(_live_privileged_roles()).values("user_id")
    return Q(pk__in=inside) & ~Q(pk__in=outside) & Q(pk__in=privileged) & Q(is_superuser=False, is_staff=False)


@register(RoleAssignment)
class RoleAssignmentPolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        if action == "view":
            if get_scope(user).is_system_admin:  # Q() | Q(user=...) would narrow "everything" to one's own
                return Q()
            return subtree_q(user, "manage", "unit") | Q(user=user)
        return subtree_q(user, "manage", "unit")

    def can_end(self, perms: Permissions, assignment: RoleAssignment) -> Verdict:
        """End a role: a unit administrator of its unit's subtree, unless the account is
        privileged (then a system administrator)."""
        if not perms.in_scope(assignment, "manage"):
            return out_of_scope()
        if not perms.is_system_admin and is_privileged(assignment.user):
            return out_of_scope(privileged_message())
        return ALLOWED
