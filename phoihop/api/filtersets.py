"""Filters every app's API shares: a unit's subtree by code, and search without diacritics."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from phoihop.core.gate import STRUCTURE
from phoihop.core.text import fold
from phoihop.orgunits.models import OrgUnit


def subtree_path(code: str) -> str | None:
    # Not scoped: the path only narrows a queryset that is already restricted to the user.
    return OrgUnit.objects.unrestricted(STRUCTURE).filter(code=code).values_list("path", flat=True).first()


class SubtreeFilterSet(django_filters.FilterSet):
    def filter_subtree(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        # ``name`` is the unit field of the model ("unit", "origin_unit", "sender").
        path = subtree_path(value)
        if path is None:
            return queryset.none()
        return queryset.filter(**{f"{name}__path__startswith": path})


class SearchFilterSet(SubtreeFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Tìm theo nội dung (không cần dấu)"))

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        folded = fold(value)
        return queryset.filter(search_text__contains=folded) if folded else queryset
