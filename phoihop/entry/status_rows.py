"""The rows of the completeness table (``/entry/status/``), as HTML built once per request.

A province lists over a hundred wards; a template include (or a template loop with a dozen tags
per row) costs tens of milliseconds there. Each row is one ``format_html`` call of the markup
below (every value escaped), with its words translated once per request.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

ROW = (
    '<tr data-unit="{code}" data-filled="{filled}"{row_class}>'
    "<td>{name}{closed}</td>"
    "<td>{progress}</td>"
    '<td class="small">{behalf}</td>'
    "<td>{lock_state}</td>"
    '<td class="text-end text-nowrap">{enter} {children} {lock}</td>'
    "</tr>\n"
)


def _labels() -> dict[str, str]:
    return {
        "self": _("chính đơn vị"),
        "closed": _("đã thôi hoạt động"),
        "ratio": _("Tỷ lệ chỉ tiêu đã nhập"),
        "none": _("chưa nhập"),
        "behalf": _("Cấp trên nhập thay"),
        "locked": _("đã khóa"),
        "open": _("đang mở"),
        "view": _("Xem"),
        "enter": _("Nhập"),
        "edit": _("Sửa"),
        "children_title": _("Tình hình nhập của các đơn vị cấp dưới của đơn vị này"),
        "children": _("Cấp dưới"),
        "lock": _("Khóa"),
    }


def _row(row: Any, expected: int, t: dict[str, str]) -> SafeString:
    if row.is_self:
        name = format_html('<strong>{}</strong> <span class="badge text-bg-secondary">{}</span>', row.name, t["self"])
    else:
        name = format_html("{}", row.name)
    closed = format_html(' <span class="badge text-bg-light border">{}</span>', t["closed"]) if row.closed else ""
    if row.filled:
        progress = format_html(
            '<div class="d-flex align-items-center gap-2"><div class="progress flex-grow-1" role="progressbar" '
            'aria-label="{}" aria-valuenow="{}" aria-valuemin="0" aria-valuemax="{}" style="height:.6rem">'
            '<div class="progress-bar{}" style="width: {}%"></div></div>'
            '<span class="small text-nowrap">{}/{}</span></div>',
            t["ratio"],
            row.filled,
            expected,
            " bg-success" if row.complete else "",
            row.percent,
            row.filled,
            expected,
        )
    else:
        progress = format_html('<span class="text-muted small">{}</span>', t["none"])
    if row.on_behalf:
        behalf = format_html_join(
            " ", '<span class="badge text-bg-warning">{}: {}</span>', ((t["behalf"], n) for n in row.on_behalf)
        )
    else:
        behalf = mark_safe('<span class="text-muted">—</span>')
    if row.locked:
        lock_state = format_html(
            '<span class="badge text-bg-dark"><i class="bi bi-lock-fill"></i> {}</span>', t["locked"]
        )
    else:
        lock_state = format_html('<span class="text-muted small">{}</span>', t["open"])
    enter: Any = ""
    if row.enter_url:
        if row.locked:
            icon, word = "bi-eye", t["view"]
        else:
            icon, word = "bi-pencil-square", t["enter"] if row.is_self or not row.filled else t["edit"]
        enter = format_html(
            '<a class="btn btn-sm btn-outline-primary" href="{}"><i class="bi {}"></i> {}</a>',
            row.enter_url,
            icon,
            word,
        )
    children = (
        format_html(
            '<a class="btn btn-sm btn-outline-secondary" href="{}" title="{}"><i class="bi bi-diagram-3"></i> {}</a>',
            row.children_url,
            t["children_title"],
            t["children"],
        )
        if row.children_url
        else ""
    )
    lock = (
        format_html(
            '<a class="btn btn-sm btn-outline-dark" href="{}"><i class="bi bi-lock"></i> {}</a>',
            row.lock_url,
            t["lock"],
        )
        if row.lock_url
        else ""
    )
    return format_html(
        ROW,
        code=row.code,
        filled=row.filled,
        row_class=mark_safe(' class="table-light"') if row.is_self else "",
        name=name,
        closed=closed,
        progress=progress,
        behalf=behalf,
        lock_state=lock_state,
        enter=enter,
        children=children,
        lock=lock,
    )


def rows_html(rows: Iterable[Any], expected: int) -> SafeString:
    """The table body's rows (``StatusRow`` of phoihop/entry/views.py), in order."""
    labels = _labels()
    return mark_safe("".join(_row(row, expected, labels) for row in rows))
