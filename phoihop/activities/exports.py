"""The activity list as an Excel workbook: a pure builder (data in, bytes out) and its input.

Dates are written as real Excel dates (shown as 23/9/2022) and figures as numbers, so the
sheet can be sorted, filtered and summed in Excel as it is.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
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


def rows_from_activities(activities: Iterable[Any]) -> tuple[list[ActivityRow], list[IndicatorColumn]]:
    """Rows and indicator columns for activities fetched with their phase, area, units and values.

    The columns are the indicators of the listed activities' programmes, in the programme's
    order (field, then indicator), so every export of one programme has the same columns.
    """
    from phoihop.programmes.models import Indicator

    rows: list[ActivityRow] = []
    programme_ids: set[int] = set()
    for a in activities:
        programme_ids.add(a.phase.programme_id)
        rows.append(
            ActivityRow(
                start_date=a.start_date,
                end_date=a.end_date,
                title=a.title,
                phase=f"{a.phase.programme.code} {a.phase.name}",
                area=a.area.name if a.area_id else "",
                place=a.place,
                lead_unit=a.lead_unit.display_name,
                lead_code=a.lead_unit.code,
                partners="; ".join(u.display_name for u in a.partners.all()),
                participants_lead=a.participants_lead,
                participants_partner=a.participants_partner,
                status=str(a.get_status_display()),
                description=a.description,
                values={v.indicator_id: v.value for v in a.values.all()},
            )
        )
    indicators = (
        Indicator.objects.unrestricted(PROGRAMME_DATA)
        .filter(programme_id__in=programme_ids)
        .select_related("field", "programme")
        .order_by("programme__code", "field__order", "order", "code")
    )
    columns = [IndicatorColumn(i.pk, i.name, i.unit_of_measure) for i in indicators]
    return rows, columns


def build_activities_xlsx(
    *, rows: Sequence[ActivityRow], indicators: Sequence[IndicatorColumn], title: str = ""
) -> bytes:
    """One sheet, one row per activity, one column per indicator; Vietnamese headers."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False, "strings_to_urls": False})
    sheet = book.add_worksheet(_("Hoạt động phối hợp")[:31])
    head = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#F2E6E6", "border": 1})
    day = book.add_format({"num_format": "d/m/yyyy", "valign": "top"})
    text = book.add_format({"text_wrap": True, "valign": "top"})
    number = book.add_format({"num_format": "#,##0", "valign": "top"})

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
    headers = [*fixed, *((f"{c.name} ({c.unit_of_measure})", 16) for c in indicators), (_("Nội dung, kết quả"), 50)]
    for col, (label, width) in enumerate(headers):
        sheet.write_string(0, col, label, head)
        sheet.set_column(col, col, width)
    sheet.set_row(0, 45)
    sheet.freeze_panes(1, 4)

    for n, row in enumerate(rows, start=1):
        sheet.write_number(n, 0, n)
        sheet.write_datetime(n, 1, row.start_date, day)
        sheet.write_datetime(n, 2, row.end_date, day)
        for col, value in enumerate(
            (row.title, row.phase, row.area, row.place, row.lead_unit, row.lead_code, row.partners), start=3
        ):
            sheet.write_string(n, col, value, text)
        sheet.write_number(n, 10, row.participants_lead, number)
        sheet.write_number(n, 11, row.participants_partner, number)
        sheet.write_string(n, 12, row.status, text)
        for offset, column in enumerate(indicators):
            amount = row.values.get(column.id)
            if amount is not None:  # an empty cell is "not reported", not zero
                sheet.write_number(n, len(fixed) + offset, amount, number)
        sheet.write_string(n, len(fixed) + len(indicators), row.description, text)
    sheet.autofilter(0, 0, max(len(rows), 1), len(headers) - 1)
    if title:
        book.set_properties({"title": title})
    book.close()
    return buffer.getvalue()
