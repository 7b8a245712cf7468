"""Keeping the roll-ups exact in the transaction of every change of a value.

A service wraps its change in ``track(values)``: the values' sums are taken before and after
(grouped by unit, indicator and day), and the difference is added to the roll-up rows of the
unit and its ancestors below the root, for the day, the month and the year: one upsert per
key, keys sorted so that concurrent writers lock rows in the same order.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, IntegerField, QuerySet, Sum, When

from phoihop.core.gate import ROLLUP_UPKEEP
from phoihop.core.scoping import path_prefixes
from phoihop.figures.models import Rollup
from phoihop.figures.periods import bucket_keys

# (unit_id, indicator_id, date) -> (submitted, approved)
Sums = dict[tuple[int, int, date], tuple[int, int]]

# (unit_id, indicator_id, grain, bucket) -> (submitted, approved)
Deltas = dict[tuple[int, int, int, int], tuple[int, int]]

UPSERT_CHUNK = 400
UNNEST_CHUNK = 20_000


def value_sums(values: QuerySet, paths: dict[int, str] | None = None) -> Sums:
    """Submitted and approved sums of ``values`` by unit, indicator and day; the units' paths
    go into ``paths`` (read with the sums: one round trip less)."""
    rows = (
        values.order_by()
        .values("unit_id", "unit__path", "indicator_id", "date")
        .annotate(
            s=Sum(Case(When(counted=True, then="value"), default=0, output_field=IntegerField())),
            a=Sum(Case(When(approved=True, then="value"), default=0, output_field=IntegerField())),
        )
    )
    sums: Sums = {}
    for r in rows:
        sums[(r["unit_id"], r["indicator_id"], r["date"])] = (r["s"] or 0, r["a"] or 0)
        if paths is not None:
            paths[r["unit_id"]] = r["unit__path"]
    return sums


def rollup_targets(unit_ids: Iterable[int], known_paths: dict[int, str] | None = None) -> dict[int, list[int]]:
    """For each unit, the units whose roll-up rows its values add to.

    Every ancestor-or-self below the root; for a root unit, the root itself (its row holds the
    values recorded on the root only).
    """
    from phoihop.orgunits.models import OrgUnit

    wanted_ids = set(unit_ids)
    paths = {uid: p for uid, p in (known_paths or {}).items() if uid in wanted_ids}
    if missing := wanted_ids - paths.keys():
        paths.update(OrgUnit.objects.unrestricted(ROLLUP_UPKEEP).filter(pk__in=missing).values_list("pk", "path"))
    wanted = {p for path in paths.values() for p in path_prefixes(path, OrgUnit.steplen)[1:]}
    units = OrgUnit.objects.unrestricted(ROLLUP_UPKEEP)
    ids = dict(units.filter(path__in=wanted).values_list("path", "pk")) if wanted else {}
    targets: dict[int, list[int]] = {}
    for unit_id, path in paths.items():
        above = path_prefixes(path, OrgUnit.steplen)[1:]
        targets[unit_id] = [ids[p] for p in above] if above else [unit_id]
    return targets


def deltas_between(
    before: Sums, after: Sums, paths: dict[int, str] | None = None, targets: dict[int, list[int]] | None = None
) -> Deltas:
    """The roll-up deltas of going from ``before`` to ``after``: each changed (unit, indicator,
    day) sum added to the day, month and year of every unit ``rollup_targets`` names (given as
    ``targets`` by a caller that has them already, for every unit of the sums: then nothing
    here reads the database)."""
    changed: dict[tuple[int, int, date], tuple[int, int]] = {}
    for key in before.keys() | after.keys():
        b, a = before.get(key, (0, 0)), after.get(key, (0, 0))
        if b != a:
            changed[key] = (a[0] - b[0], a[1] - b[1])
    if not changed:
        return {}
    # Summed by unit first (each day's buckets worked out once), then added to the unit's
    # targets: an import's 60,000 values fall on far fewer (unit, indicator, bucket) keys.
    # Plain dicts of ints, submitted and approved apart (an import approves nothing).
    buckets: dict[date, tuple[tuple[int, int], ...]] = {}
    own_s: dict[int, dict[tuple[int, int, int], int]] = {}
    own_a: dict[int, dict[tuple[int, int, int], int]] = {}
    for (unit_id, indicator_id, day), (ds, da) in changed.items():
        keys = buckets.get(day)
        if keys is None:
            keys = buckets[day] = tuple((int(grain), bucket) for grain, bucket in bucket_keys(day))
        unit_s = own_s.get(unit_id)
        if unit_s is None:
            unit_s = own_s[unit_id] = {}
            own_a[unit_id] = {}
        unit_a = own_a[unit_id]
        for grain, bucket in keys:
            k = (indicator_id, grain, bucket)
            unit_s[k] = unit_s.get(k, 0) + ds
            if da:
                unit_a[k] = unit_a.get(k, 0) + da
    if targets is None:
        targets = rollup_targets(own_s, paths)
    sub: dict[tuple[int, int, int, int], int] = {}
    app: dict[tuple[int, int, int, int], int] = {}
    for unit_id, unit_s in own_s.items():
        unit_a = own_a[unit_id]
        for target in targets[unit_id]:
            for (indicator_id, grain, bucket), ds in unit_s.items():
                rkey = (target, indicator_id, grain, bucket)
                sub[rkey] = sub.get(rkey, 0) + ds
            for (indicator_id, grain, bucket), da in unit_a.items():
                rkey = (target, indicator_id, grain, bucket)
                app[rkey] = app.get(rkey, 0) + da
    deltas = {key: (s, app.get(key, 0)) for key, s in sub.items()}
    deltas.update((key, (0, a)) for key, a in app.items() if key not in sub)
    return {key: v for key, v in deltas.items() if v != (0, 0)}


class Upserts:
    """The roll-up upserts of ``deltas``, made ready (keys sorted, statements and parameters built:
    Python's part, which a caller may do while its rows are still being written) and run by
    ``run``: one upsert per key, in key order."""

    def __init__(self, deltas: Deltas) -> None:
        self.count = len(deltas)
        self.statements: list[tuple[str, list[Any]]] = []
        self.sqlite = connection.vendor == "sqlite"  # executemany on the driver's cursor
        if not deltas:
            return
        table = connection.ops.quote_name(Rollup._meta.db_table)
        keys = sorted(deltas)
        upsert = (
            f"INSERT INTO {table} (unit_id, indicator_id, grain, bucket, submitted, approved) "
            "{rows} ON CONFLICT (unit_id, indicator_id, grain, bucket) DO UPDATE SET "
            f"submitted = {table}.submitted + excluded.submitted, "
            f"approved = {table}.approved + excluded.approved"
        )
        if connection.vendor == "postgresql" and len(keys) > UPSERT_CHUNK:
            # A large change (an import): one array per column, rows upserted in key order (psycopg
            # converts a statement's "%s" in Python, which cost more than the upserts at this size).
            # Each column goes as one text of comma-separated numbers (str.join works in C), split
            # by the server: arrays of numbers cost psycopg about 3 µs of Python a value to write.
            split = "string_to_array(%s, ',')"
            sql = upsert.format(
                rows=f"SELECT * FROM unnest({split}::integer[], {split}::integer[], {split}::smallint[], "
                f"{split}::integer[], {split}::bigint[], {split}::bigint[])"
            )
            for i in range(0, len(keys), UNNEST_CHUNK):
                chunk = keys[i : i + UNNEST_CHUNK]
                columns = list(zip(*chunk, strict=True))
                columns += list(zip(*map(deltas.__getitem__, chunk), strict=True))
                self.statements.append((sql, [",".join(map(str, column)) for column in columns]))
        elif self.sqlite:
            # The driver's executemany of one prepared upsert, keys in order: a loop in C.
            sql = upsert.format(rows="VALUES (?, ?, ?, ?, ?, ?)")
            self.statements.append((sql, [(*key, *deltas[key]) for key in keys]))
        else:
            sql = upsert.format(rows="VALUES {placeholders}")
            for i in range(0, len(keys), UPSERT_CHUNK):
                chunk = keys[i : i + UPSERT_CHUNK]
                params: list[int] = []
                for key in chunk:
                    params.extend((*key, *deltas[key]))
                placeholders = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(chunk))
                self.statements.append((sql.format(placeholders=placeholders), params))

    def run(self) -> int:
        """Run the upserts; returns the row count."""
        if not self.statements:
            return 0
        with connection.cursor() as cursor, connection.wrap_database_errors:
            for sql, params in self.statements:
                if self.sqlite:
                    sqlite3.Cursor.executemany(cursor.cursor, sql, params)
                else:
                    cursor.execute(sql, params)
        return self.count


def apply_deltas(deltas: Deltas) -> int:
    """Add ``deltas`` to the roll-up rows, one upsert per key, in key order. Returns the row count."""
    return Upserts(deltas).run()


def lock_units(units: Any) -> None:
    """Lock the rows of the units whose values a transaction is about to change.

    Every service that changes values locks their units first (``SELECT ... FOR UPDATE``, in
    primary-key order), then takes ``track``'s "before" sums. So on PostgreSQL two writers of
    the same unit's values (an entry and a lock of its subtree, two entries of one period)
    run one after the other and each difference is exact; no phantom value of a locked unit
    can appear between the two sums. SQLite's IMMEDIATE transactions already run writers one
    at a time.
    """
    from phoihop.orgunits.models import OrgUnit

    rows = OrgUnit.objects.unrestricted(ROLLUP_UPKEEP).select_for_update().filter(pk__in=units).order_by("pk")
    list(rows.values_list("pk", flat=True))


@dataclass
class Tracking:
    """What a ``track`` block changed: the roll-up rows it touched."""

    rows_touched: int = 0
    deltas: Deltas = field(default_factory=dict)


@contextmanager
def track(values: QuerySet, *, empty_before: bool = False) -> Iterator[Tracking]:
    """Keep the roll-ups exact for every change the block makes to the rows of ``values``.

    ``values`` is re-evaluated after the block, so it must select the changed rows both
    before and after (filter by activity, by unit and period, never by the fields changed).
    ``empty_before``: the caller knows ``values`` selects nothing yet (a new activity).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("figures.track must run inside the service's transaction")
    result = Tracking()
    paths: dict[int, str] = {}
    before = {} if empty_before else value_sums(values, paths)
    yield result
    result.deltas = deltas_between(before, value_sums(values.all(), paths), paths)
    result.rows_touched = apply_deltas(result.deltas)
