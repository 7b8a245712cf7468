"""Writes to activities, their figures and their attached files.

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
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from phoihop.activities.models import Activity, ActivityPartner, ActivityStatus, Attachment
from phoihop.audit.actions import record
from phoihop.core.files import check_upload, delete_on_commit
from phoihop.core.formats import vn_date
from phoihop.core.gate import PROGRAMME_DATA, ROLLUP_UPKEEP
from phoihop.core.permissions import perms, require
from phoihop.core.services import (
    OutOfScope,
    apply_changes,
    audited_delete,
    audited_save,
    check_version,
    reread_for_update,
    stamp,
)
from phoihop.entry.models import MAX_VALUE, IndicatorValue
from phoihop.entry.services import require_unlocked
from phoihop.figures.plausibility import check_maximum, require_plausible
from phoihop.figures.upkeep import lock_units, track
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Indicator, Phase, PhaseStatus
from phoihop.programmes.selectors import covers, party_roots
from phoihop.records.models import Exchange

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


def _phase_ended(phase: Phase) -> bool:
    """A phase is over when it is closed (after its summary), not when its last day has passed:
    the summary gathers the records of its last weeks after that day."""
    return phase.status == PhaseStatus.CLOSED


def _check_dates(activity: Activity) -> None:
    """A date in a phase that has ended says so (not "the period is locked"); a date outside the
    activity's phase says which phase it is in."""
    phase, day = activity.phase, activity.end_date
    if activity.start_date and day < activity.start_date:
        raise ValidationError({"end_date": _("Ngày kết thúc không được trước ngày bắt đầu.")})
    if phase.start <= day <= phase.end:
        if _phase_ended(phase):
            raise ValidationError(
                {
                    "end_date": _(
                        "Giai đoạn %(phase)s đã kết thúc ngày %(end)s; không ghi thêm hay sửa hoạt động "
                        "của giai đoạn này được nữa."
                    )
                    % {"phase": phase.name, "end": vn_date(phase.end)}
                }
            )
        return
    other = (
        Phase.objects.unrestricted(PROGRAMME_DATA)
        .filter(programme_id=phase.programme_id, start__lte=day, end__gte=day)
        .exclude(pk=phase.pk)
        .first()
    )
    if other is not None and _phase_ended(other):
        message = _(
            "Giai đoạn %(other)s đã kết thúc ngày %(other_end)s; ngày %(day)s thuộc giai đoạn đó. "
            "Hoạt động của giai đoạn %(phase)s phải diễn ra từ ngày %(start)s đến ngày %(end)s."
        )
    else:
        message = _("Ngày kết thúc phải nằm trong giai đoạn %(phase)s (từ ngày %(start)s đến ngày %(end)s).")
    raise ValidationError(
        {
            "end_date": message
            % {
                "other": other.name if other else "",
                "other_end": vn_date(other.end) if other else "",
                "day": vn_date(day),
                "phase": phase.name,
                "start": vn_date(phase.start),
                "end": vn_date(phase.end),
            }
        }
    )


def _plan_refusal(activity: Activity) -> ValidationError:
    return ValidationError(
        _(
            "Hoạt động kết thúc ngày %(day)s, chưa diễn ra: chỉ lưu được dưới dạng kế hoạch, "
            "chưa gửi được; số liệu của nó chưa được tính. Từ ngày %(day)s hãy mở lại và gửi như thường lệ."
        )
        % {"day": vn_date(activity.end_date)}
    )


def _plan_or_draft(activity: Activity) -> None:
    """An activity whose end date has not come is a plan; a plan whose date has come is a draft."""
    if activity.is_future and activity.status in (ActivityStatus.DRAFT, ActivityStatus.RETURNED):
        activity.status = ActivityStatus.PLAN
    elif not activity.is_future and activity.status == ActivityStatus.PLAN:
        activity.status = ActivityStatus.DRAFT


def _check_counterpart(activity: Activity, has_partners: bool) -> None:
    if activity.participants_partner and not has_partners:
        raise ValidationError(
            {
                "participants_partner": _(
                    "Có người tham gia bên phối hợp thì phải chọn đơn vị phối hợp (đơn vị kết nghĩa "
                    "hoặc đơn vị khác); nếu không có đơn vị phối hợp, để số này là 0."
                )
            }
        )


def _plausible(
    activity: Activity, values: Mapping[Indicator, int | None] | None, *, confirmed: bool, created: bool
) -> str:
    """The hard maximum and the outlier rule (phoihop/figures/plausibility.py) on the activity's
    values and participants; returns the confirmation to keep in the history row's reason."""
    return require_plausible(
        activity.lead_unit,
        values or {},
        for_activity=True,
        confirmed=confirmed,
        exclude_activity=None if created else activity.pk,
        participants={name: getattr(activity, name) for name in ("participants_lead", "participants_partner")},
    )


def _party_roots(activity: Activity) -> list[OrgUnit]:
    """The programme's parties' root units (read once per service call)."""
    roots = getattr(activity, "_party_roots", None)
    if roots is None:
        roots = party_roots(activity.phase.programme_id)
        activity._party_roots = roots  # type: ignore[attr-defined]
    return roots


def _check_lead(activity: Activity, acting_user: Any) -> None:
    lead = activity.lead_unit
    if not perms(acting_user).reaches(lead, "change"):
        raise OutOfScope()
    if not covers(activity.phase.programme_id, lead, _party_roots(activity)):
        raise ValidationError({"lead_unit": _("Đơn vị chủ trì không thuộc các bên của chương trình.")})


def _visible_partners(user: Any, units: dict[int, OrgUnit]) -> set[int]:
    """Which of ``units`` the user may read: in one of their subtrees, or paired with one."""
    return set(OrgUnit.objects.restrict(user, "view").filter(pk__in=list(units)).values_list("pk", flat=True))


def check_partners(activity: Activity, units: Iterable[OrgUnit], visible: set[int]) -> None:
    """The one home of the partners' rule: each unit the writer may read (``visible``: its
    subtree and counterparts) and of the programme's parties."""
    roots = _party_roots(activity)
    refused = [
        u.display_name for u in units if u.pk not in visible or not covers(activity.phase.programme_id, u, roots)
    ]
    if refused:
        raise ValidationError(
            {"partners": _("Không chọn được đơn vị phối hợp: %(units)s.") % {"units": ", ".join(refused)}}
        )


def require_content(has_values: bool, description: str) -> None:
    """What a sent activity must hold: a figure or a written result."""
    if not has_values and not description.strip():
        raise ValidationError(_("Hãy nhập ít nhất một số liệu hoặc nội dung kết quả trước khi gửi."))


def check_activity(
    activity: Activity,
    acting_user: Any,
    *,
    has_partners: bool,
    values: Mapping[Indicator, int | None],
    roots: list[OrgUnit] | None = None,
) -> None:
    """The rules a new or changed activity must satisfy before it is written, in the order the
    services check them: the lead unit in the writer's reach and of the programme's parties, the
    dates within an open phase, partners named for the partners' participants, the indicators of
    the phase, the hard maximum per entry. ``roots``: the programme's parties' root units, when
    the caller has read them already (a bulk import checks thousands of rows with one read)."""
    if roots is not None:
        activity._party_roots = roots  # type: ignore[attr-defined]
    _check_lead(activity, acting_user)
    _check_dates(activity)
    _check_counterpart(activity, has_partners)
    _check_indicators(activity.phase, values)
    check_maximum(values)


def _set_partners(activity: Activity, partners: Iterable[OrgUnit], acting_user: Any, *, created: bool = False) -> None:
    """Partners are units the writer may read (its subtree and counterparts), of the programme:
    naming a partner shares the activity with it, so no one shares into a subtree out of sight."""
    wanted = {u.pk: u for u in partners if u.pk != activity.lead_unit_id}
    current = {} if created else {link.unit_id: link for link in activity.partner_links.all()}
    added = {uid: u for uid, u in wanted.items() if uid not in current}
    if added:
        check_partners(activity, added.values(), _visible_partners(acting_user, added))
    for unit_id, link in current.items():
        if unit_id not in wanted:
            stamp(link, acting_user=acting_user, action="activity.partners")
            link.delete()
    if added:
        bulk_create_with_history(
            [ActivityPartner(activity=activity, unit=unit) for unit in added.values()],
            ActivityPartner,
            default_user=acting_user,
            default_change_reason="activity.partners",
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
                stamp(row, acting_user=acting_user, action="activity.values")
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
        bulk_create_with_history(
            new_rows, IndicatorValue, default_user=acting_user, default_change_reason="activity.values"
        )
    if changed:
        bulk_update_with_history(
            changed,
            IndicatorValue,
            fields=VALUE_FIELDS,
            default_user=acting_user,
            default_change_reason="activity.values",
        )


def _activity_values(activity: Activity) -> Any:
    return IndicatorValue.objects.unrestricted(ROLLUP_UPKEEP).filter(activity_id=activity.pk)


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
    confirm_outliers: bool = False,
) -> Activity:
    """Record an activity: a draft, submitted at once with ``submit``, or a plan when its end
    date has not come (a plan is never submitted nor counted before that date).

    Outliers (phoihop/figures/plausibility.py) are refused unless ``confirm_outliers``; the
    confirmation is kept in the history row's reason."""
    partners = list(partners)
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
    _check_dates(activity)
    _check_counterpart(activity, any(u.pk != lead_unit.pk for u in partners))
    _check_indicators(phase, values)
    if submit and activity.is_future:
        raise _plan_refusal(activity)
    confirmation = _plausible(activity, values, confirmed=confirm_outliers, created=True)
    require_unlocked(lead_unit, end_date, phase.programme_id)
    _plan_or_draft(activity)
    if submit:  # saved as submitted in one pass (what activity_submit checks, checked here)
        require_content(any(v is not None for v in values.values()), description)
        activity.status, activity.submitted_at = ActivityStatus.SUBMITTED, timezone.now()
    # The foreign keys are objects the checks above have read: full_clean need not fetch them.
    # clean() checks the date range the check constraint holds: no round trip for it.
    audited_save(
        activity,
        acting_user=acting_user,
        action="activity.create_submit" if submit else "activity.create",
        reason=confirmation,
        exclude=ACTIVITY_CHECKED_FKS,
        validate_constraints=False,
    )
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
    expected_version: int | None = None,
    confirm_outliers: bool = False,
) -> Activity:
    """Change a plan, a draft or a returned activity (its values follow its lead unit and end
    date). A submitted activity is withdrawn first (``activity_withdraw``): submitted means sent.

    ``expected_version`` is the version the writer read (pages and the API pass it): a save
    over a newer one is refused (``Conflict``)."""
    activity = reread_for_update(activity)
    check_version(activity, expected_version)
    require(acting_user, activity, "edit")
    require_unlocked(activity.lead_unit, activity.end_date, activity.phase.programme_id)
    apply_changes(activity, data, ACTIVITY_EDITABLE)
    _check_lead(activity, acting_user)
    _check_dates(activity)
    if partners is not None:
        partners = list(partners)
        has_partners = any(u.pk != activity.lead_unit_id for u in partners)
    else:
        has_partners = activity.partner_links.exclude(unit_id=activity.lead_unit_id).exists()
    _check_counterpart(activity, has_partners)
    if values is not None:
        _check_indicators(activity.phase, values)
    confirmation = _plausible(activity, values, confirmed=confirm_outliers, created=False)
    require_unlocked(activity.lead_unit, activity.end_date, activity.phase.programme_id)
    _plan_or_draft(activity)
    with track(_activity_values(activity)):
        audited_save(
            activity,
            acting_user=acting_user,
            action="activity.update",
            reason=confirmation,
            exclude=ACTIVITY_CHECKED_FKS,
        )
        if partners is not None:
            _set_partners(activity, partners, acting_user)
        _sync_values(activity, values, acting_user)
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity, acting_user: Any, reason: str = "") -> None:
    activity = reread_for_update(activity)
    require(acting_user, activity, "delete")
    require_unlocked(activity.lead_unit, activity.end_date, activity.phase.programme_id)
    with track(_activity_values(activity)):
        for row in activity.values.all():
            stamp(row, acting_user=acting_user, action="activity.delete", reason=reason)
            row.delete()
        for attachment in activity.attachments.all():
            _delete_file_on_commit(attachment)
        # The activity's tombstone, and its partners' (the cascade), name who deleted them.
        audited_delete(activity, acting_user=acting_user, action="activity.delete", reason=reason)


def _set_status(
    activity: Activity, status: str, acting_user: Any, *, action: str, reason: str = "", **extra: Any
) -> Activity:
    lock_units([activity.lead_unit_id])
    with track(_activity_values(activity)):
        activity.status = status
        for key, value in extra.items():
            setattr(activity, key, value)
        audited_save(activity, acting_user=acting_user, action=action, reason=reason, exclude=ACTIVITY_CHECKED_FKS)
        _sync_values(activity, None, acting_user)
    return activity


@transaction.atomic
def activity_submit(*, activity: Activity, acting_user: Any) -> Activity:
    activity = reread_for_update(activity)
    require(acting_user, activity, "submit")
    if activity.is_future:
        raise _plan_refusal(activity)
    require_unlocked(activity.lead_unit, activity.end_date, activity.phase.programme_id)
    require_content(activity.values.exists(), activity.description)
    return _set_status(
        activity,
        ActivityStatus.SUBMITTED,
        acting_user,
        action="activity.submit",
        submitted_at=timezone.now(),
        return_reason="",
    )


@transaction.atomic
def activity_withdraw(*, activity: Activity, acting_user: Any, reason: str = "") -> Activity:
    """Take back a submitted activity to change it (submitted means sent): it goes back to draft
    (a plan, if its date has not come), its values stop counting, and the withdrawal is recorded."""
    activity = reread_for_update(activity)
    require(acting_user, activity, "withdraw")
    require_unlocked(activity.lead_unit, activity.end_date, activity.phase.programme_id)
    return _set_status(
        activity,
        ActivityStatus.PLAN if activity.is_future else ActivityStatus.DRAFT,
        acting_user,
        action="activity.withdraw",
        reason=reason.strip()[:1000],
    )


@transaction.atomic
def activity_approve(*, activity: Activity, acting_user: Any) -> Activity:
    activity = reread_for_update(activity)
    require(acting_user, activity, "approve")
    return _set_status(
        activity,
        ActivityStatus.APPROVED,
        acting_user,
        action="activity.approve",
        decided_at=timezone.now(),
        decided_by=acting_user,
    )


@transaction.atomic
def activity_return(*, activity: Activity, acting_user: Any, reason: str) -> Activity:
    activity = reread_for_update(activity)
    require(acting_user, activity, "return")
    if not reason.strip():
        raise ValidationError({"return_reason": _("Hãy ghi lý do trả lại.")})
    require_unlocked(activity.lead_unit, activity.end_date, activity.phase.programme_id)
    return _set_status(
        activity,
        ActivityStatus.RETURNED,
        acting_user,
        action="activity.return",
        reason=reason,
        return_reason=reason.strip(),
        decided_at=timezone.now(),
        decided_by=acting_user,
    )


# --- attachments ----------------------------------------------------------------------------------


@transaction.atomic
def attachment_add(
    *, acting_user: Any, upload: UploadedFile, activity: Activity | None = None, exchange: Exchange | None = None
) -> Attachment:
    if activity is not None:
        require(acting_user, activity, "attach")
    else:
        assert exchange is not None
        require(acting_user, exchange, "change")
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
    try:
        audited_save(attachment, acting_user=acting_user, action="attachment.add", exclude=["file"])
    except Exception:
        attachment.file.delete(save=False)  # nothing kept of a refused file
        raise
    record(
        "attachment.add", actor=acting_user, target=activity or exchange, details={"subject": attachment.original_name}
    )

    return attachment


def _delete_file_on_commit(attachment: Attachment) -> None:
    delete_on_commit(attachment.file.storage, attachment.file.name)


@transaction.atomic
def attachment_delete(*, attachment: Attachment, acting_user: Any, reason: str = "") -> None:
    require(acting_user, attachment, "change")
    if attachment.activity is not None:
        require(acting_user, attachment.activity, "detach")
    _delete_file_on_commit(attachment)
    name = attachment.original_name
    owner = attachment.activity or attachment.exchange
    # The attachment's tombstone names who deleted it and why; the owner's trail says it too.
    audited_delete(attachment, acting_user=acting_user, action="attachment.delete", reason=reason)
    record("attachment.delete", actor=acting_user, target=owner, reason=reason, details={"subject": name})
