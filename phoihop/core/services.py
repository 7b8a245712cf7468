"""Helpers every service uses: validated, audited saves and the scope check on writes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from phoihop.core.gate import REREAD

M = TypeVar("M", bound=models.Model)


class OutOfScope(PermissionDenied):
    """A write that would touch or move a record outside the writer's scope."""

    def __init__(self, message: Any = None) -> None:
        super().__init__(str(message or out_of_scope_message()))


def out_of_scope_message() -> str:
    return _("Bạn không có quyền thực hiện thao tác này với bản ghi ngoài phạm vi đơn vị mình.")


class Conflict(ValidationError):
    """Someone saved the record after this writer read it: nothing was written (HTTP 409; 412
    when the API's If-Match carried the stale version).

    ``current_version`` is the version now stored, so that a client can reload it; ``current``
    the record as now stored, when known (a page shows what changed meanwhile)."""

    def __init__(self, message: str, *, current_version: int | None = None, current: Any = None) -> None:
        super().__init__(message)
        self.current_version = current_version
        self.current = current


def last_change(instance: models.Model) -> tuple[str, str]:
    """Who saved ``instance`` last and when (from its history), for a message."""
    from phoihop.core.formats import vn_datetime

    history = getattr(instance, "history", None)
    row = history.order_by("-history_date", "-history_id").first() if history is not None else None
    if row is None:
        return _("người khác"), "?"
    user = row.history_user
    who = (user.get_full_name() or user.username) if user is not None else _("người khác")
    return who, vn_datetime(row.history_date)


def stale_message(instance: models.Model) -> str:
    who, when = last_change(instance)
    return _(
        "Bản ghi đã được %(who)s sửa lúc %(when)s trong khi bạn đang sửa. Các thay đổi của bạn vẫn còn "
        "dưới đây; xem khác biệt rồi lưu lại."
    ) % {"who": who, "when": when}


def check_version(
    instance: models.Model,
    expected: int | None,
    *,
    conflict: type[Conflict] = Conflict,
    message: Callable[[Any], str] | None = None,
) -> None:
    """Compare and increment, in one statement: the row's version becomes one more if it is still
    ``expected`` (any version when ``expected`` is None, for internal callers), else ``conflict``
    is raised with the version now stored and nothing is written (``message(current)`` says it,
    or ``stale_message``). The next save of ``instance``
    (a ``Versioned``) writes the new version with it; call this inside the service's transaction,
    so that a refusal later in the service rolls the increment back."""
    model = type(instance)
    rows = model._default_manager.unrestricted(REREAD).filter(pk=instance.pk)  # type: ignore[attr-defined]
    if expected is None:
        rows.update(version=models.F("version") + 1)
        instance.version = rows.values_list("version", flat=True).get()  # type: ignore[attr-defined]
    elif rows.filter(version=expected).update(version=models.F("version") + 1):
        instance.version = expected + 1  # type: ignore[attr-defined]
    else:
        current = rows.first()
        if current is None:
            raise model.DoesNotExist()  # type: ignore[attr-defined]
        text = message(current) if message is not None else stale_message(current)
        raise conflict(text, current_version=current.version, current=current)
    instance._version_taken = True  # type: ignore[attr-defined]


class Unavailable(Exception):
    """A tool the server needs for this request is missing or failed (LibreOffice for PDF):
    the request may work later or in another format (HTTP 503)."""


def change_reason(action: str, reason: str = "") -> str:
    """What a history row says was done: the action's name ("activity.submit"), then the reason
    given, if any, on the next line (read back by ``phoihop.audit``)."""
    reason = reason.strip()
    return f"{action}\n{reason}" if reason else action


def stamp(instance: models.Model, *, acting_user: Any, action: str, reason: str = "") -> None:
    """Name who does what to ``instance`` (and why) for the history row its next save or delete
    writes."""
    instance._history_user = acting_user  # type: ignore[attr-defined]
    instance._change_reason = change_reason(action, reason)  # type: ignore[attr-defined]


def audited_save(
    instance: M,
    *,
    acting_user: Any,
    action: str,
    reason: str = "",
    exclude: list[str] | None = None,
    validate_constraints: bool = True,
) -> M:
    """Validate and save, recording in the history row who did it, the action's name and the
    reason given.

    ``validate_constraints=False`` skips the database round trip per check constraint where
    ``clean()`` already checks the same rule (hot write paths)."""
    instance.full_clean(exclude=exclude, validate_constraints=validate_constraints)
    stamp(instance, acting_user=acting_user, action=action, reason=reason)
    instance.save()
    return instance


def audited_delete(instance: models.Model, *, acting_user: Any, action: str, reason: str = "") -> None:
    """Delete, recording in the history row who did it, the action's name and the reason: the
    tombstone of ``instance`` and of every row the deletion cascades to (what Model.delete()
    does, with each collected row stamped before it goes)."""
    from django.db import router
    from django.db.models.deletion import Collector

    collector = Collector(using=router.db_for_write(type(instance), instance=instance), origin=instance)
    collector.collect([instance])
    for rows in collector.data.values():
        for row in rows:
            stamp(row, acting_user=acting_user, action=action, reason=reason)
    stamp(instance, acting_user=acting_user, action=action, reason=reason)
    collector.delete()


def reread_for_update(instance: M, *related: str) -> M:
    """The row of ``instance`` again, locked until the transaction ends: a service re-reads what
    it has already checked, so that two writers take their turns."""
    queryset = type(instance)._default_manager.unrestricted(REREAD)  # type: ignore[attr-defined]
    if related:
        # Only the row itself is locked: PostgreSQL refuses FOR UPDATE on the nullable side of
        # the outer join a nullable relation needs (a person with no unit).
        queryset = queryset.select_related(*related).select_for_update(of=("self",))
    else:
        queryset = queryset.select_for_update()
    return queryset.get(pk=instance.pk)  # type: ignore[no-any-return]


def require_in_scope(instance: models.Model, *, user: Any, action: str) -> None:
    """Refuse (and so roll back the transaction) when ``instance`` is out of ``user``'s scope."""
    model = type(instance)
    if not model.objects.restrict(user, action).filter(pk=instance.pk).exists():  # type: ignore[attr-defined]
        raise OutOfScope()


def apply_changes(instance: M, data: dict[str, Any], allowed: set[str]) -> M:
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"Unexpected fields: {sorted(unknown)}")
    for key, value in data.items():
        setattr(instance, key, value)
    return instance
