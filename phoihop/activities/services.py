"""Writes to activities, entered figures, locks, models, exchanges, lessons and proposals.

Every change of a value runs inside ``figures.upkeep.track`` so that the roll-ups of the unit
and its ancestors change in the same transaction (ARCHITECTURE.md rule 5).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from phoihop.activities.models import (
    MAX_VALUE,
    Activity,
    ActivityPartner,
    ActivityStatus,
    Attachment,
    EntryLock,
    Exchange,
    ExchangeRecipient,
    IndicatorValue,
    Lesson,
    PracticeModel,
    Proposal,
    Replication,
)
from phoihop.core.files import check_upload, delete_on_commit
from phoihop.core.scoping import below_q, get_scope, is_system_admin, path_prefixes, subtree_q
from phoihop.core.services import OutOfScope, apply_changes, audited_save, require_in_scope
from phoihop.figures.upkeep import Tracking, lock_units, track
from phoihop.orgunits.models import OrgUnit, OrgUnitPair
from phoihop.programmes.models import Indicator, Phase

# Foreign keys of an activity that the services pass as objects they have read and checked:
# full_clean need not fetch them again.
ACTIVITY_CHECKED_FKS = ["phase", "lead_unit", "area", "created_by", "decided_by"]
ACTIVITY_EDITABLE = {
    "title",
    "start_date",
    "end_date",
    "area",
    "place",
    "lead_unit",
    "participants_lead",
    "participants_partner",
    "description",
}


# --- locks -----------------------------------------------------------------------------------


def active_lock(unit: OrgUnit, day: date) -> EntryLock | None:
    """The active lock covering ``unit`` (or a unit above it) on ``day``, if any."""
    return (
        EntryLock.objects.filter(
            unit__path__in=path_prefixes(unit.path, OrgUnit.steplen),
            start__lte=day,
            end__gte=day,
            reopened_at__isnull=True,
        )
        .select_related("unit")
        .first()
    )


def require_unlocked(unit: OrgUnit, day: date) -> None:
    """Refuse a change of ``unit``'s values on ``day`` in a locked period. Locks the unit's row
    first, so a lock being created at the same time is either seen here or waits for us."""
    lock_units([unit.pk])
    lock = active_lock(unit, day)
    if lock is not None:
        raise ValidationError(
            _(
                "Số liệu của %(unit)s ngày %(day)s đã khóa "
                "(khóa của %(lock_unit)s cho kỳ %(start)s–%(end)s%(reason)s). "
                "Cần người duyệt cấp trên mở khóa trước khi thêm, sửa hoặc xóa."
            )
            % {
                "unit": unit.display_name,
                "day": f"{day.day}/{day.month}/{day.year}",
                "lock_unit": lock.unit.display_name,
                "start": f"{lock.start.day}/{lock.start.month}/{lock.start.year}",
                "end": f"{lock.end.day}/{lock.end.month}/{lock.end.year}",
                "reason": f": {lock.reason}" if lock.reason else "",
            }
        )


def _locked_values(unit: OrgUnit, start: date, end: date) -> Any:
    return IndicatorValue.objects.filter(unit__path__startswith=unit.path, date__gte=start, date__lte=end)


def can_lock(user: Any, unit: OrgUnit) -> bool:
    """An approver of a unit strictly above ``unit`` (or a system administrator); for a root
    unit, which has nobody above, an approver of the root itself (the national report)."""
    if unit.depth == 1:
        return OrgUnit.objects.filter(subtree_q(user, "approve")).filter(pk=unit.pk).exists()
    return OrgUnit.objects.filter(below_q(user, "approve")).filter(pk=unit.pk).exists()


@transaction.atomic
def lock_create(*, unit: OrgUnit, start: date, end: date, acting_user: Any, reason: str = "") -> EntryLock:
    """Close entry for ``unit``'s subtree in [start, end]: its submitted values become approved.

    Called when a report is approved (by an approver above the unit), or by such an approver.
    """
    if not can_lock(acting_user, unit):
        raise OutOfScope(_("Chỉ người duyệt của cấp trên mới khóa được số liệu của đơn vị này."))
    lock = EntryLock(unit=unit, start=start, end=end, reason=reason, locked_by=acting_user)
    lock_units(OrgUnit.objects.filter(path__startswith=unit.path).values("pk"))
    with track(_locked_values(unit, start, end)):
        audited_save(lock, acting_user=acting_user)
        _locked_values(unit, start, end).filter(counted=True, approved=False).update(approved=True)
    return lock


@transaction.atomic
def lock_reopen(*, lock: EntryLock, acting_user: Any, reason: str) -> EntryLock:
    """Reopen a locked period (an approver above the unit, with a reason, recorded)."""
    if not EntryLock.objects.restrict(acting_user, "approve").filter(pk=lock.pk).exists():
        raise OutOfScope(_("Chỉ người duyệt của cấp trên mới mở khóa được."))
    if lock.reports.filter(status="approved").exists():
        raise ValidationError(
            _("Khóa này có do duyệt báo cáo. Hãy mở lại chính báo cáo đó (nút “Mở lại” trên trang báo cáo).")
        )
    return lock_release(lock=lock, acting_user=acting_user, reason=reason)


@transaction.atomic
def lock_release(*, lock: EntryLock, acting_user: Any, reason: str) -> EntryLock:
    """Reopen a lock on an authority the caller has already checked: the reporting services
    release the locks of a report that is returned or reopened, whichever side made them."""
    if not lock.is_active:
        raise ValidationError(_("Kỳ này đã được mở khóa trước đó."))
    if not reason.strip():
        raise ValidationError({"reopen_reason": _("Hãy ghi lý do mở khóa.")})
    values = _locked_values(lock.unit, lock.start, lock.end)
    lock_units(OrgUnit.objects.filter(path__startswith=lock.unit.path).values("pk"))
    with track(values):
        lock.reopened_at = timezone.now()
        lock.reopened_by = acting_user
        lock.reopen_reason = reason.strip()
        audited_save(lock, acting_user=acting_user)
        _recompute_approved(values, lock.unit, lock.start, lock.end)
    return lock


def _recompute_approved(values: Any, unit: OrgUnit, start: date, end: date) -> None:
    """approved = counted and (its activity is approved, or an active lock covers it).

    Only locks that overlap [start, end] on the unit's line (above it or inside it) can cover
    any of ``values``.
    """
    values.update(approved=False)
    values.filter(counted=True, activity__status=ActivityStatus.APPROVED).update(approved=True)
    line = Q(unit__path__in=path_prefixes(unit.path, OrgUnit.steplen)) | Q(unit__path__startswith=unit.path)
    others = EntryLock.objects.filter(line, reopened_at__isnull=True, start__lte=end, end__gte=start)
    for other in others.select_related("unit"):
        values.filter(
            counted=True, unit__path__startswith=other.unit.path, date__gte=other.start, date__lte=other.end
        ).update(approved=True)


# --- activities -------------------------------------------------------------------------------


def _check_indicators(phase: Phase, values: Mapping[Indicator, int | None]) -> None:
    for indicator, amount in values.items():
        if indicator.programme_id != phase.programme_id or not indicator.applies_to(phase):
            raise ValidationError(
                _("Chỉ tiêu “%(name)s” không áp dụng cho giai đoạn %(phase)s.")
                % {"name": indicator.name, "phase": phase.name}
            )
        if amount is not None and amount < 0:
            raise ValidationError(_("Giá trị của chỉ tiêu “%(name)s” không được âm.") % {"name": indicator.name})


def _party_roots(activity: Activity) -> list[str]:
    """Paths of the programme's parties' root units (read once per service call)."""
    roots = getattr(activity, "_party_roots", None)
    if roots is None:
        from phoihop.programmes.models import Party

        roots = list(
            Party.objects.filter(programme_id=activity.phase.programme_id).values_list("root_unit__path", flat=True)
        )
        activity._party_roots = roots  # type: ignore[attr-defined]
    return roots


def _check_lead(activity: Activity, acting_user: Any) -> None:
    lead = activity.lead_unit
    if not any(lead.path.startswith(p) for p in get_scope(acting_user).paths("change")) and not is_system_admin(
        acting_user
    ):
        raise OutOfScope()
    if not any(lead.path.startswith(root) for root in _party_roots(activity)):
        raise ValidationError({"lead_unit": _("Đơn vị chủ trì không thuộc các bên của chương trình.")})


def _visible_partners(user: Any, units: dict[int, OrgUnit]) -> set[int]:
    """Which of ``units`` the user may read: in one of their subtrees, or paired with one."""
    if is_system_admin(user):
        return set(units)
    paths = get_scope(user).paths("view")
    visible = {uid for uid, u in units.items() if any(u.path.startswith(p) for p in paths)}
    rest = [uid for uid in units if uid not in visible]
    if rest:
        pairs = OrgUnitPair.objects.filter(
            (subtree_q(user, "view", "unit_a") & Q(unit_b__in=rest))
            | (subtree_q(user, "view", "unit_b") & Q(unit_a__in=rest))
        ).values_list("unit_a_id", "unit_b_id")
        visible |= {uid for pair in pairs for uid in pair if uid in rest}
    return visible


def _set_partners(activity: Activity, partners: Iterable[OrgUnit], acting_user: Any, *, created: bool = False) -> None:
    """Partners are units the writer may read (its subtree and counterparts), of the programme:
    naming a partner shares the activity with it, so no one shares into a subtree out of sight."""
    wanted = {u.pk: u for u in partners if u.pk != activity.lead_unit_id}
    current = {} if created else {link.unit_id: link for link in activity.partner_links.all()}
    added = {uid: u for uid, u in wanted.items() if uid not in current}
    if added:
        visible = _visible_partners(acting_user, added)
        roots = _party_roots(activity)
        refused = [
            u.display_name
            for uid, u in added.items()
            if uid not in visible or not any(u.path.startswith(r) for r in roots)
        ]
        if refused:
            raise ValidationError(
                {"partners": _("Không chọn được đơn vị phối hợp: %(units)s.") % {"units": ", ".join(refused)}}
            )
    for unit_id, link in current.items():
        if unit_id not in wanted:
            link._history_user = acting_user  # type: ignore[attr-defined]
            link.delete()
    if added:
        bulk_create_with_history(
            [ActivityPartner(activity=activity, unit=unit) for unit in added.values()],
            ActivityPartner,
            default_user=acting_user,
        )


def _value_flags(activity: Activity) -> tuple[bool, bool]:
    counted = activity.status in (ActivityStatus.SUBMITTED, ActivityStatus.APPROVED)
    approved = activity.status == ActivityStatus.APPROVED
    return counted, approved


VALUE_FIELDS = ["value", "unit", "date", "counted", "approved"]


def _sync_values(
    activity: Activity, values: Mapping[Indicator, int | None] | None, acting_user: Any, *, created: bool = False
) -> None:
    """Make the activity's value rows follow it (unit, date, flags) and take the new amounts.

    Written in bulk with their history rows: one activity write stays a handful of statements
    (the figures' write budget, ARCHITECTURE.md). Amounts are checked here, not by full_clean:
    the rows' foreign keys come from objects the service has already checked.
    """
    # No lock can cover a counted, unapproved value here: every caller that counts a value
    # (create, update, submit) has just refused a locked period.
    counted, approved = _value_flags(activity)
    existing = {} if created else {v.indicator_id: v for v in activity.values.all()}
    state = {id(r): (r.value, r.unit_id, r.date, r.counted, r.approved) for r in existing.values()}
    new_rows: list[IndicatorValue] = []
    if values is not None:
        wanted = {ind.pk: amount for ind, amount in values.items() if amount is not None}
        for amount in wanted.values():
            if not 0 <= amount <= MAX_VALUE:
                raise ValidationError(_("Giá trị phải từ 0 đến 1.000.000.000.000."))
        for indicator_id, row in list(existing.items()):
            if indicator_id not in wanted:
                row._history_user = acting_user  # type: ignore[attr-defined]
                row.delete()
                del existing[indicator_id]
        for indicator_id, amount in wanted.items():
            row = existing.get(indicator_id)
            if row is None:
                new_rows.append(
                    IndicatorValue(
                        activity=activity, indicator_id=indicator_id, entered_by_id=acting_user.pk, value=amount
                    )
                )
            else:
                row.value = amount
    for row in [*new_rows, *existing.values()]:
        row.unit_id, row.date = activity.lead_unit_id, activity.end_date
        row.counted, row.approved = counted, approved
    changed = [r for r in existing.values() if state[id(r)] != (r.value, r.unit_id, r.date, r.counted, r.approved)]
    if new_rows:
        bulk_create_with_history(new_rows, IndicatorValue, default_user=acting_user)
    if changed:
        bulk_update_with_history(changed, IndicatorValue, fields=VALUE_FIELDS, default_user=acting_user)


def _activity_values(activity: Activity) -> Any:
    return IndicatorValue.objects.filter(activity_id=activity.pk)


@transaction.atomic
def activity_create(
    *,
    acting_user: Any,
    phase: Phase,
    lead_unit: OrgUnit,
    title: str,
    start_date: date,
    end_date: date,
    values: Mapping[Indicator, int | None],
    partners: Iterable[OrgUnit] = (),
    area: Any = None,
    place: str = "",
    participants_lead: int = 0,
    participants_partner: int = 0,
    description: str = "",
    submit: bool = False,
) -> Activity:
    activity = Activity(
        phase=phase,
        lead_unit=lead_unit,
        title=title,
        start_date=start_date,
        end_date=end_date,
        area=area,
        place=place,
        participants_lead=participants_lead,
        participants_partner=participants_partner,
        description=description,
        created_by=acting_user,
    )
    _check_lead(activity, acting_user)
    _check_indicators(phase, values)
    require_unlocked(lead_unit, end_date)
    if submit:  # saved as submitted in one pass (what activity_submit checks, checked here)
        if not any(v is not None for v in values.values()) and not description.strip():
            raise ValidationError(_("Hãy nhập ít nhất một số liệu hoặc nội dung kết quả trước khi gửi."))
        activity.status, activity.submitted_at = ActivityStatus.SUBMITTED, timezone.now()
    # The foreign keys are objects the checks above have read: full_clean need not fetch them.
    # clean() checks the date range the check constraint holds: no round trip for it.
    audited_save(activity, acting_user=acting_user, exclude=ACTIVITY_CHECKED_FKS, validate_constraints=False)
    _set_partners(activity, partners, acting_user, created=True)
    with track(_activity_values(activity), empty_before=True):
        _sync_values(activity, values, acting_user, created=True)
    return activity


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    acting_user: Any,
    data: dict[str, Any],
    values: Mapping[Indicator, int | None] | None = None,
    partners: Iterable[OrgUnit] | None = None,
) -> Activity:
    """Change an activity not yet approved (its values follow its lead unit and end date)."""
    require_in_scope(activity, user=acting_user, action="change")
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status == ActivityStatus.APPROVED:
        raise ValidationError(_("Hoạt động đã được duyệt; cần cấp trên trả lại trước khi sửa."))
    require_unlocked(activity.lead_unit, activity.end_date)
    apply_changes(activity, data, ACTIVITY_EDITABLE)
    _check_lead(activity, acting_user)
    if values is not None:
        _check_indicators(activity.phase, values)
    require_unlocked(activity.lead_unit, activity.end_date)
    with track(_activity_values(activity)):
        audited_save(activity, acting_user=acting_user, exclude=ACTIVITY_CHECKED_FKS)
        if partners is not None:
            _set_partners(activity, partners, acting_user)
        _sync_values(activity, values, acting_user)
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity, acting_user: Any) -> None:
    require_in_scope(activity, user=acting_user, action="change")
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status == ActivityStatus.APPROVED:
        raise ValidationError(_("Hoạt động đã được duyệt không xóa được; cần cấp trên trả lại trước."))
    require_unlocked(activity.lead_unit, activity.end_date)
    with track(_activity_values(activity)):
        for row in activity.values.all():
            row._history_user = acting_user  # type: ignore[attr-defined]
            row.delete()
        for attachment in activity.attachments.all():
            _delete_file_on_commit(attachment)
        activity._history_user = acting_user  # type: ignore[attr-defined]
        activity.delete()


def _set_status(activity: Activity, status: str, acting_user: Any, **extra: Any) -> Activity:
    lock_units([activity.lead_unit_id])
    with track(_activity_values(activity)):
        activity.status = status
        for key, value in extra.items():
            setattr(activity, key, value)
        audited_save(activity, acting_user=acting_user, exclude=ACTIVITY_CHECKED_FKS)
        _sync_values(activity, None, acting_user)
    return activity


@transaction.atomic
def activity_submit(*, activity: Activity, acting_user: Any) -> Activity:
    require_in_scope(activity, user=acting_user, action="change")
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status not in (ActivityStatus.DRAFT, ActivityStatus.RETURNED):
        raise ValidationError(_("Chỉ gửi được hoạt động ở trạng thái nháp hoặc bị trả lại."))
    require_unlocked(activity.lead_unit, activity.end_date)
    if not activity.values.exists() and not activity.description.strip():
        raise ValidationError(_("Hãy nhập ít nhất một số liệu hoặc nội dung kết quả trước khi gửi."))
    return _set_status(activity, ActivityStatus.SUBMITTED, acting_user, submitted_at=timezone.now(), return_reason="")


@transaction.atomic
def activity_approve(*, activity: Activity, acting_user: Any) -> Activity:
    if not Activity.objects.restrict(acting_user, "approve").filter(pk=activity.pk).exists():
        raise OutOfScope(_("Chỉ người duyệt của cấp trên đơn vị chủ trì mới duyệt được hoạt động này."))
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if not activity.phase.programme.activity_approval:
        raise ValidationError(
            _("Chương trình này không yêu cầu duyệt từng hoạt động; số liệu được duyệt khi báo cáo kỳ được duyệt.")
        )
    if activity.status != ActivityStatus.SUBMITTED:
        raise ValidationError(_("Chỉ duyệt được hoạt động đã gửi."))
    return _set_status(
        activity, ActivityStatus.APPROVED, acting_user, decided_at=timezone.now(), decided_by=acting_user
    )


@transaction.atomic
def activity_return(*, activity: Activity, acting_user: Any, reason: str) -> Activity:
    if not Activity.objects.restrict(acting_user, "approve").filter(pk=activity.pk).exists():
        raise OutOfScope(_("Chỉ người duyệt của cấp trên đơn vị chủ trì mới trả lại được hoạt động này."))
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status not in (ActivityStatus.SUBMITTED, ActivityStatus.APPROVED):
        raise ValidationError(_("Chỉ trả lại được hoạt động đã gửi hoặc đã duyệt."))
    if not reason.strip():
        raise ValidationError({"return_reason": _("Hãy ghi lý do trả lại.")})
    require_unlocked(activity.lead_unit, activity.end_date)
    return _set_status(
        activity,
        ActivityStatus.RETURNED,
        acting_user,
        return_reason=reason.strip(),
        decided_at=timezone.now(),
        decided_by=acting_user,
    )


# --- figures entered for a period ----------------------------------------------------------------


def entering_unit_for(user: Any, unit: OrgUnit) -> OrgUnit | None:
    """The unit above ``unit`` on whose behalf ``user`` enters, or None when entering as the unit."""
    scope = get_scope(user)
    paths = scope.paths("change")
    if any(unit.path == p for p in paths) or (scope.is_system_admin and not paths):
        return None
    above = [p for p in paths if unit.path.startswith(p) and unit.path != p]
    if not above:
        return None
    return OrgUnit.objects.get(path=max(above, key=len))


def _check_entered_period(
    unit: OrgUnit, period_start: date, period_end: date, values: Mapping[Indicator, int | None]
) -> None:
    """The period overlaps a phase of each indicator's programme to which the indicator applies
    (a year's report may cross a phase's end), and the unit belongs to one of its parties."""
    from phoihop.programmes.models import Party

    phases_of: dict[int, list[Phase]] = {}
    for indicator in values:
        programme_id = indicator.programme_id
        if programme_id not in phases_of:  # one read per programme, not per indicator
            phases_of[programme_id] = list(
                Phase.objects.filter(programme_id=programme_id, start__lte=period_end, end__gte=period_start)
            )
            roots = Party.objects.filter(programme_id=programme_id).values_list("root_unit__path", flat=True)
            if not any(unit.path.startswith(root) for root in roots):
                raise ValidationError(_("Đơn vị không thuộc các bên của chương trình."))
        if not any(indicator.applies_to(phase) for phase in phases_of[programme_id]):
            raise ValidationError(
                _("Chỉ tiêu “%(name)s” không áp dụng cho kỳ %(start)s–%(end)s (ngoài các giai đoạn của chương trình).")
                % {
                    "name": indicator.name,
                    "start": f"{period_start.day}/{period_start.month}/{period_start.year}",
                    "end": f"{period_end.day}/{period_end.month}/{period_end.year}",
                }
            )


@transaction.atomic
def figures_enter(
    *,
    acting_user: Any,
    unit: OrgUnit,
    period_start: date,
    period_end: date,
    values: Mapping[Indicator, int | None],
    note: str = "",
) -> list[IndicatorValue]:
    """Set a unit's totals for a period: a number sets it, None clears it. They count on the
    period's last day, as submitted. Entering for a unit below is recorded as on its behalf."""
    if not OrgUnit.objects.restrict(acting_user, "change").filter(pk=unit.pk).exists():
        raise OutOfScope()
    lock_units([unit.pk])  # before the overlap check: two entries of one unit run one at a time
    if period_end < period_start:
        raise ValidationError(_("Ngày cuối kỳ không được trước ngày đầu kỳ."))
    if not unit.is_active_on(period_end):
        raise ValidationError(_("Đơn vị không hoạt động vào ngày cuối kỳ."))
    for indicator, amount in values.items():
        if amount is not None and amount < 0:
            raise ValidationError(_("Giá trị của chỉ tiêu “%(name)s” không được âm.") % {"name": indicator.name})
        overlapping = (
            IndicatorValue.objects.entered()
            .filter(unit=unit, indicator=indicator, period_start__lte=period_end, date__gte=period_start)
            .exclude(period_start=period_start, date=period_end)
        )
        if amount is not None and overlapping.exists():
            other = overlapping.first()
            assert other is not None and other.period_start is not None
            raise ValidationError(
                _(
                    "Chỉ tiêu “%(name)s” đã có số liệu cho kỳ %(start)s–%(end)s chồng lên kỳ này; "
                    "một số liệu chỉ được tính một lần."
                )
                % {
                    "name": indicator.name,
                    "start": f"{other.period_start.day}/{other.period_start.month}/{other.period_start.year}",
                    "end": f"{other.date.day}/{other.date.month}/{other.date.year}",
                }
            )
    _check_entered_period(unit, period_start, period_end, values)
    require_unlocked(unit, period_end)
    on_behalf = entering_unit_for(acting_user, unit)
    rows = IndicatorValue.objects.entered().filter(unit=unit, period_start=period_start, date=period_end)
    saved: list[IndicatorValue] = []
    with track(rows):
        existing = {v.indicator_id: v for v in rows.filter(indicator__in=[i.pk for i in values])}
        for indicator, amount in values.items():
            row = existing.get(indicator.pk)
            if amount is None:
                if row is not None:
                    row._history_user = acting_user  # type: ignore[attr-defined]
                    row.delete()
                continue
            if row is not None and row.value == amount:
                saved.append(row)
                continue
            row = row or IndicatorValue(unit=unit, indicator=indicator, period_start=period_start, date=period_end)
            row.value = amount
            row.counted, row.approved = True, False
            row.entered_by, row.entered_by_unit, row.note = acting_user, on_behalf, note
            saved.append(audited_save(row, acting_user=acting_user, exclude=["activity"]))
    return saved


# --- attachments ----------------------------------------------------------------------------------


@transaction.atomic
def attachment_add(
    *, acting_user: Any, upload: UploadedFile, activity: Activity | None = None, exchange: Exchange | None = None
) -> Attachment:
    owner = activity or exchange
    assert owner is not None
    require_in_scope(owner, user=acting_user, action="change")
    kind = check_upload(upload, upload.size or 0)
    attachment = Attachment(
        activity=activity,
        exchange=exchange,
        token=secrets.token_urlsafe(24),
        original_name=(upload.name or f"tep.{kind.extension}")[-255:],
        content_type=kind.content_type,
        size=upload.size or 0,
        uploaded_by=acting_user,
    )
    attachment.file.save(attachment.token, upload, save=False)
    attachment.full_clean(exclude=["file"])
    attachment.save()
    return attachment


def _delete_file_on_commit(attachment: Attachment) -> None:
    delete_on_commit(attachment.file.storage, attachment.file.name)


@transaction.atomic
def attachment_delete(*, attachment: Attachment, acting_user: Any) -> None:
    if not Attachment.objects.restrict(acting_user, "change").filter(pk=attachment.pk).exists():
        raise OutOfScope()
    if attachment.activity_id and attachment.activity and not attachment.activity.is_editable:
        raise ValidationError(_("Hoạt động đã gửi; không xóa được tệp đính kèm."))
    _delete_file_on_commit(attachment)
    attachment.delete()


# --- good-practice models ----------------------------------------------------------------------------

MODEL_EDITABLE = {"name", "field", "origin_unit", "started_on", "description", "results", "phase"}


@transaction.atomic
def practice_model_save(*, acting_user: Any, data: dict[str, Any], model: PracticeModel | None = None) -> PracticeModel:
    if model is not None:
        require_in_scope(model, user=acting_user, action="change")
    model = model or PracticeModel()
    apply_changes(model, data, MODEL_EDITABLE)
    if not OrgUnit.objects.restrict(acting_user, "change").filter(pk=model.origin_unit_id).exists():
        raise OutOfScope()
    return audited_save(model, acting_user=acting_user)


@transaction.atomic
def replication_add(
    *, acting_user: Any, model: PracticeModel, unit: OrgUnit, replicated_on: date, note: str = ""
) -> Replication:
    """Record that ``unit`` took up the model (by the unit itself or a unit above it)."""
    if not OrgUnit.objects.restrict(acting_user, "change").filter(pk=unit.pk).exists():
        raise OutOfScope()
    if not PracticeModel.objects.restrict(acting_user, "view").filter(pk=model.pk).exists() and not (
        OrgUnit.objects.restrict(acting_user, "view").filter(pk=model.origin_unit_id).exists()
    ):
        raise OutOfScope()
    if replicated_on < model.started_on:
        raise ValidationError({"replicated_on": _("Ngày nhân rộng không được trước ngày mô hình bắt đầu.")})
    if Replication.objects.filter(model=model, unit=unit).exists():
        raise ValidationError({"unit": _("Đơn vị này đã được ghi nhận nhân rộng mô hình.")})
    return audited_save(
        Replication(model=model, unit=unit, replicated_on=replicated_on, note=note), acting_user=acting_user
    )


@transaction.atomic
def replication_remove(*, acting_user: Any, replication: Replication) -> None:
    require_in_scope(replication, user=acting_user, action="change")
    replication._history_user = acting_user  # type: ignore[attr-defined]
    replication.delete()


# --- exchanges -------------------------------------------------------------------------------------


def allowed_recipients(sender: OrgUnit) -> Any:
    """Units an exchange from ``sender`` may go to: lower units, counterparts and their lower units."""
    today = timezone.localdate()
    pairs = OrgUnitPair.objects.active_on(today).filter(Q(unit_a=sender) | Q(unit_b=sender))
    counterpart_paths = [p.unit_b.path if p.unit_a_id == sender.pk else p.unit_a.path for p in pairs.select_related()]
    q = Q(path__startswith=sender.path) & ~Q(pk=sender.pk)
    for path in counterpart_paths:
        q |= Q(path__startswith=path)
    return OrgUnit.objects.filter(q).active_on(today)


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
    if not OrgUnit.objects.restrict(acting_user, "change").filter(pk=sender.pk).exists():
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
    )
    ExchangeRecipient.objects.bulk_create([ExchangeRecipient(exchange=exchange, unit=u) for u in recipients])
    for upload in uploads:
        attachment_add(acting_user=acting_user, upload=upload, exchange=exchange)
    return exchange


@transaction.atomic
def exchange_mark_read(*, exchange: Exchange, acting_user: Any) -> int:
    """Mark the exchange read for the recipient units in the user's subtrees (first reading only).

    Only roles outside the sending side count: the sender's own people (a role on the sender or
    a unit above it) opening what they sent is no reading by the recipients.
    """
    scope = get_scope(acting_user)
    view_units = set(scope.unit_ids("view"))
    sender_path = exchange.sender.path
    paths = {g.path for g in scope.grants if g.unit_id in view_units and not sender_path.startswith(g.path)}
    if not paths:
        return 0
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(unit__path__startswith=path)
    return (
        ExchangeRecipient.objects.filter(exchange=exchange, read_at__isnull=True)
        .filter(q)
        .update(read_at=timezone.now(), read_by=acting_user)
    )


# --- lessons and proposals -------------------------------------------------------------------------

LESSON_EDITABLE = {"unit", "phase", "field", "title", "content", "recorded_on"}
PROPOSAL_EDITABLE = {"unit", "phase", "field", "horizon", "title", "content", "recorded_on"}


def _note_save(note: Any, *, acting_user: Any, data: dict[str, Any], editable: set[str], existing: bool) -> Any:
    if existing:
        require_in_scope(note, user=acting_user, action="change")
    apply_changes(note, data, editable)
    if not OrgUnit.objects.restrict(acting_user, "change").filter(pk=note.unit_id).exists():
        raise OutOfScope()
    return audited_save(note, acting_user=acting_user)


@transaction.atomic
def lesson_save(*, acting_user: Any, data: dict[str, Any], lesson: Lesson | None = None) -> Lesson:
    note = lesson or Lesson(recorded_by=acting_user)
    return _note_save(note, acting_user=acting_user, data=data, editable=LESSON_EDITABLE, existing=lesson is not None)


@transaction.atomic
def proposal_save(*, acting_user: Any, data: dict[str, Any], proposal: Proposal | None = None) -> Proposal:
    note = proposal or Proposal(recorded_by=acting_user)
    return _note_save(
        note, acting_user=acting_user, data=data, editable=PROPOSAL_EDITABLE, existing=proposal is not None
    )


@transaction.atomic
def record_delete(*, record: Lesson | Proposal | PracticeModel, acting_user: Any) -> None:
    require_in_scope(record, user=acting_user, action="change")
    record._history_user = acting_user  # type: ignore[union-attr]
    record.delete()


__all__ = ["Tracking"]
