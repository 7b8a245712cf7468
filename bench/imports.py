"""The activity import at 20,000 rows with 3 values each, on SQLite and PostgreSQL (issue 15, item 4).

    python bench/imports.py [--rows 20000] [--provinces 34] [--communes 20] [--no-record]
                            [--database sqlite|postgresql]

Without ``--database``: SQLite, then PostgreSQL when DATABASE_URL points to a PostgreSQL server,
each in its own process (Django's settings are per process). Each builds a fresh database of
its own (SQLite ``<workdir>/imports.sqlite3``; PostgreSQL ``phoihop_bench_imports`` on
DATABASE_URL's server, dropped at the end), two organisations of ``provinces × communes`` units
each, a programme between them with three indicators, and a reporter of the first organisation's
root (who reads the second's units as a viewer). It writes a 20,000-row XLSX and the same rows
as a UTF-8 CSV, then times ``phoihop.imports.services.import_file``:

1. a dry run of the XLSX (every row checked, nothing written);
2. the real run of the XLSX (20,000 activities, 60,000 values, their partners, history rows and
   the roll-ups), then ``check_rollups`` (what ``manage.py check_figures`` runs);
3. the same XLSX again (0 created, 0 updated), then the CSV (the same rows: 0 created, 0 updated);
4. ``check_rollups`` again.

Acceptance (issue 15): the real run in under 10 s (≥ 2,000 rows/s) on both databases; the
re-imports change nothing; the roll-ups equal brute-force sums after both runs. The results go
into docs/benchmarks.md between the markers of this script (unless ``--no-record``). The last
line printed is one JSON object; the exit status is not zero when any check fails.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT_DIR = Path(__file__).resolve().parent.parent
if str(ROOT_DIR) not in sys.path:
    sys.path.insert(0, str(ROOT_DIR))
from bench.docs import record_section  # noqa: E402

BENCH_DB = "phoihop_bench_imports"
DOCS = ROOT_DIR / "docs" / "benchmarks.md"
DOCS_START = "<!-- bench/imports.py: start -->"
DOCS_END = "<!-- bench/imports.py: end -->"
INDICATORS = [
    ("hd-buoi", "Buổi tuyên truyền", "buổi"),
    ("hd-luot", "Lượt người nghe", "lượt"),
    ("gn-ho", "Hộ thoát nghèo", "hộ"),
]
PHASE_START, PHASE_END = date(2022, 9, 23), date(2027, 9, 22)
DB = "?"


def say(message: str) -> None:
    print(f"[imports {DB}] {message}", flush=True)


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


ADMIN_URL: list[str] = []  # DATABASE_URL as given (setup_django points the settings at the bench's database)


def admin_conninfo() -> str:
    if not ADMIN_URL:
        ADMIN_URL.append(os.environ["DATABASE_URL"])
    url = ADMIN_URL[0]
    if urlsplit(url).path.strip("/") == BENCH_DB:
        raise SystemExit(f"DATABASE_URL must not name {BENCH_DB}: the bench drops that database.")
    return with_database(url, urlsplit(url).path.strip("/") or "postgres").replace("postgres://", "postgresql://", 1)


def postgresql(statement: str) -> None:
    import psycopg

    with psycopg.connect(admin_conninfo(), autocommit=True) as con:
        con.execute(statement)


# --- one database, in its own process ----------------------------------------------------------------


def setup_django(database: str, workdir: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "phoihop.settings"
    os.environ.setdefault("SECRET_KEY", "bench-only-key-not-for-production")
    os.environ["DEBUG"] = "0"
    os.environ["PHOIHOP_VAR_DIR"] = str(workdir)
    if database == "postgresql":
        postgresql(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        postgresql(f"CREATE DATABASE {BENCH_DB}")
        os.environ["DATABASE_URL"] = with_database(os.environ["DATABASE_URL"], BENCH_DB)
    else:
        os.environ.pop("DATABASE_URL", None)
        path = workdir / "imports.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    import django
    from django.conf import settings

    if database == "sqlite":
        settings.DATABASES["default"]["NAME"] = str(workdir / "imports.sqlite3")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def build_world(provinces: int, communes: int) -> tuple[Any, Any, list[tuple[str, str]]]:
    """Two organisations' trees, a programme between their roots, a reporter; returns the user,
    the programme and the (lead, partner) unit codes of the communes, paired by position."""
    from phoihop.accounts.models import RoleAssignment, User
    from phoihop.core.scoping import Role
    from phoihop.orgunits.models import Organisation, OrgUnit, OrgUnitLevel
    from phoihop.programmes.models import Field, Indicator, Party, Phase, PhaseStatus, Programme

    sides = []
    for code, name in (("ca-bench", "Công an (dữ liệu đo)"), ("ccb-bench", "Hội Cựu chiến binh (dữ liệu đo)")):
        org = Organisation.objects.create(code=code, name=name, short_name=code.upper())
        levels = [
            OrgUnitLevel.objects.create(organisation=org, code=c, name=n, rank=r)
            for r, (c, n) in enumerate([("tw", "Trung ương"), ("tinh", "Tỉnh"), ("xa", "Xã")])
        ]
        prefix = code.split("-")[0].upper()
        root = OrgUnit.objects.add_root(
            instance=OrgUnit(organisation=org, code=f"{prefix}-TW", name=f"{name} Trung ương", level=levels[0])
        )
        leaves = []
        for p in range(provinces):
            province = OrgUnit.objects.add_child(
                root,
                instance=OrgUnit(
                    organisation=org, code=f"{prefix}-T{p:02d}", name=f"{name} tỉnh số {p + 1}", level=levels[1]
                ),
            )
            for c in range(communes):
                leaf = OrgUnit(
                    organisation=org,
                    code=f"{prefix}-T{p:02d}-X{c:03d}",
                    name=f"{name} xã số {c + 1} tỉnh số {p + 1}",
                    level=levels[2],
                )
                leaves.append(OrgUnit.objects.add_child(province, instance=leaf).code)
                province.refresh_from_db()
            root.refresh_from_db()
        sides.append((org, root, leaves))
    programme = Programme.objects.create(code="BENCH-IMPORT", title="Chương trình phối hợp (đo nhập dữ liệu)")
    for order, (org, root, _leaves) in enumerate(sides):
        Party.objects.create(
            programme=programme, organisation=org, representative_unit=root, root_unit=root, order=order
        )
    field = Field.objects.create(programme=programme, code="chung", name="Chung", order=0)
    for order, (code, name, uom) in enumerate(INDICATORS):
        Indicator.objects.create(
            programme=programme, field=field, code=code, name=name, unit_of_measure=uom, order=order
        )
    Phase.objects.create(
        programme=programme, code="2022-2027", name="2022–2027", start=PHASE_START, end=PHASE_END,
        status=PhaseStatus.ACTIVE,
    )  # fmt: skip
    user = User.objects.create_user(username="bench.reporter", first_name="Đo", last_name="Người")
    RoleAssignment.objects.create(user=user, unit=sides[0][1], role=Role.REPORTER, valid_from=date(2020, 1, 1))
    RoleAssignment.objects.create(user=user, unit=sides[1][1], role=Role.VIEWER, valid_from=date(2020, 1, 1))
    return user, programme, list(zip(sides[0][2], sides[1][2], strict=True))


HEADERS = [
    "Mã hoạt động",
    "Giai đoạn",
    "Tên hoạt động",
    "Từ ngày",
    "Đến ngày",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Địa điểm",
    "Người tham gia bên chủ trì",
    "Người tham gia bên phối hợp",
    "Nội dung, kết quả",
    *(code for code, _n, _u in INDICATORS),
]


def make_rows(count: int, pairs: list[tuple[str, str]], seed: int, last_day: date) -> list[list[Any]]:
    rng = random.Random(seed)
    span = (last_day - PHASE_START).days
    rows = []
    for i in range(count):
        lead, partner = pairs[rng.randrange(len(pairs))]
        end = PHASE_START + timedelta(days=rng.randrange(span))
        start = max(PHASE_START, end - timedelta(days=rng.randrange(3)))
        rows.append(
            [
                f"BENCH-{i + 1:06d}",
                "2022-2027",
                f"Tuyên truyền pháp luật cho hội viên, đợt {i + 1}",
                start,
                end,
                lead,
                partner,
                f"Nhà văn hóa thôn {rng.randrange(1, 20)}",
                rng.randrange(10, 200),
                rng.randrange(0, 100),
                "Phổ biến Luật Cựu chiến binh và các chính sách mới.",
                rng.randrange(1, 5),
                rng.randrange(20, 500),
                rng.randrange(0, 3),
            ]
        )
    return rows


def write_files(rows: list[list[Any]], workdir: Path) -> tuple[Path, Path]:
    import xlsxwriter

    xlsx, csv_path = workdir / "hoat-dong.xlsx", workdir / "hoat-dong.csv"
    book = xlsxwriter.Workbook(str(xlsx), {"constant_memory": True})
    sheet = book.add_worksheet("Hoạt động")
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, HEADERS)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, date):
                sheet.write_datetime(r, c, value, dates)
            else:
                sheet.write(r, c, value)
    book.close()
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for row in rows:
            writer.writerow([f"{v.day}/{v.month}/{v.year}" if isinstance(v, date) else v for v in row])
    return xlsx, csv_path


PROFILE_DIR: list[Path] = []  # --profile: each step's cProfile statistics go there


def timed_import(user: Any, programme: Any, path: Path, *, dry_run: bool, name: str = "") -> tuple[float, Any]:
    import cProfile

    from phoihop.imports.services import import_file

    profiler = cProfile.Profile() if PROFILE_DIR else None
    started, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    result = import_file(
        acting_user=user, kind="activities", path=path, filename=path.name, programme=programme, dry_run=dry_run
    )
    if profiler:
        profiler.disable()
        slug = "".join(c if c.isalnum() else "-" for c in name).strip("-")
        profiler.dump_stats(PROFILE_DIR[0] / f"{DB}-{slug}.prof")
    result.cpu_s = time.process_time() - cpu
    return time.perf_counter() - started, result


def run_one_database(args: argparse.Namespace) -> int:
    global DB
    DB = args.database
    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    say("fresh database, migrate")
    setup_django(args.database, workdir)
    try:
        return measure(args, workdir, started)
    finally:
        if args.database == "postgresql":
            from django.db import connections

            connections.close_all()
            postgresql(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


def measure(args: argparse.Namespace, workdir: Path, started: float) -> int:
    from django.db import connection
    from django.utils import timezone

    from phoihop.activities.models import Activity
    from phoihop.entry.models import IndicatorValue
    from phoihop.figures.rebuild import check_rollups
    from phoihop.imports.reading import read_table

    say(f"{args.provinces} × {args.communes} communes on each side, the programme, a reporter")
    user, programme, pairs = build_world(args.provinces, args.communes)
    rows = make_rows(args.rows, pairs, args.seed, min(timezone.localdate(), PHASE_END))
    xlsx, csv_path = write_files(rows, workdir)
    say(f"{len(rows):,} rows written: {xlsx.name} {xlsx.stat().st_size // 1024} KiB, {csv_path.name}")
    read_started = time.perf_counter()
    read_table(xlsx, xlsx.name)
    read_xlsx = time.perf_counter() - read_started
    read_started = time.perf_counter()
    read_table(csv_path, csv_path.name)
    read_csv = time.perf_counter() - read_started

    runs: dict[str, dict[str, Any]] = {}
    ok = True

    def step(name: str, path: Path, *, dry_run: bool, expect: tuple[int, int, int]) -> None:
        nonlocal ok
        seconds, result = timed_import(user, programme, path, dry_run=dry_run, name=name)
        got = (result.created, result.updated, result.unchanged)
        good = not result.errors and got == expect
        ok = ok and good
        runs[name] = {
            "seconds": round(seconds, 2),
            "cpu_s": round(result.cpu_s, 2),
            "rows_per_s": round(len(rows) / seconds),
            "created": got[0],
            "updated": got[1],
            "unchanged": got[2],
            "errors": len(result.errors),
            "ok": good,
        }
        say(
            f"{name}: {seconds:.2f} s (this process's CPU {result.cpu_s:.2f} s), {len(rows) / seconds:,.0f} rows/s, "
            f"created {got[0]}, updated {got[1]}, "
            f"unchanged {got[2]}, errors {len(result.errors)}{'' if good else ' — NOT AS EXPECTED'}"
        )
        for error in result.errors[:5]:
            say(f"  row {error.row}, {error.column} ({error.value}): {error.message}")

    n = len(rows)
    step("dry run (xlsx)", xlsx, dry_run=True, expect=(n, 0, 0))
    step("import (xlsx)", xlsx, dry_run=False, expect=(n, 0, 0))
    first_check = check_rollups()
    step("re-import (xlsx)", xlsx, dry_run=False, expect=(0, 0, n))
    step("re-import (csv)", csv_path, dry_run=False, expect=(0, 0, n))
    second_check = check_rollups()
    activities = Activity.objects.filter(phase__programme=programme).count()
    values = IndicatorValue.objects.filter(activity__phase__programme=programme).count()
    checks = {
        "check_figures_after_import": first_check is None,
        "check_figures_after_reimport": second_check is None,
        "activities": activities,
        "values": values,
        "under_10_s": runs["import (xlsx)"]["seconds"] < 10,
    }
    ok = ok and first_check is None and second_check is None and activities == n and checks["under_10_s"]
    say(f"check_figures after the import: {'OK' if first_check is None else first_check.describe()}")
    say(f"check_figures after the re-imports: {'OK' if second_check is None else second_check.describe()}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        version = str(cursor.fetchone()[0]).split(" ")[0]
    result = {
        "database": args.database,
        "db_version": version,
        "rows": n,
        "read_xlsx_s": round(read_xlsx, 2),
        "read_csv_s": round(read_csv, 2),
        "runs": runs,
        **checks,
        "ok": ok,
        "total_s": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(result), flush=True)
    return 0 if ok else 1


# --- the driver ------------------------------------------------------------------------------------


def machine() -> str:
    from bench.report import machine as report_machine

    return report_machine()


def record(results: dict[str, dict[str, Any]], rows: int) -> None:
    """Replace this script's section of docs/benchmarks.md (between its markers; added at the end
    the first time)."""
    today = date.today()
    lines = [
        DOCS_START,
        "## Nhập hoạt động từ Excel/CSV (`bench/imports.py`)",
        "",
        f"{rows:,} hoạt động, mỗi hoạt động 3 số liệu và 1 đơn vị phối hợp, do một người báo cáo của cây "
        "thứ nhất nhập (mọi dòng qua cổng phạm vi và các quy tắc của dịch vụ), "
        f"đo ngày {today.day}/{today.month}/{today.year} trên {machine()}. Thời gian tính cả đọc tệp; "
        "lần nhập thật gồm ghi hoạt động, đơn vị phối hợp, số liệu, các dòng lịch sử và số liệu cộng dồn "
        "(một lần cập nhật cho cả lượt). Mục tiêu: ≥ 2.000 dòng/giây, 20.000 dòng dưới 10 giây. "
        f"Tải của máy lúc đo (load average 1 phút): {os.getloadavg()[0]:.1f}; “CPU” là thời gian CPU của "
        "tiến trình nhập (không gồm máy chủ PostgreSQL).",
        "",
        "| database | read xlsx / csv (s) | dry run (s, rows/s) | import (s, rows/s) | re-import xlsx (s) | "
        "re-import csv (s) | check_figures | result |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for database, r in results.items():
        if "runs" not in r:
            lines.append(f"| {database} | – | – | – | – | – | – | KHÔNG CHẠY ĐƯỢC: {r.get('error', '')} |")
            continue
        runs = r["runs"]
        label = ("SQLite " if database == "sqlite" else "PostgreSQL ") + str(r.get("db_version", ""))

        def cell(name: str, *, rate: bool = False, runs: dict[str, Any] = runs) -> str:
            run = runs[name]
            cpu = f"; CPU {run['cpu_s']:.2f}" if "cpu_s" in run else ""
            rate_text = f" ({run['rows_per_s']:,}{cpu})".replace(",", ".") if rate else f" (CPU {run['cpu_s']:.2f})"
            return f"{run['seconds']:.2f}{rate_text}"

        checks = "OK" if r["check_figures_after_import"] and r["check_figures_after_reimport"] else "SAI"
        lines.append(
            f"| {label} | {r['read_xlsx_s']:.2f} / {r['read_csv_s']:.2f} | {cell('dry run (xlsx)', rate=True)} | "
            f"**{cell('import (xlsx)', rate=True)}** | {cell('re-import (xlsx)')} | {cell('re-import (csv)')} | "
            f"{checks} | {'đạt (OK)' if r['ok'] else 'KHÔNG ĐẠT (not OK)'} |"
        )
    lines += [
        "",
        "Lần nhập lại (cùng tệp xlsx, rồi tệp csv cùng nội dung) không tạo, không sửa gì (0 tạo mới, 0 cập nhật). "
        "Chạy lại: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/imports.py` "
        "(cơ sở dữ liệu riêng `phoihop_bench_imports`, xóa sau khi đo).",
        DOCS_END,
    ]
    section = "\n".join(lines)
    record_section(section, DOCS_START, DOCS_END, DOCS)


def run_all(args: argparse.Namespace) -> int:
    databases = [args.only] if args.only else ["sqlite"]
    if not args.only and os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        databases.append("postgresql")
    env = dict(os.environ)
    env.setdefault("SECRET_KEY", "bench-only-key-not-for-production")
    env["PYTHONUNBUFFERED"] = "1"
    results: dict[str, dict[str, Any]] = {}
    own = [
        *("--rows", str(args.rows), "--provinces", str(args.provinces), "--communes", str(args.communes)),
        *("--seed", str(args.seed), "--workdir", str(args.workdir)),
        *(("--profile", str(args.profile.resolve())) if args.profile else ()),
    ]
    for database in databases:
        command = [sys.executable, str(Path(__file__).resolve()), *own, "--database", database]
        last = ""
        with subprocess.Popen(command, cwd=ROOT_DIR, env=env, stdout=subprocess.PIPE, text=True) as process:
            assert process.stdout is not None
            for line in process.stdout:
                if line.startswith("{"):
                    last = line
                else:
                    print(line, end="", flush=True)
        if not last:
            results[database] = {"ok": False, "error": f"exit status {process.returncode}"}
            continue
        results[database] = json.loads(last)
        if process.returncode:
            results[database]["ok"] = False
    if not args.no_record:
        record(results, args.rows)
    print(json.dumps(results), flush=True)
    return 0 if all(r.get("ok") for r in results.values()) else 1


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="run one database only")
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--provinces", type=int, default=34)
    parser.add_argument("--communes", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=ROOT_DIR / "var" / "bench-imports")
    parser.add_argument("--no-record", action="store_true", help="leave docs/benchmarks.md as it is")
    parser.add_argument("--profile", type=Path, help="write each step's cProfile statistics to this folder")
    # make bench passes the figures benchmark's options to every script: ignored here.
    args, ignored = parser.parse_known_args(argv)
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
        PROFILE_DIR.append(args.profile)
    if args.database:
        return run_one_database(args)
    if ignored:
        print(f"bench/imports.py: ignoring {' '.join(ignored)} (options of the figures benchmark)", flush=True)
    return run_all(args)


if __name__ == "__main__":
    sys.exit(main())
