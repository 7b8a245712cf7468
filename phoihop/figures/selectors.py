"""Reading figures: any subtree's total for any date range, in either view of the tree.

Scoping: these functions take unit ids the caller has already scoped: the units whose figures
the user may read are ``phoihop.figures.permissions.figure_units``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from phoihop.core import statements
from phoihop.core.gate import STRUCTURE
from phoihop.figures.models import Grain, Rollup, TodayTerm
from phoihop.figures.periods import Run, day_key, decompose, month_end, month_key, next_month

View = Literal["historical", "today"]
VIEWS: tuple[View, ...] = ("historical", "today")


def sources_for(
    unit_ids: Iterable[int], view: View = "historical", *, paths: Mapping[int, str] | None = None
) -> dict[int, list[tuple[int, int]]]:
    """For each unit, the roll-up rows (unit id, coefficient) whose sum is its total.

    A root's subtree total is its own row plus its children's; any other unit's is its row.
    In today's tree a unit adds its signed terms (``today.py``); a root is the same in both
    views (figures never leave an organisation). ``paths`` (unit id -> path, for every unit
    asked), when the caller has read them already, saves reading them again.
    """
    from phoihop.orgunits.models import OrgUnit

    ids = list(dict.fromkeys(unit_ids))
    # The caller scoped the units; their paths and a root's children only make up the sums.
    tree = OrgUnit.objects.unrestricted("the shape of units the caller has scoped")
    if paths is None:
        units = dict(tree.filter(pk__in=ids).values_list("pk", "path"))
    else:
        units = {uid: paths[uid] for uid in ids}
    sources: dict[int, list[tuple[int, int]]] = {uid: [(uid, 1)] for uid in units}
    roots = {uid: path for uid, path in units.items() if len(path) == OrgUnit.steplen}
    if roots:
        root_paths = sorted(set(roots.values()))

        def roots_children() -> Any:
            q = Q()
            for path in root_paths:
                q |= Q(path__startswith=path, depth=2, path__range=children_interval(path))
            return tree.filter(q).values("pk", "path")

        for row in statements.rows(("roots' children", *root_paths), roots_children):
            child_id, child_path = row["pk"], row["path"]
            root_id = next(uid for uid, path in roots.items() if child_path.startswith(path))
            sources[root_id].append((child_id, 1))
    if view == "today":
        others = [uid for uid in units if uid not in roots]
        for unit_id, source_id, sign in today_terms(others):
            sources[unit_id].append((source_id, sign))
    return sources


def children_interval(path: str) -> tuple[str, str]:
    """The range of the paths of a unit's children (treebeard's own, as its ``get_children``
    reads them): with the depth, one range of the (depth, path) index."""
    from phoihop.orgunits.models import OrgUnit

    return OrgUnit._get_children_path_interval(path)


def today_terms(unit_ids: Sequence[int]) -> list[tuple[int, int, int]]:
    """The ``TodayTerm`` rows (unit, source, sign) of the units: one plain statement (the ids
    are integers, cast here and written into the SQL, as ``_runs_where`` writes them)."""
    if not unit_ids:
        return []
    q = connection.ops.quote_name
    column = {f.name: q(f.column) for f in TodayTerm._meta.concrete_fields}
    ids = ", ".join(str(int(u)) for u in unit_ids)
    sql = (
        f"SELECT {column['unit_id']}, {column['source_id']}, {column['sign']} "
        f"FROM {q(TodayTerm._meta.db_table)} WHERE {column['unit_id']} IN ({ids})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [(int(u), int(s), int(sign)) for u, s, sign in cursor.fetchall()]


def _runs_where(unit_ids: Sequence[int], indicator_ids: Sequence[int], runs: Sequence[Run]) -> str:
    """WHERE clause for the roll-up rows of the units and indicators in the runs.

    Every run repeats the unit and indicator lists, so that each term of the OR is one range of
    the primary key: SQLite then reads each run by index (a "multi-index OR") and PostgreSQL
    ORs bitmap index scans. With the lists outside the OR, SQLite reads every row of each
    (unit, indicator), all days, months and years, and filters them: at ten million values,
    200 ms instead of 12 for the national dashboard (docs/benchmarks.md). The ids are integers
    (cast here) written into the SQL, so a long list of units repeated in every run cannot pass
    SQLite's limit of query parameters.
    """
    units = ", ".join(str(int(u)) for u in unit_ids)
    indicators = ", ".join(str(int(i)) for i in indicator_ids)
    return " OR ".join(
        f"(unit_id IN ({units}) AND indicator_id IN ({indicators}) "
        f"AND grain = {int(run.grain)} AND bucket BETWEEN {int(run.lo)} AND {int(run.hi)})"
        for run in runs
    )


def rollup_sums(
    unit_ids: Sequence[int], indicator_ids: Sequence[int], start: date, end: date, *, approved: bool = False
) -> dict[tuple[int, int], int]:
    """Sums of the roll-up rows themselves (no tree logic), by (row unit, indicator)."""
    return block_sums([(unit_ids, indicator_ids)], start, end, approved=approved)


def block_sums(
    blocks: Sequence[tuple[Sequence[int], Sequence[int]]], start: date, end: date, *, approved: bool = False
) -> dict[tuple[int, int], int]:
    """``rollup_sums`` of several (row units, indicators) blocks in one query: a page that needs
    every indicator of a few units and one indicator of many reads both at once. A pair named
    by two blocks is summed once (each row is selected once, whatever the blocks)."""
    runs = decompose(start, end)
    blocks = [(units, indicators) for units, indicators in blocks if units and indicators]
    if not runs or not blocks:
        return {}
    column = "approved" if approved else "submitted"
    table = connection.ops.quote_name(Rollup._meta.db_table)
    # One grouped SELECT per run, joined by UNION ALL and added up here: the runs are disjoint
    # (decompose), so no row is counted twice; within a run the blocks are ORed, so a row two
    # blocks name is selected once. Each SELECT is one index range per (unit, indicator) read in
    # key order, so SQLite groups without a temporary B-tree (one OR of all the runs cost it a
    # multi-index OR and a sort: 4.7 ms instead of 3.1 for the national dashboard).
    selects = " UNION ALL ".join(
        f"SELECT unit_id, indicator_id, SUM({column}) FROM {table} WHERE "
        + " OR ".join(_runs_where(units, indicators, [run]) for units, indicators in blocks)
        + " GROUP BY unit_id, indicator_id"
        for run in runs
    )
    sums: dict[tuple[int, int], int] = defaultdict(int)
    with connection.cursor() as cursor:
        cursor.execute(selects)
        for u, i, total in cursor.fetchall():
            sums[(u, i)] += int(total)
    return dict(sums)


def totals(
    *,
    unit_ids: Iterable[int],
    indicator_ids: Iterable[int],
    start: date,
    end: date,
    view: View = "historical",
    approved: bool = False,
) -> dict[tuple[int, int], int]:
    """Subtree totals by (unit, indicator) for [start, end]; every pair is present (0 if none)."""
    indicators = sorted(set(indicator_ids))
    sources = sources_for(unit_ids, view)
    all_sources = sorted({s for terms in sources.values() for s, _ in terms})
    raw = rollup_sums(all_sources, indicators, start, end, approved=approved)
    return combine(sources, raw, sources, indicators)


def combine(
    sources: Mapping[int, Sequence[tuple[int, int]]],
    raw: Mapping[tuple[int, int], int],
    unit_ids: Iterable[int],
    indicator_ids: Sequence[int],
) -> dict[tuple[int, int], int]:
    """Each unit's totals from the sums of its roll-up rows (``raw``, read for every source of
    ``sources``): the sum of its sources' sums times their coefficients. A unit ``sources``
    does not know is left out (as ``totals`` leaves out a unit that does not exist)."""
    units = [u for u in dict.fromkeys(unit_ids) if u in sources]
    indicator_ids = list(dict.fromkeys(indicator_ids))
    result = {(u, i): 0 for u in units for i in indicator_ids}
    # Each source's sums go to every unit it makes up, times its coefficient there.
    users: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for u in units:
        for s, c in sources[u]:
            users[s].append((u, c))
    for s, shares in users.items():
        for i in indicator_ids:
            amount = raw.get((s, i))
            if amount:
                for u, c in shares:
                    result[(u, i)] += c * amount
    return result


def total(
    *, unit_id: int, indicator_id: int, start: date, end: date, view: View = "historical", approved: bool = False
) -> int:
    return totals(unit_ids=[unit_id], indicator_ids=[indicator_id], start=start, end=end, view=view, approved=approved)[
        (unit_id, indicator_id)
    ]


def monthly_series(
    *,
    unit_id: int,
    indicator_ids: Iterable[int],
    start: date,
    end: date,
    view: View = "historical",
    approved: bool = False,
    terms: Sequence[tuple[int, int]] | None = None,
) -> dict[int, dict[int, int]]:
    """Totals by calendar month (YYYYMM) within [start, end], for each indicator. ``terms``: the
    unit's sources (``sources_for``) in the view, when the caller has them already."""
    indicators = sorted(set(indicator_ids))
    if terms is None:
        terms = sources_for([unit_id], view).get(unit_id, [])
    series: dict[int, dict[int, int]] = {i: {} for i in indicators}
    if not terms or not indicators or end < start:
        return series
    column = "approved" if approved else "submitted"
    # Whole months from month rows; the partial first and last months from day rows.
    runs: list[Run] = []
    whole: list[date] = []
    m = start.replace(day=1)
    while m <= end:
        lo, hi = max(m, start), min(month_end(m), end)
        if lo == m and hi == month_end(m):
            whole.append(m)
        else:
            runs.append(Run(Grain.DAY, day_key(lo), day_key(hi)))
        m = next_month(m)
    if whole:
        runs.append(Run(Grain.MONTH, month_key(whole[0]), month_key(whole[-1])))
    source_ids = sorted({s for s, _ in terms})
    coef: dict[int, int] = defaultdict(int)
    for s, c in terms:
        coef[s] += c
    table = connection.ops.quote_name(Rollup._meta.db_table)
    sql = (
        f"SELECT unit_id, indicator_id, grain, bucket, {column} FROM {table} "
        f"WHERE {_runs_where(source_ids, indicators, runs)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for unit, indicator, grain, bucket, amount in cursor.fetchall():
            month = bucket // 100 if grain == Grain.DAY else bucket
            by_month = series[indicator]
            by_month[month] = by_month.get(month, 0) + coef[unit] * int(amount)
    return series


def months_between(start: date, end: date) -> list[int]:
    months, d = [], start.replace(day=1)
    while d <= end:
        months.append(month_key(d))
        d = next_month(d)
    return months


@dataclass(frozen=True)
class ChildRow:
    unit_id: int
    code: str
    name: str
    closed: bool
    path: str = ""


def child_units(unit: Any, *, view: View, start: date, end: date) -> list[ChildRow]:
    """The unit's children in the chosen view: the units of the time, or today's open ones."""
    from phoihop.orgunits.models import OrgUnit

    today = timezone.localdate()

    def children() -> Any:
        # The children's names and codes; callers show figures only of the children the user reads.
        found = OrgUnit.objects.unrestricted(STRUCTURE).filter(
            path__startswith=unit.path, depth=unit.depth + 1, path__range=children_interval(unit.path)
        )
        if view == "today":
            found = found.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today)).filter(successor__isnull=True)
        else:
            found = found.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start)).filter(
                Q(valid_from__isnull=True) | Q(valid_from__lte=end)
            )
        return found.order_by("path").values("pk", "code", "name", "short_name", "valid_to", "path")

    key = ("children", unit.path, unit.depth, view, today if view == "today" else (start, end))
    return [
        ChildRow(
            row["pk"],
            row["code"],
            row["short_name"] or row["name"],
            bool(row["valid_to"] and row["valid_to"] < today),
            row["path"],
        )
        for row in statements.rows(key, children)
    ]
