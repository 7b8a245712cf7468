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
import logging
import posixpath
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defusedxml import ElementTree
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from phoihop.core.files import PROLOG_BYTES, check_archive, prolog_has_dtd
from phoihop.core.text import fold
from phoihop.imports.encodings import ENCODING_NAMES, LegacyVerdict, assess_legacy, to_unicode

__all__ = ["MAX_BYTES", "MAX_ROWS", "ImportRefused", "Table", "read_table"]

logger = logging.getLogger(__name__)

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000
# Zip bomb limits of an XLSX, above the uploads' (an import may be 50 MB): total uncompressed
# size and members; the compression ratio is the uploads' (core.files.check_archive).
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_MEMBERS = 5000
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


def _latin_only(text: str) -> bool:
    return all(ord(ch) < 0x100 for ch in text)


# --- XLSX ---------------------------------------------------------------------------------------
# The cells are read by calamine (python-calamine, a Rust parser): it gives formula cells their
# cached value (it never evaluates one), date-formatted numbers as dates, and resolves no entity.
# Before calamine opens the file, _check_zip refuses zip bombs and any DOCTYPE/ENTITY declaration,
# and a sheet with too many rows is refused by a cheap count of its XML.


def _check_zip(archive: zipfile.ZipFile) -> None:
    """Refuse zip bombs (core.files.check_archive, with the imports' bigger limits) and any member
    whose start declares a DTD or entities (core.files.prolog_has_dtd): every member, as calamine
    may be led to parse a part whatever its name."""
    try:
        infos = check_archive(archive, "Excel", max_total=MAX_UNCOMPRESSED, max_members=MAX_MEMBERS)
    except ValidationError as refused:
        raise _bomb() from refused
    for info in infos:
        if info.is_dir() or not info.file_size:
            continue
        with archive.open(info) as member:
            if prolog_has_dtd(member.read(PROLOG_BYTES)):
                raise _xml_bomb()


_ROW_SPLIT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")
_HAS_VALUE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:v|t)[\s>]")


def _count_filled_rows(archive: zipfile.ZipFile, member: str, stop_after: int) -> int:
    """Count the rows of a sheet's XML that hold a value, streaming; stop once past stop_after.

    Cheap (bytes are split, not parsed), so that a file with too many rows is refused before
    its cells are read. A row counts when it holds a <v> (value) or <t> (inline text) element.
    """
    count = 0
    in_rows = False  # past the first <row> token
    current_has_value = False  # the row still being read holds a value
    tail = b""
    with archive.open(member) as source:
        for chunk in iter(lambda: source.read(4 * 1024 * 1024), b""):
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


def _too_many_rows_in(archive: zipfile.ZipFile, member: str) -> bool:
    """Whether a sheet's XML holds more than MAX_ROWS data rows (+ the header row), cheaply."""
    limit = MAX_ROWS + 1
    # Every row's start tag holds "row": most sheets name it too seldom to need counting.
    with archive.open(member) as source:
        mentions = sum(chunk.count(b"row") + 1 for chunk in iter(lambda: source.read(4 * 1024 * 1024), b""))
    return mentions > limit and _count_filled_rows(archive, member, limit) > limit


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """rId -> (type's last word, member path) of a part's relationships."""
    folder, _sep, name = part.rpartition("/")
    try:
        root = ElementTree.fromstring(archive.read(f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"))
    except KeyError:
        return {}
    found = {}
    for rel in root:
        if rel.get("TargetMode") != "External":
            target = rel.get("Target") or ""
            if not target.startswith("/"):
                target = posixpath.normpath(posixpath.join(folder, target))
            found[rel.get("Id") or ""] = ((rel.get("Type") or "").rsplit("/", 1)[-1], target.lstrip("/"))
    return found


def _sheet_members(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet name -> the zip member holding its XML."""
    workbook = next((path for kind, path in _relationships(archive, "").values() if kind == "officeDocument"), None)
    if workbook is None:
        raise _not_a_spreadsheet()
    rels = _relationships(archive, workbook)
    members = {}
    for element in ElementTree.fromstring(archive.read(workbook)).iter():
        if element.tag.rsplit("}", 1)[-1] == "sheet":
            rid = next((v for k, v in element.attrib.items() if k.rsplit("}", 1)[-1] == "id"), "")
            kind, member = rels.get(rid, ("", ""))
            if kind == "worksheet":
                members[element.get("name") or ""] = member
    return members


def _choose_sheet(sheets: list[Any]) -> str:
    """The name of the first visible worksheet that is not "Hướng dẫn" (else the first hidden one)."""
    from python_calamine import SheetTypeEnum, SheetVisibleEnum

    candidates = [s for s in sheets if s.typ == SheetTypeEnum.WorkSheet and fold(s.name) != _GUIDE_SHEET]
    chosen = next((s for s in candidates if s.visible == SheetVisibleEnum.Visible), None)
    if chosen is None and candidates:
        chosen = candidates[0]
    if chosen is None:
        raise ImportRefused(_("Tệp Excel không có trang tính nào để nhập."))
    return chosen.name


def _read_xlsx(path: Path) -> Table:
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    try:
        with zipfile.ZipFile(path) as archive:
            _check_zip(archive)
            with CalamineWorkbook.from_path(path) as workbook:
                name = _choose_sheet(workbook.sheets_metadata)
                member = _sheet_members(archive).get(name)
                if member is None:
                    raise _not_a_spreadsheet()
                if _too_many_rows_in(archive, member):
                    raise _too_many_rows()
                sheet = workbook.get_sheet_by_name(name)
                start = sheet.start
                cells = sheet.to_python()  # from the first filled row and column: `start`
    except ImportRefused:
        raise
    except PasswordError:
        raise _old_xls() from None
    except (
        CalamineError,
        zipfile.BadZipFile,
        zlib.error,
        ElementTree.ParseError,
        LookupError,  # a missing member, an unknown XML encoding
        ValueError,
        OSError,
        EOFError,
        NotImplementedError,  # a compression method or zip version Python does not read
        RuntimeError,  # an encrypted zip member
    ):
        raise _not_a_spreadsheet() from None
    except Exception:  # anything else a damaged file may cause: refused too, and logged
        logger.warning("Unreadable XLSX file refused", exc_info=True)
        raise _not_a_spreadsheet() from None
    except BaseException as error:  # a panic in calamine's Rust code is pyo3's PanicException
        if error.__class__.__name__ != "PanicException":
            raise
        logger.warning("XLSX file refused: calamine panicked", exc_info=True)
        raise _not_a_spreadsheet() from None
    if start is None:
        raise ImportRefused(_("Tệp không có dữ liệu: trang tính đầu tiên đang trống."))
    return _xlsx_table(cells, first_row=start[0] + 1, first_column=start[1])


def _cell_value(value: Any, texts: dict[str, str | None], legacy: set[str]) -> Any:
    """A calamine cell as the table holds it: text cleaned (each distinct text once, noted in
    `texts`, and in `legacy` when it may be typed in a legacy font), integral numbers as int,
    times and durations as text; bool, int, date and datetime as they are."""
    if value.__class__ is str:
        text = texts[value] = _clean_text(value)
        if text is not None and not text.isascii() and _latin_only(text):
            legacy.add(text)  # TCVN3 and VNI text is Latin-1-only: the sheet's texts decide together
        return text
    if value.__class__ is float:
        return int(value) if value.is_integer() else value
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, dt.timedelta):
        return str(value)
    return value


def _xlsx_table(cells: list[list[Any]], *, first_row: int, first_column: int) -> Table:
    texts: dict[str, str | None] = {"": None}
    legacy: set[str] = set()
    lead = [None] * first_column  # the empty columns left of the sheet's data
    headers: list[Any] | None = None
    rows: list[tuple[int, list[Any]]] = []
    for number, raw in enumerate(cells, start=first_row):
        values = [texts[v] if v in texts else _cell_value(v, texts, legacy) for v in raw]
        while values and values[-1] is None:
            values.pop()
        if not values:
            continue
        if headers is None:
            headers = lead + values
            continue
        if len(rows) >= MAX_ROWS:
            raise _too_many_rows()
        rows.append((number, lead + values if lead else values))
    if headers is None:
        raise ImportRefused(_("Tệp không có dữ liệu: trang tính đầu tiên đang trống."))
    note = ""
    if legacy:
        verdict = assess_legacy(legacy)
        if verdict.encoding and not verdict.certain:
            raise _uncertain(verdict.encoding)
        if verdict.encoding:
            converted = {text: to_unicode(text, verdict.encoding) for text in legacy}
            for values in [headers, *(values for _number, values in rows)]:
                for i, value in enumerate(values):
                    if value in converted:
                        values[i] = converted[value]
            note = _converted_note(verdict.encoding)
    table = Table(headers=_header_cells(headers), rows=rows, source_encoding="xlsx", note=note)
    _shape(table.headers, table.rows)
    return table


# --- CSV ----------------------------------------------------------------------------------------


def _read_csv(path: Path) -> Table:
    data = path.read_bytes()  # at most MAX_BYTES
    text, encoding = _decode(data)
    delimiter, skip_hint = _sniff_delimiter(text)
    if text.count("\n") > MAX_ROWS:
        # Perhaps too many rows: count the records first, cheaply, and refuse before the real read.
        if '"' not in text:
            # Without quotes a record is a line: count the lines holding something.
            blank = re.escape(delimiter)
            filled = re.findall(rf"^[^\S\n]*(?:{blank}[^\S\n]*)*[^\s{blank}]", text, re.M)
            if len(filled) > MAX_ROWS + 1:  # + the header row
                raise _too_many_rows()
        else:
            records = 0
            try:
                for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
                    if any(field.strip() for field in record):
                        records += 1
                        if records > MAX_ROWS + 1:  # + the header row
                            raise _too_many_rows()
            except csv.Error:
                raise _not_a_spreadsheet() from None
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
            if skip_hint:  # Excel's "sep=;" line
                skip_hint = False
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
    return controls > max(16, len(sample) // 100)


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
    except UnicodeDecodeError as error:
        if _mostly_utf8(data):
            line = data.count(b"\n", 0, error.start) + 1
            raise ImportRefused(
                _(
                    "Tệp CSV ghi bằng mã UTF-8 nhưng có ký tự hỏng ở dòng %(line)s. Hãy mở tệp bằng Excel"
                    " và lưu lại với kiểu “CSV UTF-8 (phân cách bằng dấu phẩy)”, rồi tải lên lại."
                )
                % {"line": line}
            ) from None
    else:
        return _legacy_in_unicode(text, "utf-8")
    # An 8-bit file: Windows-1258, or a legacy font (TCVN3, VNI) read as Latin-1.
    raw = data.decode("latin-1")
    verdict = assess_legacy([raw[:_DETECTION_CHARS]], baseline=_cp1258_word)
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


# Legacy-font detection looks at the start of a CSV file: plenty of words, bounded time.
_DETECTION_CHARS = 1024 * 1024
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _mostly_utf8(data: bytes) -> bool:
    """True when many non-ASCII bytes form UTF-8 sequences of Latin or Vietnamese letters and
    punctuation (a UTF-8 file with broken bytes), judged on the start of the file.

    Windows-1258, TCVN3 and VNI text almost never holds such a sequence: a tone mark or a
    Vietnamese letter follows a letter, never a byte from 0x80 to 0xBF after a lead byte (and
    the rare exceptions, such as a tone mark before "…", decode to Thaana or Greek letters).
    """
    sample = data[:_DETECTION_CHARS]
    high = len(sample) - len(sample.translate(None, _HIGH))
    sequences = [m for m in _UTF8_SEQUENCE.findall(sample) if _LATIN_OR_VIETNAMESE.match(m.decode("utf-8", "replace"))]
    in_sequences = sum(len(m) for m in sequences)
    return len(sequences) >= 3 and in_sequences >= 0.3 * high


_LATIN_OR_VIETNAMESE = re.compile("[\u00a0-\u024f\u0300-\u036f\u1e00-\u1eff\u2000-\u206f\u20ab\u20ac]")
_HIGH = bytes(range(0x80, 0x100))


def _cp1258_word(word: str) -> str:
    return unicodedata.normalize("NFC", word.encode("latin-1").decode("cp1258", errors="replace"))


def _legacy_in_unicode(text: str, encoding: str) -> tuple[str, str]:
    """A Unicode file may still hold legacy-font text (a TCVN3 sheet saved as CSV UTF-8)."""
    if text.isascii():
        return text, encoding
    verdict: LegacyVerdict = assess_legacy([text[:_DETECTION_CHARS]])
    if verdict.encoding:
        if not verdict.certain:
            raise _uncertain(verdict.encoding)
        return text, verdict.encoding
    return text, encoding


def _first_line(text: str) -> str:
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = text[start:end].strip()
        if line:
            return line
        start = end + 1
    return ""


def _sniff_delimiter(text: str) -> tuple[str, bool]:
    """(delimiter, whether the first line is Excel's "sep=;" hint, to be skipped)."""
    first = _first_line(text)
    hint = re.fullmatch(r"sep=(.)", first)
    if hint:
        return hint.group(1), True
    counts = {d: _count_outside_quotes(first, d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return (best if counts[best] else ","), False


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count = 0
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            count += 1
    return count
