"""The reporting-period picker (core/widgets.py) and its endpoint: a programme has a period for each
month, half and year of each phase, so the list outgrows a drop-down; periods are found by typing
their name or dates without diacritics ("6 thang dau nam 2026", "12/2025")."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse

from phoihop.core.text import fold
from phoihop.core.widgets import AutocompleteSelect
from phoihop.reporting.models import ReportingPeriod

LIMIT = 20
RELATED = ("programme",)


def period_label(period: ReportingPeriod) -> str:
    """ "6 tháng đầu năm 2026 (15/12/2025 – 14/6/2026) · Chương trình phối hợp ..." """
    return f"{period.label} · {period.programme.title}"


@login_required
def period_autocomplete(request: HttpRequest) -> JsonResponse:
    """At most 20 periods the user may see whose label holds every typed word, those holding the
    typed words together first, then newest first."""
    phrase = fold(request.GET.get("q", ""))
    words = phrase.split()
    periods = (
        ReportingPeriod.objects.restrict(request.user, "view")
        .select_related(*RELATED)
        .order_by("-end", "start", "kind")
    )
    together: list[dict[str, Any]] = []
    apart: list[dict[str, Any]] = []
    for period in periods.iterator(chunk_size=500):
        label = period_label(period)
        search = fold(label)
        if all(word in search for word in words):
            (together if phrase in search else apart).append({"id": period.pk, "text": label, "search": search})
            if len(together) >= LIMIT:
                break
    return JsonResponse({"results": (together + apart)[:LIMIT]})


def PeriodPicker(*, attrs: dict[str, Any] | None = None) -> AutocompleteSelect:
    """A reporting-period picker over ``reporting:period-autocomplete``."""
    return AutocompleteSelect(
        url="reporting:period-autocomplete", label=period_label, select_related=RELATED, attrs=attrs
    )
