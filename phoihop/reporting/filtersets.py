"""Filters of the reports list. The queryset given is already scoped
(``Report.objects.restrict(user, "view")``); every choice offered is scoped as well."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from phoihop.api.filtersets import ScopedChoiceFilter
from phoihop.core.text import fold
from phoihop.reporting.models import Report, ReportingPeriod, ReportStatus


def _periods(request: Any) -> QuerySet[ReportingPeriod]:
    user = getattr(request, "user", None)
    return ReportingPeriod.objects.restrict(user, "view").select_related("programme").order_by("-end", "start", "kind")


class ReportFilterSet(django_filters.FilterSet):
    period = ScopedChoiceFilter(
        queryset=_periods,
        label=_("Kỳ báo cáo"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    status = django_filters.ChoiceFilter(
        choices=ReportStatus.choices,
        label=_("Trạng thái"),
        empty_label=_("Tất cả"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    unit = django_filters.CharFilter(
        method="filter_unit",
        label=_("Đơn vị (tên hoặc mã, không cần dấu)"),
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "type": "search"}),
    )

    class Meta:
        model = Report
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.form.fields["period"]
        field.empty_label = _("Tất cả")  # type: ignore[attr-defined]
        field.label_from_instance = lambda p: f"{p.programme.code} · {p.label}"  # type: ignore[attr-defined]

    def filter_unit(self, queryset: QuerySet[Report], name: str, value: str) -> QuerySet[Report]:
        text = fold(value)
        if not text:
            return queryset
        return queryset.filter(
            Q(unit__search_text__contains=text)
            | Q(partner_unit__search_text__contains=text)
            | Q(unit__code__iexact=value.strip())
            | Q(partner_unit__code__iexact=value.strip())
        )
