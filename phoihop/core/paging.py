"""A list's page with the number of all its rows in one query (issue 13, item 9; ADR 0016).

``Paginator`` counts, then reads the page: two statements, each compiled from the list's gated
queryset. ``counted_page`` reads the page's rows with the total as a window count over the whole
list (and, when asked, how many of all rows meet a condition) in one statement. Only an empty or
a wrong page number asks for a count first. The page is chosen as ``Paginator.get_page`` chooses
it: not a whole number, the first; past the end or below 1, the last.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, When, Window

from phoihop.core import statements


def counted_page(
    queryset: QuerySet[Any],
    number: Any,
    per_page: int,
    *,
    columns: Sequence[str],
    row: Callable[..., Any],
    also_count: Q | None = None,
    kept_key: tuple[Any, ...] | None = None,
) -> Page:
    """The page ``number`` of ``queryset`` in its order: each row ``row(*values of columns)``.

    With ``also_count``, ``page.also_counted`` is the number of all rows meeting it, read in the
    same statement (None when the page had no rows to carry it). With ``kept_key`` (the reader's
    ``plan_key`` and whatever else the queryset depends on), the statement is kept
    (``core.statements``); its rows are read afresh."""
    paginator: Paginator[Any] = Paginator([], per_page)
    try:
        wanted = int(number) if number is not None else 1
    except (TypeError, ValueError):
        wanted = 0
    width = len(columns)
    if wanted >= 1:
        totals: dict[str, Any] = {"listed_total": Window(Count("*"))}
        if also_count is not None:
            meeting = Case(When(also_count, then=1), default=0, output_field=IntegerField())
            totals["listed_also"] = Window(Sum(meeting))
        names = (*columns, *totals)
        start, stop = (wanted - 1) * per_page, wanted * per_page
        found: list[tuple[Any, ...]]
        if kept_key is None:
            found = list(queryset.annotate(**totals).values_list(*names)[start:stop])
        else:
            statement = statements.kept(
                (counted_page.__code__, *kept_key, tuple(names), start, stop),
                "counted page",
                lambda: statements.compile_values(queryset.annotate(**totals).values(*names)[start:stop]),
            )
            found = [tuple(r[n] for n in names) for r in statement.rows()] if statement is not None else []
        if found:
            paginator.count = found[0][width]  # type: ignore[misc]  # the cached property, known now
            page = Page([row(*values[:width]) for values in found], wanted, paginator)
            page.also_counted = (found[0][-1] or 0) if also_count is not None else None  # type: ignore[attr-defined]
            return page
    paginator.count = 0 if wanted == 1 else queryset.count()  # type: ignore[misc]
    chosen = paginator.get_page(number).number
    values_rows = queryset.values_list(*columns)[(chosen - 1) * per_page : chosen * per_page] if paginator.count else []
    page = Page([row(*values) for values in values_rows], chosen, paginator)
    page.also_counted = None  # type: ignore[attr-defined]
    return page
