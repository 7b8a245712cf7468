"""A tiny run of the national report benchmark (``bench/report.py`` at 300 units and 5,000 values),
on SQLite, in its own process and database under a temporary directory (never the test database),
as ``make bench`` runs it; and the result table it keeps in ``docs/benchmarks.md``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.report import TABLE_BEGIN, TABLE_END, record

ROOT = Path(__file__).resolve().parent.parent


def test_it_builds_the_joint_national_report_and_checks_its_figures_on_a_tiny_run(
    tmp_path: Path, bench_env: dict[str, str]
) -> None:
    env = bench_env
    command = [sys.executable, "bench/report.py", "--units", "300", "--values", "5000", "--runs", "2"]
    command += ["--workdir", str(tmp_path), "--no-record", "--save", str(tmp_path / "report.docx")]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)

    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(results) == {"sqlite"}
    sqlite = results["sqlite"]
    assert sqlite["equal"] is True  # every figure equals the raw values' sum
    assert sqlite["units"] == 300 and sqlite["values"] >= 5000 and sqlite["partner_units"] > 0
    assert sqlite["annexes"] == 2 and sqlite["indicators"] == 13
    # Each root's annex: its 36 provinces of 2017–2022 (34 open today, 2 closed in 2025 at this
    # size), and the root's own row where it recorded values itself.
    assert 2 * 36 <= sqlite["annex_rows"] <= 2 * 37
    assert len(sqlite["runs_s"]) == 2 and sqlite["seconds"] > 0 and sqlite["ok"] is True
    assert sqlite["pages"] is None or sqlite["pages"] > 1
    docx = (tmp_path / "report.docx").read_bytes()
    assert docx[:2] == b"PK" and len(docx) == sqlite["bytes"]
    assert (tmp_path / "bench.sqlite3").exists()
    # A second run reuses the database and adds nothing to it.
    again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    assert "reusing the figures benchmark's database" in again.stdout
    second = json.loads(again.stdout.strip().splitlines()[-1])["sqlite"]
    assert {k: second[k] for k in ("units", "partner_units", "values", "activities", "annex_rows")} == {
        k: sqlite[k] for k in ("units", "partner_units", "values", "activities", "annex_rows")
    }


def test_it_keeps_one_row_per_machine_database_and_size_in_the_table(tmp_path: Path) -> None:
    docs = tmp_path / "benchmarks.md"
    docs.write_text(f"# Benchmarks\n\n{TABLE_BEGIN}\n{TABLE_END}\n\nAfter.\n", encoding="utf-8")
    result = {
        "units": 100_000, "values": 10_000_000, "seconds": 1.234, "content_s": 0.5, "docx_s": 0.7,
        "annex_rows": 80, "pages": 12, "ok": True, "db_version": "3.40.1",
    }  # fmt: skip

    record({"sqlite": result}, docs)
    record({"sqlite": result | {"seconds": 3.5, "ok": False}, "postgresql": result | {"db_version": "15.20 (x)"}}, docs)

    text = docs.read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| ") and "100,000" in line]
    assert len(rows) == 2
    sqlite, postgresql = rows
    assert "SQLite 3.40.1" in sqlite and "**3.50**" in sqlite and "KHÔNG ĐẠT" in sqlite
    assert "PostgreSQL 15.20" in postgresql and "**1.23**" in postgresql and "| 12 / 80 |" in postgresql
    assert text.startswith("# Benchmarks\n") and text.endswith(f"{TABLE_END}\n\nAfter.\n")
