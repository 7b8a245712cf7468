"""What changed in a submitted activity since its previous submission, for the approver.

Read from the history rows (simple-history): the activity's row written by the current
submission is compared (``diff_against``) with the one written by the previous submission; its
values and partners are compared as they stood at those two moments (``as_of``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from phoihop.activities.models import Activity, ActivityPartner, ActivityStatus
from phoihop.core.formats import vn_date, vn_number
from phoihop.entry.models import IndicatorValue
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Indicator

SUBMIT_ACTIONS = ("activity.submit", "activity.create_submit")
SHOWN_FIELDS = (
    "title",
    "start_date",
    "end_date",
    "area",
    "place",
    "lead_unit",
    "participants_lead",
    "participants_partner",
    "description",
)


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class SubmissionChanges:
    previous_at: datetime
    current_at: datetime
    changes: list[Change]


def _is_submission(reason: str | None) -> bool:
    return any(reason == action or (reason or "").startswith(f"{action}\n") for action in SUBMIT_ACTIONS)


def _submissions(activity: Activity) -> list[Any]:
    """The history rows of the activity's last two submissions, newest first. The reasons of its
    few history rows are read first, the two rows themselves only when there are two."""
    reasons = activity.history.order_by("-history_date", "-history_id").values_list(
        "history_id", "history_change_reason"
    )
    wanted = [history_id for history_id, reason in reasons if _is_submission(reason)][:2]
    if len(wanted) < 2:
        return []
    rows = {row.history_id: row for row in activity.history.filter(history_id__in=wanted)}
    return [rows[history_id] for history_id in wanted]


def _shown(field: str, value: Any, names: dict[str, dict[int, str]]) -> str:
    if value is None or value == "":
        return "—"
    if field in names:
        return names[field].get(value, str(value))
    if field.endswith("_date"):
        return vn_date(value)
    if isinstance(value, int):
        return vn_number(value)
    return str(value)


def _latest_rows(model: Any, activity_id: int, until: datetime | None) -> list[Any]:
    """The rows of one activity as they stood before ``until`` (None: now): the last history
    row of each, unless it is a deletion (the activity's few history rows, not ``as_of`` over
    the whole table)."""
    rows = model.history.filter(activity_id=activity_id)
    if until is not None:
        rows = rows.filter(history_date__lt=until)
    rows = rows.order_by("history_date", "history_id")
    latest: dict[int, Any] = {}
    for row in rows:
        latest[row.id] = row
    return [row for row in latest.values() if row.history_type != "-"]


def _values_at(activity_id: int, until: datetime | None) -> dict[int, int]:
    return {row.indicator_id: row.value for row in _latest_rows(IndicatorValue, activity_id, until)}


def _partners_at(activity_id: int, until: datetime | None) -> set[int]:
    return {row.unit_id for row in _latest_rows(ActivityPartner, activity_id, until)}


def changes_since_previous_submission(activity: Activity) -> SubmissionChanges | None:
    """None unless the activity is submitted and was submitted before."""
    if activity.status != ActivityStatus.SUBMITTED:
        return None
    rows = _submissions(activity)
    if len(rows) < 2:
        return None
    current, previous = rows
    changes: list[Change] = []
    delta = current.diff_against(previous, included_fields=list(SHOWN_FIELDS))
    ids = {
        "lead_unit": {c.old for c in delta.changes if c.field == "lead_unit"}
        | {c.new for c in delta.changes if c.field == "lead_unit"},
    }
    # The units and areas named (a handful): read by id, they are the activity's own.
    names: dict[str, dict[int, str]] = {}
    unit_ids = {i for i in ids["lead_unit"] if i}
    if unit_ids:
        names["lead_unit"] = {
            u.pk: u.display_name
            for u in OrgUnit.objects.unrestricted("the lead units an activity the user reads has named").filter(
                pk__in=unit_ids
            )
        }
    area_ids = {v for c in delta.changes if c.field == "area" for v in (c.old, c.new) if v}
    if area_ids:
        from phoihop.orgunits.models import AdminArea

        names["area"] = {a.pk: a.name for a in AdminArea.objects.filter(pk__in=area_ids)}
    by_field = {c.field: c for c in delta.changes}
    for field in SHOWN_FIELDS:
        change = by_field.get(field)
        if change is None:
            continue
        label = str(Activity._meta.get_field(field).verbose_name)  # type: ignore[union-attr]
        before, after = _shown(field, change.old, names), _shown(field, change.new, names)
        changes.append(Change(label[:1].upper() + label[1:], before, after))

    # A submission's values and partners are written just after its history row (and may be in
    # the same service call): they are read as they stood until the activity's next change.
    following = (
        activity.history.filter(history_date__gt=previous.history_date).order_by("history_date", "history_id").first()
    )
    until = following.history_date if following is not None else None
    before_values = _values_at(activity.pk, until)
    after_values = _values_at(activity.pk, None)
    changed_ids = {
        pk for pk in before_values.keys() | after_values.keys() if before_values.get(pk) != after_values.get(pk)
    }
    if changed_ids:
        indicators = {
            i.pk: i
            for i in Indicator.objects.unrestricted("the indicators of an activity the user reads").filter(
                pk__in=changed_ids
            )
        }

        def order(pk: int) -> tuple[int, str]:
            found = indicators.get(pk)
            return (found.order, found.code) if found else (0, "")

        for pk in sorted(changed_ids, key=order):
            indicator = indicators.get(pk)
            label = f"{indicator.name} ({indicator.unit_of_measure})" if indicator else str(pk)
            changes.append(
                Change(
                    label,
                    vn_number(before_values[pk]) if pk in before_values else "—",
                    vn_number(after_values[pk]) if pk in after_values else "—",
                )
            )

    before_partners = _partners_at(activity.pk, until)
    after_partners = _partners_at(activity.pk, None)
    if before_partners != after_partners:
        units = {
            u.pk: u.display_name
            for u in OrgUnit.objects.unrestricted("the partners an activity the user reads has named").filter(
                pk__in=before_partners | after_partners
            )
        }

        def listed(ids: set[int]) -> str:
            return "; ".join(sorted(units.get(i, str(i)) for i in ids)) or "—"

        changes.append(Change(_("Đơn vị phối hợp"), listed(before_partners), listed(after_partners)))
    return SubmissionChanges(previous.history_date, current.history_date, changes)
