"""Helpers of the import interface tests (tests/test_import_api.py, _pages.py, _command.py).

* ``FAKE``: a small import kind ("notes": a code chosen from a list, a name, a date) whose
  importer reads the file with the real reader and writes nothing: it lets the interfaces be
  tested apart from the kinds (``use_fake_kind`` puts it in the registry).
* Files: ``xlsx_bytes(headers, rows)``, ``csv_bytes(headers, rows)``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date
from typing import Any

import xlsxwriter

from phoihop.imports.kinds.base import Column, ImportKind, ImportResult, RowError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _fake_columns(programme: Any) -> list[Column]:
    return [
        Column("code", "Mã ghi chú", True, "Một trong A, B, C.", "A", lambda p: ["A", "B", "C"]),
        Column("name", "Tên ghi chú", True, "Tối đa 50 ký tự.", "Ghi chú mẫu"),
        Column("day", "Ngày", False, "dd/mm/yyyy", date(2024, 9, 23)),
    ]


def _fake_export(user: Any, programme: Any) -> Iterable[dict[str, Any]]:
    yield {"code": "A", "name": "Một", "day": date(2024, 1, 2)}
    yield {"code": "B", "name": '=HYPERLINK("http://x")', "day": None}


FAKE = ImportKind("notes", "ghi chú thử", False, _fake_columns, _fake_export)
FAKE_PROG = ImportKind("notes_prog", "ghi chú theo chương trình", True, _fake_columns, _fake_export)

CALLS: list[dict[str, Any]] = []


def fake_import_file(
    *, acting_user: Any, kind: str, path: Any, filename: str, programme: Any = None, dry_run: bool, progress: Any = None
) -> ImportResult:
    """Reads the file (the real reader: refusals are real) and checks "code" and "name"."""
    from phoihop.core.text import fold
    from phoihop.imports.reading import read_table

    CALLS.append({"user": acting_user.username, "kind": kind, "programme": programme, "dry_run": dry_run})
    table = read_table(path, filename)
    keys = {fold(c.header): c.key for c in _fake_columns(programme)} | {c.key: c.key for c in _fake_columns(programme)}
    index = {keys.get(fold(h), keys.get(h, h)): i for i, h in enumerate(table.headers)}
    errors = []
    for number, cells in table.rows:
        code = cells[index["code"]] if "code" in index else None
        name = cells[index["name"]] if "name" in index else None
        if code not in ("A", "B", "C"):
            errors.append(RowError(number, "Mã ghi chú", "" if code is None else str(code), "Mã phải là A, B hoặc C."))
        if not name:
            errors.append(RowError(number, "Tên ghi chú", "", "Thiếu tên ghi chú."))
        if progress is not None:
            progress(50)
    total = len(table.rows)
    return ImportResult(kind, dry_run, total, 0 if errors else total, 0, 0, errors, table.note)


def use_fake_kind(monkeypatch: Any) -> None:
    from phoihop.imports import registry

    real = registry.all_kinds

    def kinds() -> dict[str, Any]:
        try:
            found = dict(real())
        except ImportError:
            found = {}
        return {**found, FAKE.name: FAKE, FAKE_PROG.name: FAKE_PROG}

    CALLS.clear()
    monkeypatch.setattr(registry, "all_kinds", kinds)
    real_import = registry.import_file

    def import_file(**kwargs: Any) -> Any:
        if kwargs["kind"] in (FAKE.name, FAKE_PROG.name):
            return fake_import_file(**kwargs)
        return real_import(**kwargs)

    monkeypatch.setattr(registry, "import_file", import_file)


def xlsx_bytes(headers: list[str], rows: list[list[Any]], title: str = "Dữ liệu") -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet(title)
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    for j, header in enumerate(headers):
        sheet.write_string(0, j, header)
    for i, row in enumerate(rows, start=1):
        for j, value in enumerate(row):
            if isinstance(value, date):
                sheet.write_datetime(i, j, value, date_format)
            elif value is not None:
                sheet.write(i, j, value)
    book.close()
    return out.getvalue()


def csv_bytes(headers: list[str], rows: list[list[Any]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


GOOD_NOTES = xlsx_bytes(["Mã ghi chú", "Tên ghi chú", "Ngày"], [["A", "Một", date(2024, 1, 2)], ["B", "Hai", None]])
BAD_NOTES = xlsx_bytes(["Mã ghi chú", "Tên ghi chú"], [["A", "Một"], ["Z", "Hai"], ["B", "Ba"]])
