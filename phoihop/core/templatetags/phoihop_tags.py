"""Formatting in the Vietnamese way: 1.234.567 and 23/9/2022 or "ngày 23 tháng 9 năm 2022"."""

from __future__ import annotations

from typing import Any

from django import template

from phoihop.core import formats

register = template.Library()


register.filter("vn_number", formats.vn_number)
register.filter("vn_date", formats.vn_date)
register.filter("vn_date_words", formats.vn_date_words)
register.filter("vn_datetime", formats.vn_datetime)


@register.filter
def positions_line(value: Any) -> str:
    if not value:
        return ""
    return "; ".join(str(p) for p in value)
