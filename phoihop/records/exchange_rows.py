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

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, QuerySet, Sum, When, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from phoihop.core import statements
from phoihop.core.formats import vn_number

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
    """The page ``number`` of ``queryset`` (annotated with the ``COLUMNS``) in its order, holding its
    rows as ``ListedExchange``; the page is chosen as ``Paginator.get_page`` chooses it (not a
    whole number: the first; past the end or below 1: the last). A page that has rows is read with
    the number of all rows in one query; only an empty or a wrong page asks for a count first.

    With ``count_unread``, the page's ``unread_counted`` is the number of all rows that are unread,
    read in the same query (None when the page had no rows to carry it).

    With ``kept_key`` (``plan_key`` of the reader and whatever else the queryset depends on: no
    filter chosen), the statement of a page is kept (``core.statements``); its rows are read afresh."""
    paginator: Paginator[ListedExchange] = Paginator([], per_page)
    try:
        wanted = int(number) if number is not None else 1
    except (TypeError, ValueError):
        wanted = 0
    width = len(COLUMNS)
    if wanted >= 1:
        totals: dict[str, Any] = {"listed_total": Window(Count("*"))}
        if count_unread:
            unread = Case(When(unread=True, then=1), default=0, output_field=IntegerField())
            totals["listed_unread"] = Window(Sum(unread))
        names = (*COLUMNS, *totals)
        start, stop = (wanted - 1) * per_page, wanted * per_page
        found: list[tuple[Any, ...]]
        if kept_key is None:
            found = list(queryset.annotate(**totals).values_list(*names)[start:stop])
        else:
            statement = statements.kept(
                (page_of.__code__, *kept_key, start, stop, count_unread),
                "exchange_page",
                lambda: statements.compile_values(queryset.annotate(**totals).values(*names)[start:stop]),
            )
            found = [tuple(row[n] for n in names) for row in statement.rows()] if statement is not None else []
        if found:
            paginator.count = found[0][width]  # type: ignore[misc]  # the cached property, known now
            page = Page([ListedExchange(*row[:width]) for row in found], wanted, paginator)
            page.unread_counted = (found[0][-1] or 0) if count_unread else None  # type: ignore[attr-defined]
            return page
    paginator.count = 0 if wanted == 1 else queryset.count()  # type: ignore[misc]
    chosen = paginator.get_page(number).number
    rows = queryset.values_list(*COLUMNS)[(chosen - 1) * per_page : chosen * per_page] if paginator.count else []
    page = Page([ListedExchange(*row) for row in rows], chosen, paginator)
    page.unread_counted = None  # type: ignore[attr-defined]
    return page


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
