"""Figures and entry locks.

Every figure is an ``IndicatorValue`` row: one table for the values of activities and for the
values a unit enters for a period, so roll-ups, rebuilds and checks read one table. A value
carries the unit it counts under, the day it counts on and two flags (``counted``: submitted;
``approved``), kept by the services together with the roll-ups (``phoihop.figures``). An
``EntryLock`` closes a unit's subtree for a period once its report is approved.

The tables keep the names they had when these models lived in ``activities``.
"""

from __future__ import annotations

from datetime import date

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from phoihop.core.formats import vn_date
from phoihop.core.models import RestrictedQuerySet
from phoihop.core.scoping import path_prefixes
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Indicator

# A trillion: more than any count or amount (million đồng) of a programme, and far from the
# 64-bit limit, so that sums of millions of values stay exact integers on both databases.
MAX_VALUE = 10**12


class ValueQuerySet(RestrictedQuerySet):
    def entered(self) -> ValueQuerySet:
        return self.filter(activity__isnull=True)

    def covered_by(self, lock: EntryLock) -> ValueQuerySet:
        """The one home of "which values a lock covers": of its unit's subtree, dated in its
        period, of its programme's indicators (every programme's for a lock without one)."""
        values = self.filter(unit__path__startswith=lock.unit.path, date__gte=lock.start, date__lte=lock.end)
        return values if lock.programme_id is None else values.filter(indicator__programme_id=lock.programme_id)


class IndicatorValue(models.Model):
    """One figure: an activity's value for an indicator, or a unit's total for a period.

    It counts under ``unit`` on ``date`` (an activity's lead unit and end date; an entered
    value's unit and the last day of its period). ``counted`` and ``approved`` are kept by
    the services in the same transaction as the roll-ups.
    """

    activity = models.ForeignKey(
        "activities.Activity",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="values",
        verbose_name=_("hoạt động"),
        db_index=False,  # the unique (activity, indicator) index serves the activity's reads
    )
    # The unit's reads use the (unit, indicator, date) index.
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"), db_index=False
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("chỉ tiêu"))
    date = models.DateField(_("ngày tính"))
    period_start = models.DateField(_("kỳ từ ngày"), null=True, blank=True)
    value = models.BigIntegerField(_("giá trị"), validators=[MinValueValidator(0), MaxValueValidator(MAX_VALUE)])
    counted = models.BooleanField(_("đã gửi"), default=False)
    approved = models.BooleanField(_("đã duyệt"), default=False)
    entered_by_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cấp trên nhập thay"),
        help_text=_("Đơn vị cấp trên đã nhập số liệu thay cho đơn vị (nếu có)."),
    )
    entered_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người nhập"),
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    # History rows are read by the value's id, its activity and date (see Activity.history).
    history = HistoricalRecords(
        table_name="activities_historicalindicatorvalue",
        no_db_index=["unit", "indicator", "entered_by_unit", "entered_by"],
        user_db_constraint=False,
    )

    objects = ValueQuerySet.as_manager()

    class Meta:
        db_table = "activities_indicatorvalue"
        verbose_name = _("số liệu chỉ tiêu")
        verbose_name_plural = _("số liệu chỉ tiêu")
        indexes = [models.Index(fields=["unit", "indicator", "date"], name="value_unit_ind_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "indicator"], condition=Q(activity__isnull=False), name="value_activity_indicator"
            ),
            models.UniqueConstraint(
                fields=["unit", "indicator", "period_start", "date"],
                condition=Q(activity__isnull=True),
                name="value_entered_period",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="value_not_negative"),
            models.CheckConstraint(
                condition=Q(activity__isnull=False) | Q(period_start__isnull=False), name="value_entered_has_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.value}"


class EntryLockQuerySet(RestrictedQuerySet):
    """The one home of "which locks hold": a lock holds until it is reopened."""

    def active(self) -> EntryLockQuerySet:
        return self.filter(reopened_at__isnull=True)

    def overlapping(self, start: date, end: date) -> EntryLockQuerySet:
        return self.filter(start__lte=end, end__gte=start)

    def for_programme(self, programme_id: int) -> EntryLockQuerySet:
        """Locks that hold for the values and activities of programme ``programme_id``: its own
        and those of every programme (no programme)."""
        return self.filter(Q(programme_id=programme_id) | Q(programme__isnull=True))

    def on_line_of(self, unit: OrgUnit, *, below: bool = False) -> EntryLockQuerySet:
        """Locks of ``unit`` and the units above it (with ``below``, of its subtree too): the
        locks that can cover its values."""
        line = Q(unit__path__in=path_prefixes(unit.path, OrgUnit.steplen))
        if below:
            line |= Q(unit__path__startswith=unit.path)
        return self.filter(line)


class EntryLock(models.Model):
    """Entry for a unit's subtree, a period and a programme is closed (its report was approved).

    A value of the subtree dated in the period, of an indicator of ``programme``, can be neither
    added, changed nor deleted, and counts among the approved figures; so for an activity of a
    phase of the programme. A lock without a programme holds for every programme (the locks made
    before locks had one, and those an approver makes for all). Reopening is a recorded act of an
    approver above.
    """

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="entry_locks", verbose_name=_("đơn vị"))
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entry_locks",
        verbose_name=_("chương trình"),
        help_text=_("Để trống: khóa số liệu của mọi chương trình."),
    )
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    reason = models.CharField(_("căn cứ khóa"), max_length=500, blank=True)
    locked_at = models.DateTimeField(_("khóa lúc"), auto_now_add=True)
    locked_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người khóa"),
    )
    reopened_at = models.DateTimeField(_("mở lại lúc"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người mở lại"),
    )
    reopen_reason = models.TextField(_("lý do mở lại"), blank=True)
    history = HistoricalRecords(table_name="activities_historicalentrylock")

    objects = EntryLockQuerySet.as_manager()

    class Meta:
        db_table = "activities_entrylock"
        verbose_name = _("khóa nhập liệu")
        verbose_name_plural = _("khóa nhập liệu")
        ordering = ["-end", "unit"]
        constraints = [models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="entrylock_date_range")]

    def __str__(self) -> str:
        return f"{self.unit} {vn_date(self.start)}–{vn_date(self.end)}"

    @property
    def is_active(self) -> bool:
        return self.reopened_at is None
