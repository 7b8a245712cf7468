"""The activity list as an Excel workbook: a pure builder (data in, bytes out) and its input.

Dates are written as real Excel dates (shown as 23/9/2022) and figures as numbers, so the
sheet can be sorted, filtered and summed in Excel as it is.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any

import xlsxwriter
from django.utils.translation import gettext as _

from phoihop.core.gate import PROGRAMME_DATA


@dataclass(frozen=True)
class IndicatorColumn:
    id: int
    name: str
    unit_of_measure: str


@dataclass(frozen=True)
class ActivityRow:
    start_date: date
    end_date: date
    title: str
    phase: str
    area: str
    place: str
    lead_unit: str
    lead_code: str
    partners: str
    participants_lead: int
    participants_partner: int
    status: str
    description: str
    values: dict[int, int] = field(default_factory=dict)  # by indicator id


def export_filename(today: date) -> str:
    return f"hoat-dong-phoi-hop-{today:%Y-%m-%d}.xlsx"


class _SheetWriter:
    """Writes the sheet row by row, in order: the same code for a workbook in memory and one
    streamed to a file in constant memory (xlsxwriter flushes each row once the next begins)."""

    def __init__(self, book: xlsxwriter.Workbook, indicators: Sequence[IndicatorColumn]) -> None:
        self.book, self.indicators = book, indicators
        self.sheet = book.add_worksheet(_("Hoạt động phối hợp")[:31])
        head = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#F2E6E6", "border": 1})
        self.day = book.add_format({"num_format": "d/m/yyyy", "valign": "top"})
        self.text = book.add_format({"text_wrap": True, "valign": "top"})
        self.number = book.add_format({"num_format": "#,##0", "valign": "top"})
        fixed: list[tuple[str, int]] = [
            (_("STT"), 5),
            (_("Từ ngày"), 11),
            (_("Đến ngày"), 11),
            (_("Tên hoạt động"), 45),
            (_("Giai đoạn"), 16),
            (_("Địa bàn"), 20),
            (_("Địa điểm"), 20),
            (_("Đơn vị chủ trì"), 28),
            (_("Mã đơn vị chủ trì"), 14),
            (_("Đơn vị phối hợp"), 28),
            (_("Người tham gia bên chủ trì"), 12),
            (_("Người tham gia bên phối hợp"), 12),
            (_("Trạng thái"), 11),
        ]
        self.fixed = len(fixed)
        self.headers = [
            *fixed,
            *((f"{c.name} ({c.unit_of_measure})", 16) for c in indicators),
            (_("Nội dung, kết quả"), 50),
        ]
        for col, (_label, width) in enumerate(self.headers):
            self.sheet.set_column(col, col, width)
        self.sheet.set_row(0, 45)
        for col, (label, _width) in enumerate(self.headers):
            self.sheet.write_string(0, col, label, head)
        self.sheet.freeze_panes(1, 4)
        self.rows = 0

    def write(self, row: ActivityRow) -> None:
        self.rows += 1
        n, sheet, text, number = self.rows, self.sheet, self.text, self.number
        sheet.write_number(n, 0, n)
        sheet.write_datetime(n, 1, row.start_date, self.day)
        sheet.write_datetime(n, 2, row.end_date, self.day)
        for col, value in enumerate(
            (row.title, row.phase, row.area, row.place, row.lead_unit, row.lead_code, row.partners), start=3
        ):
            sheet.write_string(n, col, value, text)
        sheet.write_number(n, 10, row.participants_lead, number)
        sheet.write_number(n, 11, row.participants_partner, number)
        sheet.write_string(n, 12, row.status, text)
        for offset, column in enumerate(self.indicators):
            amount = row.values.get(column.id)
            if amount is not None:  # an empty cell is "not reported", not zero
                sheet.write_number(n, self.fixed + offset, amount, number)
        sheet.write_string(n, self.fixed + len(self.indicators), row.description, text)

    def close(self, title: str) -> None:
        self.sheet.autofilter(0, 0, max(self.rows, 1), len(self.headers) - 1)
        if title:
            self.book.set_properties({"title": title})
        self.book.close()


def build_activities_xlsx(
    *, rows: Sequence[ActivityRow], indicators: Sequence[IndicatorColumn], title: str = ""
) -> bytes:
    """One sheet, one row per activity, one column per indicator; Vietnamese headers."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False, "strings_to_urls": False})
    writer = _SheetWriter(book, indicators)
    for row in rows:
        writer.write(row)
    writer.close(title)
    return buffer.getvalue()


def write_activities_xlsx(
    path: str | Path,
    *,
    rows: Iterable[ActivityRow],
    indicators: Sequence[IndicatorColumn],
    title: str = "",
) -> int:
    """The same workbook as ``build_activities_xlsx``, streamed to ``path`` in constant memory
    (each row goes to a temporary file as soon as it is written). Returns the number of rows."""
    book = xlsxwriter.Workbook(
        str(path), {"constant_memory": True, "strings_to_numbers": False, "strings_to_urls": False}
    )
    writer = _SheetWriter(book, indicators)
    for row in rows:
        writer.write(row)
    writer.close(title)
    return writer.rows


# --- streaming the rows of a queryset without a model object per row -------------------------------

# The values read of each activity, in the order ``_row`` takes them.
_FIELDS = (
    "pk",
    "start_date",
    "end_date",
    "title",
    "phase__programme__code",
    "phase__name",
    "area__name",
    "place",
    "lead_unit__short_name",
    "lead_unit__name",
    "lead_unit__code",
    "participants_lead",
    "participants_partner",
    "status",
    "description",
)
_CHUNK = 2000
# Read through the activities of the export, which went through the gate.
_OF_EXPORTED = "the partners and figures of activities the user may read (a subquery of the gated export)"


def indicator_columns(activities: Any) -> list[IndicatorColumn]:
    """The indicators of the listed activities' programmes, in the programme's order (field,
    then indicator), so every export of one programme has the same columns."""
    from phoihop.programmes.models import Indicator

    programme_ids = activities.order_by().values("phase__programme_id").distinct()
    indicators = (
        Indicator.objects.unrestricted(PROGRAMME_DATA)
        .filter(programme_id__in=programme_ids)
        .order_by("programme__code", "field__order", "order", "code")
        .values_list("pk", "name", "unit_of_measure")
    )
    return [IndicatorColumn(pk, name, unit) for pk, name, unit in indicators]


def _grouped(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[tuple[date, int], list[tuple[Any, ...]]]]:
    """Rows (end date, activity id, ...) grouped by their activity's key."""
    for key, group in groupby(rows, key=itemgetter(0, 1)):
        yield key, list(group)


def stream_rows(activities: Any) -> Iterator[ActivityRow]:
    """The export's rows of a (gated, filtered) activity queryset, in three queries whatever the
    number of rows: the activities as tuples, their partners and their figures, each ordered
    like the activities (end date, then id, newest first) and joined to them by walking the
    lists together. No model object is made per row."""
    from phoihop.activities.models import ActivityPartner, ActivityStatus
    from phoihop.entry.models import IndicatorValue

    ids = activities.order_by().values("pk")
    partners = _Side(
        ActivityPartner.objects.filter(activity__in=ids)
        .order_by("-activity__end_date", "-activity_id", "pk")
        .values_list("activity__end_date", "activity_id", "unit__short_name", "unit__name")
        .iterator(chunk_size=_CHUNK)
    )
    values = _Side(
        IndicatorValue.objects.unrestricted(_OF_EXPORTED)
        .filter(activity__in=ids)
        .order_by("-activity__end_date", "-activity_id")
        .values_list("activity__end_date", "activity_id", "indicator_id", "value")
        .iterator(chunk_size=_CHUNK)
    )
    labels = dict(ActivityStatus.choices)
    rows = activities.order_by("-end_date", "-pk").values_list(*_FIELDS).iterator(chunk_size=_CHUNK)
    for row in rows:
        key = (row[2], row[0])
        yield ActivityRow(
            start_date=row[1],
            end_date=row[2],
            title=row[3],
            phase=f"{row[4]} {row[5]}",
            area=row[6] or "",
            place=row[7],
            lead_unit=row[8] or row[9],
            lead_code=row[10],
            partners="; ".join(short or name for _d, _a, short, name in partners.take(key)),
            participants_lead=row[11],
            participants_partner=row[12],
            status=str(labels.get(row[13], row[13])),
            description=row[14],
            values={indicator: value for _d, _a, indicator, value in values.take(key)},
        )


class _Side:
    """A list of (end date, activity id, ...) rows ordered like the activities, newest first,
    read along with them: ``take(key)`` gives the rows of one activity."""

    def __init__(self, rows: Iterator[tuple[Any, ...]]) -> None:
        self.groups = _grouped(rows)
        self.head = next(self.groups, None)

    def take(self, key: tuple[date, int]) -> list[tuple[Any, ...]]:
        # Drop the groups that sort before this activity (newer): they belong to no exported
        # row, which happens only when an activity changed between the queries.
        while self.head is not None and self.head[0] > key:
            self.head = next(self.groups, None)
        if self.head is None or self.head[0] != key:
            return []
        rows = self.head[1]
        self.head = next(self.groups, None)
        return rows
