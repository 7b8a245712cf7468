"""The register of outgoing documents (sổ đăng ký văn bản đi) of each issuing body and year.

One home for document numbers: ``take_number`` gives the next number of a body's register for
a year and writes its line (``RegisteredNumber``) in the same transaction, under a lock on the
body's counter row (``NumberRegister``, ``select_for_update``). Two writers numbering at once
take their turns on that row, so the numbers of a body and year run 01, 02, 03… without a
gap or a repeat, and the unique constraint (unit, year, number) stands behind it. A rolled
back transaction takes its number back with it. A number given out and then not used is
cancelled (``number_cancel``, with its reason): it stays in the register, marked, and is never
given again. Each register starts again at 01 on 1 January.

docs/adr/0018-document-registers.md says why.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.core.gate import INTEGRITY, REREAD
from phoihop.core.permissions import require
from phoihop.core.services import audited_save
from phoihop.orgunits.models import OrgUnit
from phoihop.reporting.models import (
    TYPE_CODES,
    DocumentKind,
    NumberRegister,
    NumberStatus,
    RegisteredNumber,
    Report,
)


def symbol_for(units: list[OrgUnit], kind: str) -> str:
    """The symbol after the number, as the document writes it: "BC-HCCB", a joint report's
    "BC-TCCT-HCCB", a party's "BC/ĐU", a decision's "QĐ-TCCT"."""
    from phoihop.documents.builders import number_text
    from phoihop.reporting.documents import body_for

    bodies = [body_for(unit, {}, None, with_parent=False) for unit in units]
    text = number_text(bodies, TYPE_CODES.get(DocumentKind(kind), "") or "", blank="")
    return text[1:] if text[:1] in {"/", "-"} else text


def _document_ref(document: models.Model | None) -> dict[str, Any]:
    if document is None or document.pk is None:
        return {"content_type": None, "object_id": None}
    return {"content_type": ContentType.objects.get_for_model(document), "object_id": document.pk}


@transaction.atomic
def take_number(
    *,
    unit: OrgUnit,
    year: int,
    kind: str,
    symbol: str,
    acting_user: Any,
    subject: str = "",
    document: models.Model | None = None,
    issued_on: date | None = None,
) -> RegisteredNumber:
    """Take the next number of ``unit``'s register for ``year`` and write its line.

    The caller has checked that the document may be numbered (its signer, its state); this
    only numbers. ``document`` may be attached later (``attach``) when it is saved after its
    number is taken."""
    # The counter row exists once per body and year; two first takers racing to create it
    # meet on its unique constraint, and get_or_create reads the winner's row.
    NumberRegister.objects.get_or_create(unit=unit, year=year)
    register = NumberRegister.objects.select_for_update().get(unit=unit, year=year)
    register.last += 1
    register.save(update_fields=["last"])
    entry = RegisteredNumber(
        unit=unit,
        year=year,
        number=register.last,
        symbol=symbol[:100],
        kind=kind,
        issued_on=issued_on or timezone.localdate(),
        subject=(subject or "")[:500],
        taken_by=acting_user if getattr(acting_user, "pk", None) else None,
        **_document_ref(document),
    )
    # The counter lock makes the number unique: no round trip per constraint.
    return audited_save(entry, acting_user=acting_user, action="register.take", validate_constraints=False)


def attach(*, entry: RegisteredNumber, document: models.Model, acting_user: Any) -> RegisteredNumber:
    """Point a line at the document that took its number (saved after the number was taken)."""
    for name, value in _document_ref(document).items():
        setattr(entry, name, value)
    return audited_save(entry, acting_user=acting_user, action="register.attach", validate_constraints=False)


def entries_of(document: models.Model) -> QuerySet[RegisteredNumber]:
    """The register's lines of one document (a document already read by the caller)."""
    ref = _document_ref(document)
    return RegisteredNumber.objects.unrestricted(INTEGRITY).filter(**ref)  # type: ignore[no-any-return]


def keep_typed_number(
    *,
    unit: OrgUnit,
    year: int,
    number: int,
    kind: str,
    symbol: str,
    acting_user: Any,
    document: models.Model,
    subject: str = "",
    issued_on: date | None = None,
) -> RegisteredNumber:
    """A number typed on a document instead of taken: it stands only if the register already
    gave it to this document, or if it is the register's next number (then it is taken now).
    Any other number would leave a gap or repeat one, and is refused."""
    mine = entries_of(document).filter(number=number, status=NumberStatus.ISSUED).first()
    if mine is not None:
        return mine  # type: ignore[no-any-return]
    register = NumberRegister.objects.select_for_update().filter(unit=unit, year=year).first()
    following = (register.last if register else 0) + 1
    if number != following:
        raise ValidationError(
            {
                "number": _(
                    "Số %(number)02d không lấy được từ sổ văn bản đi năm %(year)s của cơ quan: số tiếp theo là "
                    "%(next)02d. Hãy để trống ô số để hệ thống cấp số khi gửi."
                )
                % {"number": number, "year": year, "next": following}
            }
        )
    return take_number(
        unit=unit,
        year=year,
        kind=kind,
        symbol=symbol,
        acting_user=acting_user,
        subject=subject,
        document=document,
        issued_on=issued_on,
    )


def _holding_document(entry: RegisteredNumber) -> Any:
    """The document still carrying the entry's number, if any (read afresh, for update)."""
    if entry.content_type_id is None or entry.object_id is None:
        return None
    model = entry.content_type.model_class() if entry.content_type else None
    if model is None:
        return None
    manager: Any = model._default_manager
    found = manager.unrestricted(REREAD).select_for_update().filter(pk=entry.object_id).first()
    if found is None or getattr(found, "number", None) != entry.number:
        return None
    return found


@transaction.atomic
def number_cancel(*, entry: RegisteredNumber, reason: str, acting_user: Any) -> RegisteredNumber:
    """Cancel a number given out (taken by mistake, or its document withdrawn before it went
    out): the line stays in the register, marked cancelled with the reason, and the number is
    never given again. A document that was sent with it keeps it: a sent report is first
    returned, a decision that awards someone is not cancelled here."""
    current = RegisteredNumber.objects.unrestricted(REREAD).select_for_update().get(pk=entry.pk)
    require(acting_user, current, "cancel")
    text = (reason or "").strip()
    if not text:
        raise ValidationError({"reason": _("Hãy ghi lý do hủy số.")})
    document = _holding_document(current)
    if document is not None:
        if isinstance(document, Report) and document.is_sent:
            raise ValidationError(
                _("Báo cáo mang số này đã gửi đi: chỉ hủy được số khi báo cáo đã bị trả lại hoặc chưa gửi.")
            )
        awards = getattr(document, "awards", None)
        if awards is not None and awards.exists():
            raise ValidationError(_("Quyết định mang số này đã khen thưởng người hoặc tập thể: không hủy số được."))
        # The document gives the number back: it takes a new one when it is numbered again.
        document.number = None
        audited_save(document, acting_user=acting_user, action="register.cancel", reason=text)
    current.status = NumberStatus.CANCELLED
    current.cancel_reason = text
    current.cancelled_at = timezone.now()
    current.cancelled_by = acting_user
    return audited_save(current, acting_user=acting_user, action="register.cancel", reason=text)


# --- reads ------------------------------------------------------------------------------------


def register_lines(*, user: Any, unit: OrgUnit, year: int) -> QuerySet[RegisteredNumber]:
    """A body's register for a year, as the user may read it (their subtree), in number order."""
    return (  # type: ignore[no-any-return]
        RegisteredNumber.objects.restrict(user, "view")
        .filter(unit=unit, year=year)
        .select_related("content_type", "taken_by", "cancelled_by")
        .order_by("number")
    )


def register_years(*, user: Any, unit: OrgUnit) -> list[int]:
    """The years a body's register has lines in, newest first (the year a page may choose)."""
    years = RegisteredNumber.objects.restrict(user, "view").filter(unit=unit).values_list("year", flat=True)
    return sorted(set(years), reverse=True)


def registering_bodies(*, user: Any) -> QuerySet[OrgUnit]:
    """The bodies with a register the user may read."""
    units = RegisteredNumber.objects.restrict(user, "view").values("unit_id")
    return OrgUnit.objects.unrestricted("the bodies of registers the user reads").filter(  # type: ignore[no-any-return]
        Q(pk__in=units)
    )
