"""The rows of the exchanges' list (``/exchanges/``): one page and its number of rows read in one
query, and its HTML built once per request.

Reading the page as model objects after a ``count()`` (of the same grouped query, wrapped), then a
template loop of a date filter, a ``{% url %}``, two translations and a ``blocktranslate`` per row,
cost more than the rest of the page. Here ``page_of`` reads the columns a row shows as tuples, with
``COUNT(*) OVER ()`` (and, when asked, the number of unread rows), and ``rows_html`` builds each row
with ``str.format`` of values escaped one by one (what ``format_html`` does), its words translated
and its link reversed once per page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from html import escape as _html_escape
from typing import Any

from django.core.paginator import Page
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from phoihop.core.formats import vn_number
from phoihop.core.paging import counted_page

from .models import Exchange, ExchangeKind

# The columns a row shows (annotated by the view: unread, mine, n_recipients, n_read), in the
# order of ``ListedExchange``'s fields.
COLUMNS = (
    "pk",
    "sent_at",
    "kind",
    "subject",
    "sender__name",
    "sender__short_name",
    "unread",
    "mine",
    "n_recipients",
    "n_read",
)
ROW = (
    "<tr{unread_class}>\n"
    '<td class="text-nowrap small">{sent_at}</td>\n'
    '<td><span class="badge {kind_class}">{kind}</span></td>\n'
    '<td>{unread_mark}<a href="{href}">{subject}</a></td>\n'
    '<td class="small">{sender}</td>\n'
    '<td class="text-end small text-nowrap">{recipients}</td></tr>\n'
)
KIND_CLASSES: dict[str, str] = {ExchangeKind.QUICK_REPORT: "text-bg-warning", ExchangeKind.BRIEFING: "text-bg-info"}
PLACEHOLDER = 999999999  # a pk no exchange has, replaced in the reversed link


def escape(value: Any) -> str:
    """Django's ``escape`` (``html.escape`` of the text) without its lazy-string wrapper."""
    return _html_escape(str(value))


@dataclass(slots=True, eq=False)
class ListedExchange:
    """One exchange of the list, as its row shows it (equal to its ``Exchange``, as rows of the
    page were: ``exchange in page``)."""

    pk: int
    sent_at: datetime
    kind: str
    subject: str
    sender_name: str
    sender_short_name: str
    unread: bool
    mine: bool
    n_recipients: int
    n_read: int

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ListedExchange | Exchange):
            return bool(self.pk == other.pk)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.pk)


def page_of(
    queryset: QuerySet[Any],
    number: Any,
    per_page: int,
    *,
    count_unread: bool = False,
    kept_key: tuple[Any, ...] | None = None,
) -> Page:
    """The page ``number`` of ``queryset`` (annotated with the ``COLUMNS``) as ``ListedExchange``
    rows, with the number of all rows in one query (``core.paging``). With ``count_unread``,
    ``page.also_counted`` is the number of all rows that are unread; with ``kept_key``, the page's
    statement is kept."""
    also = Q(unread=True) if count_unread else None
    return counted_page(
        queryset, number, per_page, columns=COLUMNS, row=ListedExchange, also_count=also, kept_key=kept_key
    )


def rows_html(rows: Iterable[ListedExchange]) -> SafeString:
    """The ``<tr>`` of each exchange, as the list's template wrote them."""
    head, _sep, tail = reverse("records:exchange", kwargs={"pk": PLACEHOLDER}).partition(str(PLACEHOLDER))
    head, tail = escape(head), escape(tail)
    unread_word = escape(_("Chưa đọc"))
    unread_mark = (
        f'<i class="bi bi-envelope-fill text-primary" title="{unread_word}"></i>'
        f'<span class="visually-hidden">{unread_word}:</span> '
    )
    kinds = {value: escape(label) for value, label in ExchangeKind.choices}
    read_of = _("%(read)s/%(total)s đã đọc")
    places = _("%(total)s nơi")
    html = []
    for e in rows:
        total = escape(vn_number(e.n_recipients))
        if e.mine:
            recipients = read_of % {"read": escape(vn_number(e.n_read)), "total": total}
        else:
            recipients = places % {"total": total}
        html.append(
            ROW.format(
                unread_class=' class="fw-bold" data-unread="1"' if e.unread else "",
                sent_at=escape(date_format(timezone.localtime(e.sent_at), "H:i j/n/Y")),
                kind_class=KIND_CLASSES.get(e.kind, "text-bg-secondary"),
                kind=kinds[e.kind] if e.kind in kinds else escape(e.kind),
                unread_mark=unread_mark if e.unread else "",
                href=f"{head}{int(e.pk)}{tail}",
                subject=escape(e.subject),
                sender=escape(e.sender_short_name or e.sender_name),
                recipients=recipients,
            )
        )
    return mark_safe("".join(html))  # every value in the rows is escaped above
