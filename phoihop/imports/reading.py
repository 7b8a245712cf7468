"""Reading an uploaded spreadsheet (XLSX or CSV) into a plain table, safely.

read_table() is the only way an imported file is read. It refuses, quickly and before
parsing anything big, what must not be read: files over MAX_BYTES, zip bombs, XML with a
DOCTYPE or entities, more than MAX_ROWS data rows, old .xls files and anything that is not a
spreadsheet. Formula cells give their cached value (never evaluated). Text comes out as
Unicode NFC: Windows-1258 CSV files are decoded, and text typed in the legacy TCVN3 (ABC) and
VNI fonts is converted (see encodings.py). Nothing is written to disk.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from phoihop.core.text import fold
from phoihop.imports.encodings import (
    ENCODING_NAMES,
    LegacyVerdict,
    assess_legacy,
    is_legacy_font,
    is_vietnamese_syllable,
    non_ascii_words,
    to_unicode,
)

__all__ = ["MAX_BYTES", "MAX_ROWS", "ImportRefused", "Table", "read_table"]

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000
# Zip bomb limits of an XLSX: total uncompressed size, and the compression ratio of a big member.
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100
_RATIO_FROM = 1024 * 1024  # members smaller than this are not held to the ratio
MAX_MEMBERS = 5000
_PROLOG_BYTES = 64 * 1024  # how much of each XLSX member is scanned for a DOCTYPE
_GUIDE_SHEET = fold("Hướng dẫn")

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (and password-protected .xlsx)
_XLSX_EXTENSIONS = {".xlsx", ".xlsm"}
_CSV_EXTENSIONS = {".csv", ".txt"}


class ImportRefused(Exception):
    """The whole file is refused; str(e) is the Vietnamese message for the user."""


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    source_encoding: str = ""  # "xlsx", "utf-8", "utf-8-sig", "utf-16", "windows-1258", "tcvn3", "vni"
    note: str = ""  # Vietnamese note for the user (an encoding that was converted)


def _vn_number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _not_a_spreadsheet() -> ImportRefused:
    return ImportRefused(_("Không đọc được tệp: không phải tệp Excel (.xlsx) hay CSV hợp lệ."))


def _too_many_rows() -> ImportRefused:
    return ImportRefused(
        _("Tệp có hơn %(limit)s dòng dữ liệu: hãy chia thành nhiều tệp nhỏ hơn.") % {"limit": _vn_number(MAX_ROWS)}
    )


def _bomb() -> ImportRefused:
    return ImportRefused(
        _(
            "Tệp bị từ chối: khi giải nén, tệp Excel lớn bất thường (quá %(limit)s MB hoặc tỉ lệ nén bất thường)."
            " Tệp có thể đã bị làm hỏng hoặc cố ý tạo ra để gây hại."
        )
        % {"limit": MAX_UNCOMPRESSED // (1024 * 1024)}
    )


def _xml_bomb() -> ImportRefused:
    return ImportRefused(
        _(
            "Tệp bị từ chối: tệp Excel chứa khai báo DOCTYPE/ENTITY mà Excel không bao giờ tạo ra."
            " Tệp có thể đã bị làm hỏng hoặc cố ý tạo ra để gây hại."
        )
    )


def _old_xls() -> ImportRefused:
    return ImportRefused(
        _(
            "Không đọc được tệp .xls (Excel 97–2003) hoặc tệp Excel có đặt mật khẩu."
            " Hãy mở tệp bằng Excel, bỏ mật khẩu nếu có và chọn “Lưu thành” kiểu"
            " “Sổ làm việc Excel (.xlsx)”, rồi tải lên lại."
        )
    )


def _uncertain(encoding: str) -> ImportRefused:
    return ImportRefused(
        _(
            "Tệp có vẻ gõ bằng bảng mã %(encoding)s (phông chữ cũ) nhưng không chắc chắn để tự chuyển."
            " Hãy chuyển tệp sang Unicode (ví dụ bằng công cụ chuyển mã của Unikey) rồi tải lên lại."
        )
        % {"encoding": ENCODING_NAMES[encoding]}
    )


def _converted_note(encoding: str) -> str:
    return _("Tệp gõ bằng bảng mã %(encoding)s đã được chuyển sang Unicode.") % {"encoding": ENCODING_NAMES[encoding]}


def read_table(path: str | Path, filename: str) -> Table:
    """Read the first sheet of an .xlsx/.xlsm file (not "Hướng dẫn"), or a .csv/.txt file.

    The first non-empty row gives the headers; every later non-empty row is a data row,
    numbered as the user sees it (Excel row, CSV line). Raises ImportRefused.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError:
        raise _not_a_spreadsheet() from None
    if size > MAX_BYTES:
        raise ImportRefused(
            _("Tệp lớn hơn %(limit)s MB: hãy chia thành nhiều tệp nhỏ hơn.") % {"limit": MAX_BYTES // (1024 * 1024)}
        )
    if size == 0:
        raise ImportRefused(_("Tệp rỗng."))
    extension = Path(filename or "").suffix.lower()
    if head.startswith(_ZIP_MAGIC):
        if extension in (".ods", ".numbers"):
            raise ImportRefused(
                _("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv): hãy lưu tệp thành .xlsx rồi tải lên lại.")
            )
        return _read_xlsx(path)
    if head.startswith(_OLE_MAGIC) or extension == ".xls":
        raise _old_xls()
    if extension in _CSV_EXTENSIONS:
        return _read_csv(path)
    if extension in _XLSX_EXTENSIONS:
        raise _not_a_spreadsheet()
    raise ImportRefused(_("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."))


# --- cells and rows -----------------------------------------------------------------------------


def _clean_text(value: str) -> str | None:
    text = value.strip()
    if not text:
        return None
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return text


def _header_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value).strip()


def _header_cells(values: list[Any]) -> list[str]:
    headers = [_header_text(v) for v in values]
    while headers and not headers[-1]:
        headers.pop()
    return [unicodedata.normalize("NFC", h) for h in headers]


def _shape(headers: list[str], rows: list[tuple[int, list[Any]]]) -> None:
    """Pad every row with None up to the number of headers (a row may be longer)."""
    width = len(headers)
    for _number, values in rows:
        while values and values[-1] is None and len(values) > width:
            values.pop()
        if len(values) < width:
            values.extend([None] * (width - len(values)))


def _legacy_score(text: str, encoding: str) -> tuple[int, int]:
    """(valid syllables as-is, valid syllables once converted) of the non-ASCII words of text."""
    before = after = 0
    for word in non_ascii_words(text):
        before += is_vietnamese_syllable(word)
        after += is_vietnamese_syllable(to_unicode(word, encoding))
    return before, after


def _latin_only(text: str) -> bool:
    return all(ord(ch) < 0x100 for ch in text)


# --- XLSX ---------------------------------------------------------------------------------------

_ROOT_START = re.compile(rb"<[A-Za-z_]")
_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _check_zip(archive: zipfile.ZipFile) -> None:
    """Refuse zip bombs and XML with DOCTYPE/ENTITY declarations, reading only the members' starts."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _bomb()
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > _RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _bomb()
    if total > MAX_UNCOMPRESSED:
        raise _bomb()
    for info in infos:
        if info.is_dir() or not info.file_size:
            continue
        with archive.open(info) as member:
            start = member.read(_PROLOG_BYTES)
        # UTF-16 XML: the markup is ASCII with NUL bytes between.
        probe = start.replace(b"\x00", b"")
        if _DECLARATION.search(probe):
            raise _xml_bomb()
        looks_xml = probe.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n").startswith(b"<")
        if looks_xml and len(start) == _PROLOG_BYTES and not _ROOT_START.search(probe):
            # A prolog longer than the scanned part: only a crafted file has one.
            raise _xml_bomb()


_ROW_SPLIT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")
_HAS_VALUE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:v|t)[\s>]")


def _count_rows_with_values(archive: zipfile.ZipFile, member: str, stop_after: int) -> int:
    """Count the rows of a sheet XML that hold a value, streaming; stop once past stop_after.

    Cheap (bytes are split, not parsed), so that a file with too many rows is refused before
    the slow parse. A row counts when it holds a <v> (value) or <t> (inline text) element.
    """
    count = 0
    in_rows = False  # past the first <row> token
    current_has_value = False  # the row still being read holds a value
    tail = b""
    with archive.open(member) as source:
        while True:
            chunk = source.read(4 * 1024 * 1024)
            if not chunk:
                break
            pieces = _ROW_SPLIT.split(tail + chunk)
            last = pieces.pop()  # continues in the next chunk
            for piece in pieces:
                if in_rows and (current_has_value or _HAS_VALUE.search(piece)):
                    count += 1
                in_rows = True
                current_has_value = False
            if in_rows and not current_has_value and _HAS_VALUE.search(last):
                current_has_value = True
            tail = last[-64:]  # a token cut in two by the chunk boundary is found next time
            if count > stop_after:
                return count
    if in_rows and current_has_value:
        count += 1
    return count


def _choose_sheet(workbook):
    sheets = [ws for ws in workbook.worksheets if fold(ws.title) != _GUIDE_SHEET]
    visible = [ws for ws in sheets if getattr(ws, "sheet_state", "visible") == "visible"]
    if visible:
        return visible[0]
    if sheets:
        return sheets[0]
    raise ImportRefused(_("Tệp Excel không có trang tính nào để nhập."))


def _read_xlsx(path: Path) -> Table:
    import openpyxl
    from openpyxl.worksheet._reader import WorkSheetParser

    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        raise _not_a_spreadsheet() from None
    with archive:
        try:
            _check_zip(archive)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError, RuntimeError):
            raise _not_a_spreadsheet() from None
        try:
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
        except ImportRefused:
            raise
        except Exception as exc:  # openpyxl raises many kinds on a damaged or foreign file
            if _is_xml_attack(exc):
                raise _xml_bomb() from None
            raise _not_a_spreadsheet() from None
        try:
            sheet = _choose_sheet(workbook)
            try:
                data_rows = _count_rows_with_values(archive, sheet._worksheet_path, MAX_ROWS + 1)
            except KeyError:
                raise _not_a_spreadsheet() from None
            if data_rows > MAX_ROWS + 1:  # + the header row
                raise _too_many_rows()
            fonts = _legacy_font_styles(workbook)
            try:
                with sheet._get_source() as source:
                    parser = WorkSheetParser(
                        source,
                        sheet._shared_strings,
                        data_only=True,
                        epoch=workbook.epoch,
                        date_formats=workbook._date_formats,
                        timedelta_formats=workbook._timedelta_formats,
                    )
                    table = _xlsx_rows(parser.parse(), fonts)
            except ImportRefused:
                raise
            except Exception as exc:
                if _is_xml_attack(exc):
                    raise _xml_bomb() from None
                raise _not_a_spreadsheet() from None
        finally:
            workbook.close()
    return table


def _is_xml_attack(exc: BaseException) -> bool:
    from defusedxml import DefusedXmlException

    return isinstance(exc, DefusedXmlException) or "entit" in str(exc).lower() or "doctype" in str(exc).lower()


def _legacy_font_styles(workbook) -> dict[int, tuple[str, bool]]:
    """Style id -> (legacy encoding, capitals) for the cell styles whose font is a legacy font."""
    found: dict[int, tuple[str, bool]] = {}
    fonts = workbook._fonts
    for style_id, style in enumerate(workbook._cell_styles):
        try:
            font = fonts[style.fontId]
        except (IndexError, TypeError):
            continue
        legacy = is_legacy_font(getattr(font, "name", None))
        if legacy:
            found[style_id] = legacy
    return found


def _xlsx_rows(parsed: Iterator, fonts: dict[int, tuple[str, bool]]) -> Table:
    headers: list[str] | None = None
    rows: list[tuple[int, list[Any]]] = []
    font_converted = ""
    # Latin-1-only strings not in a legacy font: candidates for text-based detection.
    candidates: list[tuple[list[Any], int]] = []
    data_rows = 0
    for row_number, cells in parsed:
        values: list[Any] = []
        nonempty = False
        for cell in cells:
            value = cell["value"]
            column = cell["column"]
            if value is None:
                continue
            if isinstance(value, str):
                value = _clean_text(value)
                if value is None:
                    continue
                if not value.isascii() and _latin_only(value):
                    legacy = fonts.get(cell["style_id"]) if fonts else None
                    if legacy:
                        encoding, capitals = legacy
                        before, after = _legacy_score(value, encoding)
                        if after >= before:
                            value = to_unicode(value, encoding, capitals=capitals)
                            font_converted = font_converted or encoding
                    else:
                        candidates.append((values, column - 1))
            elif isinstance(value, dt.time):
                value = value.strftime("%H:%M:%S")
            elif isinstance(value, dt.timedelta):
                value = str(value)
            if len(values) < column:
                values.extend([None] * (column - len(values)))
            values[column - 1] = value
            nonempty = True
        if not nonempty:
            continue
        if headers is None:
            headers = [] if not values else values  # converted below, once detection is done
            continue
        data_rows += 1
        if data_rows > MAX_ROWS:
            raise _too_many_rows()
        rows.append((row_number, values))
    if headers is None:
        raise ImportRefused(_("Tệp không có dữ liệu: trang tính đầu tiên đang trống."))
    note = ""
    encoding = "xlsx"
    if candidates:
        verdict = assess_legacy(values[col] for values, col in candidates)
        if verdict.encoding and not verdict.certain:
            raise _uncertain(verdict.encoding)
        if verdict.encoding:
            for values, col in candidates:
                values[col] = to_unicode(values[col], verdict.encoding)
            font_converted = font_converted or verdict.encoding
    if font_converted:
        note = _converted_note(font_converted)
    table = Table(headers=_header_cells(headers), rows=rows, source_encoding=encoding, note=note)
    _shape(table.headers, table.rows)
    return table


# --- CSV ----------------------------------------------------------------------------------------


def _read_csv(path: Path) -> Table:
    data = path.read_bytes()  # at most MAX_BYTES
    text, encoding = _decode(data)
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers: list[Any] | None = None
    rows: list[tuple[int, list[Any]]] = []
    line = 1
    try:
        for record in reader:
            number = line
            line = reader.line_num + 1
            values = [_clean_text(v) for v in record]
            if not any(v is not None for v in values):
                continue
            if headers is None:
                headers = values
                continue
            if len(rows) >= MAX_ROWS:
                raise _too_many_rows()
            rows.append((number, values))
    except csv.Error:
        raise _not_a_spreadsheet() from None
    if headers is None:
        raise ImportRefused(_("Tệp không có dữ liệu."))
    note = ""
    if encoding in ("tcvn3", "vni"):
        headers = [to_unicode(v, encoding) if v and _latin_only(v) else v for v in headers]
        for _number, values in rows:
            for i, v in enumerate(values):
                if v is not None and not v.isascii() and _latin_only(v):
                    values[i] = to_unicode(v, encoding)
        note = _converted_note(encoding)
    table = Table(headers=_header_cells(headers), rows=rows, source_encoding=encoding, note=note)
    _shape(table.headers, table.rows)
    return table


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    controls = sum(sample.count(bytes([b])) for b in range(32) if b not in (9, 10, 12, 13))
    return controls > len(sample) // 100


def _decode(data: bytes) -> tuple[str, str]:
    """(text, source encoding) of a CSV file; legacy-font text stays one character per byte."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise _not_a_spreadsheet() from None
    if _looks_binary(data):
        raise _not_a_spreadsheet()
    if data.startswith(codecs.BOM_UTF8):
        try:
            text = data[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError:
            raise _not_a_spreadsheet() from None
        return _legacy_in_unicode(text, "utf-8-sig")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _legacy_in_unicode(text, "utf-8")
    # An 8-bit file: Windows-1258, or a legacy font (TCVN3, VNI) read as Latin-1.
    raw = data.decode("latin-1")
    verdict = assess_legacy([raw], baseline=_cp1258_word)
    if verdict.encoding:
        if not verdict.certain:
            raise _uncertain(verdict.encoding)
        return raw, verdict.encoding
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        raise ImportRefused(
            _(
                "Không nhận ra bảng mã của tệp CSV. Hãy lưu tệp bằng Excel với kiểu"
                " “CSV UTF-8 (phân cách bằng dấu phẩy)” rồi tải lên lại."
            )
        ) from None
    return unicodedata.normalize("NFC", text), "windows-1258"


def _cp1258_word(word: str) -> str:
    return unicodedata.normalize("NFC", word.encode("latin-1").decode("cp1258", errors="replace"))


def _legacy_in_unicode(text: str, encoding: str) -> tuple[str, str]:
    """A Unicode file may still hold legacy-font text (a TCVN3 sheet saved as CSV UTF-8)."""
    if text.isascii():
        return text, encoding
    verdict: LegacyVerdict = assess_legacy([text])
    if verdict.encoding:
        if not verdict.certain:
            raise _uncertain(verdict.encoding)
        return text, verdict.encoding
    return text, encoding


def _sniff_delimiter(text: str) -> str:
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    counts = {d: _count_outside_quotes(first, d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count = 0
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            count += 1
    return count
