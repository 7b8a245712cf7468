from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from phoihop.conferences.models import CoChair, Conference, Delegate, Paper, ProposalAdoption


class CoChairInline(admin.TabularInline):
    model = CoChair
    extra = 0
    autocomplete_fields = ["person"]


class DelegateInline(admin.TabularInline):
    model = Delegate
    extra = 0
    autocomplete_fields = ["person"]


class PaperInline(admin.TabularInline):
    model = Paper
    extra = 0
    exclude = ["file", "token", "content_type", "original_name"]


@admin.register(Conference)
class ConferenceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "held_on", "place", "programme", "phase"]
    list_filter = ["kind", "programme"]
    search_fields = ["title", "place"]
    filter_horizontal = ["organisers"]
    raw_id_fields = ["report", "signing"]
    inlines = [CoChairInline, DelegateInline, PaperInline]


admin.site.register(ProposalAdoption, SimpleHistoryAdmin)
