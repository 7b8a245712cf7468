"""The importer's shared pieces: columns, kinds, row errors, results (docs/adr/0021-imports.md).

A kind (units, people, users, targets, activities, figures) says which columns its files have
(each named by a Vietnamese header or by its key, the key of the API), how its rows are exported
in the same columns (so that export → edit → import round-trips) and how its rows are checked
and written (``importer``, called by ``phoihop.imports.services.import_file``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class Column:
    key: str  # the API key, e.g. "external_id", "lead_unit", or an indicator code
    header: str | Promise  # Vietnamese header (lazy)
    required: bool = False
    help: str | Promise = ""  # Vietnamese explanation for the "Hướng dẫn" sheet
    example: Any = ""  # value of the template's example row
    choices: Callable[[Any], list[str]] | None = None  # (programme) -> allowed values, for drop-downs


@dataclass(frozen=True)
class ImportKind:
    name: str  # "units", "people", "users", "targets", "activities", "figures"
    label: str | Promise  # Vietnamese, lazy
    needs_programme: bool
    columns: Callable[[Any], list[Column]]  # (programme or None)
    export_rows: Callable[[Any, Any], Iterable[dict[str, Any]]]  # (user, programme) → rows, through the gate
    # (context) -> None: checks every row, records errors and counts on the context, writes
    # unless the run is dry or has an error (phoihop.imports.services).
    importer: Callable[[Any], None] | None = None


@dataclass
class RowError:
    row: int
    column: str
    value: str
    message: str


@dataclass
class ImportResult:
    kind: str
    dry_run: bool
    total_rows: int
    created: int
    updated: int
    unchanged: int
    errors: list[RowError] = field(default_factory=list)
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["errors"] = [asdict(e) for e in self.errors]
        return data

    @property
    def ok(self) -> bool:
        return not self.errors


# --- what a kind's importer works with --------------------------------------------------------

# A file with more problems than this lists the first ones and says how many more there were.
MAX_ERRORS = 10_000


class RowProblem(Exception):
    """One problem of one cell, raised by a row's check: ``column`` is the column's key."""

    def __init__(self, column: str, message: str, value: Any = None) -> None:
        super().__init__(message)
        self.column = column
        self.message = message
        self.value = value


def show_value(value: Any) -> str:
    """A cell as the user typed it, for the list of problems: dates as 23/9/2022."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)[:500]
    if isinstance(value, datetime):
        value = value.date() if not (value.hour or value.minute or value.second) else value
    if isinstance(value, date) and not isinstance(value, datetime):
        return f"{value.day}/{value.month}/{value.year}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)[:500]


@dataclass
class ImportContext:
    """One run of one kind over one file's rows (``rows``: row number as the user sees it, and
    the row's cells keyed by column key)."""

    kind: str
    acting_user: Any
    programme: Any
    dry_run: bool
    rows: list[tuple[int, dict[str, Any]]]
    headers: dict[str, str]  # column key -> the header as the file names it
    progress: Callable[[int], None] | None = None
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    more_errors: int = 0
    bad_rows: set[int] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)

    def error(self, row: int, column: str, value: Any, message: Any) -> None:
        self.bad_rows.add(row)
        if len(self.errors) >= MAX_ERRORS:
            self.more_errors += 1
            return
        header = self.headers.get(column, column)
        self.errors.append(RowError(row=row, column=str(header), value=show_value(value), message=str(message)))

    def problem(self, row: int, data: dict[str, Any], problem: RowProblem) -> None:
        value = problem.value if problem.value is not None else data.get(problem.column)
        self.error(row, problem.column, value, problem.message)

    def report(self, percent: int) -> None:
        if self.progress is not None:
            self.progress(max(0, min(100, int(percent))))
