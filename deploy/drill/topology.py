"""The high-availability topology of docs/deploy.md on one machine, on loopback ports (issue 17).

    python deploy/drill/topology.py up [--workdir DIR]     start it, print its endpoints as JSON
    python deploy/drill/topology.py status [--workdir DIR]
    python deploy/drill/topology.py down [--workdir DIR]   stop what ``up`` started, remove DIR

Pieces (Debian packages ``patroni``, ``etcd-server``, ``haproxy``; PostgreSQL 15):

* etcd, one member (127.0.0.1:2379), Patroni's store of the cluster's state;
* three PostgreSQL servers under Patroni (ports 5441–5443, REST 8011–8013), in
  ``synchronous_mode``: one synchronous standby, the other replica asynchronous;
* HAProxy: 127.0.0.1:5000 goes to the primary, 127.0.0.1:5001 to the replicas, each chosen by
  Patroni's REST checks (``/primary``, ``/replica``); 127.0.0.1:8080 to the application nodes that
  answer ``/healthz``.

The configuration is written from the templates beside this file into the work directory; every
process started is recorded there (``pids``) and only those are stopped. PostgreSQL refuses to run
as root: when run by root, the database pieces run as the ``postgres`` user.
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from string import Template
from typing import Any

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE.parent
DEFAULT_WORKDIR = Path(os.environ.get("PHOIHOP_DRILL_DIR", "/tmp/phoihop-drill"))


def _pg_bin() -> Path:
    """PostgreSQL's binaries: PG_BIN, else the newest version Debian installed."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    return versions[-1] if versions else Path("/usr/lib/postgresql/15/bin")


PG_BIN = _pg_bin()
PACKAGES = ["patroni", "etcd-server", "haproxy"]
NODES = [
    {"name": "pg1", "port": 5441, "rest": 8011},
    {"name": "pg2", "port": 5442, "rest": 8012},
    {"name": "pg3", "port": 5443, "rest": 8013},
]
WRITE_PORT, READ_PORT, APP_PORT = 5000, 5001, 8080
APP_NODES = [8101, 8102]
ETCD_CLIENT, ETCD_PEER = 2379, 2380


def say(message: str) -> None:
    print(f"[topology] {message}", file=sys.stderr, flush=True)


def _as_postgres() -> list[str]:
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def _owner(path: Path) -> None:
    if os.geteuid() == 0:
        entry = pwd.getpwnam("postgres")
        os.chown(path, entry.pw_uid, entry.pw_gid)


def _render(template: str, target: Path, **values: Any) -> Path:
    text = Template((TEMPLATES / template).read_text(encoding="utf-8")).substitute(**values)
    target.write_text(text, encoding="utf-8")
    _owner(target)
    return target


def _start(workdir: Path, name: str, command: list[str], log: str) -> int:
    handle = (workdir / log).open("ab")
    process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
    pids = _pids(workdir)
    pids[name] = process.pid
    (workdir / "pids.json").write_text(json.dumps(pids), encoding="utf-8")
    return process.pid


def start_node(workdir: Path, name: str) -> int:
    """Start (or start again) the Patroni node ``name`` from its written configuration."""
    return _start(workdir, name, [*_as_postgres(), "patroni", str(workdir / f"{name}.yml")], f"{name}.log")


def _pids(workdir: Path) -> dict[str, int]:
    path = workdir / "pids.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _get(url: str, timeout: float = 1.0) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body = response.read()
            return response.status, json.loads(body) if body.startswith(b"{") else body
    except urllib.error.HTTPError as error:
        body = error.read()
        return error.code, json.loads(body) if body.startswith(b"{") else body
    except (OSError, ValueError):
        return 0, None


def cluster(rest_port: int | None = None) -> list[dict[str, Any]]:
    """The members as Patroni reports them (name, role, state, lag), asked of any live node."""
    for node in NODES if rest_port is None else [{"rest": rest_port}]:
        status, body = _get(f"http://127.0.0.1:{node['rest']}/cluster")
        if status == 200 and isinstance(body, dict):
            return list(body.get("members", []))
    return []


def wait_for(check: Any, what: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    raise SystemExit(f"[topology] timed out waiting for {what}")


def healthy() -> bool:
    members = cluster()
    roles = sorted(m.get("role", "") for m in members if m.get("state") in ("running", "streaming"))
    return roles.count("leader") == 1 and roles.count("sync_standby") == 1 and len(roles) == 3


def ensure_packages() -> None:
    """Patroni, etcd, HAProxy and PostgreSQL's server, from Debian's packages: installed when
    missing and run as root (as CI runs), else a clear refusal."""
    missing = [c for c in ("patroni", "etcd", "haproxy") if shutil.which(c) is None]
    if not missing and (PG_BIN / "postgres").exists():
        return
    if os.geteuid() != 0:
        raise SystemExit(
            f"[topology] missing: {', '.join(missing) or PG_BIN / 'postgres'}; "
            f"run: apt-get install {' '.join(PACKAGES)} postgresql"
        )
    say(f"installing {' '.join(PACKAGES)} (apt-get)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], check=True, env=env, stdin=subprocess.DEVNULL)
    packages = [*PACKAGES, *([] if (PG_BIN / "postgres").exists() else ["postgresql"])]
    install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *packages]
    subprocess.run(install, check=True, env=env, stdin=subprocess.DEVNULL)


def up(workdir: Path) -> dict[str, Any]:
    ensure_packages()
    if workdir.exists():
        down(workdir)
    workdir.mkdir(parents=True)
    _owner(workdir)
    etcd_dir = workdir / "etcd"
    etcd_dir.mkdir()
    _start(
        workdir,
        "etcd",
        [
            "etcd",
            "--name=drill",
            f"--data-dir={etcd_dir}",
            f"--listen-client-urls=http://127.0.0.1:{ETCD_CLIENT}",
            f"--advertise-client-urls=http://127.0.0.1:{ETCD_CLIENT}",
            f"--listen-peer-urls=http://127.0.0.1:{ETCD_PEER}",
            f"--initial-advertise-peer-urls=http://127.0.0.1:{ETCD_PEER}",
            f"--initial-cluster=drill=http://127.0.0.1:{ETCD_PEER}",
            "--enable-v2=true",
        ],
        "etcd.log",
    )
    wait_for(lambda: _get(f"http://127.0.0.1:{ETCD_CLIENT}/health")[0] == 200, "etcd", 30)
    for node in NODES:
        _render(
            "patroni/node.yml",
            workdir / f"{node['name']}.yml",
            name=node["name"],
            port=node["port"],
            rest=node["rest"],
            workdir=workdir,
            pg_bin=PG_BIN,
            etcd=f"127.0.0.1:{ETCD_CLIENT}",
        )
        start_node(workdir, node["name"])
        if node is NODES[0]:  # the first initialises the cluster; the others clone it
            wait_for(lambda: any(m.get("role") == "leader" for m in cluster()), "a leader", 90)
    wait_for(healthy, "a leader, a synchronous standby and a replica", 180)
    servers = "\n".join(f"    server {n['name']} 127.0.0.1:{n['port']} check port {n['rest']}" for n in NODES)
    apps = "\n".join(f"    server app{i} 127.0.0.1:{port} check" for i, port in enumerate(APP_NODES, 1))
    haproxy = _render(
        "haproxy/haproxy.cfg",
        workdir / "haproxy.cfg",
        write_port=WRITE_PORT,
        read_port=READ_PORT,
        app_port=APP_PORT,
        pg_servers=servers,
        app_servers=apps,
        errors_dir=TEMPLATES / "haproxy" / "errors",
    )
    _start(workdir, "haproxy", ["haproxy", "-f", str(haproxy), "-db"], "haproxy.log")
    wait_for(lambda: _psql(WRITE_PORT, "SELECT pg_is_in_recovery()") == "f", "the write port", 30)
    wait_for(lambda: _psql(READ_PORT, "SELECT pg_is_in_recovery()") == "t", "the read port", 30)
    _psql(WRITE_PORT, "CREATE DATABASE phoihop")
    return endpoints()


def _psql(port: int, sql: str, database: str = "postgres") -> str | None:
    run = subprocess.run(
        [str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", database, "-Atc", sql],
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
        env={**os.environ, "PGPASSWORD": "postgres", "PGCONNECT_TIMEOUT": "3"},
    )
    return run.stdout.strip() if run.returncode == 0 else None


def endpoints() -> dict[str, Any]:
    return {
        "database_url": f"postgres://postgres:postgres@127.0.0.1:{WRITE_PORT}/phoihop",
        "replica_urls": f"postgres://postgres:postgres@127.0.0.1:{READ_PORT}/phoihop",
        "app_url": f"http://127.0.0.1:{APP_PORT}",
        "app_nodes": APP_NODES,
        "members": cluster(),
    }


def down(workdir: Path) -> None:
    """Stop every process ``up`` started (by its recorded id, with its group), then remove DIR."""
    pids = _pids(workdir)
    for name in sorted(pids, key=lambda n: n == "etcd"):  # etcd last: Patroni leaves first
        try:
            os.killpg(pids[name], signal.SIGTERM)
        except (ProcessLookupError, PermissionError):
            continue
    deadline = time.monotonic() + 20
    for pid in pids.values():
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.2)
        else:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    shutil.rmtree(workdir, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["up", "status", "down"])
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    args = parser.parse_args()
    if args.action == "up":
        print(json.dumps(up(args.workdir)))
    elif args.action == "status":
        print(json.dumps(endpoints()))
    else:
        down(args.workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
