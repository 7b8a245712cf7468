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
from phoihop.orgunits.models import OrgUnit

LIMIT = 20
RELATED = ("lead_unit",)


def activity_label(activity: Activity) -> str:
    """ "Giao lưu văn nghệ · 12/3/2026 · Hội CCB phường Hoàn Kiếm" """
    return f"{activity.title} · {vn_date(activity.end_date)} · {activity.lead_unit.name}"


@login_required
def activity_autocomplete(request: HttpRequest) -> JsonResponse:
    """At most 20 activities the user may see (``action`` view or change), newest first; ``phase``
    (an id) narrows to one phase, ``unit`` (an id) to those the unit or a unit below it leads."""
    action = request.GET.get("action", "view")
    if action not in ("view", "change"):
        action = "view"
    qs = Activity.objects.restrict(request.user, action).search(request.GET.get("q", ""))
    phase = request.GET.get("phase", "")
    if phase.isdigit():
        qs = qs.filter(phase_id=int(phase))
    unit_id = request.GET.get("unit", "")
    if unit_id.isdigit():
        unit = OrgUnit.objects.restrict(request.user, "view").filter(pk=int(unit_id)).only("path").first()
        qs = qs.filter(lead_unit__path__startswith=unit.path) if unit is not None else qs.none()
    rows = []
    for activity in qs.select_related(*RELATED).order_by("-end_date", "-pk")[:LIMIT]:
        label = activity_label(activity)
        rows.append({"id": activity.pk, "text": label, "search": fold(label)})
    return JsonResponse({"results": rows})


def ActivityPicker(
    *,
    action: str = "view",
    multiple: bool = False,
    forward: dict[str, str] | None = None,
    attrs: dict[str, Any] | None = None,
    **filters: Any,
) -> AutocompleteSelect | AutocompleteSelectMultiple:
    """An activity picker over ``activities:autocomplete``; ``filters``: ``phase``, ``unit`` (ids),
    fixed, or taken from another field of the form with ``forward={"phase": "<field name>"}``."""
    cls = AutocompleteSelectMultiple if multiple else AutocompleteSelect
    return cls(
        url="activities:autocomplete",
        params={"action": action, **filters},
        label=activity_label,
        select_related=RELATED,
        forward=forward,
        attrs=attrs,
    )
