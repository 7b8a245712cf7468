"""Date ranges: their roll-up buckets, and the usual reporting periods (Decree 09/2019 cut-offs).

A date range [start, end] (both inclusive) is split into at most five runs of whole buckets:
days up to the first month boundary, months up to the first year boundary, whole years,
months, then days. Each run is one range of one grain, so a total is a bounded, indexed read.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.figures.models import Grain

# Dates the figures accept: far enough for any programme, and clear of year 9999's edge.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2100, 12, 31)


def out_of_bounds(*days: date) -> bool:
    return any(not (FIRST_DAY <= d <= LAST_DAY) for d in days)


def day_key(d: date) -> int:
    return d.year * 10000 + d.month * 100 + d.day


def month_key(d: date) -> int:
    return d.year * 100 + d.month


def bucket_keys(d: date) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
    """The (grain, bucket) of the day, the month and the year a value dated ``d`` adds to."""
    return ((Grain.DAY, day_key(d)), (Grain.MONTH, month_key(d)), (Grain.YEAR, d.year))


def month_end(d: date) -> date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def next_month(d: date) -> date:
    return date(d.year + (d.month == 12), d.month % 12 + 1, 1)


@dataclass(frozen=True)
class Run:
    """Buckets ``lo``..``hi`` (inclusive) of one grain."""

    grain: int
    lo: int
    hi: int


def decompose(start: date, end: date) -> list[Run]:
    """Split [start, end] into runs of whole days, months and years (at most five)."""
    runs: list[Run] = []
    if end < start:
        return runs
    d = start
    if d.day != 1 or month_end(d) > end:  # leading days, up to a month boundary
        last = min(month_end(d), end)
        runs.append(Run(Grain.DAY, day_key(d), day_key(last)))
        d = last + timedelta(days=1)
    first, last_month = d, None
    while d <= end and d.month != 1 and month_end(d) <= end:  # leading months, up to January
        last_month, d = d, next_month(d)
    if last_month:
        runs.append(Run(Grain.MONTH, month_key(first), month_key(last_month)))
    if d <= end and d.month == 1 and date(d.year, 12, 31) <= end:  # whole years
        last_year = end.year if end.month == 12 and end.day == 31 else end.year - 1
        runs.append(Run(Grain.YEAR, d.year, last_year))
        d = date(last_year + 1, 1, 1)
    first, last_month = d, None
    while d <= end and month_end(d) <= end:  # trailing months
        last_month, d = d, next_month(d)
    if last_month:
        runs.append(Run(Grain.MONTH, month_key(first), month_key(last_month)))
    if d <= end:  # trailing days
        runs.append(Run(Grain.DAY, day_key(d), day_key(end)))
    return runs


# --- reporting periods (Decree 09/2019/NĐ-CP defaults: cut on the 15th) ----------------------


class PeriodKind(models.TextChoices):
    """Every kind of period the application knows: the one home of period kinds. Reporting
    periods take the first eight (``REPORTING_KINDS``); the dashboard and the entry form also
    offer calendar years and ranges of dates of one's own."""

    MONTH = "month", gettext_lazy("Tháng")
    QUARTER = "quarter", gettext_lazy("Quý")
    HALF = "half", gettext_lazy("6 tháng")
    NINE_MONTHS = "nine", gettext_lazy("9 tháng")
    YEAR = "year", gettext_lazy("Năm")
    MID_PHASE = "mid_phase", gettext_lazy("Sơ kết giữa giai đoạn")
    END_PHASE = "end_phase", gettext_lazy("Tổng kết giai đoạn")
    OTHER = "other", gettext_lazy("Khác")
    CALENDAR_YEAR = "calendar-year", gettext_lazy("Năm dương lịch")
    CUSTOM = "custom", gettext_lazy("Khoảng ngày tùy chọn")


REPORTING_KINDS = (
    PeriodKind.MONTH,
    PeriodKind.QUARTER,
    PeriodKind.HALF,
    PeriodKind.NINE_MONTHS,
    PeriodKind.YEAR,
    PeriodKind.MID_PHASE,
    PeriodKind.END_PHASE,
    PeriodKind.OTHER,
)
REPORTING_KIND_VALUES = [str(kind.value) for kind in REPORTING_KINDS]
REPORTING_KIND_CHOICES = [(kind.value, kind.label) for kind in REPORTING_KINDS]


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date
    label: str

    @property
    def key(self) -> str:
        return f"{self.start.isoformat()}_{self.end.isoformat()}"


def _day_before_15(year: int, month: int) -> date:
    return date(year, month, 14)


def _from_15th_of_previous(year: int, month: int) -> date:
    if month == 1:
        return date(year - 1, 12, 15)
    return date(year, month - 1, 15)


def decree09_period(kind: str, year: int, number: int = 1) -> Period:
    """A reporting period under Decree 09's cut-offs.

    month ``number`` (1–12): 15th of the previous month to the 14th; quarter (1–4): 15th of the
    month before it to the 14th of its last month; half (1: 15/12 of the previous year to 14/6;
    2: 15/6 to 14/12); nine months: 15/12 of the previous year to 14/9; year: 15/12 of the
    previous year to 14/12; calendar year: 1/1 to 31/12.
    """
    if kind == PeriodKind.MONTH:
        if not 1 <= number <= 12:
            raise ValueError("month")
        return Period(
            kind,
            _from_15th_of_previous(year, number),
            _day_before_15(year, number),
            _("Tháng %(m)d năm %(y)d") % {"m": number, "y": year},
        )
    if kind == PeriodKind.QUARTER:
        if not 1 <= number <= 4:
            raise ValueError("quarter")
        first, last = 3 * number - 2, 3 * number
        return Period(
            kind,
            _from_15th_of_previous(year, first),
            _day_before_15(year, last),
            _("Quý %(q)s năm %(y)d") % {"q": ("I", "II", "III", "IV")[number - 1], "y": year},
        )
    if kind == PeriodKind.HALF:
        if number == 1:
            return Period(kind, date(year - 1, 12, 15), date(year, 6, 14), _("6 tháng đầu năm %(y)d") % {"y": year})
        if number == 2:
            return Period(kind, date(year, 6, 15), date(year, 12, 14), _("6 tháng cuối năm %(y)d") % {"y": year})
        raise ValueError("half")
    if kind == PeriodKind.NINE_MONTHS:
        return Period(kind, date(year - 1, 12, 15), date(year, 9, 14), _("9 tháng năm %(y)d") % {"y": year})
    if kind == PeriodKind.YEAR:
        return Period(kind, date(year - 1, 12, 15), date(year, 12, 14), _("Năm %(y)d") % {"y": year})
    if kind == PeriodKind.CALENDAR_YEAR:
        return Period(kind, date(year, 1, 1), date(year, 12, 31), _("Năm dương lịch %(y)d") % {"y": year})
    raise ValueError(kind)


def period_containing(kind: str, day: date) -> Period:
    """The Decree 09 period of ``kind`` that contains ``day`` (for nine months, the next one
    when ``day`` falls between two)."""
    if kind == PeriodKind.NINE_MONTHS:
        # 15/12 to 14/9: a day from 15/9 to 14/12 falls between two; it gets the next one.
        return decree09_period(kind, day.year + (day >= date(day.year, 9, 15)))
    if kind in (PeriodKind.YEAR, PeriodKind.CALENDAR_YEAR):
        year = day.year + (kind != PeriodKind.CALENDAR_YEAR and day >= date(day.year, 12, 15))
        return decree09_period(kind, year)
    if kind == PeriodKind.HALF:
        if day >= date(day.year, 12, 15):
            return decree09_period(kind, day.year + 1, 1)
        return decree09_period(kind, day.year, 1 if day < date(day.year, 6, 15) else 2)
    if kind == PeriodKind.QUARTER:
        shifted = day if day.day < 15 else next_month(day)
        return decree09_period(kind, shifted.year, (shifted.month - 1) // 3 + 1)
    if kind == PeriodKind.MONTH:
        shifted = day if day.day < 15 else next_month(day)
        return decree09_period(kind, shifted.year, shifted.month)
    raise ValueError(kind)


PERIOD_KIND_CHOICES = [
    (PeriodKind.MONTH, gettext_lazy("Tháng (từ ngày 15 tháng trước đến ngày 14)")),
    (PeriodKind.QUARTER, gettext_lazy("Quý")),
    (PeriodKind.HALF, gettext_lazy("6 tháng")),
    (PeriodKind.NINE_MONTHS, gettext_lazy("9 tháng")),
    (PeriodKind.YEAR, gettext_lazy("Năm (từ 15/12 năm trước đến 14/12)")),
    (PeriodKind.CALENDAR_YEAR, gettext_lazy("Năm dương lịch")),
]
