"""A report's content as the HTML of its page, built in one pass per table or list.

The figures by field and indicator (``reporting/_figures.html``, the report page and its edit
page), the annexes' headers and totals, the notable activities and the models of the report
page: the same HTML the template loops wrote (the same text, classes, escaping and translations),
without a dozen template nodes, filters and translations per row (issue 13, item 9). Every value
from the content is escaped; numbers are written as the ``vn_number`` filter writes them, and the
``data-value`` attribute as the template wrote an integer (``localize``: "5,461" in English).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.template.defaultfilters import truncatechars
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from phoihop.core.formats import vn_date, vn_number

DASH = '<span class="text-muted">—</span>'


def number(value: Any) -> str:
    """``vn_number`` of a figure: an integer's digits grouped by dots without the detour through
    Decimal (the same text), anything else through ``vn_number``."""
    return f"{value:,}".replace(",", ".") if type(value) is int else vn_number(value)


def _text(value: Any) -> str:
    """A value as ``{{ value }}`` writes it: localized (numbers, dates) and escaped."""
    return str(conditional_escape(localize(value)))


def _short(value: Any, length: int) -> Any:
    """``truncatechars(value, length)``: a text that fits (and is NFC already, as the filter
    returns it) is returned as it is without the filter's character walk and translated ellipsis."""
    if type(value) is str and len(value) <= length and unicodedata.is_normalized("NFC", value):
        return value
    return truncatechars(value, length)


def _ratio(value: Any, target: Any) -> str:
    """``{% widthratio value target 100 %}``."""
    try:
        return str(round(float(value) / float(target) * 100))
    except ZeroDivisionError:
        return "0"
    except (ValueError, TypeError, OverflowError):
        return ""


def _target(row: dict[str, Any]) -> str:
    target = row.get("target", "")
    if target is None:
        return DASH
    text = number(target)
    if target:
        text += f' <span class="text-muted">({_ratio(row.get("value", ""), target)}%)</span>'
    return text


def figures_rows(content: dict[str, Any]) -> SafeString:
    """The body of the figures' table: a header row per field, a row per indicator."""
    lines = []
    for n, field in enumerate(content.get("fields") or [], start=1):
        lines.append(
            f'    <tr class="table-light"><th colspan="5" class="small">{_text(n)}. {_text(field["name"])}</th></tr>\n'
        )
        for row in field["rows"]:
            previous = row.get("previous", "")
            value = row.get("value", "")
            lines.append(
                f'    <tr data-indicator="{_text(row["code"])}" data-value="{_text(value)}">\n'
                f'      <td class="small">{_text(row["name"])}</td>\n'
                f'      <td class="small text-muted">{_text(row["unit_of_measure"])}</td>\n'
                f'      <td class="text-end fw-semibold">{number(value)}</td>\n'
                f'      <td class="text-end small">{DASH if previous is None else number(previous)}</td>\n'
                f'      <td class="text-end small">{_target(row)}</td>\n'
                "    </tr>\n"
            )
    if not lines:
        lines.append(
            f'    <tr><td colspan="5" class="text-muted">{_text(_("Chương trình chưa có chỉ tiêu."))}</td></tr>\n'
        )
    return mark_safe("".join(lines))  # every value above is escaped


def activity_items(activities: Iterable[dict[str, Any]]) -> SafeString:
    """The notable activities' list items (or the one saying there is none)."""
    items = []
    people_text = _("%(n)s người tham gia")
    for a in activities:
        people = f" · {people_text % {'n': number(a['people'])}}" if a.get("people") else ""
        ended = vn_date(date.fromisoformat(a["end"]))
        items.append(
            f'<li class="list-group-item">{_text(a["title"])} <span class="text-muted">· {_text(a["unit"])} · '
            f"{_text(ended)}{people}</span></li>\n"
        )
    if not items:
        items.append(f'<li class="list-group-item text-muted">{_text(_("Không có hoạt động nào trong kỳ."))}</li>')
    return mark_safe("".join(items))  # every value above is escaped


def model_items(models: Iterable[dict[str, Any]]) -> SafeString:
    """The models' list items with their spread (or the one saying there is none)."""
    items = []
    spread_text = _("nhân rộng ra %(n)s đơn vị")
    for m in models:
        items.append(
            f'<li class="list-group-item">{_text(m["name"])} <span class="text-muted">· {_text(m["unit"])} · '
            f"{_text(_short(m['field'], 50))}</span> "
            f'<span class="badge text-bg-light border">{spread_text % {"n": number(m["spread"])}}</span></li>\n'
        )
    if not items:
        items.append(f'<li class="list-group-item text-muted">{_text(_("Không có mô hình nào."))}</li>')
    return mark_safe("".join(items))  # every value above is escaped


def annex_head(columns: Iterable[dict[str, Any]]) -> SafeString:
    """An annex's column headers after "Đơn vị": an indicator's name (shortened) and its unit."""
    cells = [
        f'<th class="text-end" title="{_text(c["name"])}">{_text(_short(c["name"], 40))}'
        f'<div class="fw-normal text-muted">({_text(c["unit_of_measure"])})</div></th>'
        for c in columns
    ]
    return mark_safe("".join(cells))  # every value above is escaped


def annex_totals(totals: Iterable[Any]) -> SafeString:
    """An annex's totals after "Tổng cộng"."""
    return mark_safe("".join(f'<td class="text-end">{number(v)}</td>' for v in totals))  # numbers only
