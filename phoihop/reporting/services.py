"""Writes of the reporting cycle: periods, requests, reports and their transitions, numbers,
signed scans and Word templates. Keyword-only, ``acting_user``, one transaction, audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from phoihop.core.files import FileKind, check_upload, delete_on_commit
from phoihop.core.formats import vn_datetime
from phoihop.core.gate import INTEGRITY
from phoihop.core.permissions import Permissions, require
from phoihop.core.scoping import below_q
from phoihop.core.services import (
    Conflict,
    OutOfScope,
    audited_save,
    check_version,
    require_in_scope,
    reread_for_update,
    stamp,
)
from phoihop.entry.models import EntryLock
from phoihop.entry.services import lock_create, lock_release
from phoihop.figures.periods import REPORTING_KIND_VALUES, PeriodKind, decree09_period
from phoihop.notices import events as notices
from phoihop.orgunits.models import OrgUnit, OrgUnitLevel
from phoihop.programmes.models import Phase, Programme
from phoihop.programmes.selectors import covers, joint_partners, party_roots
from phoihop.reporting import registers
from phoihop.reporting import signers as signing
from phoihop.reporting.content import report_content
from phoihop.reporting.documents import (
    default_place,
    default_recipients,
    default_signers,
    issuing_unit,
    subject_for,
)
from phoihop.reporting.models import (
    NARRATIVE_SECTIONS,
    DocumentKind,
    DocumentTemplate,
    Report,
    ReportingPeriod,
    ReportRequest,
    ReportStatus,
    ReportType,
)
from phoihop.reporting.permissions import approvable_units, manages_programme
from phoihop.reporting.prefill import prefill

# Days after the end of a period by which its report is due, by kind (editable per period).
DUE_DAYS = {
    PeriodKind.MONTH: 5,
    PeriodKind.QUARTER: 10,
    PeriodKind.HALF: 10,
    PeriodKind.NINE_MONTHS: 10,
    PeriodKind.YEAR: 15,
    PeriodKind.MID_PHASE: 30,
    PeriodKind.END_PHASE: 30,
    PeriodKind.OTHER: 10,
}
PERIOD_EDITABLE = {"name", "kind", "report_type", "phase", "start", "end", "due_date"}
SCAN_KINDS = {"pdf", "jpg", "png"}


class VersionConflict(Conflict):
    """Someone else saved the report after this writer opened it."""


# --- periods ---------------------------------------------------------------------------------


@transaction.atomic
def period_save(
    *,
    programme: Programme,
    data: dict[str, Any],
    acting_user: Any,
    period: ReportingPeriod | None = None,
    expected_version: int | None = None,
) -> ReportingPeriod:
    require(acting_user, programme, "manage")
    if period is None:
        period = ReportingPeriod(programme=programme)
    elif period.programme_id != programme.pk:
        raise OutOfScope()
    else:
        check_version(period, expected_version)
    unknown = set(data) - PERIOD_EDITABLE
    if unknown:
        raise ValidationError(_("Trường không sửa được: %(names)s") % {"names": ", ".join(sorted(unknown))})
    if period.pk and any(name in data and data[name] != getattr(period, name) for name in ("start", "end", "kind")):
        if period.reports.exclude(status=ReportStatus.DRAFT).exists():
            raise ValidationError(
                _("Kỳ này đã có báo cáo gửi lên: không đổi được ngày và loại kỳ (số liệu đã chốt theo ngày cũ).")
            )
    for name, value in data.items():
        setattr(period, name, value)
    if period.due_date is None and period.end is not None:
        period.due_date = period.end + timedelta(days=DUE_DAYS.get(period.kind, 10))
    return audited_save(period, acting_user=acting_user, action="period.save")


def _phase_periods(phase: Phase) -> list[tuple[str, str, date, date]]:
    """(kind, name, start, end) of the default periods of a phase: Decree 09 months, quarters,
    half-years, nine months and years overlapping the phase, the mid-phase review and the
    end-of-phase summary."""
    found: list[tuple[str, str, date, date]] = []
    for year in range(phase.start.year, phase.end.year + 2):
        candidates = [("month", n) for n in range(1, 13)] + [("quarter", n) for n in range(1, 5)]
        candidates += [("half", 1), ("nine", 1), ("year", 1)]
        for kind, number in candidates:
            p = decree09_period(kind, year, number)
            if p.end < phase.start or p.start > phase.end:
                continue
            found.append((kind, p.label, p.start, p.end))
    middle = phase.start + (phase.end - phase.start) / 2
    mid_end = (
        decree09_period("half", middle.year).end if middle.month <= 6 else decree09_period("year", middle.year).end
    )
    mid_end = min(max(mid_end, phase.start), phase.end)
    found.append(
        (PeriodKind.MID_PHASE, _("Sơ kết giữa giai đoạn %(phase)s") % {"phase": phase.name}, phase.start, mid_end)
    )
    found.append(
        (PeriodKind.END_PHASE, _("Tổng kết giai đoạn %(phase)s") % {"phase": phase.name}, phase.start, phase.end)
    )
    return found


@transaction.atomic
def periods_generate(*, phase: Phase, acting_user: Any, kinds: Iterable[str] | None = None) -> list[ReportingPeriod]:
    """Create the default periods of a phase that do not exist yet; returns those created."""
    require(acting_user, phase.programme, "manage")
    wanted = set(kinds) if kinds is not None else set(REPORTING_KIND_VALUES) - {PeriodKind.OTHER}
    periods = ReportingPeriod.objects.unrestricted(INTEGRITY).filter(programme_id=phase.programme_id)
    existing = set(periods.values_list("kind", "start", "end"))
    created = []
    for kind, name, start, end in _phase_periods(phase):
        if kind not in wanted or (kind, start, end) in existing:
            continue
        period = ReportingPeriod(
            programme_id=phase.programme_id,
            phase=phase,
            kind=kind,
            report_type=ReportType.PERIODIC,
            name=str(name),
            start=start,
            end=end,
            due_date=end + timedelta(days=DUE_DAYS[PeriodKind(kind)]),
        )
        created.append(
            audited_save(period, acting_user=acting_user, action="period.generate", validate_constraints=False)
        )
        existing.add((kind, start, end))
    return created


# --- requests --------------------------------------------------------------------------------


def _units_owing(period: ReportingPeriod, levels: Iterable[OrgUnitLevel]) -> Any:
    roots = party_roots(period.programme_id)
    under = Q(pk__in=[])
    for root in roots:
        under |= Q(path__startswith=root.path)
    return (
        OrgUnit.objects.unrestricted("the units a period's reports are asked of")
        .filter(under, level__in=list(levels))
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=period.end))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period.end))
    )


@transaction.atomic
def requests_create(
    *,
    period: ReportingPeriod,
    levels: Iterable[OrgUnitLevel],
    acting_user: Any,
    due_date: date | None = None,
    under: OrgUnit | None = None,
) -> int:
    """Every unit at the chosen levels of the programme's parties, open at the period's end, owes
    a report. Managers of the programme ask any unit; an approver asks the units below them."""
    if due_date is not None and due_date < period.end:
        raise ValidationError({"due_date": _("Hạn gửi không được trước ngày cuối kỳ.")})
    if due_date is not None and due_date > date(2100, 12, 31):
        raise ValidationError({"due_date": _("Ngày phải trong khoảng năm 1900–2100.")})
    units = _units_owing(period, levels)
    if under is not None:
        units = units.filter(path__startswith=under.path)
    may = Permissions(acting_user)
    if not manages_programme(may, period.programme):
        may.for_(period).require("request")
        units = units.filter(below_q(acting_user, "approve"))
    have = set(ReportRequest.objects.unrestricted(INTEGRITY).filter(period=period).values_list("unit_id", flat=True))
    new = [
        ReportRequest(period=period, unit_id=pk, due_date=due_date or period.due_date, requested_by=acting_user)
        for pk in units.values_list("pk", flat=True)
        if pk not in have
    ]
    if not new and not units.exists():
        raise ValidationError(_("Không có đơn vị nào ở các cấp đã chọn trong phạm vi của bạn."))
    made = bulk_create_with_history(
        new, ReportRequest, batch_size=500, default_user=acting_user, default_change_reason="request.create"
    )
    notices.requests_created(made, acting_user)  # a bulk insert sends no history signal
    return len(new)


@transaction.atomic
def request_delete(*, request: ReportRequest, acting_user: Any, reason: str = "") -> None:
    require(acting_user, request, "remove")
    stamp(request, acting_user=acting_user, action="request.delete", reason=reason)
    request.delete()


# --- reports ---------------------------------------------------------------------------------


def _check_unit_in_programme(period: ReportingPeriod, unit: OrgUnit) -> None:
    if not covers(period.programme_id, unit):
        raise ValidationError({"unit": _("Đơn vị không thuộc các bên của chương trình.")})


@transaction.atomic
def report_open(
    *, period: ReportingPeriod, unit: OrgUnit, acting_user: Any, partner_unit: OrgUnit | None = None
) -> Report:
    """The unit's report for the period: the existing one, or a new draft."""
    if not Permissions(acting_user).reaches(unit, "change"):
        raise OutOfScope(_("Bạn không có quyền soạn báo cáo của đơn vị này."))
    _check_unit_in_programme(period, unit)
    reports = Report.objects.unrestricted(INTEGRITY)
    existing = reports.filter(period=period, unit=unit).first()
    if existing is not None:
        return existing
    if partner_unit is not None:
        _check_unit_in_programme(period, partner_unit)
        if partner_unit.pk not in {u.pk for u in joint_partners(unit, period.end)}:
            raise ValidationError({"partner_unit": _("Đơn vị cùng báo cáo phải là đơn vị đối ứng của đơn vị.")})
        taken = reports.filter(period=period).filter(Q(unit=partner_unit) | Q(partner_unit=partner_unit))
        if taken.exists():
            raise ValidationError({"partner_unit": _("Đơn vị cùng báo cáo đã có báo cáo của kỳ này.")})
    if reports.filter(period=period, partner_unit=unit).exists():
        raise ValidationError({"unit": _("Đơn vị đã cùng báo cáo với đơn vị khác trong kỳ này.")})
    report = Report(
        period=period,
        unit=unit,
        partner_unit=partner_unit,
        created_by=acting_user,
        updated_by=acting_user,
        place=default_place(unit),
        recipients=default_recipients(unit),
    )
    report.signers = default_signers(report)
    # Every section starts from the period's data (activities, figures, models, records): the
    # writer edits it rather than facing empty headings.
    content = report_content(period=period, unit=unit, partner_unit=partner_unit, annexes=False)
    report.narrative = prefill(report, content)
    return audited_save(report, acting_user=acting_user, action="report.open")


REPORT_EDITABLE = {"narrative", "signers", "recipients", "place", "number"}


def _save_new_version(report: Report, acting_user: Any, *, action: str = "report.save", reason: str = "") -> Report:
    """Every write of a report is a new version (``Versioned``): a save carrying an older one is refused."""
    report.updated_by = acting_user
    return audited_save(report, acting_user=acting_user, action=action, reason=reason)


def _stale_report(current: Report) -> str:
    who = current.updated_by.get_full_name() or current.updated_by.username if current.updated_by else "?"
    return _(
        "%(who)s đã lưu báo cáo này lúc %(when)s, sau khi bạn mở nó. Nội dung bạn vừa soạn chưa được lưu "
        "và vẫn còn trong ô nhập: hãy sao chép lại, tải lại trang để xem bản mới rồi sửa tiếp."
    ) % {"who": who, "when": vn_datetime(current.updated_at)}


def _lock_report(report: Report) -> Report:
    return reread_for_update(report)


@transaction.atomic
def report_save(*, report: Report, data: dict[str, Any], expected_version: int, acting_user: Any) -> Report:
    """Save the editable parts of a draft or returned report, refusing a stale version."""
    require_in_scope(report, user=acting_user, action="change")
    current = _lock_report(report)
    check_version(current, expected_version, conflict=VersionConflict, message=_stale_report)
    require(acting_user, current, "edit")
    unknown = set(data) - REPORT_EDITABLE
    if unknown:
        raise ValidationError(_("Trường không sửa được: %(names)s") % {"names": ", ".join(sorted(unknown))})
    if "narrative" in data:
        narrative = data["narrative"]
        if not isinstance(narrative, dict) or not all(isinstance(v, str) for v in narrative.values()):
            raise ValidationError({"narrative": _("Nội dung phải là các đoạn văn bản.")})
        allowed = {key for key, _label in NARRATIVE_SECTIONS} | {"intro"}
        allowed |= {f"field:{code}" for code in current.period.programme.fields.values_list("code", flat=True)}
        unknown_keys = set(narrative) - allowed
        if unknown_keys:
            raise ValidationError(
                {"narrative": _("Mục không có trong báo cáo: %(keys)s") % {"keys": ", ".join(sorted(unknown_keys))}}
            )
        current.narrative = {**current.narrative, **{k: v.strip() for k, v in narrative.items()}}
    if "signers" in data:
        current.signers = _clean_signers(data["signers"], len(current.units))
    for name in ("recipients", "place", "number"):
        if name in data:
            setattr(current, name, data[name])
    return _save_new_version(current, acting_user)


SIGNER_KEYS = ("capacity", "collective", "title", "rank", "name")


def _clean_signers(signers: Any, count: int) -> list[dict[str, str]]:
    if not isinstance(signers, list) or len(signers) > count:
        raise ValidationError({"signers": _("Mỗi cơ quan ban hành có một người ký.")})
    cleaned = []
    for signer in signers:
        if not isinstance(signer, dict):
            raise ValidationError({"signers": _("Thông tin người ký không hợp lệ.")})
        cleaned.append({k: str(signer.get(k, "") or "").strip()[:128] for k in SIGNER_KEYS})
    return cleaned


def report_signer_problems(report: Report) -> list[str]:
    """What the report's signers lack before it may be numbered and sent (empty when none)."""
    bodies = [issuing_unit(unit).name for unit in report.units]
    return signing.report_signer_problems(report.signers, bodies)


def _register_number(report: Report, acting_user: Any, day: date, take: bool) -> None:
    """The report's number from the issuing body's register: a typed number stands only as the
    register's own (``registers.keep_typed_number``), otherwise the next one is taken."""
    body = issuing_unit(report.unit)
    fields: dict[str, Any] = {
        "unit": body,
        "year": day.year,
        "kind": DocumentKind.REPORT,
        "symbol": registers.symbol_for(report.units, DocumentKind.REPORT),
        "subject": subject_for(report),
        "document": report,
        "issued_on": day,
        "acting_user": acting_user,
    }
    if report.number is not None:
        registers.keep_typed_number(number=report.number, **fields)
    elif take:
        report.number = registers.take_number(**fields).number


@transaction.atomic
def report_submit(
    *, report: Report, acting_user: Any, expected_version: int | None = None, take_number: bool = True
) -> Report:
    """Send the report up: its figures are frozen into it, it takes a number from the issuing
    body's register (``registers.take_number``; unless ``take_number`` is off, when the number
    is left blank for the clerk) and the day's date. Refused while a signer has no name
    (``signers``): nothing is numbered or sent without one."""
    require_in_scope(report, user=acting_user, action="change")
    current = _lock_report(report)
    check_version(
        current,
        expected_version,
        conflict=VersionConflict,
        message=lambda _current: _("Báo cáo đã được người khác sửa sau khi bạn mở. Hãy tải lại trang rồi gửi lại."),
    )
    require(acting_user, current, "submit")
    signing.require_named_signer(report_signer_problems(current))
    today = timezone.localdate()
    _register_number(current, acting_user, today, take_number)
    current.frozen = report_content(period=current.period, unit=current.unit, partner_unit=current.partner_unit)
    current.frozen_at = timezone.now()
    current.issued_on = today
    current.status = ReportStatus.SUBMITTED
    current.submitted_at = timezone.now()
    current.first_submitted_at = current.first_submitted_at or current.submitted_at
    current.submitted_by = acting_user
    current.return_reason = ""
    return _save_new_version(current, acting_user, action="report.submit")


def _release_locks(report: Report, acting_user: Any, reason: str) -> None:
    """A returned or reopened report no longer stands approved by anyone: every lock its
    approvals made (on either side) reopens, with the reason, on the record."""
    for lock in report.locks.active().select_related("unit"):
        lock_release(lock=lock, acting_user=acting_user, reason=reason)


def _send_back(report: Report, acting_user: Any, reason: str, *, action: str, ask: str) -> Report:
    """Back to the unit as returned, with the reason: every approval is void, every lock the
    report made reopens."""
    current = _lock_report(report)
    require(acting_user, current, action)
    if not reason.strip():
        raise ValidationError({"reason": ask})
    _release_locks(current, acting_user, reason)
    current.status = ReportStatus.RETURNED
    current.approvals = []
    current.return_reason = reason.strip()
    current.decided_at = timezone.now()
    current.decided_by = acting_user
    return _save_new_version(current, acting_user, action=f"report.{action}", reason=reason)


@transaction.atomic
def report_return(*, report: Report, reason: str, acting_user: Any) -> Report:
    return _send_back(
        report,
        acting_user,
        reason,
        action="return",
        ask=_("Hãy ghi lý do trả lại để đơn vị biết cần sửa gì."),
    )


@transaction.atomic
def report_approve(*, report: Report, acting_user: Any) -> Report:
    """Approve: the entry of figures of the unit's subtree for the period locks for the report's
    programme (its submitted values of the programme's indicators count as approved). A joint
    report is approved side by side: each side's approver approves and locks their side; the
    report locks when every side has approved."""
    current = _lock_report(report)
    may = Permissions(acting_user)
    may.for_(current).require("approve")
    units = approvable_units(may, current)
    reason = (_("Duyệt báo cáo: %(report)s") % {"report": current})[:500]
    start, end = current.period.start, current.period.end
    programme = current.period.programme
    locks = []
    for unit in units:
        # A lock already there for the programme (entered by hand, or of every programme) stays
        # the unit's own; the report keeps the ones it makes, which lock its programme only.
        locks_there = EntryLock.objects.unrestricted(INTEGRITY).filter(unit=unit, start=start, end=end)
        if not locks_there.active().for_programme(programme.pk).exists():
            locks.append(
                lock_create(
                    unit=unit, start=start, end=end, acting_user=acting_user, reason=reason, programme=programme
                )
            )
        current.approvals = [
            *current.approvals,
            {"unit": unit.pk, "by": acting_user.pk, "at": timezone.now().isoformat()},
        ]
    every_side = {a["unit"] for a in current.approvals} >= {u.pk for u in current.units}
    if every_side:
        current.status = ReportStatus.APPROVED
    current.decided_at = timezone.now()
    current.decided_by = acting_user
    _save_new_version(current, acting_user, action="report.approve" if every_side else "report.approve_side")

    current.locks.add(*locks)
    return current


@transaction.atomic
def report_reopen(*, report: Report, reason: str, acting_user: Any) -> Report:
    """Reopen an approved report (a recorded act): its entry locks reopen with the same reason
    and the report goes back to its unit as returned."""
    return _send_back(
        report,
        acting_user,
        reason,
        action="reopen",
        ask=_("Hãy ghi lý do mở lại báo cáo."),
    )


@transaction.atomic
def report_delete(*, report: Report, acting_user: Any, reason: str = "") -> None:
    require(acting_user, report, "delete")
    stamp(report, acting_user=acting_user, action="report.delete", reason=reason)
    report.delete()


@transaction.atomic
def signed_scan_upload(*, report: Report, upload: UploadedFile, acting_user: Any) -> Report:
    """Keep the signed, scanned copy (PDF, JPEG or PNG) with a sent report."""
    require_in_scope(report, user=acting_user, action="change")
    current = _lock_report(report)
    if not current.is_sent:
        raise ValidationError(_("Chỉ lưu bản ký của báo cáo đã gửi."))
    kind: FileKind = check_upload(upload, upload.size or 0)
    if kind.extension not in SCAN_KINDS:
        raise ValidationError({"file": _("Bản ký phải là tệp PDF, JPEG hoặc PNG.")})
    old = current.signed_scan.name if current.signed_scan else ""
    current.signed_scan.save("scan", upload, save=False)
    current.signed_scan_name = (upload.name or "ban-ky")[:255]
    current.signed_scan_type = kind.content_type
    stamp(current, acting_user=acting_user, action="report.scan_upload")
    # Only the scan's fields: an approval made meanwhile stays as it is.
    current.save(update_fields=["signed_scan", "signed_scan_name", "signed_scan_type", "updated_at"])
    delete_on_commit(current.signed_scan.storage, old)
    return current


# --- templates ---------------------------------------------------------------------------------


@transaction.atomic
def template_upload(*, kind: str, content: bytes, acting_user: Any, note: str = "") -> DocumentTemplate:
    """A new version of the Word template of a kind of issuing body (system administrators)."""
    require(acting_user, DocumentTemplate(kind=kind), "change")
    from phoihop.documents.builders import check_template

    check_template(content)
    versions = DocumentTemplate.objects.unrestricted(INTEGRITY).filter(kind=kind)
    version = (versions.aggregate(v=Max("version"))["v"] or 0) + 1

    template = DocumentTemplate(kind=kind, version=version, note=note, uploaded_by=acting_user)
    template.file.save(f"{kind}.docx", ContentFile(content), save=False)
    return audited_save(template, acting_user=acting_user, action="template.upload")


@transaction.atomic
def template_set_active(*, template: DocumentTemplate, active: bool, acting_user: Any) -> DocumentTemplate:
    require(acting_user, template, "change")
    template.is_active = active
    return audited_save(template, acting_user=acting_user, action="template.set_active")


# --- a body's signatories (ADR 0019), kept from the pages -------------------------------------


SIGNATORY_FIELDS = {"capacity", "collective", "title", "rank", "full_name", "valid_from", "valid_to", "is_head"}


@transaction.atomic
def signatory_add(*, acting_user: Any, unit: OrgUnit, data: dict[str, Any]) -> Any:
    """A person who signs for ``unit`` from a date, in a capacity: by the unit's administrators
    (and those above), as its profile is kept (``SignatoryPolicy``)."""
    from phoihop.reporting.models import Signatory

    if not OrgUnit.objects.restrict(acting_user, "manage").filter(pk=unit.pk).exists():
        raise OutOfScope()
    unknown = set(data) - SIGNATORY_FIELDS
    if unknown:
        raise ValueError(f"Unexpected fields: {sorted(unknown)}")
    last = Signatory.objects.unrestricted(INTEGRITY).filter(unit=unit).aggregate(Max("order"))["order__max"]
    signatory = Signatory(unit=unit, order=(last or 0) + 1, **data)
    audited_save(signatory, acting_user=acting_user, action="signatory.add")
    require_in_scope(signatory, user=acting_user, action="change")
    return signatory
