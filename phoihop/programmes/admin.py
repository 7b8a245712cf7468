from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from phoihop.programmes.models import Field, Indicator, Party, Phase, Programme, Signatory, Signing, Target


class PartyInline(admin.TabularInline):
    model = Party
    raw_id_fields = ["representative_unit", "root_unit"]
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "parent"]
    inlines = [PartyInline]


@admin.register(Field)
class FieldAdmin(SimpleHistoryAdmin):
    list_display = ["programme", "code", "name", "order"]
    list_filter = ["programme"]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["programme", "code", "name", "field", "unit_of_measure", "introduced_in", "retired_in"]
    list_filter = ["programme", "field"]


@admin.register(Phase)
class PhaseAdmin(SimpleHistoryAdmin):
    list_display = ["programme", "code", "name", "start", "end", "status"]


class SignatoryInline(admin.TabularInline):
    model = Signatory
    raw_id_fields = ["person", "body"]
    extra = 0


@admin.register(Signing)
class SigningAdmin(SimpleHistoryAdmin):
    list_display = ["phase", "signed_on", "place", "document_number"]
    raw_id_fields = ["bodies"]
    inlines = [SignatoryInline]


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["phase", "unit", "indicator", "value"]
    raw_id_fields = ["unit"]
