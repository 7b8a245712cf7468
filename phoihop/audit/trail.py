"""Who did what, when and why, to one record: its history rows (with the action and reason its
service named) and the action log rows about it, newest first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from simple_history.manager import HistoryDescriptor

from phoihop.audit.actions import label_of, parse
from phoihop.audit.models import ActionLog
from phoihop.core import statements

# What a history row written without an action name (before actions were named) did.
KIND_LABELS = {"+": _("Tạo"), "~": _("Sửa"), "-": _("Xóa")}
# Bookkeeping fields a person never changes by hand: not listed as changes.
QUIET_FIELDS = {"search_text", "sort_key", "version", "updated_by", "updated_at", "numchild", "depth", "path"}


@dataclass
class Event:
    at: datetime
    who: str
    action: str
    reason: str = ""
    subject: str = ""
    changes: list[str] = field(default_factory=list)
    count: int = 0


def _who(user: Any) -> str:
    if user is None:
        return str(_("Hệ thống"))
    return str(user.get_full_name() or user.username)


def _changed_fields(row: Any, previous: Any) -> list[str]:
    if previous is None:
        return []
    try:
        delta = row.diff_against(previous)
    except (AttributeError, FieldDoesNotExist):  # the model's fields changed since the older row
        return []
    labels = []
    for change in delta.changes:
        if change.field in QUIET_FIELDS:
            continue
        try:
            labels.append(str(row.instance_type._meta.get_field(change.field).verbose_name))
        except FieldDoesNotExist:
            labels.append(change.field)
    return labels


def history_events(rows: QuerySet[Any], *, diff: bool = True) -> list[Event]:
    """History rows (of one record when ``diff``: each edit lists the fields it changed) as
    events, oldest first."""
    return _events_of(rows.select_related("history_user").order_by("history_date", "history_id"), diff=diff)


def _events_of(rows: Iterable[Any], *, diff: bool) -> list[Event]:
    events = []
    previous = None
    for row in rows:
        action, reason = parse(row.history_change_reason)
        changes = _changed_fields(row, previous) if diff and row.history_type == "~" else []
        events.append(
            Event(
                at=row.history_date,
                who=_who(row.history_user),
                action=label_of(action) if action else str(KIND_LABELS.get(row.history_type, "")),
                reason=reason,
                changes=changes,
            )
        )
        previous = row
    return events


def log_events(logs: QuerySet[ActionLog]) -> list[Event]:
    return _log_events(logs.select_related("actor"))


def _log_events(logs: Iterable[ActionLog]) -> list[Event]:
    return [
        Event(
            at=log.at,
            who=_who(log.actor),
            action=label_of(log.action),
            reason=log.reason,
            subject=str(log.details.get("subject", "")) if isinstance(log.details, dict) else "",
            count=log.count,
        )
        for log in logs
    ]


def logs_about(obj: Model) -> QuerySet[ActionLog]:
    return ActionLog.objects.filter(target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk))


def _users(found: list[dict[str, Any]], prefix: str) -> list[Any]:
    user_model = get_user_model()
    users = iter(statements.instances(user_model, [r for r in found if r[f"{prefix}id"] is not None], prefix))
    return [next(users) if r[f"{prefix}id"] is not None else None for r in found]


def _history_model(obj: Model) -> Any:
    """The model of ``obj.history``'s rows, without making the manager (a new class each time)."""
    for cls in type(obj).__mro__:
        descriptor = cls.__dict__.get("history")
        if isinstance(descriptor, HistoryDescriptor):
            return descriptor.model
    return None


def _history_of(obj: Model, history_model: Any) -> list[Event]:
    """``history_events(obj.history.all())``, its statement kept for the model and the record."""
    columns = (*statements.attnames(history_model), *statements.attnames(get_user_model(), "history_user__"))
    found = statements.rows(
        ("history", history_model._meta.label, obj.pk),
        lambda: obj.history.order_by("history_date", "history_id").values(*columns),  # type: ignore[attr-defined]
    )
    rows = statements.instances(history_model, found)
    for row, user in zip(rows, _users(found, "history_user__"), strict=True):
        row.history_user = user
    return _events_of(rows, diff=True)


def _logs_of(obj: Model, unit_logs: bool) -> list[Event]:
    """``log_events(logs_about(obj))`` (with ``unit_logs``: also the rows naming ``obj`` as their
    unit), its statement kept for the model and the record."""
    columns = (*statements.attnames(ActionLog), *statements.attnames(get_user_model(), "actor__"))

    def build() -> QuerySet[Any]:
        logs = logs_about(obj) | ActionLog.objects.filter(unit_id=obj.pk) if unit_logs else logs_about(obj)
        return logs.values(*columns)

    target_type = ContentType.objects.get_for_model(obj).pk  # written into the statement
    found = statements.rows(("logs", obj._meta.label, target_type, obj.pk, unit_logs), build)
    logs = statements.instances(ActionLog, found)
    for log, user in zip(logs, _users(found, "actor__"), strict=True):
        log.actor = user
    return _log_events(logs)


def trail_for(
    obj: Model,
    *,
    parts: Iterable[QuerySet[Any]] = (),
    logs: QuerySet[ActionLog] | None = None,
    unit_logs: bool = False,
    limit: int = 30,
) -> list[Event]:
    """The record's events, newest first (at most ``limit``): its history rows, the history rows
    of its ``parts`` (a conference's delegates, an activity's partners: querysets of history rows)
    and the action log rows about it (with ``unit_logs``, also those naming it as their unit; or
    ``logs``, when the page shows more than the record's)."""
    history_model = _history_model(obj)
    if history_model is not None:
        events = _history_of(obj, history_model)
    else:
        history = getattr(obj, "history", None)
        events = history_events(history.all()) if history is not None else []
    for rows in parts:
        events += history_events(rows, diff=False)
    events += _logs_of(obj, unit_logs) if logs is None else log_events(logs)
    events.sort(key=lambda e: e.at, reverse=True)
    return _grouped(events)[:limit]


def _grouped(events: list[Event]) -> list[Event]:
    """One event for a run of the same action by the same person for the same reason (forty
    delegates added to a conference in one go), counting the rows."""
    grouped: list[Event] = []
    for event in events:
        last = grouped[-1] if grouped else None
        if (
            last is not None
            and not event.changes
            and not last.changes
            and (last.who, last.action, last.reason, last.subject)
            == (event.who, event.action, event.reason, event.subject)
            and abs((last.at - event.at).total_seconds()) < 600
        ):
            last.count = (last.count or 1) + (event.count or 1)
            last.at = max(last.at, event.at)
            continue
        grouped.append(event)
    return grouped
