"""The rows of the reporting periods' list (``/reports/periods/``), as HTML built once per request.

A page lists 50 periods; a template loop with a dozen tags per row costs several milliseconds.
Each row is one ``format_html`` call of the markup below (every value escaped), its words
translated and its links reversed once per page.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from phoihop.core.formats import vn_date

ROW = (
    '    <tr data-period="{pk}">\n'
    '      <td><a href="{href}">{name}</a>{badge}</td>\n'
    '      <td class="small">{kind}</td>\n'
    '      <td class="small">{report_type}</td>\n'
    '      <td class="small text-nowrap">{start}</td>\n'
    '      <td class="small text-nowrap">{end}</td>\n'
    '      <td class="small text-nowrap">{due}</td>\n'
    '      <td class="small">{phase}</td>\n'
    "      {edit}\n"
    "    </tr>\n"
)
EDIT = (
    '<td class="text-end"><a class="btn btn-sm btn-outline-secondary" href="{}" aria-label="{} {}">'
    '<i class="bi bi-pencil"></i></a></td>'
)
PLACEHOLDER = 999999999  # a pk no period has, replaced in the reversed links


def _link(name: str) -> tuple[str, str]:
    head, _sep, tail = reverse(name, kwargs={"pk": PLACEHOLDER}).partition(str(PLACEHOLDER))
    return head, tail


def rows_html(periods: Iterable[Any], today: date, can_manage: bool) -> SafeString:
    """The ``<tr>`` of each period (with its ``phase`` read with it)."""
    view_head, view_tail = _link("reporting:period")
    edit_head, edit_tail = _link("reporting:period-edit")
    running = format_html(' <span class="badge text-bg-info">{}</span>', _("đang diễn ra"))
    due_soon = format_html(' <span class="badge text-bg-warning">{}</span>', _("đang đến hạn gửi"))
    edit_label = _("Sửa kỳ")
    rows = []
    for p in periods:
        badge: str  # safe HTML or nothing
        if p.start <= today <= p.end:
            badge = running
        elif p.end < today <= p.due_date:
            badge = due_soon
        else:
            badge = ""
        rows.append(
            format_html(
                ROW,
                pk=p.pk,
                href=f"{view_head}{p.pk}{view_tail}",
                name=p.name,
                badge=badge,
                kind=p.get_kind_display(),
                report_type=p.get_report_type_display(),
                start=vn_date(p.start),
                end=vn_date(p.end),
                due=vn_date(p.due_date),
                phase=(p.phase.name if p.phase else "") or "—",
                edit=format_html(EDIT, f"{edit_head}{p.pk}{edit_tail}", edit_label, p.name) if can_manage else "",
            )
        )
    return mark_safe("".join(rows))  # each row is built by format_html
