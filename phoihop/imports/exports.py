"""Exports of every import kind, in the columns of its template, so that export → edit → import
round-trips (``kind.export_rows(user, programme)`` reads through the gate as the user); and the
list of a run's problems as a workbook."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import xlsxwriter
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from phoihop.imports.templates import EXCEL_CELL_MAX, write_rows


def write_export(
    dest: Path | str | Any,
    *,
    kind: Any,
    user: Any,
    programme: Any = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the rows of ``kind`` that ``user`` may read (of ``programme``) to ``dest``; the count.
    In Vietnamese (labels of choices, yes/no) whatever the interface's language, as the template."""
    with translation.override("vi"):
        rows = kind.export_rows(user, programme)
        return write_rows(dest, kind, programme, rows, progress)


def write_problems(dest: Path | str | Any, run: Any) -> None:
    """The problems found in a run's file: Dòng, Cột, Giá trị, Lý do (what the run page shows)."""
    book = xlsxwriter.Workbook(dest, {"in_memory": not isinstance(dest, (str, Path)), "strings_to_formulas": False})
    sheet = book.add_worksheet(pgettext("row errors", "Lỗi"))
    bold = book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})
    heads = [_("Dòng"), _("Cột"), _("Giá trị"), _("Lý do")]
    for j, head in enumerate(heads):
        sheet.write_string(0, j, head, bold)
    for i, error in enumerate(run.errors or [], start=1):
        sheet.write_number(i, 0, int(error.get("row") or 0))
        sheet.write_string(i, 1, str(error.get("column") or "")[:EXCEL_CELL_MAX])
        sheet.write_string(i, 2, str(error.get("value") or "")[:EXCEL_CELL_MAX])
        sheet.write_string(i, 3, str(error.get("message") or "")[:EXCEL_CELL_MAX])
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, 1, 24)
    sheet.set_column(2, 2, 30)
    sheet.set_column(3, 3, 80)
    sheet.freeze_panes(1, 0)
    book.close()
