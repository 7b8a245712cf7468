"""Filters the API needs that no app offers yet.

``PhaseFilterSet`` belongs in ``phoihop/programmes/filtersets.py`` once the HTML lists need it.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from phoihop.activities import filtersets as activity_filtersets
from phoihop.activities.models import Activity
from phoihop.core.text import fold
from phoihop.entry.models import EntryLock, IndicatorValue
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Phase, PhaseStatus
from phoihop.records.models import Exchange, ExchangeKind, Lesson, PracticeModel, Proposal, ProposalHorizon


class PhaseFilterSet(django_filters.FilterSet):
    programme = django_filters.CharFilter(field_name="programme__code", label=_("Chương trình (mã)"))
    status = django_filters.ChoiceFilter(choices=PhaseStatus.choices, label=_("Trạng thái"))

    class Meta:
        model = Phase
        fields: list[str] = []


# --- the daily work (issue 3) ------------------------------------------------------------------
# The HTML lists may take these over into phoihop/activities/filtersets.py.


def _subtree_path(code: str) -> str | None:
    # Not scoped: the path only narrows a queryset that is already restricted to the user.
    return OrgUnit.objects.filter(code=code).values_list("path", flat=True).first()


class _SubtreeFilterSet(django_filters.FilterSet):
    def filter_subtree(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        # ``name`` is the unit field of the model ("unit", "origin_unit", "sender").
        path = _subtree_path(value)
        if path is None:
            return queryset.none()
        return queryset.filter(**{f"{name}__path__startswith": path})


class _SearchFilterSet(_SubtreeFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Tìm theo nội dung (không cần dấu)"))

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        folded = fold(value)
        return queryset.filter(search_text__contains=folded) if folded else queryset


class ActivityFilterSet(activity_filtersets.ActivityFilterSet):
    """The activity list's filters (the HTML list's), with the field named by its code: the API
    shows fields by code, never by id."""

    field = django_filters.CharFilter(method="filter_field_code", label=_("Lĩnh vực (mã): có số liệu của lĩnh vực này"))

    class Meta(activity_filtersets.ActivityFilterSet.Meta):
        pass

    def filter_field_code(self, queryset: QuerySet[Activity], name: str, value: str) -> QuerySet[Activity]:
        with_field = IndicatorValue.objects.filter(activity__isnull=False, indicator__field__code=value)
        return queryset.filter(pk__in=with_field.values("activity"))


class EnteredFigureFilterSet(_SubtreeFilterSet):
    unit = django_filters.CharFilter(field_name="unit", method="filter_subtree", label=_("Đơn vị (mã), cả cấp dưới"))
    programme = django_filters.CharFilter(field_name="indicator__programme__code", label=_("Chương trình (mã)"))
    indicator = django_filters.CharFilter(field_name="indicator__code", label=_("Chỉ tiêu (mã)"))
    start = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("Cuối kỳ từ ngày"))
    end = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("Cuối kỳ đến ngày"))

    class Meta:
        model = IndicatorValue
        fields: list[str] = []


class PracticeModelFilterSet(_SearchFilterSet):
    phase = django_filters.NumberFilter(field_name="phase", label=_("Giai đoạn (id)"))
    field = django_filters.CharFilter(field_name="field__code", label=_("Lĩnh vực (mã)"))
    unit = django_filters.CharFilter(
        field_name="origin_unit", method="filter_subtree", label=_("Đơn vị xây dựng (mã), cả cấp dưới")
    )

    class Meta:
        model = PracticeModel
        fields: list[str] = []


class ExchangeFilterSet(_SearchFilterSet):
    phase = django_filters.NumberFilter(field_name="phase", label=_("Giai đoạn (id)"))
    kind = django_filters.ChoiceFilter(choices=ExchangeKind.choices, label=_("Loại"))
    sender = django_filters.CharFilter(
        field_name="sender", method="filter_subtree", label=_("Đơn vị gửi (mã), cả cấp dưới")
    )

    class Meta:
        model = Exchange
        fields: list[str] = []


class LessonFilterSet(_SearchFilterSet):
    phase = django_filters.NumberFilter(field_name="phase", label=_("Giai đoạn (id)"))
    field = django_filters.CharFilter(field_name="field__code", label=_("Lĩnh vực (mã)"))
    unit = django_filters.CharFilter(field_name="unit", method="filter_subtree", label=_("Đơn vị (mã), cả cấp dưới"))

    class Meta:
        model = Lesson
        fields: list[str] = []


class ProposalFilterSet(LessonFilterSet):
    horizon = django_filters.ChoiceFilter(choices=ProposalHorizon.choices, label=_("Đề xuất cho"))

    class Meta:
        model = Proposal
        fields: list[str] = []


class LockFilterSet(_SubtreeFilterSet):
    unit = django_filters.CharFilter(field_name="unit", method="filter_subtree", label=_("Đơn vị (mã), cả cấp dưới"))
    active = django_filters.BooleanFilter(
        field_name="reopened_at", lookup_expr="isnull", label=_("Còn khóa (chưa mở lại)")
    )

    class Meta:
        model = EntryLock
        fields: list[str] = []
