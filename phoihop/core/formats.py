"""How dates and numbers are written for a Vietnamese reader: the one home of these formats.

* ``vn_date``: 23/9/2022, day and month without leading zeros (pages, messages, news);
* ``vn_date_words``: ngày 23 tháng 9 năm 2022;
* ``date_line``: "Hà Nội, ngày 05 tháng 01 năm 2026", the place and date line of Decree 30/2020
  (a leading zero for days below 10 and for months 1 and 2 only);
* ``cited_date``: 05/01/2026, a document cited by number and date ("Quyết định số 01/QĐ-TCCT
  ngày 22/12/2025");
* ``vn_datetime``: 14:05 23/9/2022;
* ``vn_number``: 1.234.567 (and 12,5 with decimals).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone


def vn_date(value: date | None) -> str:
    if not value:
        return ""
    return f"{value.day}/{value.month}/{value.year}"


def vn_date_words(value: date | None) -> str:
    if not value:
        return ""
    return f"ngày {value.day} tháng {value.month} năm {value.year}"


def date_line(place: str, value: date) -> str:
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    return f"{place}, ngày {value.day:02d} tháng {month} năm {value.year}"


def cited_date(value: date | None) -> str:
    if not value:
        return ""
    return f"{value:%d/%m/%Y}"


def vn_datetime(value: datetime | None) -> str:
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{local:%H:%M} {vn_date(local.date())}"


def vn_number(value: Any, decimals: int = 0) -> str:
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    text = f"{number:,.{int(decimals)}f}"
    return text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")
