"""The busiest pages: their server CPU time and queries, then a load run under gunicorn.

    python bench/pages.py [--runs 15] [--warmup 3] [--users 20,50] [--seconds 40] [--workers 3]
                          [--threads 1] [--exporters 2] [--think 0] [--workdir var/bench-pages]
                          [--warm-rounds 2] [--worker-nice 10]
                          [--reuse-demo] [--skip-load] [--profile PAGE] [--write-docs]

1. The demo data in a SQLite file of its own (``migrate`` + ``load_demo``, as
   ``bench/concurrent_writes.py`` builds it), DEBUG off, as in production.
2. **Pages, in process.** The 15 busiest pages, each for the user who opens it most, through
   Django's test client: ``--warmup`` requests, then the median of ``--runs`` of the server CPU
   time of one request (``time.process_time()`` around it: the view, the templates and SQLite,
   which runs in process) and its wall time; the queries of one more request
   (``CaptureQueriesContext``). ``--profile NAME`` prints the cProfile of that page instead.
3. **Load.** gunicorn on a free port of 127.0.0.1 (``--workers`` sync workers, or gthread with
   ``--threads``), the demo users signed in (one session each, made in the database as a sign-in
   does), a huey worker for the jobs at ``nice --worker-nice`` (10) as docs/deploy.md runs it.
   Every page ``--warm-rounds`` times per worker first (not counted: a worker's first requests
   compile its templates). For each of ``--users`` (20, then 50): that many client threads, each a demo user
   requesting its pages in a loop (``--think`` seconds between two requests) for ``--seconds``,
   WHILE ``--exporters`` system administrators export the national activity list, one export
   after the other (the background job when the application offers one, else the Excel
   download). Latencies of the pages only (the exports are timed apart); every answer other than
   200 is an error. The load average of the machine at the start and the end of each run.

The last line printed is one JSON object; the exit status is not zero when a page failed, a
request failed or a target was missed: median CPU <= 15 ms for every page, p95 < 200 ms at 20
users and < 500 ms at 50 users, 0 errors.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import logging
import os
import platform
import pstats
import random
import re
import shutil
import statistics
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

ROOT_DIR = Path(__file__).resolve().parent.parent
if str(ROOT_DIR) not in sys.path:
    sys.path.insert(0, str(ROOT_DIR))

from bench.concurrent_writes import base_env, build_sqlite_demo, gunicorn, manage, percentile  # noqa: E402
from bench.docs import record_section  # noqa: E402

CPU_TARGET_MS = 15.0
P95_TARGETS_MS = {20: 200.0, 50: 500.0}
EXPORTER = "admin"  # the national activity list: a system administrator's export
DOCS = ROOT_DIR / "docs" / "benchmarks.md"
DOCS_START = "<!-- bench/pages.py: start -->"
DOCS_END = "<!-- bench/pages.py: end -->"


@dataclass
class Page:
    name: str
    user: str
    path: str
    # The page's own target (ms of wall time) when it is not one of the busiest pages, whose
    # target is CPU_TARGET_MS of server CPU.
    wall_target_ms: float | None = None


# --- the pages -------------------------------------------------------------------------------


def busiest_pages() -> list[Page]:
    """The 15 busiest pages, each for the user who opens it most (and the inbox, when it exists)."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from phoihop.activities.models import Activity
    from phoihop.orgunits.models import OrgUnit
    from phoihop.reporting.models import Report

    users = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
    hanoi = OrgUnit.objects.get(code="CCB-HANOI")
    activity = (
        Activity.objects.restrict(users["hanoi.ccb"], "view").filter(lead_unit__path__startswith=hanoi.path).first()
    )
    report = Report.objects.restrict(users["hanoi.ccb"], "view").order_by("-pk").first()
    pages = [
        Page("home", "hoankiem.ccb", reverse("home")),
        Page("figures (admin)", "admin", reverse("figures:dashboard")),
        Page("figures (province)", "hanoi.ccb", reverse("figures:dashboard")),
        Page("activity list", "hanoi.ccb", reverse("activities:list")),
        Page("activity detail", "hanoi.ccb", reverse("activities:detail", kwargs={"pk": activity.pk}))
        if activity
        else None,
        Page("entry form", "hoankiem.ccb", reverse("entry:form")),
        Page("entry status", "hanoi.ccb", reverse("entry:status")),
        Page("report list", "hanoi.ccb", reverse("reporting:report-list")),
        Page("report detail", "hanoi.ccb", reverse("reporting:report", kwargs={"pk": report.pk})) if report else None,
        # The report's annex (a row per district), which the report page loads when it is opened.
        Page("report annex", "hanoi.ccb", reverse("reporting:report-annex", kwargs={"pk": report.pk, "n": 1}))
        if report
        else None,
        Page("periods", "hanoi.ccb", reverse("reporting:period-list")),
        Page("nominations", "hanoi.ccb", reverse("commendations:nomination-list")),
        Page("exchanges", "hanoi.ccb", reverse("records:exchange-list")),
        Page("unit tree", "hanoi.ccb", reverse("orgunits:tree")),
        Page("unit detail", "hanoi.ccb", reverse("orgunits:unit", kwargs={"pk": hanoi.pk})),
        Page("people", "hanoi.ccb", reverse("orgunits:person-list")),
        Page("conferences", "hanoi.ccb", reverse("conferences:list")),
    ]
    pages.append(Page("inbox", "hanoi.ccb", reverse("inbox:inbox")))
    # Not a busy page, but the issue's own target: an account's roles for the system administrator
    # (a unit picker, not a drop-down of every unit) in under 300 ms.
    target = users["hanoi.ccb"]
    pages.append(Page("user roles (admin)", "admin", reverse("accounts:user", args=[target.pk]), wall_target_ms=300))
    return [p for p in pages if p is not None]


def signed_in_client(username: str) -> Any:
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(raise_request_exception=False)  # a failing page is counted, not fatal
    client.force_login(get_user_model().objects.get(username=username))
    return client


def measure_pages(pages: list[Page], runs: int, warmup: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clients: dict[str, Any] = {}
    results: dict[str, Any] = {}
    for page in pages:
        client = clients.get(page.user) or clients.setdefault(page.user, signed_in_client(page.user))
        statuses: Counter[int] = Counter()
        for _ in range(warmup):
            statuses[client.get(page.path).status_code] += 1
        cpu, wall = [], []
        size = 0
        for _ in range(runs):
            started_cpu, started = time.process_time(), time.perf_counter()
            response = client.get(page.path)
            cpu.append(1000 * (time.process_time() - started_cpu))
            wall.append(1000 * (time.perf_counter() - started))
            statuses[response.status_code] += 1
            size = len(response.content)
        with CaptureQueriesContext(connection) as queries:
            statuses[client.get(page.path).status_code] += 1
        results[page.name] = {
            "user": page.user,
            "path": page.path,
            "cpu_ms": round(statistics.median(cpu), 1),
            "cpu_ms_min": round(min(cpu), 1),
            "wall_ms": round(statistics.median(wall), 1),
            "queries": len(queries),
            "kb": round(size / 1024, 1),
            "ok": set(statuses) == {200},
            **({"wall_target_ms": page.wall_target_ms} if page.wall_target_ms else {}),
            **({} if set(statuses) == {200} else {"statuses": dict(statuses)}),
        }
        row = results[page.name]
        print(
            f"   {page.name:<20} {page.user:<13} cpu {row['cpu_ms']:6.1f} ms (min {row['cpu_ms_min']:5.1f})  "
            f"wall {row['wall_ms']:6.1f} ms  "
            f"{row['queries']:3d} queries  {row['kb']:6.1f} kB{'' if row['ok'] else '  FAILED ' + str(dict(statuses))}",
            flush=True,
        )
    return results


def profile_page(pages: list[Page], name: str, runs: int) -> None:
    page = next((p for p in pages if p.name == name), None)
    if page is None:
        raise SystemExit(f"no page named {name!r}; pages: {', '.join(p.name for p in pages)}")
    client = signed_in_client(page.user)
    client.get(page.path)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        client.get(page.path)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
    print(out.getvalue())
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(30)
    print(out.getvalue())
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(r"/phoihop/", 40)  # the project's own
    print(out.getvalue())


# --- the load run ----------------------------------------------------------------------------


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    exports: list[float] = field(default_factory=list)
    export_errors: list[str] = field(default_factory=list)
    export_kinds: Counter[str] = field(default_factory=Counter)

    def add(self, status: int | str, seconds: float, what: str) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.statuses[str(status)] += 1
            if status != 200 and len(self.errors) < 10:
                self.errors.append(f"{what}: {status}")


def session_cookies(usernames: set[str]) -> dict[str, str]:
    """One signed-in session per demo user, stored in the database as a sign-in stores it."""
    from django.conf import settings

    return {u: signed_in_client(u).cookies[settings.SESSION_COOKIE_NAME].value for u in usernames}


def export_url() -> str:
    """The national activity list's export: the list's own export address, unfiltered."""
    from django.urls import reverse

    return reverse("activities:export")


def page_user(number: int, pages: list[Page]) -> tuple[str, list[str]]:
    users = sorted({p.user for p in pages})
    user = users[number % len(users)]
    return user, [p.path for p in pages if p.user == user]


def browse(
    number: int,
    base: str,
    cookies: dict[str, str],
    pages: list[Page],
    think: tuple[float, float],
    stop: threading.Event,
    tally: Tally,
) -> None:
    from django.conf import settings

    user, paths = page_user(number, pages)
    session = requests.Session()
    session.headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={cookies[user]}"
    step = number  # each client starts at another page
    pace = random.Random(number)  # the same pauses on every run
    while not stop.is_set():
        path = paths[step % len(paths)]
        step += 1
        started = time.perf_counter()
        try:
            response = session.get(f"{base}{path}", timeout=120, allow_redirects=False)
            status: int | str = response.status_code
        except requests.RequestException as error:
            status = type(error).__name__
        tally.add(status, time.perf_counter() - started, f"{user} {path}")
        if think[1] > 0:
            stop.wait(pace.uniform(*think))


def export(base: str, cookie: str, url: str, stop: threading.Event, tally: Tally) -> None:
    """Export the national list again and again until the run stops; each export timed. The
    export is a download (the file in the answer) or a background job (a form posted to the
    same address, then the job's page until it offers the file): the first answer says which."""
    from django.conf import settings

    session = requests.Session()
    session.cookies.set(settings.SESSION_COOKIE_NAME, cookie)
    while not stop.is_set():
        started = time.perf_counter()
        kind = "download"
        try:
            response = session.get(f"{base}{url}", timeout=300)
            if response.content[:2] == b"PK":
                ok = response.status_code == 200
            else:
                kind = "job"
                ok = export_job(session, base, url, response.text, stop)
        except requests.RequestException as error:
            ok = False
            with tally.lock:
                tally.export_errors.append(type(error).__name__)
        with tally.lock:
            tally.exports.append(time.perf_counter() - started)
            tally.export_kinds[kind] += 1
            if not ok:
                tally.export_errors.append(f"export via {kind} failed")


def export_job(session: requests.Session, base: str, url: str, form: str, stop: threading.Event) -> bool:
    """Start the export as a job (the confirmation form posted with its CSRF token), follow the
    job's page until it offers the file, then download it."""
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    if not token:
        return False
    response = session.post(
        f"{base}{url}", data={"csrfmiddlewaretoken": token.group(1)}, headers={"Referer": f"{base}{url}"}, timeout=60
    )
    job_url = response.url
    if response.status_code != 200 or job_url.rstrip("/").endswith(url.rstrip("/")):
        return False
    while not stop.is_set():
        link = re.search(r'href="([^"]*/download/[^"]*)"', response.text)
        if 'data-status="failed"' in response.text:
            return False  # the job failed: an export error, not one still working
        if link:
            return session.get(f"{base}{link.group(1)}", timeout=300).content[:2] == b"PK"
        time.sleep(1)
        response = session.get(job_url, timeout=60)
        if response.status_code != 200:
            return False
    return True  # the run ended while the job was still working


def warm_up(base: str, pages: list[Page], workers: int, rounds: int) -> float:
    """Before the measured runs, every page ``rounds`` times per gunicorn worker (as many clients
    at once as workers): a worker compiles a template, reads a catalogue or fills its cache once,
    at its first requests, which a server that has been up for a while did long ago (the pages'
    CPU above is likewise the median after ``--warmup`` requests). Not counted; its seconds are
    returned."""
    if rounds <= 0:
        return 0.0
    cookies = session_cookies({p.user for p in pages})
    started = time.perf_counter()

    def client(number: int) -> None:
        from django.conf import settings

        session = requests.Session()
        for _round in range(rounds):
            for page in pages[number:] + pages[:number]:
                session.headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={cookies[page.user]}"
                with contextlib.suppress(requests.RequestException):
                    session.get(f"{base}{page.path}", timeout=120, allow_redirects=False)

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return round(time.perf_counter() - started, 1)


def load_run(
    base: str, pages: list[Page], users: int, seconds: float, think: tuple[float, float], exporters: int
) -> dict[str, Any]:
    cookies = session_cookies({p.user for p in pages} | {EXPORTER})
    url = export_url()
    tally = Tally()
    stop = threading.Event()
    load_start = os.getloadavg()
    threads = [
        threading.Thread(target=export, args=(base, cookies[EXPORTER], url, stop, tally), daemon=True)
        for _ in range(exporters)
    ]
    threads += [
        threading.Thread(target=browse, args=(n, base, cookies, pages, think, stop, tally), daemon=True)
        for n in range(users)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    elapsed = time.perf_counter() - started
    for thread in threads:
        thread.join(300)
    load_end = os.getloadavg()
    latencies = tally.latencies
    errors = sum(n for status, n in tally.statuses.items() if status != "200")
    result = {
        "users": users,
        "think_s": list(think),
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(1000 * percentile(latencies, 0.50)),
        "p95_ms": round(1000 * percentile(latencies, 0.95)),
        "p99_ms": round(1000 * percentile(latencies, 0.99)),
        "max_ms": round(1000 * max(latencies, default=0)),
        "errors": errors,
        "statuses": dict(tally.statuses),
        "error_samples": tally.errors,
        "exporters": exporters,
        "export_via": dict(tally.export_kinds),
        "exports_done": len(tally.exports),
        "export_s": [round(s, 1) for s in tally.exports],
        "export_errors": tally.export_errors[:10],
        "load_start": [round(x, 2) for x in load_start],
        "load_end": [round(x, 2) for x in load_end],
    }
    target = P95_TARGETS_MS.get(users)
    result["target_p95_ms"] = target
    result["met"] = errors == 0 and not tally.export_errors and (target is None or result["p95_ms"] < target)
    return result


# --- the report ------------------------------------------------------------------------------


def markdown(result: dict[str, Any], command: str) -> str:
    lines = [
        DOCS_START,
        f"Recorded {result['date']} on {result['machine']} with `{command}`"
        f" (load average before: {', '.join(str(x) for x in result['load_before'])}).",
        "",
        "| page | user | server CPU, median (ms) | wall (ms) | queries | HTML (kB) |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for name, row in result["pages"].items():
        lines.append(
            f"| {name} | {row['user']} | {row['cpu_ms']} | {row['wall_ms']} | {row['queries']} | {row['kb']} |"
        )
    if result.get("load"):
        lines += [
            "",
            "| users | requests/s | p50 (ms) | p95 (ms) | p99 (ms) | errors | exports done (s each) "
            "| load average start → end |",
            "|---:|---:|---:|---:|---:|---:|---|---|",
        ]
        for run in result["load"]:
            exports = ", ".join(str(s) for s in run["export_s"]) or "none finished"
            via = ", ".join(f"{kind} ×{n}" for kind, n in run["export_via"].items()) or "—"
            lines.append(
                f"| {run['users']} | {run['requests_per_s']} | {run['p50_ms']} | {run['p95_ms']} | {run['p99_ms']} "
                f"| {run['errors']} | {run['exports_done']} ({via}; {exports}) "
                f"| {run['load_start'][0]} → {run['load_end'][0]} |"
            )
        lines.append("")
        warmed = ""
        if "warm_up_s" in result:
            warmed = f"; the workers warmed up first ({result['warm_up_s']} s, not counted)"
        lines.append(f"gunicorn: {result['gunicorn']}{warmed}.")
    lines.append(DOCS_END)
    return "\n".join(lines)


def write_docs(block: str) -> None:
    record_section(block, DOCS_START, DOCS_END, DOCS)


def main() -> int:
    parser = argparse.ArgumentParser(description="server CPU of the busiest pages, then a load run under gunicorn")
    parser.add_argument("--runs", type=int, default=15, help="measured requests per page (the median is kept)")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--users", default="20,50", help="concurrent users of each load run")
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument(
        "--think",
        default="1,3",
        help="seconds a user reads a page before the next one: MIN,MAX (uniform; a human pace) or 0 (flat out)",
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn -w")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn --threads (gthread when > 1)")
    parser.add_argument("--exporters", type=int, default=2, help="users exporting the national list meanwhile")
    parser.add_argument(
        "--warm-rounds",
        type=int,
        default=2,
        help="before the load runs, every page this many times per gunicorn worker (not counted)",
    )
    parser.add_argument(
        "--worker-nice",
        type=int,
        default=10,
        help="the huey worker's niceness (docs/deploy.md: nice -n 10, so background jobs never starve the web)",
    )
    parser.add_argument("--workdir", type=Path, default=ROOT_DIR / "var" / "bench-pages")
    parser.add_argument("--reuse-demo", action="store_true", help="keep the demo database of an earlier run")
    parser.add_argument("--skip-load", action="store_true", help="the pages only")
    parser.add_argument("--only", metavar="PAGE,PAGE", help="measure only these pages (names as printed)")
    parser.add_argument("--profile", metavar="PAGE", help="print the cProfile of one page and stop")
    parser.add_argument("--write-docs", action="store_true", help="write the tables into docs/benchmarks.md")
    args = parser.parse_args()
    command = "python bench/pages.py " + " ".join(sys.argv[1:])
    bounds = [float(x) for x in str(args.think).split(",")]
    think = (bounds[0], bounds[-1])

    workdir: Path = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    demo = build_sqlite_demo(workdir, args.reuse_demo)
    database = workdir / "run.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(demo, database)
    env = base_env(workdir / "var", f"sqlite:///{database}")
    manage("migrate", "--noinput", env=env)  # a kept demo database may predate the latest migrations
    env["HUEY_IMMEDIATE"] = "0"  # background jobs go to a queue a worker empties, as in production
    os.environ.update({**env, "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver"})

    import django

    django.setup()
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # a failing page is counted below
    pages = busiest_pages()
    if args.only:
        pages = [p for p in pages if p.name in args.only.split(",")]
    if args.profile:
        profile_page(pages, args.profile, args.runs)
        return 0

    load_before = [round(x, 2) for x in os.getloadavg()]
    print(f"==> {len(pages)} pages, median of {args.runs} after {args.warmup} warm-up requests each", flush=True)
    page_results = measure_pages(pages, args.runs, args.warmup)
    busiest = {name: r for name, r in page_results.items() if "wall_target_ms" not in r}
    own = {name: r for name, r in page_results.items() if "wall_target_ms" in r}
    worst = max(r["cpu_ms"] for r in busiest.values())
    result: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} CPUs, {platform.machine()}, Python {platform.python_version()}",
        "load_before": load_before,
        "pages": page_results,
        "cpu_ms_worst_median": worst,
        "cpu_target_ms": CPU_TARGET_MS,
        "pages_met": all(r["ok"] for r in page_results.values())
        and worst <= CPU_TARGET_MS
        and all(r["wall_ms"] < r["wall_target_ms"] for r in own.values()),
        "load": [],
    }
    if not args.skip_load:
        threads = f" --threads {args.threads} (gthread)" if args.threads > 1 else " (sync)"
        result["gunicorn"] = (
            f"-w {args.workers}{threads}, DEBUG off, SQLite, a huey worker for the jobs (nice {args.worker_nice})"
        )
        huey_log = (workdir / "huey.log").open("w")
        import subprocess

        huey = subprocess.Popen(
            [sys.executable, str(ROOT_DIR / "manage.py"), "run_huey", "--workers", "1"],
            cwd=ROOT_DIR,
            env=env,
            stdout=huey_log,
            stderr=subprocess.STDOUT,
            preexec_fn=(lambda: os.nice(args.worker_nice)) if args.worker_nice else None,
        )
        try:
            with gunicorn(env, args.workers, args.threads, workdir / "gunicorn.log") as base:
                warmed = warm_up(base, pages, args.workers, args.warm_rounds)
                result["warm_up_s"] = warmed
                print(f"==> gunicorn warmed up: every page {args.warm_rounds}x per worker ({warmed} s)", flush=True)
                for users in [int(u) for u in args.users.split(",") if u]:
                    print(
                        f"==> {users} users for {args.seconds:.0f} s, {args.exporters} exporting the national list",
                        flush=True,
                    )
                    run = load_run(base, pages, users, args.seconds, think, args.exporters)
                    print(
                        f"   {run['requests_per_s']} requests/s, p50 {run['p50_ms']} ms, p95 {run['p95_ms']} ms, "
                        f"p99 {run['p99_ms']} ms, {run['errors']} errors, exports {run['export_s']}, "
                        f"load {run['load_start'][0]} -> {run['load_end'][0]}",
                        flush=True,
                    )
                    result["load"].append(run)
        finally:
            huey.terminate()
            huey.wait(30)
            huey_log.close()
    result["met"] = result["pages_met"] and all(r["met"] for r in result["load"])
    if args.write_docs:
        write_docs(markdown(result, command))
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0 if result["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
