"""Writes to users and role assignments. Unit administrators act only inside their subtree."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.accounts.models import RoleAssignment, User
from phoihop.accounts.permissions import can_grant
from phoihop.core.gate import INTEGRITY
from phoihop.core.permissions import Permissions, require
from phoihop.core.scoping import clear_scope_cache
from phoihop.core.services import OutOfScope, audited_save, require_in_scope, stamp
from phoihop.orgunits.models import OrgUnit

# Letters and digits a person can read aloud without confusion (no 0/O, 1/l/I).
_READABLE = "abcdefghjkmnpqrstuvwxyz23456789"


@transaction.atomic
def user_create(
    *,
    acting_user: Any,
    username: str,
    full_name: str,
    unit: OrgUnit,
    role: str,
    password: str | None = None,
) -> tuple[User, str]:
    """Create a user with a first role; returns the user and the one-time password to hand over."""
    if not Permissions(acting_user).reaches(unit, "manage"):
        raise OutOfScope()
    if User.objects.unrestricted(INTEGRITY).filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Tên đăng nhập này đã có người dùng.")})
    parts = full_name.split()
    user = User(
        username=username,
        first_name=" ".join(parts[-1:]),
        last_name=" ".join(parts[:-1]),
        must_change_password=True,
    )
    temp = password or generate_password()
    validate_password(temp, user)
    user.set_password(temp)
    audited_save(user, acting_user=acting_user, action="user.create", exclude=["password"])
    role_assign(acting_user=acting_user, user=user, unit=unit, role=role)
    return user, temp


def generate_password(length: int = 12) -> str:
    return "".join(secrets.choice(_READABLE) for _ in range(length))


@transaction.atomic
def role_assign(
    *,
    acting_user: Any,
    user: User,
    unit: OrgUnit,
    role: str,
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> RoleAssignment:
    if not can_grant(Permissions(acting_user), user, unit):
        raise OutOfScope()
    assignment = RoleAssignment(
        user=user,
        unit=unit,
        role=role,
        valid_from=valid_from or timezone.localdate(),
        valid_to=valid_to,
        granted_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    audited_save(assignment, acting_user=acting_user, action="role.grant")
    clear_scope_cache(user)
    return assignment


@transaction.atomic
def role_end(*, acting_user: Any, assignment: RoleAssignment, on: date | None = None) -> RoleAssignment:
    """End a role (a handover is a new assignment plus this, never an edit of the old one)."""
    require_in_scope(assignment, user=acting_user, action="manage")
    end = on or timezone.localdate() - timedelta(days=1)
    if assignment.valid_from and end < assignment.valid_from:
        end = assignment.valid_from
    assignment.valid_to = end
    audited_save(assignment, acting_user=acting_user, action="role.end")
    clear_scope_cache(assignment.user)
    return assignment


@transaction.atomic
def password_reset(*, acting_user: Any, user: User) -> str:
    """Set a one-time password the user must change at the next login (no e-mail on closed networks)."""
    require(acting_user, user, "manage")
    temp = generate_password()
    user.set_password(temp)
    user.must_change_password = True
    stamp(user, acting_user=acting_user, action="user.password_reset")
    user.save(update_fields=["password", "must_change_password"])
    return temp


@transaction.atomic
def password_changed(*, user: User) -> User:
    user.must_change_password = False
    stamp(user, acting_user=user, action="user.password_change")
    user.save(update_fields=["must_change_password"])
    return user


@transaction.atomic
def user_set_active(*, acting_user: Any, user: User, active: bool) -> User:
    require(acting_user, user, "manage")
    user.is_active = active
    stamp(user, acting_user=acting_user, action="user.activate" if active else "user.deactivate")
    user.save(update_fields=["is_active"])
    return user
