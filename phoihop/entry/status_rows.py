"""The rows of the completeness table (``/entry/status/``), as HTML built once per request.

A province lists over a hundred wards; a template include (or a template loop with a dozen tags
per row) costs tens of milliseconds there, and even a ``format_html`` per cell a few. Each row
is one f-string of the markup below: every value from the data escaped with ``escape`` (what
``format_html`` does to each argument), the words translated and escaped once per request.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


def _labels() -> dict[str, str]:
    """The row's words, translated and escaped."""
    words = {
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
    return {key: escape(str(word)) for key, word in words.items()}


def _row(row: Any, expected: int, t: dict[str, str]) -> str:
    if row.is_self:
        name = f'<strong>{escape(row.name)}</strong> <span class="badge text-bg-secondary">{t["self"]}</span>'
    else:
        name = escape(row.name)
    closed = f' <span class="badge text-bg-light border">{t["closed"]}</span>' if row.closed else ""
    if row.filled:
        progress = (
            '<div class="d-flex align-items-center gap-2"><div class="progress flex-grow-1" role="progressbar" '
            f'aria-label="{t["ratio"]}" aria-valuenow="{row.filled}" aria-valuemin="0" aria-valuemax="{expected}" '
            'style="height:.6rem">'
            f'<div class="progress-bar{" bg-success" if row.complete else ""}" style="width: {row.percent}%">'
            "</div></div>"
            f'<span class="small text-nowrap">{row.filled}/{expected}</span></div>'
        )
    else:
        progress = f'<span class="text-muted small">{t["none"]}</span>'
    if row.on_behalf:
        behalf = " ".join(
            f'<span class="badge text-bg-warning">{t["behalf"]}: {escape(n)}</span>' for n in row.on_behalf
        )
    else:
        behalf = '<span class="text-muted">—</span>'
    if row.locked:
        lock_state = f'<span class="badge text-bg-dark"><i class="bi bi-lock-fill"></i> {t["locked"]}</span>'
    else:
        lock_state = f'<span class="text-muted small">{t["open"]}</span>'
    enter = ""
    if row.enter_url:
        if row.locked:
            icon, word = "bi-eye", t["view"]
        else:
            icon, word = "bi-pencil-square", t["enter"] if row.is_self or not row.filled else t["edit"]
        enter = (
            f'<a class="btn btn-sm btn-outline-primary" href="{escape(row.enter_url)}">'
            f'<i class="bi {icon}"></i> {word}</a>'
        )
    children = ""
    if row.children_url:
        children = (
            f'<a class="btn btn-sm btn-outline-secondary" href="{escape(row.children_url)}" '
            f'title="{t["children_title"]}"><i class="bi bi-diagram-3"></i> {t["children"]}</a>'
        )
    lock = ""
    if row.lock_url:
        lock = (
            f'<a class="btn btn-sm btn-outline-dark" href="{escape(row.lock_url)}">'
            f'<i class="bi bi-lock"></i> {t["lock"]}</a>'
        )
    row_class = ' class="table-light"' if row.is_self else ""
    return (
        f'<tr data-unit="{escape(row.code)}" data-filled="{row.filled}"{row_class}>'
        f"<td>{name}{closed}</td>"
        f"<td>{progress}</td>"
        f'<td class="small">{behalf}</td>'
        f"<td>{lock_state}</td>"
        f'<td class="text-end text-nowrap">{enter} {children} {lock}</td>'
        "</tr>\n"
    )


def rows_html(rows: Iterable[Any], expected: int) -> SafeString:
    """The table body's rows (``StatusRow`` of phoihop/entry/views.py), in order."""
    labels = _labels()
    return mark_safe("".join([_row(row, expected, labels) for row in rows]))
