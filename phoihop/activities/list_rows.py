"""The rows of the activity list (``/activities/``), as HTML built once per request.

A page lists 50 activities; a template loop with a dozen tags per row (a link, an include, five
translated column names for the phone's cards, two inner loops) costs tens of milliseconds. Each
row is one ``format_html`` call of the markup below (every value escaped), its words translated,
its link reversed and each status badge rendered once per page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from phoihop.core.formats import vn_date, vn_number

ROW = (
    '    <tr data-activity="{pk}">\n'
    '      <td class="small text-nowrap" data-label="{l_time}">{dates}</td>\n'
    '      <td class="text-break-all"><a class="fw-semibold" href="{href}">{title}</a>\n'
    "        {partner_badge}\n"
    "        {area}</td>\n"
    '      <td class="small" title="{lead_code}" data-label="{l_lead}">{lead_name}</td>\n'
    '      <td class="small" data-label="{l_partners}">{partners}</td>\n'
    '      <td data-label="{l_status}">{status}</td>\n'
    '      <td class="small" data-label="{l_figures}">{values}</td>\n'
    "    </tr>\n"
)
NONE = mark_safe('<span class="text-muted">—</span>')
PLACEHOLDER = 999999999  # a pk no activity has, replaced in the reversed link


def rows_html(activities: Iterable[Any]) -> SafeString:
    """The ``<tr>`` of each activity (with ``lead_unit``, ``area``, ``partners`` and ``values``
    with their indicators read with it, and ``led_here`` annotated)."""
    head, _sep, tail = reverse("activities:detail", kwargs={"pk": PLACEHOLDER}).partition(str(PLACEHOLDER))
    labels = {
        "l_time": _("Thời gian"),
        "l_lead": _("Đơn vị chủ trì"),
        "l_partners": _("Đơn vị phối hợp"),
        "l_status": _("Trạng thái"),
        "l_figures": _("Số liệu"),
    }
    partner_badge = format_html(
        ' <span class="badge text-bg-info" title="{}">{}</span>',
        _("Đơn vị của bạn là đơn vị phối hợp, không phải đơn vị chủ trì"),
        _("Phối hợp"),
    )
    badges: dict[tuple[str, str], SafeString] = {}
    rows = []
    for a in activities:
        label = a.get_status_display()
        badge = badges.get((a.status, label))
        if badge is None:
            badge = badges[(a.status, label)] = mark_safe(
                render_to_string("activities/_status_badge.html", {"status": a.status, "label": label})
            )
        dates: str  # safe HTML or a date
        if a.start_date != a.end_date:
            dates = format_html("{} –<br>{}", vn_date(a.start_date), vn_date(a.end_date))
        else:
            dates = vn_date(a.end_date)
        partners = list(a.partners.all())
        values = list(a.values.all())
        rows.append(
            format_html(
                ROW,
                pk=a.pk,
                dates=dates,
                href=f"{head}{a.pk}{tail}",
                title=a.title,
                partner_badge="" if a.led_here else partner_badge,
                area=format_html('<div class="small text-muted">{}</div>', a.area.name) if a.area else "",
                lead_code=a.lead_unit.code,
                lead_name=a.lead_unit.display_name,
                partners=format_html_join(
                    "; ", '<span title="{}">{}</span>', ((u.code, u.display_name) for u in partners)
                )
                if partners
                else NONE,
                status=badge,
                values=format_html_join(
                    " · ",
                    '<span class="text-nowrap" title="{}">{} {}</span>',
                    ((v.indicator.name, vn_number(v.value), v.indicator.unit_of_measure) for v in values),
                )
                if values
                else NONE,
                **labels,
            )
        )
    return mark_safe("".join(rows))  # each row is built by format_html
