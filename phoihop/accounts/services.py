"""Writes to users and role assignments. Unit administrators act only inside their subtree."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.accounts.models import RoleAssignment, User
from phoihop.accounts.permissions import can_grant
from phoihop.core.gate import INTEGRITY
from phoihop.core.permissions import Permissions, require
from phoihop.core.scoping import clear_scope_cache
from phoihop.core.services import OutOfScope, audited_save, stamp
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
    valid_from: date | None = None,
    must_change_password: bool = True,
) -> tuple[User, str]:
    """Create a user with a first role (from ``valid_from``, today by default); returns the user
    and the password to hand over (one-time unless ``must_change_password`` is False)."""
    granted = can_grant(Permissions(acting_user), User(username=username), unit, role)
    if not granted:
        raise OutOfScope(granted.reason or None)
    if User.objects.unrestricted(INTEGRITY).filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Tên đăng nhập này đã có người dùng.")})
    parts = full_name.split()
    user = User(
        username=username,
        first_name=" ".join(parts[-1:]),
        last_name=" ".join(parts[:-1]),
        must_change_password=must_change_password,
    )
    temp = password or generate_password()
    validate_password(temp, user)
    user.set_password(temp)
    audited_save(user, acting_user=acting_user, action="user.create", exclude=["password"])
    role_assign(acting_user=acting_user, user=user, unit=unit, role=role, valid_from=valid_from)
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
    granted = can_grant(Permissions(acting_user), user, unit, role)
    if not granted:
        raise OutOfScope(granted.reason or None)
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
    require(acting_user, assignment, "end")
    end = on or timezone.localdate() - timedelta(days=1)
    if assignment.valid_from and end < assignment.valid_from:
        end = assignment.valid_from
    assignment.valid_to = end
    audited_save(assignment, acting_user=acting_user, action="role.end")
    clear_scope_cache(assignment.user)
    return assignment


@transaction.atomic
def password_reset(*, acting_user: Any, user: User) -> str:
    """Set a one-time password the user must change at the next login, handed over in person.
    The account's owner is told by e-mail that it was reset, by whom and when (never the
    password); without an address, the history row says the owner could not be told.
    Who may: ``UserPolicy.can_reset_password``."""
    require(acting_user, user, "reset-password")
    temp = generate_password()
    user.set_password(temp)
    user.must_change_password = True
    reason = _notify_password_reset(user=user, acting_user=acting_user)
    stamp(user, acting_user=acting_user, action="user.password_reset", reason=reason)
    user.save(update_fields=["password", "must_change_password"])
    return temp


def _notify_password_reset(*, user: User, acting_user: Any) -> str:
    """E-mail the owner; return what the history row should say about it."""
    if not user.email:
        return _("Tài khoản không có địa chỉ thư điện tử: chưa báo được cho chủ tài khoản.")
    who = acting_user.get_full_name() or acting_user.username
    when = timezone.localtime().strftime("%H:%M ngày %d/%m/%Y")
    subject = _("[phoihop] Mật khẩu tài khoản %(u)s đã được cấp lại") % {"u": user.username}
    body = _(
        "Kính gửi %(name)s,\n\n"
        "Lúc %(when)s, %(who)s đã cấp mật khẩu tạm thời mới cho tài khoản %(u)s của đồng chí trên phoihop. "
        "Mật khẩu tạm thời được trao trực tiếp, không gửi qua thư; đồng chí phải đổi mật khẩu khi đăng nhập.\n\n"
        "Nếu đồng chí không đề nghị cấp lại mật khẩu, hãy báo ngay cho quản trị hệ thống.\n"
    ) % {"name": user.get_full_name() or user.username, "when": when, "who": who, "u": user.username}
    try:
        send_mail(subject, body, None, [user.email])
    except OSError:  # the mail server is down: the reset stands, the history says so
        return _("Chưa gửi được thư báo tới %(email)s.") % {"email": user.email}
    return _("Đã gửi thư báo tới %(email)s.") % {"email": user.email}


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


# --- sign-in protection: lockout (django-axes) and two-factor login (django-otp) ---------------
# Each write names its action in the action log (phoihop/audit): who unlocked or reset whom.


@transaction.atomic
def login_unlock(*, acting_user: Any, user: User) -> int:
    """Lift a lockout after wrong passwords (every address); a system administrator's act."""
    from axes.utils import reset

    from phoihop.accounts.lockout import client_username
    from phoihop.audit.actions import record

    require(acting_user, user, "lift-protection")
    cleared = reset(username=client_username(None, {"username": user.username}))
    record("user.unlock", actor=acting_user, target=user, count=cleared)
    return cleared


def login_failures(user: User) -> int:
    """Wrong passwords for ``user`` still counting towards a lockout (all addresses together)."""
    from axes.models import AccessAttempt
    from django.db.models import Sum

    from phoihop.accounts.lockout import client_username, cool_off

    since = timezone.now() - cool_off()
    total = AccessAttempt.objects.filter(
        username=client_username(None, {"username": user.username}), attempt_time__gte=since
    ).aggregate(n=Sum("failures_since_start"))["n"]
    return int(total or 0)


def two_factor_begin(*, user: User) -> Any:
    """The authenticator ``user`` is setting up (made once, unconfirmed until a code matches)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="phoihop", confirmed=False)
    return device


BACKUP_CODES = 10


def _new_backup_codes(user: User) -> list[str]:
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def two_factor_confirm(*, user: User, device: Any, code: str) -> list[str] | None:
    """Confirm the authenticator being set up with a code from it; returns the new backup codes
    (shown once), or None when the code does not match."""
    from phoihop.accounts.twofactor import normalise
    from phoihop.audit.actions import record

    if device.user_id != user.pk or device.confirmed or not device.verify_token(normalise(code)):
        return None
    # One authenticator per person: an older one stops working.
    type(device).objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_backup_codes(user)
    record("user.2fa_enable", actor=user, target=user)
    return codes


@transaction.atomic
def two_factor_new_backup_codes(*, user: User) -> list[str]:
    """Replace ``user``'s backup codes (the old ones stop working)."""
    from phoihop.audit.actions import record

    codes = _new_backup_codes(user)
    record("user.2fa_backup_codes", actor=user, target=user)
    return codes


@transaction.atomic
def two_factor_remove(*, acting_user: Any, user: User, reason: str = "") -> int:
    """Remove ``user``'s authenticator and backup codes: by the user, or by a system administrator
    (a lost phone). Where a rule asks for a second factor, the next sign-in sets one up again."""
    from django_otp import devices_for_user

    from phoihop.audit.actions import record

    if getattr(acting_user, "pk", None) != user.pk:
        require(acting_user, user, "lift-protection")
    removed = 0
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
        removed += 1
    action = "user.2fa_remove" if getattr(acting_user, "pk", None) == user.pk else "user.2fa_reset"
    record(action, actor=acting_user, target=user, reason=reason, count=removed)
    return removed
