from __future__ import annotations

from django.contrib import admin

from phoihop.core.admin import CatalogueAdmin, ReadOnlyAdmin
from phoihop.orgunits.models import AdminArea, Organisation, OrgUnit, OrgUnitLevel, OrgUnitPair, Person


@admin.register(Organisation)
class OrganisationAdmin(CatalogueAdmin):
    list_display = ["code", "name", "short_name"]


@admin.register(OrgUnitLevel)
class OrgUnitLevelAdmin(CatalogueAdmin):
    list_display = ["organisation", "code", "name", "rank", "closed"]
    list_filter = ["organisation"]


@admin.register(AdminArea)
class AdminAreaAdmin(CatalogueAdmin):
    list_display = ["code", "state_code", "name", "kind", "parent", "valid_from", "valid_to", "successor"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent", "successor"]


@admin.register(OrgUnit)
class OrgUnitAdmin(ReadOnlyAdmin):
    """Units are added under their parent, edited and closed (with their successor, which moves
    their figures in today's tree) on the application's pages; never moved."""

    list_display = ["code", "name", "organisation", "level", "valid_from", "valid_to", "successor"]
    list_filter = ["organisation", "level"]
    search_fields = ["code", "search_text"]


@admin.register(OrgUnitPair)
class OrgUnitPairAdmin(ReadOnlyAdmin):
    list_display = ["unit_a", "unit_b", "valid_from", "valid_to"]
    raw_id_fields = ["unit_a", "unit_b"]


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "rank", "unit", "is_public_figure"]
    search_fields = ["search_text"]
    raw_id_fields = ["unit"]
