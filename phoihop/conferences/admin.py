from __future__ import annotations

from django.contrib import admin

from phoihop.conferences.models import CoChair, Conference, Delegate, Paper, ProposalAdoption
from phoihop.core.admin import ReadOnlyAdmin, ReadOnlyInline


class CoChairInline(ReadOnlyInline):
    model = CoChair


class DelegateInline(ReadOnlyInline):
    model = Delegate


class PaperInline(ReadOnlyInline):
    model = Paper
    exclude = ["file", "token", "content_type", "original_name"]


@admin.register(Conference)
class ConferenceAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "held_on", "place", "programme", "phase"]
    list_filter = ["kind", "programme"]
    search_fields = ["title", "place"]
    inlines = [CoChairInline, DelegateInline, PaperInline]


@admin.register(ProposalAdoption)
class ProposalAdoptionAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "conference", "phase"]
