from __future__ import annotations

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from phoihop.accounts.models import RoleAssignment, User
from phoihop.core.admin import ReadOnlyAdmin, ReadOnlyInline


class RoleAssignmentInline(ReadOnlyInline):
    model = RoleAssignment
    fk_name = "user"


# What a user may do comes from their roles on units, not from Django's groups and permissions.
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(ReadOnlyAdmin, BaseUserAdmin):
    """Accounts and roles are created, granted, ended and locked on the application's user pages
    (which check who may grant what); here they are only read."""

    inlines = [RoleAssignmentInline]
    fieldsets = (*BaseUserAdmin.fieldsets, ("phoihop", {"fields": ("must_change_password",)}))  # type: ignore[misc]


# Sign-in protection (phoihop/accounts/lockout.py, twofactor.py): read here only. A system
# administrator unlocks an account and resets its second factor on the user's page, which
# leaves a row in the action log; the secret keys and backup codes are never shown.
# Their own admin modules are imported first (whatever the order of INSTALLED_APPS), so that
# what they register is replaced here.
import axes.admin  # noqa: E402, F401
import django_otp.plugins.otp_static.admin  # noqa: E402
import django_otp.plugins.otp_totp.admin  # noqa: E402, F401

for _model in (AccessAttempt, AccessLog, AccessFailureLog, TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(ReadOnlyAdmin):
    list_display = ("attempt_time", "username", "ip_address", "failures_since_start", "path_info")
    search_fields = ("username", "ip_address")
    exclude = ("get_data", "post_data")


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ("attempt_time", "logout_time", "username", "ip_address", "path_info")
    search_fields = ("username", "ip_address")
    exclude = ("session_hash",)


@admin.register(AccessFailureLog)
class AccessFailureLogAdmin(ReadOnlyAdmin):
    list_display = ("attempt_time", "username", "ip_address", "locked_out", "path_info")
    search_fields = ("username", "ip_address")


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(ReadOnlyAdmin):
    list_display = ("user", "name", "confirmed", "last_used_at")
    search_fields = ("user__username",)
    fields = ("user", "name", "confirmed", "created_at", "last_used_at", "throttling_failure_count")


@admin.register(StaticDevice)
class StaticDeviceAdmin(ReadOnlyAdmin):
    list_display = ("user", "name", "confirmed", "last_used_at")
    search_fields = ("user__username",)
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")


# API tokens (knox) are read here only: issued on /api/v1/auth/token/, revoked on the user's
# pages and the API (phoihop/accounts/tokens.py), each with a row in the action log.
admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class AuthTokenAdmin(ReadOnlyAdmin):
    list_display = ("token_key", "user", "created", "expiry")
    search_fields = ("user__username",)
    exclude = ("digest",)
