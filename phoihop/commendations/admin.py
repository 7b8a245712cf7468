from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from phoihop.commendations.models import Award, AwardRequirement, AwardType, Decision, Nomination, NominationStep, Quota


class AwardRequirementInline(admin.TabularInline):
    model = AwardRequirement
    fk_name = "award"
    extra = 0


@admin.register(AwardType)
class AwardTypeAdmin(SimpleHistoryAdmin):
    """Award forms and emulation titles: reference data the system administrator edits."""

    list_display = ["name", "kind", "category", "recipients", "awarding_organisation", "awarding_level", "is_active"]
    list_filter = ["kind", "category", "awarding_organisation", "is_active"]
    search_fields = ["code", "name"]
    inlines = [AwardRequirementInline]


@admin.register(Quota)
class QuotaAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "scope", "award", "phase", "number", "share_percent", "share_of", "member_count"]
    list_filter = ["scope", "phase"]
    raw_id_fields = ["unit"]


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Nominations and decisions change only through their services: read here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StepInline(admin.TabularInline):
    model = NominationStep
    extra = 0
    can_delete = False
    readonly_fields = ["unit", "action", "to_unit", "by", "at", "reason"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "proposing_unit", "phase", "year", "status", "holder", "awarding_unit"]
    list_filter = ["status", "phase"]
    inlines = [StepInline]


class AwardInline(admin.TabularInline):
    model = Award
    extra = 0
    can_delete = False
    fields = ("award", "nominee_unit", "person", "rank_at_event", "year")
    readonly_fields = ("award", "nominee_unit", "person", "rank_at_event", "year")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "issuing_unit", "awarding_unit", "signer_name"]
    inlines = [AwardInline]
