"""The lines of the figure-entry table (``/entry/``), as HTML built once per request.

A phase has a dozen or more indicators, each line a dozen template tags (its box, its target,
its running total, who entered it, the periods overlapping it): a template loop over them cost
several milliseconds. Each line is one f-string of the markup below, every value from the data
escaped with ``escape`` (what the template's autoescaping does), the words translated once per
request, the box rendered by its own widget (``str(bound_field)``).
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from phoihop.core.formats import vn_date, vn_number


def _labels() -> dict[str, str]:
    """The lines' words, translated and escaped."""
    words = {
        "target": _("Chỉ tiêu giao giai đoạn"),
        "achieved": _("Lũy kế giai đoạn đến hết kỳ"),
        "behalf": _("Cấp trên nhập thay"),
        "none": _("chưa nhập"),
    }
    return {key: escape(str(word)) for key, word in words.items()}


def _who(row: Any, t: dict[str, str]) -> str:
    """Who entered the value, when, on whose behalf and with what note (or "not entered")."""
    value = row.value
    if value is None:
        return f'<span class="text-muted">{t["none"]}</span>'
    user = value.entered_by
    name = (user.get_full_name() or user.username or "—") if user is not None else "—"
    parts = [escape(name)]
    if row.entered_at:
        at = row.entered_at  # as the template's date filter shows it: in the current time zone
        when = date_format(timezone.localtime(at) if timezone.is_aware(at) else at, "H:i j/n/Y")
        parts.append(f' <span class="text-muted">· {escape(when)}</span>')
    parts.append("\n        ")
    if value.entered_by_unit:
        parts.append(
            f'<div><span class="badge text-bg-warning" data-testid="on-behalf">{t["behalf"]}: '
            f"{escape(value.entered_by_unit.display_name)}</span></div>"
        )
    parts.append("\n        ")
    if value.note:
        parts.append(f'<div class="text-muted fst-italic">{escape(value.note)}</div>')
    parts.append("\n      ")
    return "".join(parts)


def _line(row: Any, counter: int, t: dict[str, str]) -> str:
    field, indicator = row.field, row.indicator
    errors = field.errors
    overlaps = "".join(
        '<div class="small text-warning-emphasis"><i class="bi bi-exclamation-circle"></i> '
        + _("Đã có số liệu kỳ %(start)s–%(end)s (%(value)s) chồng lên kỳ này; không nhập trùng.")
        % {
            "start": escape(vn_date(other.period_start)),
            "end": escape(vn_date(other.date)),
            "value": escape(vn_number(other.value)),
        }
        + "</div>"
        for other in row.overlaps
    )
    messages = "".join(f'<div class="invalid-feedback d-block">{escape(str(e))}</div>' for e in errors)
    if row.target is not None:
        target = escape(vn_number(row.target))
    else:
        target = '<span class="text-muted">—</span>'
    return (
        f'    <tr class="entry-row{" table-danger" if errors else ""}" data-indicator="{escape(indicator.code)}">\n'
        f'      <td class="text-center entry-number">{counter}</td>\n'
        f'      <td class="entry-name"><label for="{escape(field.id_for_label)}" class="mb-0">'
        f"{escape(indicator.name)}</label>\n"
        f"        {overlaps}\n"
        f"        {messages}\n"
        "      </td>\n"
        f'      <td class="text-center small entry-measure">{escape(indicator.unit_of_measure)}</td>\n'
        f'      <td class="entry-value">{field!s}</td>\n'
        f'      <td class="text-end entry-target" data-label="{t["target"]}">{target}</td>\n'
        f'      <td class="text-end entry-achieved" data-label="{t["achieved"]}">'
        f"{escape(vn_number(row.achieved))}</td>\n"
        f'      <td class="small entry-who">{_who(row, t)}</td>\n'
        "    </tr>\n"
    )


def rows_html(groups: Iterable[dict[str, Any]]) -> SafeString:
    """The table body's lines: per field a heading line (I, II, ...), then its indicators'
    (``EntryRow`` of phoihop/entry/forms.py), numbered from 1 within the field."""
    t = _labels()
    parts = []
    for group in groups:
        parts.append(
            '    <tr class="table-secondary entry-group"><th scope="rowgroup" class="text-center">'
            f'{escape(group["number"])}</th><th colspan="6" scope="rowgroup">{escape(group["field"].name)}</th></tr>\n'
        )
        parts.extend(_line(row, counter, t) for counter, row in enumerate(group["rows"], start=1))
    return mark_safe("".join(parts))
