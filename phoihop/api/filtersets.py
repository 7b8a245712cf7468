"""Filters every app's API shares: bounded numbers, ids and years, records by id among those
the user may see, a unit's subtree by code, and search without diacritics.

A query parameter is validated before it reaches the database: a number out of range, a
malformed date or an unknown choice is a 400 with a Vietnamese message (DjangoFilterBackend
raises the form's errors), never a 500 from an integer the database cannot hold. Every
number filter of the API is one of ``IntegerFilter``/``IdFilter``/``YearFilter`` (a test
checks that no plain ``NumberFilter`` is left), and every choice of a record by id one of
``ScopedChoiceFilter``.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField

from phoihop.core.gate import STRUCTURE
from phoihop.core.text import fold
from phoihop.orgunits.models import OrgUnit

# What a database integer column holds (BIGINT; SQLite's INTEGER is the same size).
BIGINT_MIN = -(2**63)
BIGINT_MAX = 2**63 - 1
# Years that a date can hold (Python's and the databases' date types: 1..9999).
YEAR_MIN, YEAR_MAX = 1, 9999


class BoundedIntegerField(forms.IntegerField):
    """A whole number within ``min_value``..``max_value`` (the BIGINT range unless told)."""

    default_error_messages = {
        "invalid": _("Hãy nhập một số nguyên."),
        "max_value": _("Số quá lớn: tối đa %(limit_value)s."),
        "min_value": _("Số quá nhỏ: tối thiểu %(limit_value)s."),
    }

    def __init__(self, *, min_value: int | None = None, max_value: int | None = None, **kwargs: Any) -> None:
        super().__init__(
            min_value=BIGINT_MIN if min_value is None else max(min_value, BIGINT_MIN),
            max_value=BIGINT_MAX if max_value is None else min(max_value, BIGINT_MAX),
            **kwargs,
        )


class IntegerFilter(django_filters.NumberFilter):
    """A whole-number filter bounded to what the column holds (``min_value``/``max_value`` narrow it)."""

    field_class = BoundedIntegerField


class IdFilter(IntegerFilter):
    """A record's id: a positive whole number a BIGINT holds."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", BIGINT_MAX)
        super().__init__(*args, **kwargs)


class YearFilter(IntegerFilter):
    """A year (``field_name="date__year"`` or a year column): 1..9999, what a date holds."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["min_value"] = max(kwargs.get("min_value", YEAR_MIN), YEAR_MIN)
        kwargs["max_value"] = min(kwargs.get("max_value", YEAR_MAX), YEAR_MAX)
        super().__init__(*args, **kwargs)


class ScopedChoiceField(ModelChoiceField):
    """django-filter's record-by-id field, refusing an id no BIGINT holds before asking the
    database (Django catches ValueError there, not SQLite's OverflowError)."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            number = int(value)
            if not BIGINT_MIN <= number <= BIGINT_MAX:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ScopedChoiceFilter(django_filters.ModelChoiceFilter):
    """A record chosen by id among a queryset (a callable of the request, already scoped)."""

    field_class = ScopedChoiceField


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
