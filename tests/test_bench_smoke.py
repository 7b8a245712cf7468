"""A tiny run of the figures benchmark (``make bench`` at 300 units and 5,000 values), on SQLite.

It runs ``bench/run.py`` as ``make bench`` does, in its own process and on its own database file
under a temporary directory, so it never touches the test database; it checks the JSON of the
last line: every total equal to DuckDB's and to the brute-force check, and a write that touches
the roll-up rows of a branch, its commune and its province (3 units × 3 indicators × day, month
and year).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb  # noqa: F401  (a dev dependency: fails here rather than skipping when it is missing)

ROOT = Path(__file__).resolve().parent.parent
KEYS = {
    "equal",
    "subtree_p50_ms",
    "subtree_p95_ms",
    "duckdb_subtree_p50_ms",
    "national_ms",
    "duckdb_national_ms",
    "write_ms",
    "rows_per_write",
}


def test_it_finds_every_total_equal_to_duckdbs_on_a_tiny_run(tmp_path: Path, bench_env: dict[str, str]) -> None:
    env = bench_env
    command = [sys.executable, "bench/run.py", "--units", "300", "--values", "5000", "--queries", "200"]
    command += ["--writes", "3", "--workdir", str(tmp_path)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)

    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(results) == {"sqlite"}
    sqlite = results["sqlite"]
    assert KEYS <= set(sqlite)
    assert sqlite["equal"] is True
    assert sqlite["subtree_equal"] and sqlite["national_equal"] and sqlite["brute_force_equal"]
    assert sqlite["subtree_compared"] == 200 and sqlite["subtree_nonzero"] > 20
    assert sqlite["national_year_pairs"] == 34 * 13
    assert sqlite["rows_per_write"] == 27 and sqlite["write_exact"] is True
    assert (tmp_path / "bench.sqlite3").exists()
