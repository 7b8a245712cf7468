"""Concurrent API writers under gunicorn, with a backup taken in the middle of the load.

    python bench/concurrent_writes.py [--seconds 60] [--clients 20] [--workers 4] [--threads 1]
                                      [--configs sqlite-default,sqlite-url,postgresql]
                                      [--pg-url postgres://postgres@127.0.0.1:5432/postgres]
                                      [--workdir var/bench-writes]

For each configuration:

1. A fresh copy of the demo database (built once per run: ``migrate`` + ``load_demo``):
   ``sqlite-default`` gives SQLite no DATABASE_URL (the default path under PHOIHOP_VAR_DIR),
   ``sqlite-url`` gives it as ``DATABASE_URL=sqlite:///...``, ``postgresql`` uses a new database
   on the server of ``--pg-url``.
2. gunicorn, as ``docs/deploy.md`` runs it in production (``-w 4``, DEBUG off), on a free port
   of 127.0.0.1.
3. ``--clients`` threads, each with an API token (``POST /api/v1/auth/token/``) of one of four
   demo users, create submitted activities with figures (``POST /api/v1/activities/``) for
   ``--seconds``; the Hà Nội approver's clients approve the Hoàn Kiếm activities as they come
   (``POST .../approve/``), and every fifth write of the Hoàn Kiếm clients is a ``PATCH`` of a
   draft (with its ``If-Match`` when the API gives an ETag).
4. Half-way, ``manage.py backup`` in another process.
5. Afterwards: the number of activities grew by exactly the number of 201s;
   ``manage.py check_figures`` exits 0; the backup is restored by ``manage.py restore`` into an
   empty database (row counts compared with its manifest) and ``check_figures`` exits 0 there.

The last line printed is one JSON object keyed by configuration; the exit status is not zero
when any request failed or any check did not pass.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import queue
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests

ROOT_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
PASSWORD = "phoihop-demo"

# (user, lead unit, partner) of the writers; the Hà Nội approver also approves Hoàn Kiếm's.
WRITERS = [
    ("hoankiem.ccb", "CCB-X00070", "QS-X00070"),
    ("hanoi.ccb", "CCB-HANOI", None),
    ("camau.ccb", "CCB-CAMAU", None),
    ("hanoi.qs", "QS-HANOI", None),
]
APPROVER = "hanoi.ccb"


# --- the databases ---------------------------------------------------------------------------


def manage(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [PYTHON, str(ROOT_DIR / "manage.py"), *args], cwd=ROOT_DIR, env=env, capture_output=True, text=True
    )
    if check and result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def base_env(var_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG", "MEDIA_ROOT"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "phoihop.settings",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-key-not-for-production"),
            "PHOIHOP_VAR_DIR": str(var_dir),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # The demo users sign in without a second factor, as under `make demo`.
            "PHOIHOP_2FA_DEMO_EXEMPT": "1",
            "PYTHONUNBUFFERED": "1",
        }
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    (var_dir / "static").mkdir(parents=True, exist_ok=True)
    return env


def pg_url_for(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def pg_admin(url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)  # type: ignore[arg-type]


def build_sqlite_demo(workdir: Path, reuse: bool = False) -> Path:
    """The demo data in one SQLite file (no WAL beside it), built once per run."""
    demo = workdir / "demo.sqlite3"
    if reuse and demo.exists():
        return demo
    for suffix in ("", "-wal", "-shm"):
        Path(f"{demo}{suffix}").unlink(missing_ok=True)
    env = base_env(workdir / "demo-var", f"sqlite:///{demo}")
    print(f"==> the demo data on SQLite ({demo})", flush=True)
    manage("migrate", "--noinput", env=env)
    manage("load_demo", "--allow-production", env=env)
    with contextlib.closing(sqlite3.connect(demo)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    return demo


def build_pg_demo(pg_url: str, workdir: Path, reuse: bool = False) -> str:
    name = "backup_bench_demo"
    if reuse:
        import psycopg

        with psycopg.connect(pg_url, autocommit=True) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                return name
    print(f"==> the demo data on PostgreSQL (database {name})", flush=True)
    pg_admin(pg_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    env = base_env(workdir / "demo-var", pg_url_for(pg_url, name))
    manage("migrate", "--noinput", env=env)
    manage("load_demo", "--allow-production", env=env)
    return name


@dataclass
class Target:
    """One configuration: how the server is given its database, and how to count rows in it."""

    name: str
    env: dict[str, str]
    sqlite_path: Path | None = None
    pg_url: str | None = None

    def count(self, table: str) -> int:
        if self.sqlite_path is not None:
            with contextlib.closing(sqlite3.connect(self.sqlite_path, timeout=60)) as conn:
                return int(conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])
        import psycopg

        assert self.pg_url is not None
        with psycopg.connect(self.pg_url) as conn:
            row = conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()  # type: ignore[arg-type]
            assert row is not None
            return int(row[0])


def prepare(config: str, workdir: Path, sqlite_demo: Path | None, pg_url: str, pg_demo: str | None) -> Target:
    folder = workdir / config
    shutil.rmtree(folder, ignore_errors=True)
    var_dir = folder / "var"
    if config == "sqlite-default":
        assert sqlite_demo is not None
        env = base_env(var_dir, None)
        path = var_dir / "phoihop.sqlite3"
        shutil.copyfile(sqlite_demo, path)
        return Target(config, env, sqlite_path=path)
    if config == "sqlite-url":
        assert sqlite_demo is not None
        path = folder / "data" / "phoihop.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(sqlite_demo, path)
        return Target(config, base_env(var_dir, f"sqlite:///{path}"), sqlite_path=path)
    assert pg_demo is not None
    name = "backup_bench_run"
    pg_admin(pg_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}" TEMPLATE "{pg_demo}"')
    url = pg_url_for(pg_url, name)
    return Target(config, base_env(var_dir, url), pg_url=url)


# --- the server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def gunicorn(env: dict[str, str], workers: int, threads: int, log: Path) -> Iterator[str]:
    port = free_port()
    command = [GUNICORN, "phoihop.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers), "--timeout", "120"]
    if threads > 1:
        command += ["--threads", str(threads)]
    with log.open("w") as handle:
        process = subprocess.Popen(command, cwd=ROOT_DIR, env=env, stdout=handle, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{base}/api/v1/", timeout=5).status_code < 500:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer within 60 s; see {log}")
            time.sleep(0.5)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- the clients -----------------------------------------------------------------------------


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    created: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, kind: str, status: int | str, seconds: float, body: str = "") -> None:
        with self.lock:
            self.statuses[f"{kind} {status}"] += 1
            self.latencies.append(seconds)
            if kind == "create" and status == 201:
                self.created += 1
            if not (isinstance(status, int) and 200 <= status < 300) and len(self.errors) < 10:
                self.errors.append(f"{kind} {status}: {body[:300]}")


def token_for(base: str, username: str) -> str:
    response = requests.post(
        f"{base}/api/v1/auth/token/", json={"username": username, "password": PASSWORD}, timeout=60
    )
    if response.status_code != 200:
        raise RuntimeError(f"token for {username}: {response.status_code} {response.text[:300]}")
    return str(response.json()["token"])


def phase_id(base: str, token: str) -> int:
    url: str | None = f"{base}/api/v1/phases/"
    while url:
        response = requests.get(url, headers={"Authorization": f"Token {token}"}, timeout=60)
        response.raise_for_status()
        data = response.json()
        rows = data["results"] if isinstance(data, dict) else data
        for row in rows:
            if row.get("code") == "2022-2027" and row.get("programme") == "QDND-CCB":
                return int(row["id"])
        url = data.get("next") if isinstance(data, dict) else None
    raise RuntimeError("phase QDND-CCB 2022-2027 not found through the API")


def client(
    number: int,
    base: str,
    tokens: dict[str, str],
    phase: int,
    stop: threading.Event,
    tally: Tally,
    to_approve: queue.Queue[int],
) -> None:
    username, lead, partner = WRITERS[number % len(WRITERS)]
    session = requests.Session()
    session.headers["Authorization"] = f"Token {tokens[username]}"
    approver = requests.Session()
    approver.headers["Authorization"] = f"Token {tokens[APPROVER]}"
    serial = 0

    def call(kind: str, method: str, url: str, *, via: requests.Session = session, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            response = via.request(method, f"{base}{url}", timeout=120, **kwargs)
        except requests.RequestException as error:
            tally.add(kind, type(error).__name__, time.perf_counter() - started, str(error))
            return None
        tally.add(kind, response.status_code, time.perf_counter() - started, response.text)
        return response

    while not stop.is_set():
        serial += 1
        draft = username == "hoankiem.ccb" and serial % 5 == 0
        payload: dict[str, Any] = {
            "phase": phase,
            "title": f"Tuyên truyền phối hợp (máy khách {number}, lần {serial})",
            "start_date": "2027-03-10",
            "end_date": "2027-03-11",
            "lead_unit": lead,
            "partners": [partner] if partner else [],
            "place": "Nhà văn hóa",
            "participants_lead": 40,
            "participants_partner": 12 if partner else 0,
            "values": [{"indicator": "tt-buoi", "value": 2}, {"indicator": "tt-luot", "value": 52}],
            "submit": not draft,
        }
        response = call("create", "POST", "/api/v1/activities/", json=payload)
        if response is None or response.status_code != 201:
            continue
        activity = response.json()["id"]
        if draft:
            detail = call("read", "GET", f"/api/v1/activities/{activity}/")
            headers = {"If-Match": detail.headers["ETag"]} if detail is not None and detail.headers.get("ETag") else {}
            call(
                "patch",
                "PATCH",
                f"/api/v1/activities/{activity}/",
                json={"values": [{"indicator": "tt-buoi", "value": 3}, {"indicator": "tt-luot", "value": 60}]},
                headers=headers,
            )
        elif username == "hoankiem.ccb":
            to_approve.put(activity)
        if username == APPROVER:
            with contextlib.suppress(queue.Empty):
                pending = to_approve.get_nowait()
                call("approve", "POST", f"/api/v1/activities/{pending}/approve/", via=approver)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


# --- one configuration -----------------------------------------------------------------------


def run_config(target: Target, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    folder = workdir / target.name
    before = target.count("activities_activity")
    tally = Tally()
    result: dict[str, Any] = {"config": target.name}
    backup_dir = folder / "backup"
    print(f"==> {target.name}: gunicorn -w {args.workers}, {args.clients} clients, {args.seconds} s", flush=True)
    with gunicorn(target.env, args.workers, args.threads, folder / "gunicorn.log") as base:
        tokens = {username: token_for(base, username) for username, *_ in WRITERS}
        phase = phase_id(base, tokens["hoankiem.ccb"])
        stop = threading.Event()
        to_approve: queue.Queue[int] = queue.Queue()
        threads = [
            threading.Thread(target=client, args=(n, base, tokens, phase, stop, tally, to_approve), daemon=True)
            for n in range(args.clients)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(args.seconds / 2)
        # The backup runs in another process while the clients go on writing; the load lasts
        # --seconds, or until the backup has finished if it takes longer.
        backup_started = time.monotonic()
        backup_process = subprocess.Popen(
            [PYTHON, str(ROOT_DIR / "manage.py"), "backup", "--output", str(backup_dir)],
            cwd=ROOT_DIR,
            env=target.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        backup_output, _ = backup_process.communicate()
        result["backup_seconds"] = round(time.monotonic() - backup_started, 2)
        result["backup_exit"] = backup_process.returncode
        if backup_process.returncode:
            print(backup_output, flush=True)
        time.sleep(max(0.0, args.seconds - (time.monotonic() - started)))
        stop.set()
        for thread in threads:
            thread.join(180)
        elapsed = time.monotonic() - started
    after = target.count("activities_activity")
    ok = sum(n for key, n in tally.statuses.items() if key.split()[1].isdigit() and 200 <= int(key.split()[1]) < 300)
    requests_total = sum(tally.statuses.values())
    writes = sum(
        n for key, n in tally.statuses.items() if not key.startswith("read ") and key.split()[1] in {"200", "201"}
    )
    result.update(
        {
            "seconds": round(elapsed, 1),
            "requests": requests_total,
            "errors": requests_total - ok,
            "statuses": dict(sorted(tally.statuses.items())),
            "writes_per_second": round(writes / elapsed, 1),
            "creates": tally.created,
            "activities_added": after - before,
            "p50_ms": round(percentile(tally.latencies, 0.50) * 1000),
            "p95_ms": round(percentile(tally.latencies, 0.95) * 1000),
            "first_errors": tally.errors,
        }
    )
    figures = manage("check_figures", env=target.env, check=False)
    result["check_figures_exit"] = figures.returncode
    # The backup, restored into an empty database with empty stored files.
    restore_var = folder / "restored-var"
    if target.sqlite_path is not None:
        restored_env = base_env(restore_var, f"sqlite:///{folder / 'restored.sqlite3'}")
    else:
        assert target.pg_url is not None
        name = "backup_bench_restored"
        pg_admin(args.pg_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
        restored_env = base_env(restore_var, pg_url_for(args.pg_url, name))
    restore = manage("restore", str(backup_dir), env=restored_env, check=False)
    result["restore_exit"] = restore.returncode
    if restore.returncode:
        print(restore.stdout, restore.stderr, flush=True)
    restored_figures = manage("check_figures", env=restored_env, check=False)
    result["restored_check_figures_exit"] = restored_figures.returncode
    if backup_dir.is_dir():
        manifest = json.loads((backup_dir / "manifest.json").read_text(encoding="utf-8"))
        result["backup_activities"] = manifest["row_counts"]["activities_activity"]
    result["passed"] = (
        result["errors"] == 0
        and result["activities_added"] == result["creates"]
        and result["check_figures_exit"] == 0
        and result["backup_exit"] == 0
        and result["restore_exit"] == 0
        and result["restored_check_figures_exit"] == 0
    )
    print(json.dumps(result, ensure_ascii=False, indent=2), flush=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description="20 concurrent API writers under gunicorn, with a backup mid-load")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn -w (docs/deploy.md: 4)")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn --threads")
    parser.add_argument("--configs", default="sqlite-default,sqlite-url,postgresql")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("DATABASE_URL", "")
        if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
        else "postgres://postgres@127.0.0.1:5432/postgres",
        help="a PostgreSQL server (its maintenance database) for the postgresql configuration",
    )
    parser.add_argument("--workdir", type=Path, default=ROOT_DIR / "var" / "bench-writes")
    parser.add_argument(
        "--reuse-demo", action="store_true", help="keep the demo databases of an earlier run (and leave them)"
    )
    args = parser.parse_args()
    configs = [c for c in args.configs.split(",") if c]
    workdir: Path = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    sqlite_demo = build_sqlite_demo(workdir, args.reuse_demo) if any(c.startswith("sqlite") for c in configs) else None
    pg_demo = build_pg_demo(args.pg_url, workdir, args.reuse_demo) if "postgresql" in configs else None
    results = {}
    for config in configs:
        target = prepare(config, workdir, sqlite_demo, args.pg_url, pg_demo)
        try:
            results[config] = run_config(target, args, workdir)
        except Exception as error:  # reported, and the next configuration runs
            results[config] = {"config": config, "passed": False, "error": str(error)}
            print(f"!! {config}: {error}", flush=True)
    if pg_demo is not None:
        with contextlib.suppress(Exception):
            pg_admin(
                args.pg_url,
                'DROP DATABASE IF EXISTS "backup_bench_run" WITH (FORCE)',
                'DROP DATABASE IF EXISTS "backup_bench_restored" WITH (FORCE)',
                *([] if args.reuse_demo else [f'DROP DATABASE IF EXISTS "{pg_demo}" WITH (FORCE)']),
            )
    print(json.dumps(results, ensure_ascii=False), flush=True)
    return 0 if all(r.get("passed") for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
