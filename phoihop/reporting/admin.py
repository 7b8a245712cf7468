from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from phoihop.reporting.models import BodyProfile, NumberRegister, Report, ReportingPeriod, ReportRequest


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(SimpleHistoryAdmin):
    list_display = ["name", "programme", "phase", "kind", "report_type", "start", "end", "due_date"]
    list_filter = ["programme", "kind", "report_type"]


@admin.register(BodyProfile)
class BodyProfileAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "kind", "abbreviation", "place", "signer_title", "signer_name"]
    list_filter = ["kind"]
    raw_id_fields = ["unit"]
    search_fields = ["unit__code", "unit__name", "abbreviation"]


@admin.register(NumberRegister)
class NumberRegisterAdmin(admin.ModelAdmin):
    list_display = ["unit", "year", "last"]
    raw_id_fields = ["unit"]
    search_fields = ["unit__code", "unit__name"]


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Reports and requests change only through their services (pages and API): read here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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
