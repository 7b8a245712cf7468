"""The nodes of the unit tree (``/units/``, a unit's children on its page and under ▸), as HTML
built once per request.

A province has over a hundred children; a template include per node (two ``{% url %}`` and a
translation each) costs tens of milliseconds there. Each node is one ``format_html`` call (every
value escaped), its words translated and its links reversed once per list.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from phoihop.core.formats import vn_date

NODE = (
    '<li data-unit="{code}">\n'
    "  {toggle}\n"
    '  <a href="{href}"{closed_class}>{name}</a>\n'
    '  <span class="badge text-bg-light">{level}</span>{count}\n'
    "  {closed}\n"
    '  <span class="htmx-indicator spinner-border spinner-border-sm" role="status"></span>\n'
    '  <div class="subtree"></div>\n'
    "</li>\n"
)
TOGGLE = (
    '<button type="button" class="btn btn-link btn-sm p-0 toggle" aria-expanded="false" aria-label="{}"\n'
    '     hx-get="{}" hx-target="next .subtree" hx-swap="innerHTML" data-tree-toggle>▸</button>'
)
PLACEHOLDER = 999999999  # a pk no unit has, replaced in the reversed link (one reverse() per list)


def _link(name: str) -> tuple[str, str]:
    """The link of ``name`` for the placeholder pk, split around it."""
    head, _sep, tail = reverse(name, kwargs={"pk": PLACEHOLDER}).partition(str(PLACEHOLDER))
    return head, tail


def unit_nodes(units: Iterable[Any]) -> SafeString:
    """The ``<li>`` of each unit (with ``level`` and ``successor`` read with it)."""
    unit_head, unit_tail = _link("orgunits:unit")
    children_head, children_tail = _link("orgunits:children")
    open_label = _("Mở cấp dưới")
    closed_from = _("đã thôi hoạt động từ")
    taken_over_by = _("kế thừa bởi")
    nodes = []
    for unit in units:
        count: str  # safe HTML or nothing
        if unit.numchild:
            toggle = format_html(TOGGLE, open_label, f"{children_head}{unit.pk}{children_tail}")
            count = format_html(' <span class="text-muted small">({})</span>', unit.numchild)
        else:
            toggle = mark_safe('<span class="toggle text-muted">·</span>')
            count = ""
        closed = ""
        if unit.is_closed:
            successor = ""
            if unit.successor_id:
                successor = format_html(
                    ', {} <a href="{}">{}</a>',
                    taken_over_by,
                    f"{unit_head}{unit.successor_id}{unit_tail}",
                    unit.successor.display_name,
                )
            closed = format_html(
                '<span class="small text-muted">— {} {}{}</span>', closed_from, vn_date(unit.valid_to), successor
            )
        nodes.append(
            format_html(
                NODE,
                code=unit.code,
                toggle=toggle,
                href=f"{unit_head}{unit.pk}{unit_tail}",
                closed_class=mark_safe(' class="closed-unit"') if unit.is_closed else "",
                name=unit.name,
                level=unit.level,
                count=count,
                closed=closed,
            )
        )
    return mark_safe("".join(nodes))  # each node is built by format_html
