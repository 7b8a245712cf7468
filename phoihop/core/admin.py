"""The Django admin's two kinds of page, for system administrators only.

- ``ReadOnlyAdmin``: domain records (units, people, programmes, activities, reports,
  nominations, conferences, users...). They change through their services (pages and API),
  which check scope, keep the roll-ups exact and name the action; here they are only read, with
  their history. A model admin that needs a write calls the service in ``save_model``.
- ``CatalogueAdmin``: reference data with no page of its own (organisations, levels,
  administrative areas, fields and indicators, award catalogue, quotas, letterheads). Each save
  or delete is validated and leaves a history row naming the administrator and the action
  (``admin.change`` / ``admin.delete``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from phoihop.core.gate import ADMINISTRATION
from phoihop.core.services import audited_delete, audited_save


class _Admin(SimpleHistoryAdmin):
    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        return qs.unrestricted(ADMINISTRATION) if hasattr(qs, "unrestricted") else qs


class NoWrites:
    """Shown, never added, changed or deleted here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(NoWrites, _Admin):
    """A domain record: read here, changed through its services."""


class ReadOnlyInline(NoWrites, admin.TabularInline):
    extra = 0
    can_delete = False


class CatalogueAdmin(_Admin):
    """Reference data: every write validated and audited (``admin.change``, ``admin.delete``)."""

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        audited_save(obj, acting_user=request.user, action="admin.change")

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        audited_delete(obj, acting_user=request.user, action="admin.delete")

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            audited_delete(obj, acting_user=request.user, action="admin.delete")

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for obj in formset.save(commit=False):
            audited_save(obj, acting_user=request.user, action="admin.change")
        for obj in formset.deleted_objects:
            audited_delete(obj, acting_user=request.user, action="admin.delete")
        formset.save_m2m()
