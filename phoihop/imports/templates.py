"""The XLSX workbook of an import kind: its template (one example row) and its export (the rows the
user may read), in the same columns, so that export → edit → import round-trips.

The first sheet holds the data: the Vietnamese headers in row 1 (required ones marked by colour),
a drop-down list (data validation) on every column with choices, dates as dd/mm/yyyy and codes
as text (a commune code "04132" keeps its leading zero). The sheet "Hướng dẫn" explains each
column; the hidden sheet "Danh mục" holds the longer lists of choices. Every text is written as
text, never as a formula, whatever it starts with.

Templates and exports are written in Vietnamese whatever the language of the interface (headers,
choices, the guide): a file made by a user of the English interface imports back the same for
everyone, and the importer reads Vietnamese headers and choices in every language.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from django.utils import timezone, translation
from django.utils.translation import gettext as _

GUIDE_SHEET = "Hướng dẫn"
CHOICES_SHEET = "Danh mục"
# Data validation reaches this far down (the reader's limit of rows, plus the header).
LAST_ROW = 200_001
INLINE_LIST_MAX = 255  # Excel's limit for a list typed into the validation itself
EXCEL_CELL_MAX = 32_767

_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def sheet_title(label: Any) -> str:
    title = _SHEET_BAD.sub(" ", str(label)).strip()[:31].strip() or "Dữ liệu"
    return "Dữ liệu" if title in (GUIDE_SHEET, CHOICES_SHEET) else title


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, (list, tuple, set, frozenset)):
        return "; ".join(_text(v) for v in value)
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _choices_of(column: Any, programme: Any) -> list[str]:
    if column.choices is None:
        return []
    return [str(choice) for choice in column.choices(programme) if str(choice).strip()]


class Writer:
    """One workbook of a kind's columns; ``row(values)`` appends a data row."""

    def __init__(self, target: Any, kind: Any, columns: list[Any], programme: Any, *, example: bool = False) -> None:
        self.book = xlsxwriter.Workbook(
            target, {"in_memory": not isinstance(target, (str, Path)), "strings_to_formulas": False}
        )
        self.book.set_properties({"title": str(kind.label), "comments": f"phoihop import kind: {kind.name}"})
        self.kind = kind
        self.columns = columns
        self.programme = programme
        self.sheet = self.book.add_worksheet(sheet_title(kind.label))
        self.guide = self.book.add_worksheet(GUIDE_SHEET)
        self.lists: Any = None
        self.next_row = 1
        self.example = example
        bold = {"bold": True, "text_wrap": True, "valign": "top", "border": 1}
        self.f_header = self.book.add_format({**bold, "bg_color": "#DDEBF7"})
        self.f_required = self.book.add_format({**bold, "bg_color": "#FCE4D6"})
        self.f_date = self.book.add_format({"num_format": "dd/mm/yyyy"})
        self.f_datetime = self.book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
        self.f_text = self.book.add_format({"num_format": "@"})
        self.f_example = self.book.add_format({"italic": True, "font_color": "#595959"})
        self.f_example_date = self.book.add_format(
            {"italic": True, "font_color": "#595959", "num_format": "dd/mm/yyyy"}
        )
        self.f_wrap = self.book.add_format({"text_wrap": True, "valign": "top"})
        self.choices = [_choices_of(column, programme) for column in columns]
        self._header()
        self._guide()

    # --- the data sheet ---------------------------------------------------------------------------

    def _is_date(self, column: Any) -> bool:
        return isinstance(column.example, date)

    def _is_text(self, column: Any) -> bool:
        # Codes and names stay text: a commune code "04132" keeps its leading zero.
        return isinstance(column.example, str)

    def _header(self) -> None:
        sheet = self.sheet
        for j, column in enumerate(self.columns):
            header = str(column.header)
            sheet.write_string(0, j, header, self.f_required if column.required else self.f_header)
            width = min(max(len(header) + 2, 12, *(len(c) + 2 for c in self.choices[j][:50])), 45)
            if self._is_date(column):
                sheet.set_column(j, j, max(width, 12), self.f_date)
            elif self._is_text(column):
                sheet.set_column(j, j, width, self.f_text)
            else:
                sheet.set_column(j, j, width)
            if self.choices[j]:
                self._validation(j, column, self.choices[j])
        sheet.freeze_panes(1, 0)
        sheet.set_row(0, 30)

    def _validation(self, j: int, column: Any, choices: list[str]) -> None:
        inline = ",".join(choices)
        options: dict[str, Any] = {
            "validate": "list",
            "error_type": "warning",
            "error_title": _("Giá trị không có trong danh sách"),
            "error_message": _("Hãy chọn một giá trị trong danh sách (xem trang “Hướng dẫn”)."),
        }
        if len(inline) <= INLINE_LIST_MAX and not any("," in c or '"' in c for c in choices):
            options["source"] = choices
        else:
            if self.lists is None:
                self.lists = self.book.add_worksheet(CHOICES_SHEET)
                self.lists.hide()
            self.lists.write_string(0, j, str(column.header)[:EXCEL_CELL_MAX])
            for i, choice in enumerate(choices, start=1):
                self.lists.write_string(i, j, choice[:EXCEL_CELL_MAX])
            letter = xlsxwriter.utility.xl_col_to_name(j)
            options["source"] = f"='{CHOICES_SHEET}'!${letter}$2:${letter}${len(choices) + 1}"
        self.sheet.data_validation(1, j, LAST_ROW, j, options)

    def _cell(self, i: int, j: int, value: Any, example: bool = False) -> None:
        sheet = self.sheet
        if value is None or value == "":
            return
        if isinstance(value, datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value).replace(tzinfo=None)
            sheet.write_datetime(i, j, value, self.f_example_date if example else self.f_datetime)
        elif isinstance(value, date):
            sheet.write_datetime(
                i, j, datetime(value.year, value.month, value.day), self.f_example_date if example else self.f_date
            )
        elif isinstance(value, bool):
            sheet.write_string(i, j, _text(value), self.f_example if example else None)
        elif isinstance(value, (int, float, Decimal)):
            sheet.write_number(
                i, j, float(value) if isinstance(value, Decimal) else value, self.f_example if example else None
            )
        else:
            text = _text(value)[:EXCEL_CELL_MAX]
            sheet.write_string(
                i, j, text, self.f_example if example else (self.f_text if self._is_text(self.columns[j]) else None)
            )

    def row(self, values: dict[str, Any], example: bool = False) -> None:
        for j, column in enumerate(self.columns):
            self._cell(self.next_row, j, values.get(column.key), example=example)
        self.next_row += 1

    # --- the guide --------------------------------------------------------------------------------

    def _guide(self) -> None:
        guide = self.guide
        f = self.f_header
        title = self.book.add_format({"bold": True, "font_size": 13})
        guide.write_string(0, 0, _("Hướng dẫn nhập %(label)s") % {"label": str(self.kind.label)}, title)
        if self.programme is not None:
            guide.write_string(
                1,
                0,
                _("Chương trình: %(title)s (mã %(code)s)")
                % {"title": self.programme.title, "code": self.programme.code},
            )
        heads = [
            _("Cột (tên ở dòng đầu)"),
            _("Tên cột thay thế (khóa)"),
            _("Bắt buộc"),
            _("Giải thích"),
            _("Ví dụ"),
            _("Giá trị chọn được"),
        ]
        top = 3
        for j, head in enumerate(heads):
            guide.write_string(top, j, head, f)
        for i, column in enumerate(self.columns, start=top + 1):
            choices = self.choices[i - top - 1]
            listed = "; ".join(choices[:30]) + (
                _("; … (%(count)s giá trị, xem danh sách thả xuống)") % {"count": len(choices)}
                if len(choices) > 30
                else ""
            )
            guide.write_string(i, 0, str(column.header), self.f_wrap)
            guide.write_string(i, 1, str(column.key), self.f_wrap)
            guide.write_string(i, 2, _("Có") if column.required else _("Không"), self.f_wrap)
            guide.write_string(i, 3, str(column.help or ""), self.f_wrap)
            guide.write_string(i, 4, _text(column.example), self.f_wrap)
            guide.write_string(i, 5, listed, self.f_wrap)
        notes = [
            _("Cách ghi:"),
            _(
                "• Dòng đầu của trang dữ liệu là tên cột; có thể ghi tên cột tiếng Việt hoặc khóa, "
                "có dấu hoặc không dấu."
            ),
            _("• Cột tô màu cam là cột bắt buộc. Thứ tự các cột không quan trọng; cột không dùng có thể xóa."),
            _(
                "• Ngày ghi dd/mm/yyyy (ví dụ 23/9/2022) hoặc yyyy-mm-dd; số có thể dùng dấu chấm "
                "ngăn cách hàng nghìn (1.234)."
            ),
            _("• Đơn vị ghi theo mã hoặc đúng tên; nhiều mã trong một ô thì ngăn cách bằng dấu chấm phẩy (;)."),
            _("• Công thức được đọc theo giá trị đã tính; không nhận tệp có macro."),
            _(
                "• Nên bấm “Kiểm tra trước”: hệ thống liệt kê lỗi từng dòng mà chưa ghi gì. "
                "Khi nhập thật, nếu còn một dòng lỗi thì không dòng nào được ghi."
            ),
            _("• Nhập lại cùng một tệp không tạo bản ghi trùng: dòng đã có thì được cập nhật theo mã."),
        ]
        if self.example:
            notes.insert(
                1,
                _(
                    "• Dòng 2 của trang dữ liệu là dòng ví dụ (chữ nghiêng): hãy ghi đè hoặc xóa dòng này "
                    "trước khi nhập."
                ),
            )
        start = top + len(self.columns) + 2
        for k, note in enumerate(notes):
            guide.write_string(start + k, 0, note, title if k == 0 else None)
        guide.set_column(0, 0, 34)
        guide.set_column(1, 1, 22)
        guide.set_column(2, 2, 10)
        guide.set_column(3, 3, 60)
        guide.set_column(4, 4, 22)
        guide.set_column(5, 5, 50)

    def close(self) -> None:
        self.book.close()


def columns_of(kind: Any, programme: Any) -> list[Any]:
    return list(kind.columns(programme))


def template_bytes(kind: Any, programme: Any = None) -> bytes:
    """The template of ``kind`` (for ``programme`` when it needs one): headers, one example row,
    the drop-down lists and the guide."""
    out = io.BytesIO()
    with translation.override("vi"):
        columns = columns_of(kind, programme)
        writer = Writer(out, kind, columns, programme, example=True)
        writer.row({column.key: column.example for column in columns}, example=True)
        writer.close()
    return out.getvalue()


def write_rows(
    target: Any,
    kind: Any,
    programme: Any,
    rows: Iterable[dict[str, Any]],
    progress: Callable[[int], None] | None = None,
) -> int:
    """The export of ``kind``: ``rows`` (keyed by column key) under the template's headers, with
    the same lists and guide; returns the number of rows written."""
    with translation.override("vi"):
        columns = columns_of(kind, programme)
        writer = Writer(target, kind, columns, programme)
        count = 0
        for count, values in enumerate(rows, start=1):
            writer.row(values)
            if progress is not None and count % 500 == 0:
                progress(count)
        writer.close()
    return count


def template_filename(kind: Any, programme: Any = None) -> str:
    suffix = f"-{programme.code}" if programme is not None else ""
    return f"mau-nhap-{kind.name}{suffix}.xlsx"


def export_filename(kind: Any, programme: Any = None, day: date | None = None) -> str:
    suffix = f"-{programme.code}" if programme is not None else ""
    day = day or timezone.localdate()
    return f"du-lieu-{kind.name}{suffix}-{day:%Y-%m-%d}.xlsx"
