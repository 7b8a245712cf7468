"""The rows of the reporting periods' list (``/reports/periods/``), as HTML built once per request.

A page lists 50 periods; a template loop with a dozen tags per row costs several milliseconds,
and so do 50 ``format_html`` calls of a dozen values each. Each row is one f-string of the
markup the template wrote, every value from the database escaped (``html.escape``, which
``django.utils.html.escape`` is), its words translated, escaped and its links reversed once per
page.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from html import escape
from typing import Any

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from phoihop.core.formats import vn_date
from phoihop.reporting.models import ReportingPeriod

PLACEHOLDER = 999999999  # a pk no period has, replaced in the reversed links


def link_parts(name: str) -> tuple[str, str]:
    """The reversed link of ``name`` around its ``pk``: ``f"{head}{pk}{tail}"`` is the link of ``pk``."""
    head, _sep, tail = reverse(name, kwargs={"pk": PLACEHOLDER}).partition(str(PLACEHOLDER))
    return head, tail


# What a row shows, read with ``values()`` (no model objects).
FIELDS = ("pk", "name", "kind", "report_type", "start", "end", "due_date", "phase__name")


def rows_html(periods: Iterable[dict[str, Any]], today: date, can_manage: bool) -> SafeString:
    """The ``<tr>`` of each period (a row of ``FIELDS``)."""
    view_head, view_tail = link_parts("reporting:period")
    edit_head, edit_tail = link_parts("reporting:period-edit")
    running = f' <span class="badge text-bg-info">{escape(_("đang diễn ra"))}</span>'
    due_soon = f' <span class="badge text-bg-warning">{escape(_("đang đến hạn gửi"))}</span>'
    edit_label = escape(_("Sửa kỳ"))
    # get_FOO_display() of each row: the labels translated and escaped once per page.
    kinds = {value: escape(str(label)) for value, label in ReportingPeriod._meta.get_field("kind").flatchoices}
    types = {value: escape(str(label)) for value, label in ReportingPeriod._meta.get_field("report_type").flatchoices}
    rows = []
    for p in periods:
        pk, start, end, due = p["pk"], p["start"], p["end"], p["due_date"]
        name = escape(p["name"])
        if start <= today <= end:
            badge = running
        elif end < today <= due:
            badge = due_soon
        else:
            badge = ""
        edit = (
            f'<td class="text-end"><a class="btn btn-sm btn-outline-secondary" href="{edit_head}{pk}{edit_tail}"'
            f' aria-label="{edit_label} {name}"><i class="bi bi-pencil"></i></a></td>'
            if can_manage
            else ""
        )
        kind, report_type = p["kind"], p["report_type"]
        rows.append(
            f'    <tr data-period="{pk}">\n'
            f'      <td><a href="{view_head}{pk}{view_tail}">{name}</a>{badge}</td>\n'
            f'      <td class="small">{kinds.get(kind) or escape(kind)}</td>\n'
            f'      <td class="small">{types.get(report_type) or escape(report_type)}</td>\n'
            f'      <td class="small text-nowrap">{vn_date(start)}</td>\n'
            f'      <td class="small text-nowrap">{vn_date(end)}</td>\n'
            f'      <td class="small text-nowrap">{vn_date(due)}</td>\n'
            f'      <td class="small">{escape(p["phase__name"] or "") or "—"}</td>\n'
            f"      {edit}\n"
            "    </tr>\n"
        )
    return mark_safe("".join(rows))  # every value from the database is escaped
