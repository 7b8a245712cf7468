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

from django.core.paginator import Page
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from phoihop.core.paging import counted_page
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
    """The page ``number`` of ``queryset`` as ``ListedNomination`` rows, with the number of all
    rows (and, with ``also_count``, ``page.also_counted``) in one query (``core.paging``)."""
    return counted_page(queryset, number, per_page, columns=COLUMNS, row=ListedNomination, also_count=also_count)


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
