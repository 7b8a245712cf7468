"""Formatting in the Vietnamese way: 1.234.567 and 23/9/2022 or "ngày 23 tháng 9 năm 2022"."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def vn_number(value: Any, decimals: int = 0) -> str:
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    text = f"{number:,.{int(decimals)}f}"
    return text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")


@register.filter
def vn_date(value: date | None) -> str:
    if not value:
        return ""
    return f"{value.day}/{value.month}/{value.year}"


@register.filter
def vn_date_words(value: date | None) -> str:
    if not value:
        return ""
    return f"ngày {value.day} tháng {value.month} năm {value.year}"


@register.filter
def positions_line(value: Any) -> str:
    if not value:
        return ""
    return "; ".join(str(p) for p in value)
