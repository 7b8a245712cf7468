from __future__ import annotations

from django.contrib import admin

from phoihop.core.admin import CatalogueAdmin, ReadOnlyAdmin
from phoihop.reporting.models import (
    BodyProfile,
    NumberRegister,
    RegisteredNumber,
    Report,
    ReportingPeriod,
    ReportRequest,
    Signatory,
)


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ReadOnlyAdmin):
    list_display = ["name", "programme", "phase", "kind", "report_type", "start", "end", "due_date"]
    list_filter = ["programme", "kind", "report_type"]


@admin.register(BodyProfile)
class BodyProfileAdmin(CatalogueAdmin):
    list_display = ["unit", "kind", "abbreviation", "head_title", "drafting_office", "place"]
    list_filter = ["kind"]
    raw_id_fields = ["unit"]
    search_fields = ["unit__code", "unit__name", "abbreviation"]


@admin.register(Signatory)
class SignatoryAdmin(CatalogueAdmin):
    """A body's signers, dated: who signs in which capacity (phoihop.reporting.authority)."""

    list_display = ["unit", "capacity", "collective", "title", "rank", "full_name", "valid_from", "valid_to", "is_head"]
    list_filter = ["capacity", "is_head"]
    raw_id_fields = ["unit", "person"]
    search_fields = ["unit__code", "unit__name", "full_name", "title"]


@admin.register(NumberRegister)
class NumberRegisterAdmin(ReadOnlyAdmin):
    list_display = ["unit", "year", "last"]
    raw_id_fields = ["unit"]
    search_fields = ["unit__code", "unit__name"]


@admin.register(RegisteredNumber)
class RegisteredNumberAdmin(ReadOnlyAdmin):
    """The register's lines: read only (numbers are taken and cancelled through the services)."""

    list_display = ["unit", "year", "number", "symbol", "kind", "issued_on", "status"]
    list_filter = ["status", "kind", "year"]
    raw_id_fields = ["unit", "taken_by", "cancelled_by"]
    search_fields = ["unit__code", "unit__name", "subject"]


@admin.register(ReportRequest)
class ReportRequestAdmin(ReadOnlyAdmin):
    list_display = ["period", "unit", "due_date", "requested_at"]
    list_filter = ["period__programme"]
    search_fields = ["unit__code", "unit__name"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["period", "unit", "partner_unit", "status", "number", "submitted_at"]
    list_filter = ["status", "period__programme"]
    search_fields = ["unit__code", "unit__name"]
