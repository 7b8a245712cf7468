"""National end-of-phase Word report benchmark, run by ``make bench`` after the figures
benchmark (``bench/run.py``).

    python bench/report.py [--units 100000] [--values 10000000] [--seed 1] [--runs 3]
                           [--workdir var/bench] [--fresh] [--no-record]
                           [--partner-units N] [--partner-values N] [--activities N]
                           [--database sqlite|postgresql]

Without ``--database``: SQLite, then PostgreSQL when DATABASE_URL points to it, each in its own
process (Django's settings are per process); the last line printed is one JSON object keyed by
database, and the result table of ``docs/benchmarks.md`` is updated (unless ``--no-record``).
The exit status is not zero when a run failed or a reported figure differs from the raw values'
sum; missing the 3 s target is reported, not an error.

With ``--database``, one database:

1. The figures benchmark's database (SQLite ``<workdir>/bench.sqlite3``, PostgreSQL
   ``phoihop_bench`` on DATABASE_URL's server) when it holds the bench programme with
   ``--units`` units: ``make bench`` has just built it. Otherwise, or with ``--fresh``, the same
   data is built here with the figures benchmark's generator and loaders (``bench/data.py``,
   ``bench/figures.py``): the tree, 10 million values, their roll-ups; no DuckDB, no queries.
2. Once per database, what a national report needs besides the figures benchmark's data: the
   second party of the programme (an army-like organisation "qd-bench" with a tree of
   ``--partner-units`` units and ``--partner-values`` values of its own, whose roll-ups are
   kept by ``figures.upkeep.track`` as a service keeps them), ``--activities`` joint activities
   across both trees (the report lists the notable ones: a query over all of them), both
   roots' issuing-body profiles, the end-of-phase reporting period of the 2017–2022 phase,
   and the joint draft report of the two roots with narrative in every section.
3. Timed: ``phoihop.reporting.documents.build(report, "docx")``: the live content computed from
   the roll-ups (figures by field against the previous period and targets, an annex per root
   with a row per child unit of the time, notable activities, models, lessons, proposals) and
   the Word rendering; one warm-up, then the median of ``--runs``. The two parts are also
   timed apart. Every figure of the content is compared with a SQL sum over the raw values.
4. Not timed: the DOCX converted once by LibreOffice (when installed) to count its pages.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT_DIR = Path(__file__).resolve().parent.parent
if str(ROOT_DIR) not in sys.path:
    sys.path.insert(0, str(ROOT_DIR))

from bench import data as gen  # noqa: E402

TARGET_S = 3.0
DOCS = ROOT_DIR / "docs" / "benchmarks.md"
TABLE_BEGIN = "<!-- report-bench:begin -->"
TABLE_END = "<!-- report-bench:end -->"
TABLE_HEADER = (
    "| date | machine | database | units | values | DOCX, median (s) | content / Word (s) | pages / annex rows "
    "| < 3 s |\n|---|---|---|---:|---:|---:|---|---|---|"
)
PARTNER_ORG, PARTNER_ROOT = "qd-bench", "BENCH-QD"
BENCH_ORG, BENCH_PROGRAMME = "ccb-bench", "BENCH"
# The figures benchmark's own activities (its writes) are "Hoạt động phối hợp đo số N".
ACTIVITY_TITLE = "Hoạt động phối hợp thử số "
DB = "?"


def say(message: str) -> None:
    print(f"[report {DB}] {message}", flush=True)


# --- choosing the database -------------------------------------------------------------------


def existing_units(database: str, workdir: Path) -> int | None:
    """Units of the figures benchmark's organisation in its database, or None when it is absent."""
    try:
        if database == "sqlite":
            path = workdir / "bench.sqlite3"
            if not path.exists():
                return None
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
                return int(count_units(con.cursor()))
        import psycopg

        from bench.figures import BENCH_DB, with_database

        admin_url = os.environ.get("DATABASE_URL", "").replace("postgres://", "postgresql://", 1)
        with psycopg.connect(with_database(admin_url, BENCH_DB)) as con:
            return int(count_units(con.cursor()))
    except Exception:
        return None


def count_units(cursor: Any) -> int:
    cursor.execute(
        "SELECT count(*) FROM orgunits_orgunit u JOIN orgunits_organisation o ON o.id = u.organisation_id "
        "WHERE o.code = %s AND EXISTS (SELECT 1 FROM programmes_programme WHERE code = %s)".replace(
            "%s", "?" if isinstance(cursor, sqlite3.Cursor) else "%s"
        ),
        (BENCH_ORG, BENCH_PROGRAMME),
    )
    return int(cursor.fetchone()[0])


def setup_existing(database: str, workdir: Path) -> str:
    """Point the settings at the figures benchmark's database as it is, set Django up, migrate."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "phoihop.settings"
    os.environ.setdefault("SECRET_KEY", "bench-only-key-not-for-production")
    os.environ["DEBUG"] = "0"
    os.environ["PHOIHOP_VAR_DIR"] = str(workdir)
    if database == "postgresql":
        from bench.figures import BENCH_DB, with_database

        os.environ["DATABASE_URL"] = with_database(os.environ["DATABASE_URL"], BENCH_DB)
        name = BENCH_DB
    else:
        os.environ.pop("DATABASE_URL", None)
        from django.conf import settings

        name = str(workdir / "bench.sqlite3")
        settings.DATABASES["default"]["NAME"] = name
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    return name


def build_fresh(args: argparse.Namespace) -> None:
    """The figures benchmark's data, built the way bench/figures.py builds it (no measuring)."""
    from bench import figures

    figures.DB = DB
    from django.db import connection

    from phoihop.entry.models import IndicatorValue
    from phoihop.figures.models import Rollup
    from phoihop.figures.rebuild import rebuild_rollups
    from phoihop.orgunits.models import OrgUnit
    from phoihop.programmes.models import Party

    tree = gen.build_tree(args.units, random.Random(args.seed))
    org, levels, indicator_ids, phase = figures.create_programme()
    figures.load_units(tree, org, levels)
    root = OrgUnit.objects.get(pk=tree.root.id)
    Party.objects.create(programme=phase.programme, organisation=org, representative_unit=root, root_unit=root)
    started = time.perf_counter()
    batches = gen.values_by_day(tree, args.values, random.Random(args.seed + 1))
    loader = figures.load_values_sqlite if connection.vendor == "sqlite" else figures.load_values_postgresql
    with figures.secondary_indexes_dropped(IndicatorValue._meta.db_table):
        loaded = loader(batches, indicator_ids)
    figures.analyze([OrgUnit._meta.db_table, IndicatorValue._meta.db_table])
    say(f"{len(tree.units):,} units and {loaded:,} values loaded in {time.perf_counter() - started:.1f} s")
    stats = rebuild_rollups()
    figures.analyze([Rollup._meta.db_table])
    say(f"roll-ups rebuilt in {stats['seconds']:.1f} s ({stats['rows']:,} rows)")


# --- what the report needs besides the figures -----------------------------------------------


def add_partner(args: argparse.Namespace) -> None:
    """The programme's second party: an organisation with its own tree and values (once)."""
    from django.db import connection, transaction

    from bench import figures
    from phoihop.entry.models import IndicatorValue
    from phoihop.figures.today import rebuild_terms
    from phoihop.figures.upkeep import track
    from phoihop.orgunits.models import Organisation, OrgUnit, OrgUnitLevel
    from phoihop.programmes.models import Indicator, Party, Programme

    programme = Programme.objects.get(code=BENCH_PROGRAMME)
    if Party.objects.filter(programme=programme, organisation__code=PARTNER_ORG).exists():
        return
    started = time.perf_counter()
    n_units = max(args.partner_units, 2 * (gen.OPEN_PROVINCES + 5) + 1)
    tree = gen.build_tree(n_units, random.Random(args.seed + 10))
    # The generator numbers its units from 1 under the path 0001: move them after the existing
    # units, under a root path of their own, with the army's names.
    offset = OrgUnit.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    last_root = OrgUnit.objects.filter(depth=1).order_by("-path").values_list("path", flat=True).first() or ""
    root_path = gen.step(OrgUnit._str2int(last_root) + 1 if last_root else 1)
    names = {gen.ROOT: "Bộ Quốc phòng (dữ liệu đo)", gen.PROVINCE: "Bộ CHQS tỉnh thử", gen.COMMUNE: "Ban CHQS xã thử",
             gen.BRANCH: "Đơn vị thử"}  # fmt: skip
    for unit in tree.units:
        unit.id += offset
        unit.path = root_path + unit.path[gen.STEPLEN :]
        if unit.successor_id:
            unit.successor_id += offset
        number = unit.code.rsplit("-", 1)[-1]
        unit.code = PARTNER_ROOT if unit.level == gen.ROOT else f"BQD-{number}"
        unit.name = names[unit.level] if unit.level == gen.ROOT else f"{names[unit.level]} {number[1:]}"
    with transaction.atomic():
        org = Organisation.objects.create(code=PARTNER_ORG, name="Quân đội (dữ liệu đo)", short_name="QĐ đo")
        levels = {
            code: OrgUnitLevel.objects.create(organisation=org, code=code, name=name, rank=rank)
            for rank, (code, name) in enumerate(
                [(gen.ROOT, "Trung ương"), (gen.PROVINCE, "Tỉnh"), (gen.COMMUNE, "Xã"), (gen.BRANCH, "Đơn vị")]
            )
        }
        figures.load_units(tree, org, levels)
        root = OrgUnit.objects.get(pk=tree.root.id)
        Party.objects.create(programme=programme, organisation=org, representative_unit=root, root_unit=root, order=1)
        indicator_ids = list(
            Indicator.objects.filter(programme=programme).order_by("order", "pk").values_list("pk", flat=True)
        )
        table = connection.ops.quote_name(IndicatorValue._meta.db_table)
        sql = f"INSERT INTO {table} ({figures.VALUE_COLUMNS}) VALUES (%s, %s, %s, %s, %s, '', NULL, NULL, NULL, %s, %s)"
        loaded = 0
        with track(IndicatorValue.objects.filter(unit__path__startswith=root_path), empty_before=True) as tracking:
            with connection.cursor() as cursor:
                rows: list[tuple[Any, ...]] = []
                for batch in gen.values_by_day(tree, args.partner_values, random.Random(args.seed + 11)):
                    for unit_id, indicator, day, value, counted, approved in batch:
                        when = day.isoformat() if connection.vendor == "sqlite" else day
                        rows.append((when, when, value, counted, approved, indicator_ids[indicator], unit_id))
                    if len(rows) >= 20_000:
                        cursor.executemany(sql, rows)
                        loaded, rows = loaded + len(rows), []
                if rows:
                    cursor.executemany(sql, rows)
                    loaded += len(rows)
        rebuild_terms()
    say(f"second party: {len(tree.units):,} units, {loaded:,} values, {tracking.rows_touched:,} roll-up rows "
        f"kept by figures.upkeep.track, in {time.perf_counter() - started:.1f} s")  # fmt: skip


def add_activities(args: argparse.Namespace) -> None:
    """Joint activities led by provinces and communes of both trees (once): the report lists the
    notable ones of the period, a query over all of them."""
    from django.db import transaction

    from phoihop.activities.models import Activity, ActivityStatus
    from phoihop.orgunits.models import OrgUnit
    from phoihop.programmes.models import Phase

    phases = list(Phase.objects.filter(programme__code=BENCH_PROGRAMME).order_by("start"))
    generated = Activity.objects.filter(phase__in=phases, title__startswith=ACTIVITY_TITLE)
    if args.activities <= 0 or generated.exists():
        return
    started = time.perf_counter()
    rng = random.Random(args.seed + 20)
    leads = list(
        OrgUnit.objects.filter(
            organisation__code__in=[BENCH_ORG, PARTNER_ORG], level__code__in=[gen.PROVINCE, gen.COMMUNE]
        )
        .order_by("pk")
        .values_list("pk", "valid_to")
    )
    first, span = phases[0].start, (gen.LAST_DAY - phases[0].start).days
    rows = []
    for n in range(args.activities):
        day = first + timedelta(days=rng.randrange(span + 1))
        lead, valid_to = leads[rng.randrange(len(leads))]
        if valid_to is not None and day > valid_to:
            day = valid_to
        phase = phases[0] if day <= phases[0].end else phases[-1]
        title = f"{ACTIVITY_TITLE}{n + 1}"
        rows.append(
            Activity(
                phase=phase, title=title, start_date=day, end_date=day, lead_unit_id=lead,
                participants_lead=rng.randint(5, 300), participants_partner=rng.randint(0, 200),
                status=ActivityStatus.APPROVED if rng.random() < 0.8 else ActivityStatus.SUBMITTED,
                search_text=title.lower(),
            )
        )  # fmt: skip
    with transaction.atomic():
        Activity.objects.bulk_create(rows, batch_size=5000)
    say(f"{len(rows):,} activities added in {time.perf_counter() - started:.1f} s")


def the_report() -> Any:
    """The 2017–2022 end-of-phase period and the joint draft report of the two roots."""
    from phoihop.demo.reporting import national_narrative
    from phoihop.figures.periods import PeriodKind
    from phoihop.orgunits.models import OrgUnit
    from phoihop.programmes.models import Field, Phase
    from phoihop.reporting.models import BodyKind, BodyProfile, Report, ReportingPeriod

    phase = Phase.objects.get(programme__code=BENCH_PROGRAMME, code="2017-2022")
    period, _ = ReportingPeriod.objects.get_or_create(
        programme=phase.programme,
        kind=PeriodKind.END_PHASE,
        start=phase.start,
        end=phase.end,
        name="Tổng kết giai đoạn 2017–2022",
        defaults={"phase": phase, "due_date": phase.end + timedelta(days=30)},
    )
    association = OrgUnit.objects.get(code=BENCH_PROGRAMME)
    army = OrgUnit.objects.get(code=PARTNER_ROOT)
    for unit, kind, abbreviation in ((army, BodyKind.ARMY, "QĐ-ĐO"), (association, BodyKind.ASSOCIATION, "HCCB-ĐO")):
        BodyProfile.objects.get_or_create(
            unit=unit,
            defaults={"kind": kind, "abbreviation": abbreviation, "place": "Hà Nội", "signer_title": "THỦ TRƯỞNG"},
        )
    # The demo's national narrative (its figures left at zero), one field text per field.
    text = national_narrative({})
    narrative = {k: v for k, v in text.items() if not k.startswith("field:")}
    for field in Field.objects.filter(programme=phase.programme):
        narrative[f"field:{field.code}"] = text["field:tuyen-truyen"]
    report, _ = Report.objects.get_or_create(
        period=period,
        unit=army,
        defaults={
            "partner_unit": association,
            "narrative": narrative,
            "place": "Hà Nội",
            "recipients": "Ban Bí thư Trung ương Đảng\nBộ Quốc phòng\nBan Dân vận Trung ương",
        },
    )
    return report


# --- measuring -------------------------------------------------------------------------------


def brute_force(report: Any, content: dict[str, Any]) -> bool:
    """Every figure of the content (the two roots' totals and every annex row) equals a SQL sum
    over the raw values (counted, dated in the period, in the unit's subtree)."""
    from django.db import connection

    from phoihop.entry.models import IndicatorValue
    from phoihop.orgunits.models import OrgUnit

    period = report.period
    values = connection.ops.quote_name(IndicatorValue._meta.db_table)
    units = connection.ops.quote_name(OrgUnit._meta.db_table)
    sums: dict[tuple[str, int], int] = {}
    with connection.cursor() as cursor:
        for owner in report.units:
            # The child's path (or the owner's own, for what it recorded itself), indicator, sum.
            cursor.execute(
                f"SELECT substr(u.path, 1, %s) AS p, v.indicator_id, sum(v.value) FROM {values} v "
                f"JOIN {units} u ON u.id = v.unit_id WHERE v.counted AND v.date BETWEEN %s AND %s "
                "AND u.path LIKE %s GROUP BY p, v.indicator_id",
                [len(owner.path) + OrgUnit.steplen, period.start, period.end, owner.path + "%"],
            )
            for path, indicator_id, total in cursor.fetchall():
                sums[(path, indicator_id)] = int(total)
    row_ids = [r["id"] for a in content["annexes"] for r in a["rows"]]
    paths = dict(OrgUnit.objects.filter(pk__in=row_ids).values_list("pk", "path"))
    equal = True
    for annex in content["annexes"]:
        for row in annex["rows"]:
            # A child's subtree, or the owner's own row (what it recorded itself, under no child).
            for k, indicator_id in enumerate(annex["indicator_ids"]):
                equal = equal and row["values"][k] == sums.get((paths[row["id"]], indicator_id), 0)
    for field in content["fields"]:
        for row in field["rows"]:
            expected = sum(v for (_path, i), v in sums.items() if i == row["indicator_id"])
            equal = equal and row["value"] == expected
    return equal


def count_pages(docx: bytes) -> int | None:
    """Pages of the DOCX as LibreOffice lays it out (None without LibreOffice)."""
    from phoihop.documents import builders

    try:
        if not builders.pdf_available():
            return None
        pdf = builders.docx_to_pdf(docx)
    except Exception as exc:
        say(f"pages not counted: {exc}")
        return None
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf)) or None


def measure(args: argparse.Namespace) -> dict[str, Any]:
    from django.db import connection

    from phoihop.activities.models import Activity
    from phoihop.documents import builders
    from phoihop.entry.models import IndicatorValue
    from phoihop.orgunits.models import OrgUnit
    from phoihop.reporting.content import report_content
    from phoihop.reporting.documents import build, document_for

    add_partner(args)
    add_activities(args)
    report = the_report()
    result: dict[str, Any] = {
        "units": OrgUnit.objects.filter(organisation__code=BENCH_ORG).count(),
        "partner_units": OrgUnit.objects.filter(organisation__code=PARTNER_ORG).count(),
        "values": IndicatorValue.objects.count(),
        "activities": Activity.objects.filter(phase__programme__code=BENCH_PROGRAMME).count(),
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        result["db_version"] = cursor.fetchone()[0]

    built = build(report, "docx")  # warm-up
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        built = build(report, "docx")
        times.append(time.perf_counter() - started)
    content_times, docx_times = [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        content = report_content(period=report.period, unit=report.unit, partner_unit=report.partner_unit)
        content_times.append(time.perf_counter() - started)
        doc = document_for(report, content)
        started = time.perf_counter()
        builders.build_docx(doc)
        docx_times.append(time.perf_counter() - started)
    result |= {
        "seconds": round(statistics.median(times), 3),
        "runs_s": [round(t, 3) for t in times],
        "content_s": round(statistics.median(content_times), 3),
        "docx_s": round(statistics.median(docx_times), 3),
        "bytes": len(built.content),
        "annex_rows": sum(len(a["rows"]) for a in content["annexes"]),
        "annexes": len(content["annexes"]),
        "indicators": len(content["indicators"]),
        "period": f"{report.period.start.isoformat()}..{report.period.end.isoformat()}",
    }
    result["ok"] = result["seconds"] < TARGET_S
    say(f"DOCX built in {result['seconds']} s (median of {args.runs}: {result['runs_s']}); content "
        f"{result['content_s']} s, Word {result['docx_s']} s; {result['annex_rows']} annex rows, "
        f"{result['bytes']:,} bytes")  # fmt: skip
    started = time.perf_counter()
    result["equal"] = brute_force(report, content)
    say(f"figures {'equal to' if result['equal'] else 'DIFFERENT from'} the raw values' sums "
        f"(checked in {time.perf_counter() - started:.1f} s)")  # fmt: skip
    if not args.no_pages:
        result["pages"] = count_pages(built.content)
        say(f"pages (LibreOffice): {result['pages']}")
    if args.save:
        args.save.write_bytes(built.content)
    return result


def run_one_database(args: argparse.Namespace) -> int:
    global DB
    DB = args.database
    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    found = None if args.fresh else existing_units(args.database, workdir)
    if found == args.units:
        name = setup_existing(args.database, workdir)
        say(f"reusing the figures benchmark's database {name} ({found:,} units)")
    else:
        if found is not None:
            say(f"the database holds {found:,} units, not {args.units:,}: building it again")
        from bench import figures

        name = figures.setup_django(args.database, workdir)
        say(f"building the figures benchmark's data in {name}")
        build_fresh(args)
    result = measure(args)
    result["database"] = args.database
    result["total_s"] = round(time.perf_counter() - started, 1)
    print(json.dumps(result), flush=True)
    return 0 if result["equal"] else 1


# --- the driver: each database in its own process, then the table in docs/benchmarks.md --------


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        memory = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        ram = f", {memory / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        ram = ""
    model = re.sub(r"\s+\d+-Core Processor|\(R\)|\(TM\)", "", model).strip()
    return f"{os.cpu_count()} vCPU{', ' + model if model else ''}{ram}"


def record(results: dict[str, dict[str, Any]], docs: Path) -> None:
    """Add or replace (same machine, database and sizes) the rows of the result table."""
    text = docs.read_text(encoding="utf-8")
    if TABLE_BEGIN not in text:
        raise SystemExit(f"{docs} has no {TABLE_BEGIN} … {TABLE_END} table")
    head, rest = text.split(TABLE_BEGIN, 1)
    table, tail = rest.split(TABLE_END, 1)
    rows = [line for line in table.strip().splitlines() if line.startswith("| ") and not line.startswith("| date")]
    where = machine()
    today = date.today()
    for database, r in results.items():
        if "seconds" not in r:
            continue
        key = f"| {where} | {database_label(database, r)} | {r['units']:,} | {r['values']:,} |"
        pages = r.get("pages")
        row = (
            f"| {today.day}/{today.month}/{today.year} {key} **{r['seconds']:.2f}** | {r['content_s']:.2f} / "
            f"{r['docx_s']:.2f} | {pages if pages else '–'} / {r['annex_rows']} | "
            f"{'đạt (OK)' if r['ok'] else 'KHÔNG ĐẠT (not OK)'} |"
        )
        rows = [line for line in rows if key not in line] + [row]
    docs.write_text(
        head + TABLE_BEGIN + "\n" + TABLE_HEADER + "\n" + "\n".join(rows) + "\n" + TABLE_END + tail, encoding="utf-8"
    )


def database_label(database: str, result: dict[str, Any]) -> str:
    name = "SQLite" if database == "sqlite" else "PostgreSQL"
    version = str(result.get("db_version", "")).split(" ")[0]
    return f"{name} {version}".strip()


def run_all(args: argparse.Namespace, argv: list[str]) -> int:
    databases = ["sqlite"]
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        databases.append("postgresql")
    env = dict(os.environ)
    env.setdefault("SECRET_KEY", "bench-only-key-not-for-production")
    env["PYTHONUNBUFFERED"] = "1"
    results: dict[str, dict[str, Any]] = {}
    for database in databases:
        command = [sys.executable, str(Path(__file__).resolve()), *argv, "--database", database]
        last = ""
        with subprocess.Popen(command, cwd=ROOT_DIR, env=env, stdout=subprocess.PIPE, text=True) as process:
            assert process.stdout is not None
            for line in process.stdout:
                if line.startswith("{"):
                    last = line
                else:
                    print(line, end="", flush=True)
        if not last:
            results[database] = {
                "equal": False,
                "error": f"bench/report.py --database {database} exited with {process.returncode}",
            }
            continue
        results[database] = json.loads(last)
        if process.returncode:
            results[database]["equal"] = False
    if not args.no_record:
        record(results, DOCS)
    print(json.dumps(results), flush=True)
    return 0 if all(r.get("equal") for r in results.values()) else 1


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"])
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--values", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=ROOT_DIR / "var" / "bench")
    parser.add_argument("--partner-units", type=int, help="units of the second party (default: units / 50)")
    parser.add_argument("--partner-values", type=int, help="values of the second party (default: values / 100)")
    parser.add_argument("--activities", type=int, help="joint activities (default: values / 40)")
    parser.add_argument("--fresh", action="store_true", help="build the data even when the figures bench's exists")
    parser.add_argument("--no-record", action="store_true", help="leave docs/benchmarks.md as it is")
    parser.add_argument("--no-pages", action="store_true", help="do not count pages with LibreOffice")
    parser.add_argument("--save", type=Path, help="also write the DOCX to this file")
    # The figures benchmark's own options (make bench passes BENCH_ARGS to both) are ignored.
    args, ignored = parser.parse_known_args(argv)
    args.runs = max(1, args.runs)
    args.partner_units = args.partner_units if args.partner_units is not None else args.units // 50
    args.partner_values = args.partner_values if args.partner_values is not None else args.values // 100
    args.activities = args.activities if args.activities is not None else args.values // 40
    if args.database:
        return run_one_database(args)
    if ignored:
        print(f"bench/report.py: ignoring {' '.join(ignored)} (options of the figures benchmark)", flush=True)
    return run_all(args, argv)


if __name__ == "__main__":
    sys.exit(main())
