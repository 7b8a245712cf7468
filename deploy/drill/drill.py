"""The failover drill (issue 17): the whole topology on loopback, mixed traffic, the primary
database and then an application node killed with SIGKILL; what the clients were told is checked
against what the database holds.

    python deploy/drill/drill.py [--seconds 180] [--kill-db-at 60] [--kill-app-at 120]
                                 [--writers 10] [--browsers 20] [--workdir DIR] [--keep]

1. ``topology.py up``: etcd, three PostgreSQL servers under Patroni (synchronous mode), HAProxy.
2. The demo data through the write port; two gunicorn nodes behind HAProxy (reads on the replicas,
   ``DATABASE_REPLICA_URLS``), a huey worker on Redis (database 15).
3. ``--writers`` API clients record activities (``POST /api/v1/activities/`` with an
   ``Idempotency-Key``, retried with the same key until an answer); every 201 is an acknowledged
   write, logged with its id, and read back at once by the same client (read-your-writes through
   the replicas). ``--browsers`` signed-in users open the dashboard, the activity list and the
   figures.
4. At ``--kill-db-at`` seconds the primary's node (Patroni and PostgreSQL) gets SIGKILL; it is
   started again 30 s later and must come back as a replica. At ``--kill-app-at`` one application
   node gets SIGKILL.
5. Afterwards: every acknowledged activity is in the database (``acknowledged_writes_missing``
   must be 0), every write read back at once by its writer (``own_writes_not_seen_at_once``, 0),
   the longest time without a successful write around the failover
   (``seconds_without_writes``, under 30), errors and p95 latency before, during and after,
   ``check_figures`` on the new primary, the replicas' lag under load, the old primary's role, and
   the dashboard's throughput on one node and on two.

The last line printed is one JSON object; the exit status is not zero when a check fails.
Everything started is stopped at the end (``--keep`` leaves the topology up).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import requests

HERE = Path(__file__).resolve().parent
ROOT_DIR = HERE.parents[1]
sys.path[:0] = [str(ROOT_DIR), str(HERE)]

import topology  # noqa: E402

from bench.concurrent_writes import WRITERS, base_env, manage, percentile, phase_id, token_for  # noqa: E402

GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
PASSWORD = "phoihop-demo"
BROWSERS = ["hanoi.ccb", "tuhoi", "camau.ccb", "hoankiem.ccb", "hanoi.qs", "tcct"]
PAGES = ["/", "/activities/", "/figures/"]


def say(message: str) -> None:
    print(f"[drill] {message}", file=sys.stderr, flush=True)


@dataclass
class Log:
    """Every request's (time since start, kind, status, seconds); the acknowledged activities."""

    started: float = field(default_factory=time.monotonic)
    lock: threading.Lock = field(default_factory=threading.Lock)
    rows: list[tuple[float, str, Any, float]] = field(default_factory=list)
    acknowledged: list[int] = field(default_factory=list)
    write_times: list[float] = field(default_factory=list)

    def now(self) -> float:
        return time.monotonic() - self.started

    def add(self, kind: str, status: Any, seconds: float) -> None:
        with self.lock:
            self.rows.append((self.now(), kind, status, seconds))

    def ack(self, activity: int) -> None:
        with self.lock:
            self.acknowledged.append(activity)
            self.write_times.append(self.now())


def writer(number: int, base: str, token: str, phase: int, stop: threading.Event, log: Log) -> None:
    _user, lead, partner = WRITERS[number % len(WRITERS)]
    session = requests.Session()
    session.headers["Authorization"] = f"Token {token}"
    serial = 0
    day = (date.today() - timedelta(days=1)).isoformat()  # an activity of yesterday, in the phase
    while not stop.is_set():
        serial += 1
        key = str(uuid.uuid4())
        payload = {
            "phase": phase,
            "title": f"Diễn tập chuyển máy chủ (máy khách {number}, lần {serial})",
            "start_date": day,
            "end_date": day,
            "lead_unit": lead,
            "partners": [partner] if partner else [],
            "place": "Nhà văn hóa",
            "participants_lead": 30,
            "participants_partner": 10 if partner else 0,
            "values": [{"indicator": "tt-buoi", "value": 1}, {"indicator": "tt-luot", "value": 40}],
            "submit": True,
        }
        # The same key until the server answers: a retry after a failover never writes twice.
        while not stop.is_set():
            started = time.perf_counter()
            try:
                response = session.post(
                    f"{base}/api/v1/activities/", json=payload, headers={"Idempotency-Key": key}, timeout=30
                )
                status: Any = response.status_code
            except requests.RequestException as error:
                response, status = None, type(error).__name__
            log.add("write", status, time.perf_counter() - started)
            if response is not None and response.status_code == 201:
                created = response.json()
                log.ack(int(created["id"]))
                # Read-your-writes: the writer reads its activity back at once, through a replica
                # unless the replica lacks it (a 404 here is a write the writer could not see).
                started = time.perf_counter()
                try:
                    seen: Any = session.get(created["url"], timeout=30).status_code
                except requests.RequestException as error:
                    seen = type(error).__name__
                log.add("read own write", seen, time.perf_counter() - started)
                break
            if response is not None and response.status_code < 500 and response.status_code not in (409, 429):
                break  # refused for a reason of its own: not a failover
            time.sleep(0.5)


def sign_in(session: requests.Session, base: str, username: str) -> bool:
    """Sign ``username`` in through the form, as a browser does."""
    page = session.get(f"{base}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    data = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1) if token else ""}
    referer = {"Referer": f"{base}/accounts/login/"}
    signed = session.post(f"{base}/accounts/login/", data=data, headers=referer, timeout=30)
    return signed.status_code < 400 and "sessionid" in session.cookies


def browser(username: str, base: str, stop: threading.Event, log: Log) -> None:
    session = requests.Session()
    while not stop.is_set():
        with contextlib.suppress(requests.RequestException):
            if sign_in(session, base, username):
                break
        time.sleep(1)
    while not stop.is_set():
        url = random.choice(PAGES)
        started = time.perf_counter()
        try:
            status: Any = session.get(f"{base}{url}", timeout=30).status_code
        except requests.RequestException as error:
            status = type(error).__name__
        log.add("read", status, time.perf_counter() - started)
        time.sleep(random.uniform(0.2, 1.0))


def start_app(env: dict[str, str], port: int, workdir: Path, name: str) -> subprocess.Popen[bytes]:
    handle = (workdir / f"{name}.log").open("ab")
    return subprocess.Popen(
        [GUNICORN, "phoihop.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--timeout", "60"],
        cwd=ROOT_DIR,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_http(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(requests.RequestException):
            if requests.get(url, timeout=5).status_code == 200:
                return
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def leader() -> str | None:
    return next((m["name"] for m in topology.cluster() if m.get("role") == "leader"), None)


def throughput(base: str, token_user: str, seconds: float = 10.0, threads: int = 8) -> float:
    """Dashboard pages served per second by ``base`` (signed-in users, ``threads`` at once)."""
    stop, count, lock = threading.Event(), [0], threading.Lock()

    def run() -> None:
        session = requests.Session()
        sign_in(session, base, token_user)
        while not stop.is_set():
            with contextlib.suppress(requests.RequestException):
                if session.get(f"{base}/", timeout=30).status_code == 200:
                    with lock:
                        count[0] += 1

    workers = [threading.Thread(target=run, daemon=True) for _ in range(threads)]
    for worker in workers:
        worker.start()
    time.sleep(2)  # signed in, warmed up
    with lock:
        count[0] = 0
    time.sleep(seconds)
    stop.set()
    with lock:
        served = count[0]
    for worker in workers:
        worker.join(35)
    return round(served / seconds, 1)


def missing(database_url: str, acknowledged: list[int]) -> list[int]:
    import psycopg

    with psycopg.connect(database_url) as conn:
        found = {
            row[0]
            for row in conn.execute("SELECT id FROM activities_activity WHERE id = ANY(%s)", [acknowledged]).fetchall()
        }
    return sorted(set(acknowledged) - found)


def check_redis(url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(url, socket_timeout=3).ping()
    except redis.RedisError as error:
        raise SystemExit(f"[drill] Redis is needed at {url} (jobs, the users' write marks): {error}") from error


def run(args: argparse.Namespace) -> dict[str, Any]:
    workdir: Path = args.workdir
    redis_url = os.environ.get("DRILL_REDIS_URL", "redis://127.0.0.1:6379/15")
    check_redis(redis_url)
    say("starting etcd, three PostgreSQL servers under Patroni and HAProxy")
    ends = topology.up(workdir / "topology")
    env = base_env(workdir / "var", ends["database_url"])
    env.update(
        {
            "DATABASE_REPLICA_URLS": ends["replica_urls"],
            "REDIS_URL": redis_url,
            "HUEY_IMMEDIATE": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
        }
    )
    say("loading the demo data through the write port")
    manage("migrate", "--noinput", env=env)
    manage("load_demo", "--allow-production", env=env)
    processes: dict[str, subprocess.Popen[bytes]] = {}
    log, stop, lag = Log(), threading.Event(), [0]
    try:
        for n, port in enumerate(topology.APP_NODES, start=1):
            processes[f"app{n}"] = start_app(env, port, workdir, f"app{n}")
        processes["worker"] = subprocess.Popen(
            [sys.executable, str(ROOT_DIR / "manage.py"), "run_huey", "-w", "2"],
            cwd=ROOT_DIR,
            env=env,
            stdout=(workdir / "worker.log").open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for port in topology.APP_NODES:
            wait_http(f"http://127.0.0.1:{port}/healthz", 90)
        base = ends["app_url"]
        wait_http(f"{base}/healthz", 30)
        tokens = {user: token_for(base, user) for user, *_ in WRITERS}
        phase = phase_id(base, tokens[WRITERS[0][0]])
        say(f"traffic for {args.seconds} s: {args.writers} writers, {args.browsers} browsers")
        log = Log()
        threads = [
            threading.Thread(
                target=writer, args=(n, base, tokens[WRITERS[n % len(WRITERS)][0]], phase, stop, log), daemon=True
            )
            for n in range(args.writers)
        ] + [
            threading.Thread(target=browser, args=(BROWSERS[n % len(BROWSERS)], base, stop, log), daemon=True)
            for n in range(args.browsers)
        ]
        for thread in threads:
            thread.start()
        killed_db, killed_app, restarted_db = None, None, False
        old_primary = leader()
        while log.now() < args.seconds:
            members = topology.cluster()
            lag[0] = max([lag[0], *[int(m.get("lag") or 0) for m in members if isinstance(m.get("lag"), int)]])
            if killed_db is None and log.now() >= args.kill_db_at and old_primary:
                say(f"SIGKILL to the primary's node ({old_primary})")
                killed_db = log.now()
                os.killpg(topology._pids(workdir / "topology")[old_primary], signal.SIGKILL)
            if killed_db is not None and not restarted_db and log.now() >= killed_db + 30 and old_primary:
                say(f"starting {old_primary} again: it must come back as a replica")
                topology.start_node(workdir / "topology", old_primary)
                restarted_db = True
            if killed_app is None and log.now() >= args.kill_app_at:
                say("SIGKILL to application node 1")
                killed_app = log.now()
                os.killpg(processes["app1"].pid, signal.SIGKILL)
            time.sleep(1)
        stop.set()
        for thread in threads:
            thread.join(60)
        say("checking what the clients were told against the database")
        gone = missing(ends["database_url"], log.acknowledged)
        figures = manage("check_figures", env=env, check=False)
        kill = killed_db if killed_db is not None else args.seconds
        times = sorted(log.write_times)
        gaps = [b - a for a, b in itertools.pairwise(times) if b >= kill - 1 and a <= kill + 60]
        without = round(max(gaps, default=0.0), 1)
        window = (kill, kill + without + 5)

        def p95(lo: float, hi: float) -> float:
            return round(1000 * percentile([s for t, _k, _st, s in log.rows if lo <= t < hi], 0.95), 1)

        def errors(lo: float, hi: float) -> int:
            return sum(1 for t, _k, st, _s in log.rows if lo <= t < hi and not (isinstance(st, int) and st < 400))

        deadline = time.monotonic() + 60
        rejoined = None
        while time.monotonic() < deadline:
            role = next((m.get("role") for m in topology.cluster() if m.get("name") == old_primary), None)
            if role in ("replica", "sync_standby"):
                rejoined = role
                break
            time.sleep(1)
        processes["app1"] = start_app(env, topology.APP_NODES[0], workdir, "app1")
        wait_http(f"http://127.0.0.1:{topology.APP_NODES[0]}/healthz", 90)
        time.sleep(3)  # HAProxy marks it up again
        one = throughput(f"http://127.0.0.1:{topology.APP_NODES[1]}", "hanoi.ccb")
        two = throughput(base, "hanoi.ccb")
        return {
            "seconds": args.seconds,
            "acknowledged_writes": len(log.acknowledged),
            "acknowledged_writes_missing": len(gone),
            "own_writes_not_seen_at_once": sum(
                1 for _t, kind, status, _s in log.rows if kind == "read own write" and status == 404
            ),
            "seconds_without_writes": without,
            "failover_errors": errors(*window),
            "errors_total": errors(0, args.seconds + 60),
            "requests": len(log.rows),
            "statuses": dict(Counter(f"{kind} {status}" for _t, kind, status, _s in log.rows)),
            "p95_ms": {"before": p95(0, kill), "during": p95(*window), "after": p95(window[1], args.seconds + 60)},
            "check_figures": "OK" if figures.returncode == 0 else "FAILED",
            "replica_lag_max_bytes": lag[0],
            "old_primary": old_primary,
            "new_primary": leader(),
            "old_primary_rejoined_as": rejoined,
            "app_node_killed_at": killed_app,
            "dashboard_pages_per_s": {"one_node": one, "two_nodes": two},
        }
    finally:
        stop.set()
        for process in processes.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(20)
        if not args.keep:
            topology.down(workdir / "topology")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--kill-db-at", type=float, default=60)
    parser.add_argument("--kill-app-at", type=float, default=120)
    parser.add_argument("--writers", type=int, default=10)
    parser.add_argument("--browsers", type=int, default=20)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/phoihop-drill-run"))
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    result = run(args)
    ok = (
        result["acknowledged_writes"] > 0
        and result["acknowledged_writes_missing"] == 0
        and result["own_writes_not_seen_at_once"] == 0
        and result["seconds_without_writes"] < 30
        and result["check_figures"] == "OK"
        and result["old_primary_rejoined_as"] is not None
    )
    result["ok"] = ok
    print(json.dumps(result, ensure_ascii=False))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
