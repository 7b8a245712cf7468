"""Writes to good-practice models and their spread, exchanges, lessons and proposals."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.activities.services import attachment_add
from phoihop.audit.actions import record
from phoihop.core.gate import INTEGRITY
from phoihop.core.permissions import perms
from phoihop.core.services import (
    OutOfScope,
    apply_changes,
    audited_delete,
    audited_save,
    check_version,
    require_in_scope,
    stamp,
)
from phoihop.notices import events as notices
from phoihop.orgunits.counterparts import counterparts_of
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Phase
from phoihop.records.models import Exchange, ExchangeRecipient, Lesson, PracticeModel, Proposal, Replication
from phoihop.records.permissions import received_q

# --- good-practice models ----------------------------------------------------------------------------

MODEL_EDITABLE = {"name", "field", "origin_unit", "started_on", "description", "results", "phase"}


@transaction.atomic
def practice_model_save(
    *, acting_user: Any, data: dict[str, Any], model: PracticeModel | None = None, expected_version: int | None = None
) -> PracticeModel:
    """Add a model, or change one (refused when ``expected_version`` is no longer the stored one)."""
    if model is not None:
        require_in_scope(model, user=acting_user, action="change")
        check_version(model, expected_version)
    model = model or PracticeModel()
    apply_changes(model, data, MODEL_EDITABLE)
    if not perms(acting_user).reaches(model.origin_unit, "change"):
        raise OutOfScope()
    return audited_save(model, acting_user=acting_user, action="practice_model.save")


@transaction.atomic
def replication_add(
    *, acting_user: Any, model: PracticeModel, unit: OrgUnit, replicated_on: date, note: str = ""
) -> Replication:
    """Record that ``unit`` took up the model (by the unit itself or a unit above it)."""
    may = perms(acting_user)
    if not may.reaches(unit, "change"):
        raise OutOfScope()
    if not may.in_scope(model, "view") and not may.in_scope(model.origin_unit, "view"):
        raise OutOfScope()
    if replicated_on < model.started_on:
        raise ValidationError({"replicated_on": _("Ngày nhân rộng không được trước ngày mô hình bắt đầu.")})
    if Replication.objects.unrestricted(INTEGRITY).filter(model=model, unit=unit).exists():
        raise ValidationError({"unit": _("Đơn vị này đã được ghi nhận nhân rộng mô hình.")})
    return audited_save(
        Replication(model=model, unit=unit, replicated_on=replicated_on, note=note),
        acting_user=acting_user,
        action="replication.add",
    )


@transaction.atomic
def replication_remove(*, acting_user: Any, replication: Replication) -> None:
    require_in_scope(replication, user=acting_user, action="change")
    stamp(replication, acting_user=acting_user, action="replication.remove")
    replication.delete()


# --- exchanges -------------------------------------------------------------------------------------


def allowed_recipients(sender: OrgUnit) -> Any:
    """Units an exchange from ``sender`` may go to: lower units, counterparts and their lower units."""
    today = timezone.localdate()
    q = Q(path__startswith=sender.path) & ~Q(pk=sender.pk)
    for counterpart in counterparts_of(sender, today):
        q |= Q(path__startswith=counterpart.path)
    # Where an exchange may go, not what the writer reads: a counterpart's lower units included.
    return OrgUnit.objects.unrestricted("the units an exchange from the sender may go to").filter(q).active_on(today)


@transaction.atomic
def exchange_send(
    *,
    acting_user: Any,
    sender: OrgUnit,
    kind: str,
    subject: str,
    body: str,
    recipients: Iterable[OrgUnit],
    phase: Phase | None = None,
    uploads: Iterable[UploadedFile] = (),
) -> Exchange:
    """Send an exchange, with its attached files (all or nothing: a refused file sends nothing)."""
    if not perms(acting_user).reaches(sender, "change"):
        raise OutOfScope()
    recipients = list({u.pk: u for u in recipients}.values())
    if not recipients:
        raise ValidationError({"recipients": _("Hãy chọn ít nhất một nơi nhận.")})
    allowed = set(allowed_recipients(sender).filter(pk__in=[u.pk for u in recipients]).values_list("pk", flat=True))
    refused = [u.display_name for u in recipients if u.pk not in allowed]
    if refused:
        raise ValidationError(
            {
                "recipients": _("Chỉ gửi được tới đơn vị cấp dưới hoặc đơn vị phối hợp: %(units)s không hợp lệ.")
                % {"units": ", ".join(refused)}
            }
        )
    exchange = audited_save(
        Exchange(sender=sender, kind=kind, subject=subject, body=body, phase=phase, sent_by=acting_user),
        acting_user=acting_user,
        action="exchange.send",
    )
    ExchangeRecipient.objects.bulk_create([ExchangeRecipient(exchange=exchange, unit=u) for u in recipients])
    notices.exchange_sent(exchange, acting_user)  # its history row was written before its recipients
    for upload in uploads:
        attachment_add(acting_user=acting_user, upload=upload, exchange=exchange)
    return exchange


@transaction.atomic
def exchange_mark_read(*, exchange: Exchange, acting_user: Any) -> int:
    """Mark the exchange read for the recipient units in the user's subtrees (first reading only).

    Only roles outside the sending side count: the sender's own people (a role on the sender or
    a unit above it) opening what they sent is no reading by the recipients.
    """
    read = (
        ExchangeRecipient.objects.filter(exchange=exchange, read_at__isnull=True)
        .filter(received_q(acting_user))
        .update(read_at=timezone.now(), read_by=acting_user)
    )
    if read:
        record("exchange.read", actor=acting_user, target=exchange, count=read)
    return read


# --- lessons and proposals -------------------------------------------------------------------------

LESSON_EDITABLE = {"unit", "phase", "field", "title", "content", "recorded_on"}
PROPOSAL_EDITABLE = {"unit", "phase", "field", "horizon", "title", "content", "recorded_on"}


def _note_save(
    note: Any,
    *,
    acting_user: Any,
    data: dict[str, Any],
    editable: set[str],
    existing: bool,
    expected_version: int | None = None,
) -> Any:
    if existing:
        require_in_scope(note, user=acting_user, action="change")
        check_version(note, expected_version)
    apply_changes(note, data, editable)
    if not perms(acting_user).reaches(note.unit, "change"):
        raise OutOfScope()
    return audited_save(note, acting_user=acting_user, action="note.save")


@transaction.atomic
def lesson_save(
    *, acting_user: Any, data: dict[str, Any], lesson: Lesson | None = None, expected_version: int | None = None
) -> Lesson:
    note = lesson or Lesson(recorded_by=acting_user)
    return _note_save(
        note,
        acting_user=acting_user,
        data=data,
        editable=LESSON_EDITABLE,
        existing=lesson is not None,
        expected_version=expected_version,
    )


@transaction.atomic
def proposal_save(
    *, acting_user: Any, data: dict[str, Any], proposal: Proposal | None = None, expected_version: int | None = None
) -> Proposal:
    note = proposal or Proposal(recorded_by=acting_user)
    return _note_save(
        note,
        acting_user=acting_user,
        data=data,
        editable=PROPOSAL_EDITABLE,
        existing=proposal is not None,
        expected_version=expected_version,
    )


@transaction.atomic
def record_delete(*, record: Lesson | Proposal | PracticeModel, acting_user: Any, reason: str = "") -> None:
    require_in_scope(record, user=acting_user, action="change")
    # The record's tombstone, and its replications' (the cascade of a model), name who deleted them.
    audited_delete(record, acting_user=acting_user, action="record.delete", reason=reason)
