from __future__ import annotations

from django.contrib import admin

from phoihop.core.admin import CatalogueAdmin, ReadOnlyAdmin, ReadOnlyInline
from phoihop.programmes.models import Field, Indicator, Party, Phase, Programme, Signatory, Signing, Target


class PartyInline(ReadOnlyInline):
    model = Party


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "parent"]
    inlines = [PartyInline]


@admin.register(Field)
class FieldAdmin(CatalogueAdmin):
    list_display = ["programme", "code", "name", "order"]
    list_filter = ["programme"]


@admin.register(Indicator)
class IndicatorAdmin(CatalogueAdmin):
    list_display = [
        "programme",
        "code",
        "name",
        "field",
        "unit_of_measure",
        "max_per_entry",
        "introduced_in",
        "retired_in",
    ]
    list_filter = ["programme", "field"]


@admin.register(Phase)
class PhaseAdmin(ReadOnlyAdmin):
    list_display = ["programme", "code", "name", "start", "end", "status"]


class SignatoryInline(ReadOnlyInline):
    model = Signatory


@admin.register(Signing)
class SigningAdmin(ReadOnlyAdmin):
    list_display = ["phase", "signed_on", "place", "document_number"]
    inlines = [SignatoryInline]


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    list_display = ["phase", "unit", "indicator", "value"]
