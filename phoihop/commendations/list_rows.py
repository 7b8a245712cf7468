"""The rows of the nominations' list (``/commendations/``): one page and its number of rows read in
one query, and its HTML built once per request.

Reading the page as model objects (a nomination with seven units, its phase, its award and the
award's level) after a ``count()``, then a template include per cell, cost more than the rest of
the page. Here ``page_of`` reads the columns a row shows as tuples, with ``COUNT(*) OVER ()`` (no
second query for the number of pages), and ``rows_html`` builds each row with one ``str.format`` of
values escaped one by one (what ``format_html`` does), its words translated and its link reversed
once per page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html import escape as _html_escape
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, When, Window
from django.urls import reverse
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from phoihop.orgunits.models import Rank

from .models import Nomination, NominationStatus

# The columns a row shows, in the order of ``ListedNomination``'s fields.
COLUMNS = (
    "pk",
    "person_id",
    "rank_at_event",
    "positions_at_event",
    "person__full_name",
    "nominee_unit__name",
    "award__name",
    "proposing_unit__name",
    "proposing_unit__short_name",
    "status",
    "holder__name",
    "holder__short_name",
    "year",
)
ROW = (
    '<tr data-testid="nomination-row">\n'
    '    <td><a href="{href}">{nominee}\n</a></td>\n'
    "    <td>{award}</td>\n"
    '    <td class="small">{proposing}</td>\n'
    '    <td class="small">{holder}</td>\n'
    "    <td>{status}\n</td>\n"
    "    <td>{year}</td>\n"
    "  </tr>"
)
STATUS = '<span class="badge text-bg-{}" data-testid="nomination-status">{}</span>'
STATUS_COLOURS: dict[str, str] = {
    NominationStatus.DRAFT: "secondary",
    NominationStatus.SUBMITTED: "primary",
    NominationStatus.RETURNED: "warning",
    NominationStatus.REJECTED: "danger",
}
PLACEHOLDER = 999999999  # a pk no nomination has, replaced in the reversed link


def escape(value: Any) -> str:
    """Django's ``escape`` (``html.escape`` of the text) without its lazy-string wrapper."""
    return _html_escape(str(value))


@dataclass(slots=True, eq=False)
class ListedNomination:
    """One nomination of the list, as its row shows it (equal to its ``Nomination``, as rows of the
    page were)."""

    pk: int
    person_id: int | None
    rank_at_event: str
    positions_at_event: Any
    person_name: str | None
    nominee_unit_name: str | None
    award_name: str
    proposing_name: str
    proposing_short_name: str
    status: str
    holder_name: str
    holder_short_name: str
    year: int

    @property
    def nominee_name(self) -> str:
        """As ``Nomination.nominee_name``: the collective's name, else the person's."""
        if self.nominee_unit_name is not None:
            return self.nominee_unit_name
        return self.person_name or ""

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ListedNomination | Nomination):
            return bool(self.pk == other.pk)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.pk)


def page_of(queryset: QuerySet[Any], number: Any, per_page: int, *, also_count: Q | None = None) -> Page:
    """The page ``number`` of ``queryset`` in its order, holding its rows as ``ListedNomination``;
    the page is chosen as ``Paginator.get_page`` chooses it (not a whole number: the first; past the
    end or below 1: the last). A page that has rows is read with the number of all rows in one
    query; only an empty or a wrong page asks for a count first.

    With ``also_count``, the page's ``also_counted`` is the number of all rows meeting that
    condition, read in the same query (None when the page had no rows to carry it)."""
    paginator: Paginator[ListedNomination] = Paginator([], per_page)
    try:
        wanted = int(number) if number is not None else 1
    except (TypeError, ValueError):
        wanted = 0
    if wanted >= 1:
        totals: dict[str, Any] = {"listed_total": Window(Count("*"))}
        if also_count is not None:
            meeting = Case(When(also_count, then=1), default=0, output_field=IntegerField())
            totals["listed_also"] = Window(Sum(meeting))
        numbered = queryset.annotate(**totals).values_list(*COLUMNS, *totals)
        found = list(numbered[(wanted - 1) * per_page : wanted * per_page])
        if found:
            paginator.count = found[0][len(COLUMNS)]  # type: ignore[misc]  # the cached property, known now
            page = Page([ListedNomination(*row[: len(COLUMNS)]) for row in found], wanted, paginator)
            page.also_counted = found[0][-1] or 0 if also_count is not None else None  # type: ignore[attr-defined]
            return page
    paginator.count = 0 if wanted == 1 else queryset.count()  # type: ignore[misc]
    chosen = paginator.get_page(number).number
    rows = queryset.values_list(*COLUMNS)[(chosen - 1) * per_page : chosen * per_page] if paginator.count else []
    page = Page([ListedNomination(*row) for row in rows], chosen, paginator)
    page.also_counted = None  # type: ignore[attr-defined]
    return page


def _positions(value: Any) -> str:
    """The ``positions_line`` filter's text."""
    return "; ".join(str(p) for p in value) if value else ""


def rows_html(rows: Iterable[ListedNomination]) -> SafeString:
    """The ``<tr>`` of each nomination, as the list's template wrote them."""
    head, _sep, tail = reverse("commendations:nomination-detail", kwargs={"pk": PLACEHOLDER}).partition(
        str(PLACEHOLDER)
    )
    head, tail = escape(head), escape(tail)
    collective = escape(_("tập thể"))
    statuses = {
        value: STATUS.format(STATUS_COLOURS.get(value, "success"), escape(label))
        for value, label in NominationStatus.choices
    }
    html = []
    for n in rows:
        if n.person_id:
            rank = f"{escape(Rank(n.rank_at_event).label)} " if n.rank_at_event else ""
            positions = (
                f'<div class="small text-muted">{escape(_positions(n.positions_at_event))}</div>'
                if n.positions_at_event
                else ""
            )
            nominee = f"{rank}{escape(n.person_name)}{positions}"
        else:
            nominee = f'{escape(n.nominee_unit_name)} <span class="badge text-bg-light border">{collective}</span>'
        status = statuses.get(n.status)
        if status is None:  # a value outside the choices shows as itself, as get_status_display does
            status = STATUS.format(STATUS_COLOURS.get(n.status, "success"), escape(n.status))
        html.append(
            ROW.format(
                href=f"{head}{int(n.pk)}{tail}",
                nominee=nominee,
                award=escape(n.award_name),
                proposing=escape(n.proposing_short_name or n.proposing_name),
                holder=escape(n.holder_short_name or n.holder_name) if n.status == NominationStatus.SUBMITTED else "—",
                status=status,
                year=escape(localize(n.year)),  # as the template wrote it ("2,026" in English)
            )
        )
    return mark_safe("".join(html))  # every value in the rows is escaped above
