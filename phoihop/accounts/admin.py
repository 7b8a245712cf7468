from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group

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
