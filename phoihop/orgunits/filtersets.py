"""Filters shared by the HTML lists and the API."""

from __future__ import annotations

from datetime import date
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from phoihop.core.gate import STRUCTURE
from phoihop.core.text import fold
from phoihop.orgunits.models import OrgUnit, Person, Rank


class UnitFilterSet(django_filters.FilterSet):
    organisation = django_filters.CharFilter(field_name="organisation__code", label=_("Tổ chức (mã)"))
    level = django_filters.CharFilter(field_name="level__code", label=_("Cấp (mã)"))
    parent = django_filters.CharFilter(method="filter_parent", label=_("Đơn vị cấp trên (mã hoặc số hiệu)"))
    active = django_filters.DateFilter(method="filter_active", label=_("Còn hoạt động vào ngày (YYYY-MM-DD)"))
    area = django_filters.CharFilter(field_name="area__code", label=_("Mã địa bàn hành chính"))
    q = django_filters.CharFilter(method="filter_q", label=_("Tìm theo tên hoặc mã (không cần dấu)"))

    class Meta:
        model = OrgUnit
        fields: list[str] = []

    def filter_parent(self, queryset: QuerySet[OrgUnit], name: str, value: str) -> QuerySet[OrgUnit]:
        lookup = Q(code=value)
        if value.isdigit():
            lookup |= Q(pk=int(value))
        # Not scoped: the path only narrows a queryset that is already restricted to the user.
        parent = OrgUnit.objects.unrestricted(STRUCTURE).filter(lookup).only("path", "depth").first()
        if parent is None:
            return queryset.none()
        return queryset.filter(path__startswith=parent.path, depth=parent.depth + 1)

    def filter_active(self, queryset: Any, name: str, value: date) -> Any:
        return queryset.active_on(value)

    def filter_q(self, queryset: QuerySet[OrgUnit], name: str, value: str) -> QuerySet[OrgUnit]:
        folded = fold(value)
        return queryset.filter(search_text__contains=folded) if folded else queryset


class PersonFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Tìm theo tên hoặc đơn vị (không cần dấu)"))
    unit = django_filters.CharFilter(method="filter_unit", label=_("Đơn vị (mã), cả cấp dưới"))
    rank = django_filters.ChoiceFilter(choices=Rank.choices, label=_("Cấp bậc"))

    class Meta:
        model = Person
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        folded = fold(value)
        return queryset.filter(search_text__contains=folded) if folded else queryset

    def filter_unit(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        unit = OrgUnit.objects.unrestricted(STRUCTURE).filter(code=value).only("path").first()

        if unit is None:
            return queryset.none()
        return queryset.filter(unit__path__startswith=unit.path)
