"""The import service: a file of one kind checked row by row, written all at once or not at all.

``import_file`` reads the file (``phoihop.imports.reading``), names its columns by their
Vietnamese header or their key, and hands the rows to the kind's importer
(``phoihop.imports.kinds``) inside one transaction:

* a dry run checks every row, lists every problem (row, column, value, Vietnamese reason) and
  writes nothing (the transaction is rolled back);
* a real run with any problem writes nothing either; without one, every row is written in that
  one transaction, with one entry of the action log for the run;
* the same file again changes nothing (rows equal to their records count as unchanged).

A file the reader refuses as a whole (too large, a bomb, not a spreadsheet) is not an exception
for the caller: the result holds one error on row 0 with the reader's message, so the API, the
pages and the command show it like any other problem (docs/adr/0021-imports.md).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from phoihop.audit.actions import record
from phoihop.core.text import fold
from phoihop.imports.kinds import KINDS, Column, ImportContext, ImportResult, RowError


def _header_key(text: Any) -> str:
    """A header as compared: diacritics and case folded, a required mark (*) dropped."""
    return fold(unicodedata.normalize("NFC", str(text or "")).replace("*", " ")).strip()


def map_columns(headers: list[str], columns: list[Column]) -> tuple[dict[int, str], list[RowError]]:
    """Which column key each header names: by the key itself, the Vietnamese header (what
    templates and exports write, whatever the interface's language) or the header in the active
    language, case- and diacritic-insensitive. Unknown, repeated and missing required columns are
    errors (row 1, the header row)."""
    lookup: dict[str, str] = {}
    for column in columns:
        lookup.setdefault(_header_key(column.key), column.key)
    with translation.override("vi"):
        for column in columns:
            lookup.setdefault(_header_key(column.header), column.key)
    for column in columns:
        lookup.setdefault(_header_key(column.header), column.key)
    found: dict[int, str] = {}
    errors: list[RowError] = []
    seen: dict[str, str] = {}
    for index, header in enumerate(headers):
        if not str(header or "").strip():
            continue
        key = lookup.get(_header_key(header))
        if key is None:
            errors.append(
                RowError(
                    1,
                    str(header),
                    str(header),
                    _("Cột “%(header)s” không có trong mẫu của loại dữ liệu này.") % {"header": header},
                )
            )
            continue
        if key in seen:
            errors.append(
                RowError(1, str(header), str(header), _("Cột này trùng với cột “%(other)s”.") % {"other": seen[key]})
            )
            continue
        seen[key] = str(header)
        found[index] = key
    for column in columns:
        if column.required and column.key not in seen:
            errors.append(
                RowError(
                    1,
                    str(column.header),
                    "",
                    _("Thiếu cột bắt buộc “%(header)s” (hoặc “%(key)s”).")
                    % {"header": column.header, "key": column.key},
                )
            )
    return found, errors


def import_file(
    *,
    acting_user: Any,
    kind: str,
    path: str | Path,
    filename: str,
    programme: Any = None,
    dry_run: bool,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import ``path`` (uploaded as ``filename``) as rows of ``kind``; see the module's docstring."""
    from phoihop.imports.reading import ImportRefused, read_table

    try:
        table = read_table(path, filename)
    except ImportRefused as refused:
        return ImportResult(kind, dry_run, 0, 0, 0, 0, [RowError(0, "", filename, str(refused))])
    return import_table(
        acting_user=acting_user,
        kind=kind,
        table=table,
        programme=programme,
        dry_run=dry_run,
        progress=progress,
        filename=filename,
    )


def import_table(
    *,
    acting_user: Any,
    kind: str,
    table: Any,
    programme: Any = None,
    dry_run: bool,
    progress: Callable[[int], None] | None = None,
    filename: str = "",
) -> ImportResult:
    """Import the rows of a ``reading.Table`` (what ``import_file`` does once the file is read)."""
    result = ImportResult(kind, dry_run, len(table.rows), 0, 0, 0, [], getattr(table, "note", "") or "")
    spec = KINDS.get(kind)
    if spec is None or spec.importer is None:
        result.errors.append(RowError(0, "", kind, _("Không có loại dữ liệu “%(kind)s” để nhập.") % {"kind": kind}))
        return result
    if spec.needs_programme:
        from phoihop.programmes.models import Programme

        if programme is None:
            result.errors.append(RowError(0, "", "", _("Hãy chọn chương trình cho loại dữ liệu này.")))
            return result
        if not Programme.objects.restrict(acting_user, "view").filter(pk=programme.pk).exists():
            result.errors.append(RowError(0, "", "", _("Không tìm thấy chương trình trong phạm vi của bạn.")))
            return result
    mapping, header_errors = map_columns(list(table.headers), spec.columns(programme))
    if header_errors:
        result.errors.extend(header_errors)
        return result
    rows = [
        (number, {key: cells[i] if i < len(cells) else None for i, key in mapping.items()})
        for number, cells in table.rows
    ]
    headers = {key: str(table.headers[i]) for i, key in mapping.items()}
    ctx = ImportContext(kind, acting_user, programme, dry_run, rows, headers, progress)
    with transaction.atomic():
        spec.importer(ctx)
        if dry_run or ctx.errors:
            transaction.set_rollback(True)
        else:
            record(
                "import.run",
                actor=acting_user,
                target=programme,
                count=ctx.created + ctx.updated,
                details={
                    "kind": kind,
                    "file": filename,
                    "rows": len(rows),
                    "created": ctx.created,
                    "updated": ctx.updated,
                    "unchanged": ctx.unchanged,
                },
            )
    result.created, result.updated, result.unchanged = ctx.created, ctx.updated, ctx.unchanged
    result.errors.extend(sorted(ctx.errors, key=lambda e: e.row))  # stable: a row's problems in column order
    notes = [n for n in [result.note, *ctx.notes] if n]
    if ctx.more_errors:
        notes.append(_("Còn %(n)s lỗi khác không liệt kê.") % {"n": ctx.more_errors})
    result.note = " ".join(notes)
    if progress is not None:
        progress(100)
    return result
