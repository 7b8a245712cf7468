"""The yardstick: the same totals computed by DuckDB scanning the raw values exported to Parquet.

The values are exported from the benchmarked database itself (joined with their unit's path,
in the order of their ids, that is, in date order), so an equal total checks both the roll-ups
and the data. DuckDB's extensions cannot be downloaded here, so it reads a CSV written from
the database and writes the Parquet file with its built-in writer. Only the historical view
(units of the time) is compared: today's tree is a query-time rule of phoihop's, not data.
"""

from __future__ import annotations

import csv
import sqlite3
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

COLUMNS = (
    "{'path': 'VARCHAR', 'indicator_id': 'INTEGER', 'date': 'DATE', 'value': 'BIGINT', "
    "'counted': 'BOOLEAN', 'approved': 'BOOLEAN'}"
)


def export_sql(values_table: str, units_table: str) -> str:
    return (
        f"SELECT u.path, v.indicator_id, v.date, v.value, v.counted, v.approved "
        f"FROM {values_table} v JOIN {units_table} u ON u.id = v.unit_id ORDER BY v.id"
    )


def export_sqlite(db_file: str, sql: str, out: Path) -> int:
    """Write the values as CSV with the csv module, through a plain read-only connection (no
    Django type converters: the dates stay text)."""
    rows = 0
    con = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    try:
        cursor = con.execute(sql)
        with out.open("w", newline="") as f:
            writer = csv.writer(f)
            while batch := cursor.fetchmany(100_000):
                writer.writerows(batch)
                rows += len(batch)
    finally:
        con.close()
    return rows


def export_postgresql(pg_cursor: Any, sql: str, out: Path) -> None:
    """COPY ... TO STDOUT (CSV) straight into the file."""
    with out.open("wb") as f, pg_cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as copy:
        for chunk in copy:
            f.write(chunk)


def to_parquet(csv_file: Path, parquet_file: Path) -> int:
    con = duckdb.connect()
    try:
        con.execute(
            f"COPY (SELECT * FROM read_csv('{csv_file}', header = false, columns = {COLUMNS})) "
            f"TO '{parquet_file}' (FORMAT parquet)"
        )
        row = con.execute(f"SELECT COUNT(*) FROM read_parquet('{parquet_file}')").fetchone()
        return int(row[0]) if row else 0
    finally:
        con.close()


class Duck:
    """A DuckDB connection over the Parquet file (all cores of the machine, the default)."""

    SUBTREE = (
        "SELECT COALESCE(SUM(value), 0) FROM vals "
        "WHERE starts_with(path, ?) AND indicator_id = ? AND date BETWEEN ? AND ? AND counted"
    )

    def __init__(self, parquet_file: Path, provinces: Sequence[tuple[int, str]]) -> None:
        self.con = duckdb.connect()
        self.con.execute(f"CREATE VIEW vals AS SELECT * FROM read_parquet('{parquet_file}')")
        self.con.execute("CREATE TABLE provinces (unit_id INTEGER, path VARCHAR)")
        self.con.executemany("INSERT INTO provinces VALUES (?, ?)", [list(p) for p in provinces])
        lengths = {len(path) for _, path in provinces}
        if len(lengths) != 1:
            raise ValueError("the provinces' paths must all have the same length")
        self.prefix = lengths.pop()

    def threads(self) -> int:
        row = self.con.execute("SELECT current_setting('threads')").fetchone()
        return int(row[0]) if row else 0

    def subtree_total(self, path: str, indicator_id: int, start: date, end: date) -> int:
        row = self.con.execute(self.SUBTREE, [path, indicator_id, start, end]).fetchone()
        return int(row[0]) if row else 0

    def national(self, start: date, end: date, *, approved: bool = False) -> dict[tuple[int, int], int]:
        """Totals of each province's subtree by indicator: a join on the path prefix, grouped."""
        amount = "CASE WHEN v.approved THEN v.value ELSE 0 END" if approved else "v.value"
        rows = self.con.execute(
            f"SELECT p.unit_id, v.indicator_id, SUM({amount}) FROM vals v "
            f"JOIN provinces p ON substr(v.path, 1, {self.prefix}) = p.path "
            "WHERE v.counted AND v.date BETWEEN ? AND ? GROUP BY p.unit_id, v.indicator_id",
            [start, end],
        ).fetchall()
        return {(u, i): int(total) for u, i, total in rows}

    def close(self) -> None:
        self.con.close()


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """(milliseconds, result) of one call."""
    started = time.perf_counter()
    result = fn()
    return (time.perf_counter() - started) * 1000, result
