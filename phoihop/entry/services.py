"""Writes to figures entered for a period and to entry locks.

Every change of a value runs inside ``figures.upkeep.track`` so that the roll-ups of the unit
and its ancestors change in the same transaction (ARCHITECTURE.md rule 5).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.activities.models import ActivityStatus
from phoihop.audit.actions import record
from phoihop.core.formats import vn_date
from phoihop.core.gate import INTEGRITY, PROGRAMME_DATA, ROLLUP_UPKEEP
from phoihop.core.permissions import perms, require
from phoihop.core.services import audited_save, stamp
from phoihop.core.statements import attnames, instance
from phoihop.core.statements import rows as kept_rows
from phoihop.entry.models import EntryLock, IndicatorValue
from phoihop.entry.permissions import entering_unit_for
from phoihop.figures.plausibility import require_plausible
from phoihop.figures.upkeep import lock_units, track
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Indicator, Phase, Programme
from phoihop.programmes.selectors import covers

# --- locks -----------------------------------------------------------------------------------


def active_lock(unit: OrgUnit, day: date, programme_id: int) -> EntryLock | None:
    """The active lock covering ``unit`` (or a unit above it) on ``day`` for programme
    ``programme_id`` (its own or one of every programme), if any (its unit read with it). The
    statement depends only on the unit's path, the day and the programme: it is kept
    (``core.statements``); the row is read afresh."""

    def build() -> Any:
        locks = (
            EntryLock.objects.unrestricted(INTEGRITY)
            .active()
            .for_programme(programme_id)
            .on_line_of(unit)
            .overlapping(day, day)
        )
        return locks.values(*attnames(EntryLock), *attnames(OrgUnit, "unit__"))[:1]  # as .first(): Meta.ordering

    found = kept_rows((unit.path, day, programme_id), build)
    if not found:
        return None
    lock = instance(EntryLock, found[0])
    lock.unit = instance(OrgUnit, found[0], "unit__")
    return lock


def require_unlocked(unit: OrgUnit, day: date, programme_id: int) -> None:
    """Refuse a change of ``unit``'s values on ``day`` of programme ``programme_id`` in a locked
    period. Locks the unit's row first, so a lock being created at the same time is either seen
    here or waits for us."""
    lock_units([unit.pk])
    lock = active_lock(unit, day, programme_id)
    if lock is not None:
        raise locked_refusal(unit, day, lock)


def locked_refusal(unit: OrgUnit, day: date, lock: EntryLock) -> ValidationError:
    """The refusal of a change of ``unit``'s values on ``day``, which ``lock`` covers."""
    return ValidationError(
        _(
            "Số liệu của %(unit)s ngày %(day)s đã khóa "
            "(khóa của %(lock_unit)s cho kỳ %(start)s–%(end)s%(reason)s). "
            "Cần người duyệt cấp trên mở khóa trước khi thêm, sửa hoặc xóa."
        )
        % {
            "unit": unit.display_name,
            "day": vn_date(day),
            "lock_unit": lock.unit.display_name,
            "start": vn_date(lock.start),
            "end": vn_date(lock.end),
            "reason": f": {lock.reason}" if lock.reason else "",
        }
    )


def active_locks(programme_id: int) -> list[EntryLock]:
    """Every active lock holding for programme ``programme_id``, with its unit (a bulk import
    checks thousands of rows against them in memory: ``lock_covering``)."""
    return list(EntryLock.objects.unrestricted(INTEGRITY).active().for_programme(programme_id).select_related("unit"))


def lock_covering(locks: list[EntryLock], unit: OrgUnit, day: date, programme_id: int) -> EntryLock | None:
    """Which of ``locks`` covers ``unit``'s values of programme ``programme_id`` on ``day``: a
    lock of the programme or of every programme, of the unit or of a unit above it, whose period
    holds the day (what ``EntryLockQuerySet.for_programme``, ``on_line_of`` and ``overlapping``
    select)."""
    for lock in locks:
        if (
            lock.programme_id in (None, programme_id)
            and lock.start <= day <= lock.end
            and unit.path.startswith(lock.unit.path)
        ):
            return lock
    return None


def locked_values(lock: EntryLock) -> Any:
    """The values ``lock`` covers (``ValueQuerySet.covered_by``), read for the roll-ups' upkeep."""
    return IndicatorValue.objects.unrestricted(ROLLUP_UPKEEP).covered_by(lock)


def require_period_ended(end: date) -> None:
    """A lock closes a period that has ended: figures of a period still running cannot be final."""
    today = timezone.localdate()
    if end >= today:
        raise ValidationError(
            {
                "end": _(
                    "Kỳ đến ngày %(end)s chưa kết thúc: chỉ khóa được kỳ đã kết thúc (từ ngày %(after)s). "
                    "Số liệu của kỳ đang diễn ra còn được thêm, sửa."
                )
                % {"end": vn_date(end), "after": vn_date(end + timedelta(days=1))}
            }
        )


@transaction.atomic
def lock_create(
    *,
    unit: OrgUnit,
    start: date,
    end: date,
    acting_user: Any,
    reason: str = "",
    programme: Programme | None = None,
) -> EntryLock:
    """Close entry for ``unit``'s subtree in [start, end] for ``programme`` (None: every
    programme): its submitted values of the programme's indicators become approved.

    Called when a report is approved (by an approver above the unit, with the report's
    programme), or by such an approver.
    """
    require(acting_user, unit, "lock")
    require_period_ended(end)
    lock = EntryLock(unit=unit, start=start, end=end, reason=reason, locked_by=acting_user, programme=programme)
    lock_units(OrgUnit.objects.filter(path__startswith=unit.path).values("pk"))
    with track(locked_values(lock)):
        audited_save(lock, acting_user=acting_user, action="lock.create", reason=reason)
        approved = locked_values(lock).filter(counted=True, approved=False).update(approved=True)
    # One row of the action log for the values the lock turned approved, not one per value.
    record("lock.approve_values", actor=acting_user, target=lock, unit=unit, reason=reason, count=approved)
    return lock


@transaction.atomic
def lock_reopen(*, lock: EntryLock, acting_user: Any, reason: str) -> EntryLock:
    """Reopen a locked period (an approver above the unit, with a reason, recorded)."""
    require(acting_user, lock, "reopen")
    return lock_release(lock=lock, acting_user=acting_user, reason=reason)


@transaction.atomic
def lock_release(*, lock: EntryLock, acting_user: Any, reason: str) -> EntryLock:
    """Reopen a lock on an authority the caller has already checked: the reporting services
    release the locks of a report that is returned or reopened, whichever side made them."""
    if not lock.is_active:
        raise ValidationError(_("Kỳ này đã được mở khóa trước đó."))
    if not reason.strip():
        raise ValidationError({"reopen_reason": _("Hãy ghi lý do mở khóa.")})
    values = locked_values(lock)
    lock_units(OrgUnit.objects.filter(path__startswith=lock.unit.path).values("pk"))
    with track(values):
        lock.reopened_at = timezone.now()
        lock.reopened_by = acting_user
        lock.reopen_reason = reason.strip()
        audited_save(lock, acting_user=acting_user, action="lock.reopen", reason=reason)
        unapproved = _recompute_approved(values, lock)
    record("lock.recount_values", actor=acting_user, target=lock, unit=lock.unit, reason=reason, count=unapproved)
    return lock


def _recompute_approved(values: Any, lock: EntryLock) -> int:
    """approved = counted and (its activity is approved, or an active lock covers it); returns
    how many values are no longer approved.

    ``values`` are those ``lock`` covered. Only locks that overlap its period on its unit's line
    (above it or inside it) and hold for its programme can cover any of them; each approves only
    the values of its own programme (all, for a lock of every programme).
    """
    before = values.filter(approved=True).count()
    values.update(approved=False)
    values.filter(counted=True, activity__status=ActivityStatus.APPROVED).update(approved=True)
    others = (
        EntryLock.objects.unrestricted(INTEGRITY)
        .active()
        .on_line_of(lock.unit, below=True)
        .overlapping(lock.start, lock.end)
    )
    if lock.programme_id is not None:
        others = others.for_programme(lock.programme_id)
    for other in others.select_related("unit"):
        values.covered_by(other).filter(counted=True).update(approved=True)
    return before - values.filter(approved=True).count()


# --- figures entered for a period ----------------------------------------------------------------


def _check_entered_period(
    unit: OrgUnit, period_start: date, period_end: date, values: Mapping[Indicator, int | None]
) -> None:
    """The period overlaps a phase of each indicator's programme to which the indicator applies
    (a year's report may cross a phase's end), and the unit belongs to one of its parties."""
    phases_of: dict[int, list[Phase]] = {}
    for indicator in values:
        programme_id = indicator.programme_id
        if programme_id not in phases_of:  # one read per programme, not per indicator
            phases_of[programme_id] = list(
                Phase.objects.unrestricted(PROGRAMME_DATA).filter(
                    programme_id=programme_id, start__lte=period_end, end__gte=period_start
                )
            )
            if not covers(programme_id, unit):
                raise ValidationError(_("Đơn vị không thuộc các bên của chương trình."))

        if not any(indicator.applies_to(phase) for phase in phases_of[programme_id]):
            raise ValidationError(
                _("Chỉ tiêu “%(name)s” không áp dụng cho kỳ %(start)s–%(end)s (ngoài các giai đoạn của chương trình).")
                % {
                    "name": indicator.name,
                    "start": vn_date(period_start),
                    "end": vn_date(period_end),
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
    confirm_outliers: bool = False,
) -> list[IndicatorValue]:
    """Set a unit's totals for a period: a number sets it, None clears it. They count on the
    period's last day, as submitted. Entering for a unit below is recorded as on its behalf.

    A value above its indicator's maximum per entry is refused; an outlier is refused unless
    ``confirm_outliers``, and the confirmation is kept in the history rows' reason
    (phoihop/figures/plausibility.py)."""
    require(acting_user, unit, "enter")
    lock_units([unit.pk])  # before the overlap check: two entries of one unit run one at a time
    if period_end < period_start:
        raise ValidationError(_("Ngày cuối kỳ không được trước ngày đầu kỳ."))
    if not unit.is_active_on(period_end):
        raise ValidationError(_("Đơn vị không hoạt động vào ngày cuối kỳ."))
    for indicator, amount in values.items():
        if amount is not None and amount < 0:
            raise ValidationError(_("Giá trị của chỉ tiêu “%(name)s” không được âm.") % {"name": indicator.name})
        overlapping = (
            IndicatorValue.objects.unrestricted(INTEGRITY)
            .entered()
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
                    "start": vn_date(other.period_start),
                    "end": vn_date(other.date),
                }
            )
    _check_entered_period(unit, period_start, period_end, values)
    confirmation = require_plausible(unit, values, for_activity=False, confirmed=confirm_outliers)
    for programme_id in sorted({indicator.programme_id for indicator in values}):
        require_unlocked(unit, period_end, programme_id)
    on_behalf = entering_unit_for(perms(acting_user), unit)
    rows = (
        IndicatorValue.objects.restrict(acting_user, "change")
        .entered()
        .filter(unit=unit, period_start=period_start, date=period_end)
    )

    saved: list[IndicatorValue] = []
    with track(rows):
        existing = {v.indicator_id: v for v in rows.filter(indicator__in=[i.pk for i in values])}
        for indicator, amount in values.items():
            row = existing.get(indicator.pk)
            if amount is None:
                if row is not None:
                    stamp(row, acting_user=acting_user, action="figures.enter")
                    row.delete()
                continue
            if row is not None and row.value == amount:
                saved.append(row)
                continue
            row = row or IndicatorValue(unit=unit, indicator=indicator, period_start=period_start, date=period_end)
            row.value = amount
            row.counted, row.approved = True, False
            row.entered_by, row.entered_by_unit, row.note = acting_user, on_behalf, note
            saved.append(
                audited_save(
                    row, acting_user=acting_user, action="figures.enter", reason=confirmation, exclude=["activity"]
                )
            )
    return saved
