"""Keeping the roll-ups exact in the transaction of every change of a value.

A service wraps its change in ``track(values)``: the values' sums are taken before and after
(grouped by unit, indicator and day), and the difference is added to the roll-up rows of the
unit and its ancestors below the root, for the day, the month and the year: one upsert per
key, keys sorted so that concurrent writers lock rows in the same order.
"""

from __future__ import annotations

from collections import defaultdict
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


def deltas_between(before: Sums, after: Sums, paths: dict[int, str] | None = None) -> Deltas:
    changed: dict[tuple[int, int, date], tuple[int, int]] = {}
    for key in before.keys() | after.keys():
        b, a = before.get(key, (0, 0)), after.get(key, (0, 0))
        if b != a:
            changed[key] = (a[0] - b[0], a[1] - b[1])
    if not changed:
        return {}
    targets = rollup_targets((unit_id for unit_id, _, _ in changed), paths)
    deltas: dict[tuple[int, int, int, int], list[int]] = defaultdict(lambda: [0, 0])
    for (unit_id, indicator_id, day), (ds, da) in changed.items():
        for target in targets[unit_id]:
            for grain, bucket in bucket_keys(day):
                row = deltas[(target, indicator_id, grain, bucket)]
                row[0] += ds
                row[1] += da
    return {k: (v[0], v[1]) for k, v in deltas.items() if v != [0, 0]}


def apply_deltas(deltas: Deltas) -> int:
    """Add ``deltas`` to the roll-up rows, one upsert per key, in key order. Returns the row count."""
    if not deltas:
        return 0
    table = connection.ops.quote_name(Rollup._meta.db_table)
    keys = sorted(deltas)
    if connection.vendor == "postgresql" and len(keys) > UPSERT_CHUNK:
        # A large change (an import): one array per column, rows upserted in key order. psycopg
        # converts a statement's "%s" in Python, which cost more than the upserts at this size.
        with connection.cursor() as cursor:
            for i in range(0, len(keys), UNNEST_CHUNK):
                chunk = keys[i : i + UNNEST_CHUNK]
                columns: list[list[int]] = [[], [], [], [], [], []]
                for key in chunk:
                    for column, value in zip(columns, (*key, *deltas[key]), strict=True):
                        column.append(value)
                cursor.execute(
                    f"INSERT INTO {table} (unit_id, indicator_id, grain, bucket, submitted, approved) "
                    "SELECT * FROM unnest(%s::integer[], %s::integer[], %s::smallint[], %s::integer[], "
                    "%s::bigint[], %s::bigint[]) "
                    "ON CONFLICT (unit_id, indicator_id, grain, bucket) DO UPDATE SET "
                    f"submitted = {table}.submitted + excluded.submitted, "
                    f"approved = {table}.approved + excluded.approved",
                    columns,
                )
        return len(keys)
    with connection.cursor() as cursor:
        for i in range(0, len(keys), UPSERT_CHUNK):
            chunk = keys[i : i + UPSERT_CHUNK]
            placeholders = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(chunk))
            params: list[int] = []
            for key in chunk:
                params.extend((*key, *deltas[key]))
            cursor.execute(
                f"INSERT INTO {table} (unit_id, indicator_id, grain, bucket, submitted, approved) "
                f"VALUES {placeholders} "
                "ON CONFLICT (unit_id, indicator_id, grain, bucket) DO UPDATE SET "
                f"submitted = {table}.submitted + excluded.submitted, "
                f"approved = {table}.approved + excluded.approved",
                params,
            )
    return len(keys)


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
