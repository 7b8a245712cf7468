"""Two-factor sign-in (django-otp): who must give a second factor, and checking one.

A second factor is a 6-digit code from an authenticator app (TOTP, django_otp's otp_totp) or
one of 10 single-use backup codes (otp_static). Who must have one is named by the setting
``PHOIHOP_2FA_REQUIRED``, a list of rules:

- ``system_admin``: superusers and staff;
- ``<role>``: anyone holding that role (``unit_admin``, ``approver``, ``reporter``, ``viewer``)
  on any unit;
- ``<role>@<level code>``: that role on a unit of that level or above in its organisation
  (``approver@province``: approvers of a province, a military region or the centre);
- ``all``: everybody.

``PHOIHOP_2FA_DEMO_EXEMPT`` (``make demo``) lifts the rules, so the demo users sign in with
their password alone; a person who set up an authenticator is still asked for its code.

The sign-in pages ask through ``TwoFactorMiddleware`` (phoihop/accounts/middleware.py); the API
token endpoint asks for an ``otp`` field with ``requires_second_factor`` and
``verify_second_factor``.
"""

from __future__ import annotations

import re
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.utils import timezone
from django_otp import devices_for_user, match_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from phoihop.core.scoping import Role

SYSTEM_ADMIN = "system_admin"
EVERYONE = "all"
ROLES = {Role.VIEWER, Role.REPORTER, Role.APPROVER, Role.UNIT_ADMIN}


def demo_exempt() -> bool:
    return bool(getattr(settings, "PHOIHOP_2FA_DEMO_EXEMPT", False))


def parse_rules(value: str | list[str] | tuple[str, ...]) -> list[tuple[str, str | None]]:
    """``"system_admin, approver@province"`` -> ``[("system_admin", None), ("approver", "province")]``."""
    items = value.split(",") if isinstance(value, str) else list(value)
    rules: list[tuple[str, str | None]] = []
    for item in items:
        item = item.strip()
        if not item:
            continue
        role, _sep, level = item.partition("@")
        role = role.strip()
        if role not in ROLES | {SYSTEM_ADMIN, EVERYONE}:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured(f"PHOIHOP_2FA_REQUIRED: unknown role {role!r}.")
        rules.append((role, level.strip() or None))
    return rules


def required_by_role(user: Any) -> bool:
    """Whether the rules of ``PHOIHOP_2FA_REQUIRED`` ask ``user`` for a second factor."""
    if demo_exempt() or user is None or not getattr(user, "is_authenticated", False):
        return False
    rules = parse_rules(settings.PHOIHOP_2FA_REQUIRED)
    names = {role for role, _level in rules}
    if EVERYONE in names:
        return True
    if SYSTEM_ADMIN in names and (user.is_superuser or user.is_staff):
        return True
    by_role: dict[str, list[str | None]] = {}
    for role, level in rules:
        if role in ROLES:
            by_role.setdefault(role, []).append(level)
    if not by_role:
        return False
    from phoihop.accounts.models import RoleAssignment
    from phoihop.orgunits.models import OrgUnitLevel

    held = list(
        RoleAssignment.objects.unrestricted("whether a user's own roles ask for a second factor at sign-in")
        .active_on(timezone.localdate())
        .filter(user=user, role__in=list(by_role))
        .values_list("role", "unit__organisation_id", "unit__level__rank")
    )
    codes = {level for levels in by_role.values() for level in levels if level}
    ranks = {
        (org_id, code): rank
        for org_id, code, rank in OrgUnitLevel.objects.filter(code__in=codes).values_list(
            "organisation_id", "code", "rank"
        )
    }
    for role, organisation_id, rank in held:
        for level in by_role[role]:
            if level is None:
                return True
            limit = ranks.get((organisation_id, level))
            # An organisation without that level cannot say what is above it: ask, to be safe.
            if limit is None or rank <= limit:
                return True
    return False


def has_device(user: Any) -> bool:
    """Whether ``user`` has a confirmed authenticator (TOTP device)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def requires_second_factor(user: Any) -> bool:
    """Whether signing ``user`` in takes a second factor (an authenticator set up, or a rule)."""
    return has_device(user) or required_by_role(user)


def normalise(code: str | None) -> str:
    """A code as typed ("123 456", "abcd-efgh ") -> as stored ("123456", "abcdefgh")."""
    return re.sub(r"[\s-]+", "", code or "").lower()


def match_second_factor(user: Any, code: str | None) -> Device | None:
    """The device that accepts ``code`` (a TOTP code, or a backup code, which is then used up)."""
    token = normalise(code)
    if not token or len(token) > 16 or user is None or not getattr(user, "is_authenticated", False):
        return None
    return match_token(user, token)


def verify_second_factor(user: Any, code: str | None) -> bool:
    """Whether ``code`` is a valid second factor of ``user`` now (devices throttle repeated failures)."""
    return match_second_factor(user, code) is not None


def backup_codes_left(user: Any) -> int:
    return sum(d.token_set.count() for d in StaticDevice.objects.filter(user=user, confirmed=True))


def confirmed_devices(user: Any) -> list[Device]:
    return list(devices_for_user(user, confirmed=True))


def qr_svg(text: str) -> str:
    """``text`` as a QR code in inline SVG (no script, no image fetched from anywhere)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    svg = image.to_string(encoding="unicode")
    # Inside the HTML page: no XML declaration, a fixed size in pixels, a name for screen readers.
    svg = re.sub(r"^<\?xml[^>]*\?>\s*", "", svg)
    return re.sub(
        r'^<svg width="[^"]*" height="[^"]*"',
        '<svg width="220" height="220" role="img" aria-label="QR"',
        svg,
        count=1,
    )
