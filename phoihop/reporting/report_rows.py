"""The rows of the reports' list (``/reports/``) and of the reminders of reports still owed
(``reporting/_owed.html``, on that list and on the home page), as HTML built once per request.

A template loop with a ``{% url %}``, two includes (the status and the late badges) and a few
translations per row cost several milliseconds for a page of 50 reports. Each row here is one
``format_html`` call (every value escaped) of the markup the templates wrote, its words
translated and its links reversed once per page.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from phoihop.core.formats import vn_date
from phoihop.reporting.models import ReportStatus
from phoihop.reporting.period_rows import link_parts
from phoihop.reporting.selectors import is_late

# reporting/_status_badge.html (still used by the report's own page)
BADGE_CLASSES = {
    "approved": "text-bg-success",
    "submitted": "text-bg-primary",
    "returned": "text-bg-warning",
    "draft": "text-bg-secondary",
}
BADGE = '<span class="badge {}" data-status="{}">{}</span>\n'
# reporting/_late_badge.html
LATE_BADGE = '<span class="badge text-bg-danger" data-late="1"><i class="bi bi-alarm"></i> {}</span>\n'

REPORT_ROW = (
    "\n"
    '    <tr data-report="{pk}">\n'
    '      <td class="small"><a href="{href}">{period}</a><div class="text-muted">{programme}</div></td>\n'
    '      <td><a href="{href}" title="{code}">{unit}</a>{partner}</td>\n'
    '      <td class="text-nowrap">{badge}</td>\n'
    '      <td class="small text-nowrap">{number}</td>\n'
    '      <td class="small text-nowrap">{sent}</td>\n'
    '      <td class="small text-nowrap">{due}{late}</td>\n'
    "    </tr>\n"
    "  "
)
PARTNER = '<div class="small">{} {} <span class="badge text-bg-info">{}</span></div>'
RESENT = '{}<div class="text-muted" title="{}">{} {}</div>'
NOTHING = '<span class="text-muted">—</span>'

OWED_ROW = (
    "\n"
    '      <tr data-request="{pk}"{more}>\n'
    '        <td class="small">{period}</td>\n'
    '        <td class="small d-none d-sm-table-cell" title="{code}">{unit}</td>\n'
    '        <td class="small text-nowrap">{due}</td>\n'
    "        <td>{badge}{late}</td>\n"
    '        <td class="text-end text-nowrap">{action}</td>\n'
    "      </tr>\n"
    "    "
)
OPEN = (
    '<a class="btn btn-sm btn-outline-primary" href="{}"><i class="bi bi-pencil-square" aria-hidden="true"></i> '
    '<span class="d-none d-sm-inline">{}</span><span class="visually-hidden d-sm-none">{}</span></a>'
)
WRITE = (
    '<a class="btn btn-sm btn-primary" href="{}?period={}&amp;unit={}">'
    '<i class="bi bi-plus-lg" aria-hidden="true"></i> '
    '<span class="d-none d-sm-inline">{}</span><span class="visually-hidden d-sm-none">{}</span></a>'
)
SHOWN_OWED = 5  # the reminders shown before "Xem thêm" (reporting/_owed.html)


class Badges:
    """Each status badge rendered once per page."""

    def __init__(self) -> None:
        self._done: dict[tuple[str, str], SafeString] = {}

    def __call__(self, status: str, label: Any) -> SafeString:
        text = str(label)
        badge = self._done.get((status, text))
        if badge is None:
            badge = self._done[(status, text)] = format_html(
                BADGE, BADGE_CLASSES.get(status, "text-bg-light border"), status, text
            )
        return badge


def _day(value: datetime) -> str:
    """``{{ value|date:"j/n/Y" }}``: the local date."""
    return vn_date(timezone.localtime(value).date())


def rows_html(reports: Iterable[dict[str, Any]], today: date) -> SafeString:
    """The ``<tr>`` of each report of the list, from ``selectors.list_values``' rows."""
    head, tail = link_parts("reporting:report")
    badges = Badges()
    labels = dict(ReportStatus.choices)
    late_badge = format_html(" " + LATE_BADGE, _("Trễ hạn"))
    joint, together = _("Liên tịch"), _("cùng")
    resent_title, resent = _("Gửi lại sau khi bị trả lại"), _("gửi lại")
    rows = []
    for r in reports:
        first, last = r["first_submitted_at"], r["submitted_at"]
        sent: str  # safe HTML
        if first:
            sent = _day(first)
            if last and last != first:
                sent = format_html(RESENT, sent, resent_title, resent, _day(last))
        else:
            sent = mark_safe(NOTHING)
        rows.append(
            format_html(
                REPORT_ROW,
                pk=r["pk"],
                href=f"{head}{r['pk']}{tail}",
                period=r["period__name"],
                programme=r["period__programme__title"],
                code=r["unit__code"],
                unit=r["unit__name"],
                partner=format_html(PARTNER, together, r["partner_unit__name"], joint) if r["partner_unit_id"] else "",
                badge=badges(r["status"], labels.get(r["status"], r["status"])),
                number=f"{r['number']:02d}" if r["number"] else mark_safe(NOTHING),
                sent=sent,
                due=vn_date(r["due"]),
                late=late_badge if is_late(first, r["due"], today) else "",
            )
        )
    return mark_safe("".join(rows))  # each row is built by format_html


def owed_rows_html(rows: Iterable[Any]) -> SafeString:
    """The ``<tr>`` of each reminder (``selectors.RequestRow``: a request with its period's name,
    its unit's code and name and its due date), the rows after the fifth folded."""
    head, tail = link_parts("reporting:report")
    write_url = reverse("reporting:report-open")
    badges = Badges()
    late_badge = format_html(" " + LATE_BADGE, _("Trễ hạn"))
    open_label, write_label = _("Mở báo cáo"), _("Soạn báo cáo")
    html = []
    for n, row in enumerate(rows, start=1):
        request = row.request
        code = request.unit.code
        if row.report_id:
            action = format_html(OPEN, f"{head}{row.report_id}{tail}", open_label, open_label)
        else:
            action = format_html(WRITE, write_url, request.period_id, quote(code, safe="/"), write_label, write_label)
        html.append(
            format_html(
                OWED_ROW,
                pk=request.pk,
                more=mark_safe(' class="collapse owed-more"') if n > SHOWN_OWED else "",
                period=request.period.name,
                code=code,
                unit=request.unit.name,
                due=vn_date(request.due_date),
                badge=badges(row.status, row.status_label),
                late=late_badge if row.late else "",
                action=action,
            )
        )
    return mark_safe("".join(html))  # each row is built by format_html
