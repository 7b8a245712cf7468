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
from phoihop.core.widgets import use_widget
from phoihop.reporting.autocomplete import PeriodPicker
from phoihop.reporting.models import Report, ReportingPeriod, ReportStatus


def _periods(request: Any) -> QuerySet[ReportingPeriod]:
    # The picker shows only the period chosen, and only a period asked for is checked: without
    # one, nothing is read (and the scope's query is not built).
    if not getattr(request, "GET", {}).get("period"):
        return ReportingPeriod.objects.none()  # type: ignore[no-any-return]
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

    # The inbox's groups (phoihop/inbox/selectors.py holds the rules): the same rows as its counts.
    to_approve = django_filters.BooleanFilter(method="filter_inbox", label=_("true: chỉ báo cáo chờ bạn duyệt"))
    returned_to_me = django_filters.BooleanFilter(
        method="filter_inbox", label=_("true: chỉ báo cáo của bạn bị trả lại")
    )
    due_soon = django_filters.BooleanFilter(
        method="filter_inbox", label=_("true: chỉ báo cáo của yêu cầu đến hạn trong 7 ngày hoặc chậm")
    )

    class Meta:
        model = Report
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.form.fields["period"]
        field.empty_label = _("Tất cả")  # type: ignore[attr-defined]
        # A searchable picker: a programme's periods outgrow a drop-down (one per month of each phase).
        use_widget(field, PeriodPicker(attrs={"class": "form-select form-select-sm", "data-placeholder": _("Tất cả")}))
        field.label_from_instance = lambda p: f"{p.label} · {p.programme.title}"  # type: ignore[attr-defined]

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

    def filter_inbox(self, queryset: QuerySet[Report], name: str, value: bool | None) -> QuerySet[Report]:
        return inbox_filter(queryset, name, value, getattr(self.request, "user", None))


def inbox_filter(queryset: QuerySet[Any], name: str, value: bool | None, user: Any) -> QuerySet[Any]:
    """Reports of an inbox group; for ``due_soon``, the reports opened for the requests due."""
    if not value:
        return queryset
    from phoihop.inbox import selectors as inbox

    if name == "due_soon":
        return queryset.filter(pk__in=inbox.requests_due(user).values("report_id"))  # type: ignore[misc]  # annotated
    rule = inbox.reports_to_approve if name == "to_approve" else inbox.reports_returned
    return queryset.filter(pk__in=rule(user).values("pk"))
