from __future__ import annotations

from django.contrib import admin

from phoihop.commendations.models import Award, AwardRequirement, AwardType, Decision, Nomination, NominationStep, Quota
from phoihop.core.admin import CatalogueAdmin, ReadOnlyAdmin, ReadOnlyInline


class AwardRequirementInline(admin.TabularInline):
    model = AwardRequirement
    fk_name = "award"
    extra = 0


@admin.register(AwardType)
class AwardTypeAdmin(CatalogueAdmin):
    """Award forms and emulation titles: reference data the system administrator edits."""

    list_display = ["name", "kind", "category", "recipients", "awarding_organisation", "awarding_level", "is_active"]
    list_filter = ["kind", "category", "awarding_organisation", "is_active"]
    search_fields = ["code", "name"]
    inlines = [AwardRequirementInline]


@admin.register(Quota)
class QuotaAdmin(CatalogueAdmin):
    list_display = ["unit", "scope", "award", "phase", "number", "share_percent", "share_of", "member_count"]
    list_filter = ["scope", "phase"]
    raw_id_fields = ["unit"]


class StepInline(ReadOnlyInline):
    model = NominationStep


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "proposing_unit", "phase", "year", "status", "holder", "awarding_unit"]
    list_filter = ["status", "phase"]
    inlines = [StepInline]


class AwardInline(ReadOnlyInline):
    model = Award
    fields = ("award", "nominee_unit", "person", "rank_at_event", "year")


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "issuing_unit", "awarding_unit", "signer_name"]
    inlines = [AwardInline]
