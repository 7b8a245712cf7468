from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from phoihop.orgunits.models import AdminArea, Organisation, OrgUnit, OrgUnitLevel, OrgUnitPair, Person


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "short_name"]


@admin.register(OrgUnitLevel)
class OrgUnitLevelAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "code", "name", "rank", "closed"]
    list_filter = ["organisation"]


@admin.register(AdminArea)
class AdminAreaAdmin(admin.ModelAdmin):
    list_display = ["code", "state_code", "name", "kind", "parent", "valid_from", "valid_to", "successor"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent", "successor"]


@admin.register(OrgUnit)
class OrgUnitAdmin(SimpleHistoryAdmin):
    # Never treebeard's drag-and-drop admin: units are never moved (ARCHITECTURE rule 6).
    list_display = ["code", "name", "organisation", "level", "valid_from", "valid_to", "successor"]
    list_filter = ["organisation", "level"]
    search_fields = ["code", "search_text"]
    raw_id_fields = ["area", "successor"]
    readonly_fields = ["path", "depth", "numchild"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # units are added under their parent through the application's services

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        super().save_model(request, obj, form, change)
        # A successor set here moves the unit's figures in today's tree, as unit_close does.
        from phoihop.figures.today import rebuild_terms

        rebuild_terms()


@admin.register(OrgUnitPair)
class OrgUnitPairAdmin(SimpleHistoryAdmin):
    list_display = ["unit_a", "unit_b", "valid_from", "valid_to"]
    raw_id_fields = ["unit_a", "unit_b"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "rank", "unit", "is_public_figure"]
    search_fields = ["search_text"]
    raw_id_fields = ["unit"]
