"""The inbox's groups as cards (the inbox page and the home page), as HTML built once per
request: one ``format_html`` per card and per item (every value escaped), each word translated
once. The same HTML as the template it replaced (``inbox/_groups.html``: a loop of cards and
items with ``{% translate %}``, ``{% blocktranslate count %}`` and filters in each), checked
against it for every demo user's inbox, escaping and numbers over a thousand, in Vietnamese and
English."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from phoihop.core.formats import vn_number
from phoihop.inbox.selectors import Group

OPEN = '\n<div class="row row-cols-1 row-cols-md-2 row-cols-xl-3 g-3" data-testid="inbox-groups">\n'
CLOSE = "\n</div>\n"
HEAD = (
    '\n  <div class="col">\n'
    '    <section class="card h-100 inbox-group" data-testid="inbox-{key}" data-count="{count}"'
    ' aria-labelledby="inbox-{key}-title">\n'
    '      <div class="card-header d-flex align-items-center gap-2">\n'
    '        <i class="bi {icon}" aria-hidden="true"></i>\n'
    '        <h2 class="h6 mb-0 me-auto" id="inbox-{key}-title">{title}</h2>\n'
    '        <span class="badge rounded-pill {pill}" data-testid="inbox-count">{number}</span>\n'
    "      </div>\n"
    "      "
)
ITEM = (
    '\n        <li class="list-group-item inbox-item">\n'
    '          <a class="text-break" href="{url}">{title}</a>{late}\n'
    "          {meta}\n"
    "          {reason}\n"
    "        </li>\n"
    "        "
)
LATE = ' <span class="badge text-bg-danger">{}</span>'
META = '<div class="small text-body-secondary text-break">{}</div>'
REASON = (
    '<div class="small text-danger-emphasis text-break" data-testid="inbox-reason">'
    '<i class="bi bi-chat-left-text" aria-hidden="true"></i> {} {}</div>'
)
LIST_OPEN = '\n      <ul class="list-group list-group-flush">\n        '
LIST_CLOSE = "\n      </ul>\n      "
EMPTY = '\n      <div class="card-body small text-body-secondary">{}</div>\n      '
FOOT = (
    '\n      <div class="card-footer py-1 d-flex align-items-center">\n'
    "        {more}\n"
    '        <a class="btn btn-sm btn-link ms-auto" href="{url}" data-testid="inbox-all">{all}'
    ' <i class="bi bi-arrow-right" aria-hidden="true"></i></a>\n'
    "      </div>\n"
    "    </section>\n"
    "  </div>\n"
)
MORE = '<span class="small text-body-secondary me-auto">{}</span>'


def group_cards(groups: Iterable[Group]) -> SafeString:
    """The cards of ``groups`` (all of them, or only those with work)."""
    late = format_html(LATE, _("Chậm"))
    reason_label = _("Lý do:")
    nothing = format_html(EMPTY, _("Không có việc nào."))
    see_all = _("Xem tất cả")
    parts = [OPEN]
    for g in groups:
        parts.append(
            format_html(
                HEAD,
                key=g.key,
                count=localize(g.count),
                icon=g.icon,
                title=g.title,
                pill="text-bg-danger" if g.count else "text-bg-secondary",
                number=vn_number(g.count),
            )
        )
        if g.items:
            parts.append(LIST_OPEN)
            for item in g.items:
                parts.append(
                    format_html(
                        ITEM,
                        url=item.url,
                        title=item.title,
                        late=late if item.late else "",
                        meta=format_html(META, item.meta) if item.meta else "",
                        reason=format_html(REASON, reason_label, item.reason) if item.reason else "",
                    )
                )
            parts.append(LIST_CLOSE)
        else:
            parts.append(nothing)
        more = g.more
        # {% blocktranslate count n=g.more %}: the translated words as they are, the number localised.
        more_text = ""
        if more:
            words = ngettext("và %(n)s việc khác", "và %(n)s việc khác", more) % {"n": localize(more)}
            more_text = format_html(MORE, mark_safe(words))
        parts.append(format_html(FOOT, more=more_text, url=g.page_url, all=see_all))
    parts.append(CLOSE)
    return mark_safe("".join(parts))  # every part above is escaped or built by format_html
