"""The nodes of the unit tree (``/units/``, a unit's children on its page and under ▸), as HTML
built once per request.

A province has over a hundred children; a template include per node (two ``{% url %}`` and a
translation each) costs tens of milliseconds there. Each node is one ``str.format`` of values
escaped one by one (what ``format_html`` does, without its cost per argument: the unit page lists
a province's hundred-odd wards), its words translated and its links reversed once per list.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape as _html_escape
from typing import Any

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from phoihop.core.formats import vn_date


def escape(value: Any) -> str:
    """Django's ``escape`` (``html.escape`` of the text) without its lazy-string wrapper."""
    return _html_escape(str(value))


# The HTML of a node, filled with ``str.format`` from values escaped here (``escape``, as
# ``format_html`` would: the same characters, without its per-argument overhead).
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
LEAF = '<span class="toggle text-muted">·</span>'
COUNT = ' <span class="text-muted small">({})</span>'
SUCCESSOR = ', {} <a href="{}">{}</a>'
CLOSED = '<span class="small text-muted">— {} {}{}</span>'
PLACEHOLDER = 999999999  # a pk no unit has, replaced in the reversed link (one reverse() per list)


def _link(name: str) -> tuple[str, str]:
    """The link of ``name`` for the placeholder pk, split around it (escaped)."""
    head, _sep, tail = reverse(name, kwargs={"pk": PLACEHOLDER}).partition(str(PLACEHOLDER))
    return escape(head), escape(tail)


def unit_nodes(units: Iterable[Any]) -> SafeString:
    """The ``<li>`` of each unit (with ``level`` and ``successor`` read with it)."""
    unit_head, unit_tail = _link("orgunits:unit")
    children_head, children_tail = _link("orgunits:children")
    open_label = escape(_("Mở cấp dưới"))
    closed_from = escape(_("đã thôi hoạt động từ"))
    taken_over_by = escape(_("kế thừa bởi"))
    nodes = []
    for unit in units:
        pk = int(unit.pk)
        if unit.numchild:
            toggle = TOGGLE.format(open_label, f"{children_head}{pk}{children_tail}")
            count = COUNT.format(escape(unit.numchild))
        else:
            toggle = LEAF
            count = ""
        closed = ""
        is_closed = unit.is_closed
        if is_closed:
            successor = ""
            if unit.successor_id:
                successor = SUCCESSOR.format(
                    taken_over_by,
                    f"{unit_head}{int(unit.successor_id)}{unit_tail}",
                    escape(unit.successor.display_name),
                )
            closed = CLOSED.format(closed_from, escape(vn_date(unit.valid_to)), successor)
        nodes.append(
            NODE.format(
                code=escape(unit.code),
                toggle=toggle,
                href=f"{unit_head}{pk}{unit_tail}",
                closed_class=' class="closed-unit"' if is_closed else "",
                name=escape(unit.name),
                level=escape(unit.level),
                count=count,
                closed=closed,
            )
        )
    return mark_safe("".join(nodes))  # every value in the nodes is escaped above
