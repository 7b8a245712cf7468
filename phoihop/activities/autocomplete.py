"""The activity picker (core/widgets.py) and its endpoint: activities the user may see, found by
their title, place or description typed without diacritics."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse

from phoihop.activities.models import Activity
from phoihop.core.formats import vn_date
from phoihop.core.text import fold
from phoihop.core.widgets import AutocompleteSelect, AutocompleteSelectMultiple

LIMIT = 20
RELATED = ("lead_unit",)


def activity_label(activity: Activity) -> str:
    """ "Giao lưu văn nghệ · 12/3/2026 · Hội CCB phường Hoàn Kiếm" """
    return f"{activity.title} · {vn_date(activity.end_date)} · {activity.lead_unit.name}"


@login_required
def activity_autocomplete(request: HttpRequest) -> JsonResponse:
    """At most 20 activities the user may see (``action`` view or change), newest first; ``phase``
    (an id) narrows to one phase, ``unit`` (an id) to those the unit leads."""
    action = request.GET.get("action", "view")
    if action not in ("view", "change"):
        action = "view"
    qs = Activity.objects.restrict(request.user, action).search(request.GET.get("q", ""))
    for param, lookup in (("phase", "phase_id"), ("unit", "lead_unit_id")):
        value = request.GET.get(param, "")
        if value.isdigit():
            qs = qs.filter(**{lookup: int(value)})
    rows = []
    for activity in qs.select_related(*RELATED).order_by("-end_date", "-pk")[:LIMIT]:
        label = activity_label(activity)
        rows.append({"id": activity.pk, "text": label, "search": fold(label)})
    return JsonResponse({"results": rows})


def ActivityPicker(
    *, action: str = "view", multiple: bool = False, attrs: dict[str, Any] | None = None, **filters: Any
) -> AutocompleteSelect | AutocompleteSelectMultiple:
    """An activity picker over ``activities:autocomplete``; ``filters``: ``phase``, ``unit`` (ids)."""
    cls = AutocompleteSelectMultiple if multiple else AutocompleteSelect
    return cls(
        url="activities:autocomplete",
        params={"action": action, **filters},
        label=activity_label,
        select_related=RELATED,
        attrs=attrs,
    )
