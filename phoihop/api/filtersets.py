"""Filters the API needs that no app offers yet.

``PhaseFilterSet`` belongs in ``phoihop/programmes/filtersets.py`` once the HTML lists need it.
"""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from phoihop.programmes.models import Phase, PhaseStatus


class PhaseFilterSet(django_filters.FilterSet):
    programme = django_filters.CharFilter(field_name="programme__code", label=_("Chương trình (mã)"))
    status = django_filters.ChoiceFilter(choices=PhaseStatus.choices, label=_("Trạng thái"))

    class Meta:
        model = Phase
        fields: list[str] = []
