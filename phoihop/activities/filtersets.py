"""Filters of the activity list and its export (the API may reuse them).

The queryset given is already scoped (``Activity.objects.restrict(user, "view")``); the
filters only narrow it, and every choice they offer is scoped as well.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.activities.models import Activity, ActivityStatus
from phoihop.api.filtersets import ScopedChoiceFilter
from phoihop.core.statements import compile_values, kept, plan_key
from phoihop.entry.models import IndicatorValue
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Field, Phase, Programme


def _phases_for(user: Any) -> QuerySet[Phase]:
    return Phase.objects.restrict(user, "view").select_related("programme").order_by("programme__code", "-start")


def _fields_for(user: Any) -> QuerySet[Field]:
    return Field.objects.restrict(user, "view").select_related("programme").order_by("programme__code", "order")


def _phases(request: Any) -> QuerySet[Phase]:
    return _phases_for(getattr(request, "user", None))


def _fields(request: Any) -> QuerySet[Field]:
    return _fields_for(getattr(request, "user", None))


def filter_choices(user: Any) -> tuple[list[Phase], list[Field]]:
    """The phases and the fields the list's filters offer (the rows of ``_phases`` and
    ``_fields``, labelled as the form labels them), read as values by statements compiled once
    per worker for the user's roles of the day (``phoihop.core.statements``)."""
    key = plan_key(user, timezone.localdate())
    phases = kept(
        key,
        "activities:filter-phases",
        lambda: compile_values(_phases_for(user).values("pk", "name", "programme__title")),
    )
    fields = kept(key, "activities:filter-fields", lambda: compile_values(_fields_for(user).values("pk", "name")))
    return (
        [
            Phase(pk=row["pk"], name=row["name"], programme=Programme(title=row["programme__title"]))
            for row in (phases.rows() if phases is not None else [])
        ],
        [Field(pk=row["pk"], name=row["name"]) for row in (fields.rows() if fields is not None else [])],
    )


class ActivityFilterSet(django_filters.FilterSet):
    phase = ScopedChoiceFilter(queryset=_phases, label=_("Giai đoạn"))
    field = ScopedChoiceFilter(queryset=_fields, method="filter_field", label=_("Lĩnh vực"))
    unit = django_filters.CharFilter(method="filter_unit", label=_("Đơn vị (mã), cả cấp dưới"))
    start = django_filters.DateFilter(field_name="end_date", lookup_expr="gte", label=_("Kết thúc từ ngày"))
    end = django_filters.DateFilter(field_name="end_date", lookup_expr="lte", label=_("Kết thúc đến ngày"))
    status = django_filters.ChoiceFilter(choices=ActivityStatus.choices, label=_("Trạng thái"))
    q = django_filters.CharFilter(method="filter_q", label=_("Tìm theo tên, địa điểm, nội dung (không cần dấu)"))
    # The inbox's groups (phoihop/inbox/selectors.py holds the rules): the same rows as its counts.
    to_approve = django_filters.BooleanFilter(method="filter_inbox", label=_("true: chỉ hoạt động chờ bạn duyệt"))
    returned_to_me = django_filters.BooleanFilter(
        method="filter_inbox", label=_("true: chỉ hoạt động của bạn bị trả lại")
    )

    class Meta:
        model = Activity
        fields: list[str] = []

    def filter_field(self, queryset: QuerySet[Activity], name: str, value: Field) -> QuerySet[Activity]:
        # An activity belongs to a field when one of its values' indicators does.
        with_field = IndicatorValue.objects.filter(activity__isnull=False, indicator__field=value).values("activity")
        return queryset.filter(pk__in=with_field)

    def filter_unit(self, queryset: QuerySet[Activity], name: str, value: str) -> QuerySet[Activity]:
        unit = self.unit_obj
        if unit is None:
            return queryset.none()
        return queryset.filter(lead_unit__path__startswith=unit.path)

    def filter_q(self, queryset: QuerySet[Activity], name: str, value: str) -> QuerySet[Activity]:
        return queryset.search(value)  # type: ignore[attr-defined]

    def filter_inbox(self, queryset: QuerySet[Activity], name: str, value: bool | None) -> QuerySet[Activity]:
        if not value:
            return queryset
        from phoihop.inbox import selectors as inbox

        rule = inbox.activities_to_approve if name == "to_approve" else inbox.activities_returned
        return queryset.filter(pk__in=rule(getattr(self.request, "user", None)).values("pk"))

    @property
    def unit_obj(self) -> OrgUnit | None:
        """The unit the ``unit`` filter names, when the user may read it (else None)."""
        if not hasattr(self, "_unit_obj"):
            code = (self.data.get("unit") or "").strip() if self.data else ""
            user = getattr(self.request, "user", None)
            self._unit_obj = OrgUnit.objects.restrict(user, "view").filter(code__iexact=code).first() if code else None
        return self._unit_obj
