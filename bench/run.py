"""Entry point of ``make bench``: the figures benchmark on SQLite and, when DATABASE_URL points to
PostgreSQL, on PostgreSQL too.

    python bench/run.py [--units 100000] [--values 10000000] [--queries 1000] [--seed 1]

Each database runs in its own process (``bench/figures.py``), since Django's settings are per
process. The last line printed is one JSON object keyed by database; the exit status is not
zero when any total differs from DuckDB's (or a run failed).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT_DIR = BENCH_DIR.parent


def run_one(database: str, args: argparse.Namespace, extra: list[str]) -> dict[str, Any]:
    """Run bench/figures.py for one database, echo its output, return its last line's JSON."""
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "phoihop.settings"
    env.setdefault("SECRET_KEY", "bench-only-key-not-for-production")
    env["PYTHONUNBUFFERED"] = "1"
    command = [
        sys.executable,
        str(BENCH_DIR / "figures.py"),
        "--database",
        database,
        "--units",
        str(args.units),
        "--values",
        str(args.values),
        "--queries",
        str(args.queries),
        "--seed",
        str(args.seed),
        *extra,
    ]
    last = ""
    with subprocess.Popen(command, cwd=ROOT_DIR, env=env, stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("{"):
                last = line
            else:
                print(line, end="", flush=True)
    if not last:
        return {"equal": False, "error": f"bench/figures.py --database {database} exited with {process.returncode}"}
    result: dict[str, Any] = json.loads(last)
    if process.returncode and result.get("equal"):
        result["equal"] = False
        result["error"] = f"exit status {process.returncode}"
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description="phoihop figures benchmark (SQLite, and PostgreSQL when configured)")
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--values", type=int, default=10_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args, extra = parser.parse_known_args()
    databases = ["sqlite"]
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        databases.append("postgresql")
    results = {db: run_one(db, args, extra) for db in databases}
    print(json.dumps(results), flush=True)
    return 0 if all(r.get("equal") for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
