"""Figures benchmark on one database (run by ``bench/run.py``, one process per database).

    python bench/figures.py --database sqlite|postgresql [--units 100000] [--values 10000000]
                            [--queries 1000] [--seed 1] [--writes 20] [--workdir var/bench]

1. A fresh database (SQLite: ``<workdir>/bench.sqlite3``, a copy of ``PHOIHOP_BENCH_SCHEMA``
   when that names an empty migrated database; PostgreSQL: the database ``phoihop_bench`` on
   the server of ``DATABASE_URL``, dropped and created), migrated.
2. In bulk: a tree of units, one programme with 13 indicators, the values (COPY on
   PostgreSQL, executemany in large transactions on SQLite); then the roll-ups, built by the
   project's own ``rebuild_rollups()`` (the SQL of ``manage.py rebuild_figures``).
3. The values exported with their unit's path to Parquet, for DuckDB.
4. Measured: random subtree × date range × indicator totals through ``selectors.total``; the
   national dashboard's ``selectors.totals`` (the 34 provinces × every indicator, for a
   Decree 09 year and for the 2022–2027 phase); the same with DuckDB, every total compared;
   one activity write through ``activities.services.activity_create`` (ms, roll-up rows).

Progress goes to stdout; the last line is one JSON object with the results.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT_DIR = Path(__file__).resolve().parent.parent
if str(ROOT_DIR) not in sys.path:
    sys.path.insert(0, str(ROOT_DIR))

from bench import data as gen  # noqa: E402
from bench.duck import Duck, export_postgresql, export_sql, export_sqlite, timed, to_parquet  # noqa: E402

BENCH_DB = "phoihop_bench"
# Values above this many are not also checked by check_rollups() (a pure-Python brute force).
BRUTE_FORCE_MAX = 200_000
SQLITE_BATCH = 500_000
PG_CHUNK = 200_000

DB = "?"


def say(message: str) -> None:
    print(f"[{DB}] {message}", flush=True)


def ms_stats(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 (interpolated between the nearest samples)."""
    if len(samples) < 2:
        return samples[0], samples[0]
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94]


# --- the database ----------------------------------------------------------------------------


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def fresh_postgresql(admin_url: str) -> str:
    """Drop and create the bench database next to ``admin_url``'s own (never touched)."""
    import psycopg

    if urlsplit(admin_url).path.strip("/") == BENCH_DB:
        raise SystemExit(f"DATABASE_URL must not name {BENCH_DB}: the bench drops that database.")
    conninfo = with_database(admin_url, urlsplit(admin_url).path.strip("/") or "postgres")
    conninfo = conninfo.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(conninfo, autocommit=True) as con:
        con.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        con.execute(f"CREATE DATABASE {BENCH_DB}")
    return with_database(admin_url, BENCH_DB)


def setup_django(database: str, workdir: Path) -> str:
    """Point the settings at a fresh bench database, set Django up, migrate. Returns its name."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "phoihop.settings"
    os.environ.setdefault("SECRET_KEY", "bench-only-key-not-for-production")
    # DEBUG keeps every query in memory; the benchmark runs as production does.
    os.environ["DEBUG"] = "0"
    os.environ["PHOIHOP_VAR_DIR"] = str(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    if database == "postgresql":
        admin_url = os.environ.get("DATABASE_URL", "")
        if not admin_url.startswith(("postgres://", "postgresql://")):
            raise SystemExit("--database postgresql needs DATABASE_URL=postgres://...")
        os.environ["DATABASE_URL"] = fresh_postgresql(admin_url)
        name = BENCH_DB
    else:
        os.environ.pop("DATABASE_URL", None)
        db_file = workdir / "bench.sqlite3"
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{db_file}{suffix}").unlink(missing_ok=True)
        schema = os.environ.get("PHOIHOP_BENCH_SCHEMA")
        if schema:  # an empty migrated database to start from (the tests' tiny runs share one)
            shutil.copyfile(schema, db_file)
        from django.conf import settings

        # The project's SQLite settings (WAL, IMMEDIATE transactions, busy timeout), another file.
        settings.DATABASES["default"]["NAME"] = str(db_file)
        name = str(db_file)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    return name


# --- loading ---------------------------------------------------------------------------------


def create_programme() -> tuple[Any, dict[str, Any], list[int], Any]:
    """Organisation, levels, programme, party, fields, indicators, phases (through the ORM: a few rows)."""
    from phoihop.orgunits.models import Organisation, OrgUnitLevel
    from phoihop.programmes.models import Field, Indicator, Phase, PhaseStatus, Programme

    org = Organisation.objects.create(code="ccb-bench", name="Hội Cựu chiến binh (dữ liệu đo)", short_name="CCB đo")
    levels = {
        code: OrgUnitLevel.objects.create(organisation=org, code=code, name=name, rank=rank)
        for rank, (code, name) in enumerate(
            [(gen.ROOT, "Trung ương"), (gen.PROVINCE, "Tỉnh"), (gen.COMMUNE, "Xã"), (gen.BRANCH, "Chi hội")]
        )
    }
    programme = Programme.objects.create(code="BENCH", title="Chương trình phối hợp (dữ liệu đo)")
    fields = {
        code: Field.objects.create(programme=programme, code=code, name=name, order=i)
        for i, (code, name) in enumerate(gen.FIELDS)
    }
    indicators = [
        Indicator.objects.create(
            programme=programme, field=fields[field], code=code, name=name, unit_of_measure=uom, order=i
        )
        for i, (code, field, name, uom, _max) in enumerate(gen.INDICATORS)
    ]
    Phase.objects.create(
        programme=programme, code="2017-2022", name="2017–2022", start=date(2017, 9, 23), end=date(2022, 9, 22),
        status=PhaseStatus.CLOSED,
    )  # fmt: skip
    phase = Phase.objects.create(
        programme=programme, code="2022-2027", name="2022–2027", start=date(2022, 9, 23), end=date(2027, 9, 22),
        status=PhaseStatus.ACTIVE,
    )  # fmt: skip
    return org, levels, [i.pk for i in indicators], phase


def load_units(tree: gen.Tree, org: Any, levels: dict[str, Any]) -> None:
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from phoihop.orgunits.models import OrgUnit

    closed_on, reform = gen.REFORM_DAY - timedelta(days=1), gen.REFORM_DAY
    rows = []
    for u in tree.units:
        rows.append(
            (
                u.id, None, closed_on if u.closed else None, u.path, u.depth, u.numchild, u.code, u.name, "",
                u.level, reform if u.successor_id else None, "absorbed" if u.successor_id else "",
                OrgUnit.build_search_text(u.code, u.name, ""), None, org.pk, levels[u.level].pk, u.successor_id, 1,
            )
        )  # fmt: skip
    table = connection.ops.quote_name(OrgUnit._meta.db_table)
    columns = (
        "id, valid_from, valid_to, path, depth, numchild, code, name, short_name, kind, succession_date, "
        "succession_kind, search_text, area_id, organisation_id, level_id, successor_id, version"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * 18)})", rows)
        for sql in connection.ops.sequence_reset_sql(no_style(), [OrgUnit]):
            cursor.execute(sql)


VALUE_COLUMNS = (
    "date, period_start, value, counted, approved, note, activity_id, entered_by_id, entered_by_unit_id, "
    "indicator_id, unit_id"
)


def load_values_sqlite(batches: Iterator[list[gen.ValueRow]], indicator_ids: list[int]) -> int:
    """executemany in transactions of half a million rows; journal and syncs off for the load only."""
    from django.db import connection, transaction

    from phoihop.entry.models import IndicatorValue

    table = connection.ops.quote_name(IndicatorValue._meta.db_table)
    sql = f"INSERT INTO {table} ({VALUE_COLUMNS}) VALUES (%s, %s, %s, %s, %s, '', NULL, NULL, NULL, %s, %s)"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=OFF")
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA cache_size=-1000000")
    total, pending = 0, list[tuple[Any, ...]]()

    def flush() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, pending)

    for batch in batches:
        for unit_id, indicator, day, value, counted, approved in batch:
            # An entered value of a one-day period: unique by unit, indicator and period.
            iso = day.isoformat()
            pending.append((iso, iso, value, counted, approved, indicator_ids[indicator], unit_id))
        if len(pending) >= SQLITE_BATCH:
            flush()
            total += len(pending)
            pending = []
            say(f"  {total:,} values")
    if pending:
        flush()
        total += len(pending)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    return total


def load_values_postgresql(batches: Iterator[list[gen.ValueRow]], indicator_ids: list[int]) -> int:
    """COPY in text format, in one transaction."""
    from django.db import connection, transaction

    from phoihop.entry.models import IndicatorValue

    table = connection.ops.quote_name(IndicatorValue._meta.db_table)
    total, reported = 0, 0
    with transaction.atomic(), connection.cursor() as cursor:
        # The foreign keys' triggers off for the load, as pg_restore --disable-triggers does: the
        # generator's rows refer to units and indicators that exist by construction, and deferred
        # checks would queue 30 million trigger events until the commit.
        cursor.execute("SET LOCAL session_replication_role = replica")
        with cursor.cursor.copy(f"COPY {table} ({VALUE_COLUMNS}) FROM STDIN") as copy:
            lines: list[str] = []
            for batch in batches:
                if not batch:
                    continue
                iso = batch[0][2].isoformat()
                for unit_id, indicator, _day, value, counted, approved in batch:
                    lines.append(
                        f"{iso}\t{iso}\t{value}\t{'t' if counted else 'f'}\t{'t' if approved else 'f'}\t\t\\N\t\\N\t\\N"
                        f"\t{indicator_ids[indicator]}\t{unit_id}\n"
                    )
                if len(lines) >= PG_CHUNK:
                    copy.write("".join(lines))
                    total += len(lines)
                    lines = []
                    if total - reported >= 1_000_000:
                        reported = total
                        say(f"  {total:,} values")
            if lines:
                copy.write("".join(lines))
                total += len(lines)
    return total


@contextmanager
def secondary_indexes_dropped(table: str) -> Iterator[None]:
    """Drop the table's indexes (not its primary key) for the load and build them again after it,
    from their own definitions, as pg_restore does: one sort per index instead of ten million
    random inserts into each of seven indexes."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                           "AND sql IS NOT NULL", [table])  # fmt: skip
        else:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
                "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
                [table, table],
            )
        indexes = cursor.fetchall()
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET maintenance_work_mem = '512MB'")
        for _name, sql in indexes:
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            cursor.execute("RESET maintenance_work_mem")
    say(f"  {len(indexes)} indexes of {table} built again in {time.perf_counter() - started:.1f} s")


def analyze(tables: list[str]) -> None:
    """PostgreSQL's autovacuum would analyse (and vacuum) freshly loaded tables within a minute;
    the bench does it at once so that the plans and index-only scans are those of a live system."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}")


# --- measuring -------------------------------------------------------------------------------


def measure_subtrees(queries: list[gen.Query], view: str) -> tuple[list[float], list[int]]:
    from phoihop.figures.selectors import total

    times, results = [], []
    for q in queries[:20]:  # warm-up: connection, imports, statement caches
        total(unit_id=q.unit_id, indicator_id=q.indicator_id, start=q.start, end=q.end, view=view)  # type: ignore[arg-type]
    for q in queries:
        started = time.perf_counter()
        value = total(unit_id=q.unit_id, indicator_id=q.indicator_id, start=q.start, end=q.end, view=view)  # type: ignore[arg-type]
        times.append((time.perf_counter() - started) * 1000)
        results.append(value)
    return times, results


def best_of(runs: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(runs):
        ms, result = timed(fn)
        best = min(best, ms)
    return best, result


def measure_write(tree: gen.Tree, indicator_ids: list[int], phase: Any, writes: int, rng: random.Random) -> dict:
    """activity_create(..., submit=True) with three values, by a reporter of a commune, on one
    of its branches (the deepest units: the most roll-up rows a write touches in this tree)."""
    from phoihop.accounts.models import RoleAssignment, User
    from phoihop.activities import services
    from phoihop.core.scoping import Role, clear_scope_cache
    from phoihop.figures import upkeep
    from phoihop.figures.selectors import totals
    from phoihop.orgunits.models import OrgUnit
    from phoihop.programmes.models import Indicator

    # The open commune with the most branches; the writes go round its branches.
    branches: dict[str, list[int]] = {}
    for b in tree.open_by_level[gen.BRANCH]:
        branches.setdefault(b.path[: 3 * gen.STEPLEN], []).append(b.id)
    communes = tree.open_by_level[gen.COMMUNE]
    chosen = max(communes, key=lambda c: len(branches.get(c.path, [])))
    commune = OrgUnit.objects.get(pk=chosen.id)
    lead_units = list(OrgUnit.objects.filter(pk__in=branches.get(chosen.path, [])).order_by("pk")) or [commune]
    user = User.objects.create_user(username="bench.reporter", first_name="Đo", last_name="Người")
    RoleAssignment.objects.create(user=user, unit=commune, role=Role.REPORTER, valid_from=date(2017, 1, 1))
    indicators = list(Indicator.objects.filter(pk__in=indicator_ids[:3]).order_by("pk"))
    # The commune, its province and the root (the national total) must move by exactly what was written.
    watched = list(OrgUnit.objects.filter(path__in=[commune.path[:n] for n in (4, 8, 12)]).values_list("pk", flat=True))
    phase_range = {"start": phase.start, "end": phase.end}
    before = totals(unit_ids=watched, indicator_ids=[i.pk for i in indicators], **phase_range)

    touched: list[int] = []
    original = upkeep.apply_deltas

    def counting(deltas: Any) -> int:
        rows = original(deltas)
        touched[-1] += rows
        return rows

    upkeep.apply_deltas = counting
    times: list[float] = []
    written: dict[int, int] = dict.fromkeys((i.pk for i in indicators), 0)
    span = (min(gen.LAST_DAY, phase.end) - phase.start).days
    try:
        for n in range(writes + 2):  # two warm-ups
            day = phase.start + timedelta(days=rng.randrange(span + 1))
            amounts = {ind: rng.randint(1, 50) for ind in indicators}
            lead = lead_units[n % len(lead_units)]
            clear_scope_cache(user)  # a request computes the writer's scope afresh
            touched.append(0)
            started = time.perf_counter()
            services.activity_create(
                acting_user=user, phase=phase, lead_unit=lead, title=f"Hoạt động phối hợp đo số {n + 1}",
                start_date=day, end_date=day, values=amounts, participants_lead=20, participants_partner=0,
                description="Tuyên truyền, giúp đỡ hội viên (dữ liệu đo).", submit=True,
            )  # fmt: skip
            elapsed = (time.perf_counter() - started) * 1000
            for ind, amount in amounts.items():
                written[ind.pk] += amount
            if n >= 2:
                times.append(elapsed)
            else:
                touched.pop()
    finally:
        upkeep.apply_deltas = original
    after = totals(unit_ids=watched, indicator_ids=[i.pk for i in indicators], **phase_range)
    exact = all(after[k] - before[k] == written[k[1]] for k in before)
    return {
        "write_ms": round(statistics.median(times), 2),
        "write_p95_ms": round(ms_stats(times)[1], 2),
        "rows_per_write": max(touched),
        "rows_per_write_min": min(touched),
        "writes": len(times),
        "write_depth": len(lead_units[0].path) // 4,
        "write_exact": exact,
    }


# --- the run ---------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    global DB
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--values", type=int, default=10_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--writes", type=int, default=20)
    parser.add_argument("--workdir", type=Path, default=ROOT_DIR / "var" / "bench")
    args = parser.parse_args(argv)
    DB = args.database
    workdir = args.workdir.resolve()
    result: dict[str, Any] = {"units": args.units, "values": args.values, "queries": args.queries, "seed": args.seed}

    started = time.perf_counter()
    name = setup_django(args.database, workdir)
    from django.db import connection

    from phoihop.entry.models import IndicatorValue
    from phoihop.figures.models import Rollup
    from phoihop.figures.rebuild import check_rollups, rebuild_rollups
    from phoihop.figures.selectors import totals
    from phoihop.orgunits.models import OrgUnit

    say(f"database {name} migrated in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        result["db_version"] = cursor.fetchone()[0]

    # 1. Data
    tree = gen.build_tree(args.units, random.Random(args.seed))
    org, levels, indicator_ids, phase = create_programme()
    t = time.perf_counter()
    load_units(tree, org, levels)
    result["units_load_s"] = round(time.perf_counter() - t, 1)
    from phoihop.programmes.models import Party

    root = OrgUnit.objects.get(pk=tree.root.id)
    Party.objects.create(programme=phase.programme, organisation=org, representative_unit=root, root_unit=root)
    say(f"{len(tree.units):,} units loaded in {result['units_load_s']} s")
    t = time.perf_counter()
    batches = gen.values_by_day(tree, args.values, random.Random(args.seed + 1))
    loader = load_values_sqlite if connection.vendor == "sqlite" else load_values_postgresql
    with secondary_indexes_dropped(IndicatorValue._meta.db_table):
        loaded = loader(batches, indicator_ids)
    result["values_load_s"] = round(time.perf_counter() - t, 1)
    say(f"{loaded:,} values generated and loaded in {result['values_load_s']} s")
    analyze([OrgUnit._meta.db_table, IndicatorValue._meta.db_table])

    t = time.perf_counter()
    stats = rebuild_rollups(progress=lambda step: say(f"  rebuild: {step}"))
    result["rebuild_s"] = round(stats["seconds"], 1)
    result["rollup_rows"] = stats["rows"]
    result["today_terms"] = stats["terms"]
    say(f"roll-ups rebuilt in {result['rebuild_s']} s: {stats['rows']:,} rows, {stats['terms']} today's-tree terms")
    analyze([Rollup._meta.db_table])
    if args.values <= BRUTE_FORCE_MAX:
        t = time.perf_counter()
        mismatch = check_rollups()
        result["brute_force_equal"] = mismatch is None
        say(f"check_rollups (brute force): {'equal' if mismatch is None else mismatch.describe()} "
            f"in {time.perf_counter() - t:.1f} s")  # fmt: skip

    # 2. Parquet for DuckDB
    t = time.perf_counter()
    q = connection.ops.quote_name
    sql = export_sql(q(IndicatorValue._meta.db_table), q(OrgUnit._meta.db_table))
    csv_file, parquet_file = workdir / f"values-{DB}.csv", workdir / f"values-{DB}.parquet"
    if connection.vendor == "sqlite":
        export_sqlite(name, sql, csv_file)
    else:
        with connection.cursor() as cursor:
            export_postgresql(cursor.cursor, sql, csv_file)
    exported = to_parquet(csv_file, parquet_file)
    csv_file.unlink()
    result["export_s"] = round(time.perf_counter() - t, 1)
    result["parquet_bytes"] = parquet_file.stat().st_size
    say(f"{exported:,} values exported to {parquet_file.name} in {result['export_s']} s")
    if exported != loaded:
        raise SystemExit(f"exported {exported} values, loaded {loaded}")

    # 3. Subtree totals: ours, then DuckDB's, compared one by one.
    queries = gen.sample_queries(tree, indicator_ids, args.queries, random.Random(args.seed + 2))
    ours_ms, ours = measure_subtrees(queries, "historical")
    result["subtree_p50_ms"], result["subtree_p95_ms"] = (round(x, 3) for x in ms_stats(ours_ms))
    by_level = {}
    for level in (gen.ROOT, gen.PROVINCE, gen.COMMUNE, gen.BRANCH):
        sample = [ms for ms, query in zip(ours_ms, queries, strict=True) if query.level == level]
        if sample:
            by_level[level] = round(ms_stats(sample)[0], 3)
    result["subtree_p50_ms_by_level"] = by_level
    today_ms, _ = measure_subtrees(queries, "today")
    result["subtree_today_p50_ms"], result["subtree_today_p95_ms"] = (round(x, 3) for x in ms_stats(today_ms))
    say(f"subtree totals: p50 {result['subtree_p50_ms']} ms, p95 {result['subtree_p95_ms']} ms "
        f"(today's tree p50 {result['subtree_today_p50_ms']} ms)")  # fmt: skip

    provinces = [(u.id, u.path) for u in tree.open_provinces]
    duck = Duck(parquet_file, provinces)
    result["duckdb_threads"] = duck.threads()
    for query in queries[:5]:  # warm-up
        duck.subtree_total(query.path, query.indicator_id, query.start, query.end)
    duck_ms, theirs = [], []
    for query in queries:
        started_at = time.perf_counter()
        theirs.append(duck.subtree_total(query.path, query.indicator_id, query.start, query.end))
        duck_ms.append((time.perf_counter() - started_at) * 1000)
    result["duckdb_subtree_p50_ms"], result["duckdb_subtree_p95_ms"] = (round(x, 3) for x in ms_stats(duck_ms))
    differing = [(qq, a, b) for qq, a, b in zip(queries, ours, theirs, strict=True) if a != b]
    result["subtree_equal"] = not differing
    result["subtree_compared"] = len(queries)
    result["subtree_nonzero"] = sum(1 for v in ours if v)
    result["subtree_ratio"] = round(result["duckdb_subtree_p50_ms"] / result["subtree_p50_ms"], 1)
    say(f"DuckDB subtree totals: p50 {result['duckdb_subtree_p50_ms']} ms, p95 {result['duckdb_subtree_p95_ms']} ms; "
        f"{len(queries) - len(differing)}/{len(queries)} equal")  # fmt: skip
    for qq, a, b in differing[:5]:
        say(f"  DIFFERENT: unit {qq.unit_id} indicator {qq.indicator_id} {qq.start}..{qq.end}: ours {a}, DuckDB {b}")

    # 4. The national dashboard: the 34 provinces × every indicator, two periods.
    from phoihop.figures.periods import decree09_period

    year = decree09_period("year", 2025)
    periods = {"year": (year.start, year.end), "phase": (date(2022, 9, 23), date(2027, 9, 22))}
    province_ids = [pid for pid, _ in provinces]
    national_equal = True
    for label, (start, end) in periods.items():
        ours_best, ours_totals = best_of(
            5, partial(totals, unit_ids=province_ids, indicator_ids=indicator_ids, start=start, end=end)
        )
        duck_best, duck_totals = best_of(5, partial(duck.national, start, end))
        equal = all(duck_totals.get(k, 0) == v for k, v in ours_totals.items()) and set(duck_totals) <= set(ours_totals)
        approved_ours = totals(unit_ids=province_ids, indicator_ids=indicator_ids, start=start, end=end, approved=True)
        approved_duck = duck.national(start, end, approved=True)
        equal_approved = all(approved_duck.get(k, 0) == v for k, v in approved_ours.items())
        national_equal = national_equal and equal and equal_approved
        result[f"national_{label}_ms"] = round(ours_best, 2)
        result[f"duckdb_national_{label}_ms"] = round(duck_best, 2)
        result[f"national_{label}_pairs"] = len(ours_totals)
        say(f"national {label} {start}..{end}: ours {ours_best:.2f} ms, DuckDB {duck_best:.2f} ms; "
            f"{len(ours_totals)} totals {'equal' if equal else 'DIFFERENT'}, "
            f"approved {'equal' if equal_approved else 'DIFFERENT'}")  # fmt: skip
    duck.close()
    result["national_ms"] = round(result["national_year_ms"] + result["national_phase_ms"], 2)
    result["duckdb_national_ms"] = round(result["duckdb_national_year_ms"] + result["duckdb_national_phase_ms"], 2)
    result["national_ratio"] = round(result["duckdb_national_ms"] / result["national_ms"], 1)
    result["national_equal"] = national_equal

    # 5. One activity write (after the comparisons: it changes the totals).
    result.update(measure_write(tree, indicator_ids, phase, args.writes, random.Random(args.seed + 3)))
    say(f"activity write: median {result['write_ms']} ms, p95 {result['write_p95_ms']} ms, "
        f"{result['rows_per_write']} roll-up rows; totals after the writes "
        f"{'exact' if result['write_exact'] else 'WRONG'}")  # fmt: skip

    if connection.vendor == "sqlite":
        result["db_bytes"] = sum(Path(f"{name}{s}").stat().st_size for s in ("", "-wal") if Path(f"{name}{s}").exists())
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            result["db_bytes"] = cursor.fetchone()[0]
    result["equal"] = bool(
        result["subtree_equal"] and national_equal and result["write_exact"] and result.get("brute_force_equal", True)
    )
    result["total_s"] = round(time.perf_counter() - started, 1)
    say(f"done in {result['total_s']} s")
    print(json.dumps(result), flush=True)
    return 0 if result["equal"] else 1


if __name__ == "__main__":
    sys.exit(main())
