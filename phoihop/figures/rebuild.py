"""Recomputing the roll-ups from the raw values (set-based SQL), and checking them by brute force."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection, transaction

from phoihop.core.gate import system_job
from phoihop.figures.models import Grain, Rollup
from phoihop.figures.periods import bucket_keys
from phoihop.figures.today import rebuild_terms

CLOSURE = "figures_rebuild_closure"


def _day_key_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(to_char({column}, 'YYYYMMDD') AS INTEGER)"
    return f"CAST(strftime('%Y%m%d', {column}) AS INTEGER)"


def rollup_sql() -> list[str]:
    """The statements that fill the roll-up table from the raw values (the table must be empty).

    1. A closure of units: each unit with every ancestor-or-self below the root it adds to
       (a root with itself), one equality join on the path prefix per level.
    2. Day rows: the values joined to the closure, grouped by target, indicator and day.
    3. Month rows from the day rows, year rows from the month rows.

    Rows go in in key order: the primary key index then grows at its end instead of taking
    random inserts (on PostgreSQL, with the default shared_buffers, several times faster), and
    on PostgreSQL the rows of one unit and indicator share heap pages, so a total reads a few
    pages instead of one per row.
    """
    from phoihop.entry.models import IndicatorValue
    from phoihop.orgunits.models import OrgUnit

    q = connection.ops.quote_name
    units, values, rollup = (q(m._meta.db_table) for m in (OrgUnit, IndicatorValue, Rollup))
    step = OrgUnit.steplen
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(depth) FROM {units}")
        max_depth = cursor.fetchone()[0] or 1
    statements = [
        f"DROP TABLE IF EXISTS {CLOSURE}",
        f"CREATE TEMPORARY TABLE {CLOSURE} (unit_id INTEGER NOT NULL, target_id INTEGER NOT NULL)",
        f"INSERT INTO {CLOSURE} (unit_id, target_id) SELECT id, id FROM {units} WHERE depth = 1",
    ]
    for level in range(2, max_depth + 1):
        statements.append(
            f"INSERT INTO {CLOSURE} (unit_id, target_id) SELECT u.id, a.id FROM {units} u "
            f"JOIN {units} a ON a.path = substr(u.path, 1, {level * step}) WHERE u.depth >= {level}"
        )
    statements += [
        f"CREATE INDEX {CLOSURE}_unit ON {CLOSURE} (unit_id)",
        f"INSERT INTO {rollup} (unit_id, indicator_id, grain, bucket, submitted, approved) "
        f"SELECT c.target_id, v.indicator_id, {int(Grain.DAY)}, {_day_key_sql('v.date')}, "
        "SUM(v.value), SUM(CASE WHEN v.approved THEN v.value ELSE 0 END) "
        f"FROM {values} v JOIN {CLOSURE} c ON c.unit_id = v.unit_id WHERE v.counted "
        f"GROUP BY c.target_id, v.indicator_id, {_day_key_sql('v.date')} "
        f"ORDER BY c.target_id, v.indicator_id, {_day_key_sql('v.date')}",
        f"INSERT INTO {rollup} (unit_id, indicator_id, grain, bucket, submitted, approved) "
        f"SELECT unit_id, indicator_id, {int(Grain.MONTH)}, bucket / 100, SUM(submitted), SUM(approved) "
        f"FROM {rollup} WHERE grain = {int(Grain.DAY)} GROUP BY unit_id, indicator_id, bucket / 100 "
        "ORDER BY unit_id, indicator_id, bucket / 100",
        f"INSERT INTO {rollup} (unit_id, indicator_id, grain, bucket, submitted, approved) "
        f"SELECT unit_id, indicator_id, {int(Grain.YEAR)}, bucket / 100, SUM(submitted), SUM(approved) "
        f"FROM {rollup} WHERE grain = {int(Grain.MONTH)} GROUP BY unit_id, indicator_id, bucket / 100 "
        "ORDER BY unit_id, indicator_id, bucket / 100",
        f"DROP TABLE {CLOSURE}",
    ]
    return statements


@system_job("a rebuild of every roll-up row from the raw values")
def rebuild_rollups(progress: Callable[[str], None] | None = None) -> dict[str, float]:
    """Empty the roll-ups and recompute them from the raw values, in one transaction.

    On PostgreSQL the values table is locked against writers for the rebuild (SQLite's
    IMMEDIATE transaction already holds the write lock).
    """
    from phoihop.entry.models import IndicatorValue

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {connection.ops.quote_name(IndicatorValue._meta.db_table)} IN SHARE MODE")
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(Rollup._meta.db_table)}")
        for sql in rollup_sql():
            if progress:
                progress(sql.split(" (")[0][:80])
            cursor.execute(sql)
        terms = rebuild_terms()
        rows = Rollup.objects.count()
    return {"seconds": time.perf_counter() - started, "rows": rows, "terms": terms}


@dataclass(frozen=True)
class Mismatch:
    unit_id: int
    unit_code: str
    indicator_id: int
    indicator_code: str
    grain: int
    bucket: int
    expected: tuple[int, int]
    found: tuple[int, int]

    def describe(self) -> str:
        if self.grain < 0:
            return (
                f"{self.unit_code} (id {self.unit_id}), {self.indicator_code}: hệ số đúng {self.expected[0]}, "
                f"bảng ghi {self.found[0]}; chạy rebuild_figures"
            )
        grain = Grain(self.grain).label
        return (
            f"{self.unit_code} (id {self.unit_id}), chỉ tiêu {self.indicator_code}, {grain} {self.bucket}: "
            f"cộng trực tiếp được (đã gửi, đã duyệt) = {self.expected}, bảng cộng dồn ghi {self.found}"
        )


@system_job("a check of every roll-up row against the raw values")
def check_rollups() -> Mismatch | None:
    """Compare every roll-up row with the brute-force sums of the raw values, one top-level
    subtree at a time (memory stays bounded). Returns the first difference, or None."""
    from phoihop.entry.models import IndicatorValue
    from phoihop.orgunits.models import OrgUnit
    from phoihop.programmes.models import Indicator

    step = OrgUnit.steplen
    # A root's own row, then each subtree below the root: (units, whether it is a root alone).
    groups: list[Any] = []
    for root_path in OrgUnit.objects.filter(depth=1).values_list("path", flat=True):
        groups.append(OrgUnit.objects.filter(path=root_path))
        for child_path in OrgUnit.objects.filter(path__startswith=root_path, depth=2).values_list("path", flat=True):
            groups.append(OrgUnit.objects.filter(path__startswith=child_path))
    codes = dict(OrgUnit.objects.values_list("pk", "code"))
    indicator_codes = dict(Indicator.objects.values_list("pk", "code"))
    for units in groups:
        paths = dict(units.values_list("pk", "path"))
        by_path = {p: uid for uid, p in paths.items()}
        expected: dict[tuple[int, int, int, int], list[int]] = defaultdict(lambda: [0, 0])
        values = IndicatorValue.objects.filter(unit__in=units.values("pk"), counted=True).values_list(
            "unit_id", "indicator_id", "date", "value", "approved"
        )
        for unit_id, indicator_id, day, amount, approved in values.iterator(chunk_size=5000):
            path = paths[unit_id]
            targets = (
                [by_path[path[: k * step]] for k in range(2, len(path) // step + 1)] if len(path) > step else [unit_id]
            )
            for target in targets:
                for grain, bucket in bucket_keys(day):
                    row = expected[(target, indicator_id, grain, bucket)]
                    row[0] += amount
                    row[1] += amount if approved else 0
        found = {
            (r.unit_id, r.indicator_id, r.grain, r.bucket): (r.submitted, r.approved)
            for r in Rollup.objects.filter(unit_id__in=units.values("pk")).iterator(chunk_size=5000)
        }
        for key in sorted(expected.keys() | found.keys()):
            e = tuple(expected.get(key, (0, 0)))
            f = found.get(key, (0, 0))
            if e != f:
                unit_id, indicator_id, grain, bucket = key
                return Mismatch(
                    unit_id,
                    codes.get(unit_id, "?"),
                    indicator_id,
                    indicator_codes.get(indicator_id, "?"),
                    grain,
                    bucket,
                    (int(e[0]), int(e[1])),
                    f,
                )
    # Today's-tree terms must be those the units' successions give.
    from phoihop.figures.models import TodayTerm
    from phoihop.figures.today import compute_terms, load_units

    expected_terms = compute_terms(load_units())
    stored_terms = {(u, s): c for u, s, c in TodayTerm.objects.values_list("unit_id", "source_id", "sign")}
    if expected_terms != stored_terms:
        differing = sorted(
            k for k in expected_terms.keys() | stored_terms.keys() if expected_terms.get(k) != stored_terms.get(k)
        )
        unit_id, source_id = differing[0]
        return Mismatch(
            unit_id,
            codes.get(unit_id, "?"),
            0,
            f"cây hiện hành: nguồn {codes.get(source_id, source_id)}",
            -1,
            0,
            (expected_terms.get((unit_id, source_id), 0), 0),
            (stored_terms.get((unit_id, source_id), 0), 0),
        )
    # Rows of units that exist no more, or of no unit at all.
    stray = Rollup.objects.exclude(unit_id__in=OrgUnit.objects.values("pk")).exclude(submitted=0, approved=0).first()
    if stray:
        return Mismatch(
            stray.unit_id,
            "?",
            stray.indicator_id,
            "?",
            stray.grain,
            stray.bucket,
            (0, 0),
            (stray.submitted, stray.approved),
        )
    return None


def day_of(bucket: int) -> date:
    return date(bucket // 10000, bucket // 100 % 100, bucket % 100)
