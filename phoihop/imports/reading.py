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
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
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

logger = logging.getLogger(__name__)

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
    """Count the rows of a sheet XML that hold a value, streaming; stop once past stop_after."""
    with archive.open(member) as source:
        return _count_filled_rows(iter(lambda: source.read(4 * 1024 * 1024), b""), stop_after)


def _count_filled_rows(chunks: Iterable[bytes], stop_after: int) -> int:
    """Count the rows of sheet XML (given in chunks) that hold a value; stop once past stop_after.

    Cheap (bytes are split, not parsed), so that a file with too many rows is refused before
    the slow parse. A row counts when it holds a <v> (value) or <t> (inline text) element.
    """
    count = 0
    in_rows = False  # past the first <row> token
    current_has_value = False  # the row still being read holds a value
    tail = b""
    for chunk in chunks:
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


# The parts of an XLSX file are read with lxml, not openpyxl: openpyxl's reader builds an object
# per cell and per string and reads 20,000 rows × 15 columns in seconds; this reader takes a
# fraction of that. Entities are never resolved, no DTD is loaded, no network is used, and
# _check_zip has already refused any DOCTYPE.
_PARSER_OPTIONS = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_CELL_REF = re.compile(r"([A-Z]{1,3})(\d+)$")


def _xml(archive: zipfile.ZipFile, name: str):
    from lxml import etree

    parser = etree.XMLParser(remove_comments=True, remove_pis=True, **_PARSER_OPTIONS)
    return etree.fromstring(archive.read(name), parser)


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _unescape(text: str) -> str:
    """OOXML writes control characters as _xHHHH_ (and a literal "_x" as _x005F_x)."""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _part_path(base: str, target: str) -> str:
    """The zip member a relationship target names, relative to the part `base`."""
    if target.startswith("/"):
        return target.lstrip("/")
    parts = base.split("/")[:-1]
    for piece in target.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """rId -> (type's last word, member path) of a part's relationships."""
    folder, _sep, name = part.rpartition("/")
    rels_name = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
    try:
        root = _xml(archive, rels_name)
    except KeyError:
        return {}
    found = {}
    for rel in root:
        if _local(rel.tag) == "Relationship" and rel.get("TargetMode") != "External":
            kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
            found[rel.get("Id")] = (kind, _part_path(part, rel.get("Target") or ""))
    return found


@dataclass
class _Book:
    sheet_path: str
    strings: list[str]
    legacy_strings: dict[int, tuple[str, bool]]  # string index -> legacy font of its runs
    date_styles: set[int]
    timedelta_styles: set[int]
    legacy_styles: dict[int, tuple[str, bool]]  # style id -> (encoding, capitals)
    epoch: dt.datetime


def _open_book(archive: zipfile.ZipFile) -> _Book:
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

    package = _relationships(archive, "")
    workbook_part = next((path for kind, path in package.values() if kind == "officeDocument"), None)
    if workbook_part is None:
        raise _not_a_spreadsheet()
    workbook = _xml(archive, workbook_part)
    rels = _relationships(archive, workbook_part)
    epoch = CALENDAR_WINDOWS_1900
    sheets: list[tuple[str, str, str]] = []  # (title, state, member)
    for element in workbook.iter():
        name = _local(element.tag)
        if name == "workbookPr" and element.get("date1904") in ("1", "true"):
            epoch = CALENDAR_MAC_1904
        elif name == "sheet":
            rid = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
            kind, member = rels.get(str(rid), ("", ""))
            if kind == "worksheet":
                sheets.append((element.get("name") or "", element.get("state") or "visible", member))
    candidates = [s for s in sheets if fold(s[0]) != _GUIDE_SHEET]
    chosen = next((s for s in candidates if s[1] == "visible"), candidates[0] if candidates else None)
    if chosen is None:
        raise ImportRefused(_("Tệp Excel không có trang tính nào để nhập."))
    strings_part = next((path for kind, path in rels.values() if kind == "sharedStrings"), None)
    styles_part = next((path for kind, path in rels.values() if kind == "styles"), None)
    strings, legacy_strings = _read_strings(archive, strings_part) if strings_part else ([], {})
    date_styles, timedelta_styles, legacy_styles = (
        _read_styles(archive, styles_part) if styles_part else (set(), set(), {})
    )
    return _Book(chosen[2], strings, legacy_strings, date_styles, timedelta_styles, legacy_styles, epoch)


_FAST_SI = re.compile(rb'<si>(?:<t(?: xml:space="preserve")?>([^<]*)</t>|<t/>|(.*?))</si>', re.S)
_ANY_SI = re.compile(rb"<si[\s>/]")
_RUN_FONT = re.compile(rb'<rFont val="([^"]*)"')


def _fast_strings(data: bytes) -> tuple[list[str], dict[int, tuple[str, bool]]] | None:
    """The shared strings by regular expressions, or None when the XML is not of the expected shape."""
    if b"\x00" in data[:64] or b"<!--" in data or b"<![CDATA[" in data:
        return None
    strings: list[str] = []
    legacy: dict[int, tuple[str, bool]] = {}
    for plain, rich in _FAST_SI.findall(data):
        if rich:
            if b"<rPh" in rich:
                rich = _PHONETIC.sub(b"", rich)
            for font in _RUN_FONT.findall(rich):
                found = is_legacy_font(_xml_text(font))
                if found:
                    legacy[len(strings)] = found
                    break
            strings.append(_unescape("".join(_xml_text(t) for t in _INLINE_T.findall(rich))))
        else:
            strings.append(_unescape(_xml_text(plain)) if plain else "")
    if len(strings) != len(_ANY_SI.findall(data)):
        return None
    return strings, legacy


def _read_strings(archive: zipfile.ZipFile, member: str) -> tuple[list[str], dict[int, tuple[str, bool]]]:
    from lxml import etree

    try:
        info = archive.getinfo(member)
    except KeyError:
        return [], {}
    if info.file_size <= _FAST_LIMIT:
        fast = _fast_strings(archive.read(member))
        if fast is not None:
            return fast

    strings: list[str] = []
    legacy: dict[int, tuple[str, bool]] = {}
    try:
        source = archive.open(member)
    except KeyError:
        return strings, legacy
    with source:
        for _event, si in etree.iterparse(source, events=("end",), tag="{*}si", **_PARSER_OPTIONS):
            texts = []
            for element in si.iter("{*}t", "{*}rFont", "{*}rPh"):
                name = _local(element.tag)
                if name == "t":
                    parent = element.getparent()
                    grand = parent.getparent() if parent is not None else None
                    if _local(parent.tag) == "rPh" or (grand is not None and _local(grand.tag) == "rPh"):
                        continue  # phonetic guide, not the cell's text
                    texts.append(element.text or "")
                elif name == "rFont" and len(strings) not in legacy:
                    font = is_legacy_font(element.get("val"))
                    if font:
                        legacy[len(strings)] = font
            strings.append(_unescape("".join(texts)))
            si.clear()
            while si.getprevious() is not None:
                del si.getparent()[0]
    return strings, legacy


def _read_styles(archive: zipfile.ZipFile, member: str):
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

    try:
        root = _xml(archive, member)
    except KeyError:
        return set(), set(), {}
    formats: dict[int, str] = dict(BUILTIN_FORMATS)
    fonts: list[tuple[str, bool] | None] = []
    xfs: list[tuple[int, int]] = []
    for section in root:
        name = _local(section.tag)
        if name == "numFmts":
            for fmt in section:
                try:
                    formats[int(fmt.get("numFmtId"))] = fmt.get("formatCode") or ""
                except (TypeError, ValueError):
                    continue
        elif name == "fonts":
            for font in section:
                legacy = None
                for prop in font:
                    if _local(prop.tag) == "name":
                        legacy = is_legacy_font(prop.get("val"))
                fonts.append(legacy)
        elif name == "cellXfs":
            for xf in section:
                try:
                    xfs.append((int(xf.get("numFmtId") or 0), int(xf.get("fontId") or 0)))
                except ValueError:
                    xfs.append((0, 0))
    date_styles: set[int] = set()
    timedelta_styles: set[int] = set()
    legacy_styles: dict[int, tuple[str, bool]] = {}
    for style_id, (fmt_id, font_id) in enumerate(xfs):
        code = formats.get(fmt_id, "")
        if code and is_date_format(code):
            date_styles.add(style_id)
            if is_timedelta_format(code):
                timedelta_styles.add(style_id)
        legacy = fonts[font_id] if 0 <= font_id < len(fonts) else None
        if legacy:
            legacy_styles[style_id] = legacy
    return date_styles, timedelta_styles, legacy_styles


def _column_number(letters: str, cache: dict[str, int] = {}) -> int:  # noqa: B006  (a deliberate cache)
    number = cache.get(letters)
    if number is None:
        number = 0
        for ch in letters:
            number = number * 26 + ord(ch) - 64
        cache[letters] = number
    return number


def _typed_value(kind: str, raw: str, style_id: int, book: _Book) -> Any:
    """The value of a cell that is not a string cell ("s", "inlineStr"), from its <v> text."""
    if kind == "n":
        number: Any = float(raw) if ("." in raw or "E" in raw or "e" in raw) else int(raw)
        if style_id in book.date_styles:
            from openpyxl.utils.datetime import from_excel

            try:
                return from_excel(number, book.epoch, timedelta=style_id in book.timedelta_styles)
            except (ValueError, OverflowError):
                return number
        return number
    if kind == "str":  # the cached text result of a formula
        return _unescape(raw)
    if kind == "b":
        return raw.strip() in ("1", "true")
    if kind == "d":
        try:
            return dt.datetime.fromisoformat(raw.rstrip("Z"))
        except ValueError:
            return raw
    return raw  # "e": an error value such as #N/A


_XML_REF = re.compile(r"&(?:#(\d+)|#x([0-9A-Fa-f]+)|(lt|gt|amp|quot|apos));")
_NAMED_REFS = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def _xml_text(raw: bytes) -> str:
    text = raw.decode("utf-8")
    if "&" in text:
        text = _XML_REF.sub(
            lambda m: (
                chr(int(m.group(1)))
                if m.group(1)
                else chr(int(m.group(2), 16))
                if m.group(2)
                else _NAMED_REFS[m.group(3)]
            ),
            text,
        )
    return text


# The fast path reads sheet XML as Excel, LibreOffice, Google Sheets, openpyxl and xlsxwriter
# write it (<c r="A1" s="3" t="s"><v>0</v></c>) with regular expressions; it only serves when
# every row and cell element of the sheet was matched, else the lxml reader does the work.
_FAST_ITEM = re.compile(
    rb'<(?:row\b[^>]*?\sr="(\d+)"[^>]*>|row\b[^>]*>'
    rb'|c r="([A-Z]{1,3})\d+"(?: s="(\d+)")?(?: t="(\w+)")?\s*(?:/>|><v>([^<]*)</v></c>|>(.*?)</c>))',
    re.S,
)
_ODD_TOKENS = (b"<c\n", b"<c\r", b"<c\t", b"<row\n", b"<row\r", b"<row\t")
_V = re.compile(rb"<v>([^<]*)</v>")
_INLINE_T = re.compile(rb"<t(?:\s[^>]*)?>([^<]*)</t>")
_PHONETIC = re.compile(rb"<rPh\b.*?</rPh>", re.S)
_FAST_LIMIT = 96 * 1024 * 1024
# Sheets up to this size are read whole by the fast path, which counts their rows first itself.
_PRECOUNT_FROM = 16 * 1024 * 1024


class _Rows:
    """The rows of a sheet being read: the header row, data rows, what to convert afterwards."""

    def __init__(self) -> None:
        self.headers: list[Any] | None = None
        self.rows: list[tuple[int, list[Any]]] = []
        self.converted = ""  # a legacy encoding some cells were converted from
        # Latin-1-only strings not in a legacy font: candidates for the text-based detection.
        self.candidates: list[tuple[list[Any], int]] = []

    def add(self, row_number: int, values: list[Any]) -> None:
        if not values:
            return
        if self.headers is None:
            self.headers = values
            return
        if len(self.rows) >= MAX_ROWS:
            raise _too_many_rows()
        self.rows.append((row_number, values))

    def table(self) -> Table:
        if self.headers is None:
            raise ImportRefused(_("Tệp không có dữ liệu: trang tính đầu tiên đang trống."))
        converted = self.converted
        if self.candidates:
            distinct = {values[col] for values, col in self.candidates}
            verdict = assess_legacy(distinct)
            if verdict.encoding and not verdict.certain:
                raise _uncertain(verdict.encoding)
            if verdict.encoding:
                mapping = {text: to_unicode(text, verdict.encoding) for text in distinct}
                converted = converted or verdict.encoding
            else:
                mapping = {text: unicodedata.normalize("NFC", text) for text in distinct}
            for values, col in self.candidates:
                values[col] = mapping[values[col]]
        table = Table(
            headers=_header_cells(self.headers),
            rows=self.rows,
            source_encoding="xlsx",
            note=_converted_note(converted) if converted else "",
        )
        _shape(table.headers, table.rows)
        return table


def _fast_sheet(archive: zipfile.ZipFile, book: _Book) -> Table | None:
    """The sheet read by the fast path, or None when its XML is not of the expected shape."""
    if archive.getinfo(book.sheet_path).file_size > _FAST_LIMIT:
        return None
    data = archive.read(book.sheet_path)
    if b"\x00" in data[:64]:
        return None  # UTF-16 XML
    start = data.find(b"<sheetData")
    end = data.rfind(b"</sheetData>")
    if start < 0 or end < 0:
        return None
    if data.find(b"<!--", start, end) >= 0 or data.find(b"<![CDATA[", start, end) >= 0:
        return None
    start = data.find(b">", start) + 1
    region = data[start:end]
    if any(token in region for token in _ODD_TOKENS):
        return None  # "<c" or "<row" followed by a line break or tab: leave it to the full reader
    n_rows = region.count(b"<row ") + region.count(b"<row>") + region.count(b"<row/>")
    if n_rows > MAX_ROWS + 1 and _count_filled_rows([region], MAX_ROWS + 1) > MAX_ROWS + 1:
        # Too many rows holding a value (counted cheaply): refused before matching any cell.
        raise _too_many_rows()
    items = _FAST_ITEM.findall(region)
    n_cells = region.count(b"<c ") + region.count(b"<c>") + region.count(b"<c/>")
    if len(items) != n_rows + n_cells:
        return None
    strings = book.strings
    n_strings = len(strings)
    # Shared strings cleaned once each, on first use: index -> (text or None, candidate, converted from).
    clean_strings: list[tuple[str | None, bool, str] | None] = [None] * n_strings
    cleaned: dict[tuple[Any, Any], tuple[str | None, bool, str]] = {}
    legacy_styles = {str(k).encode(): v for k, v in book.legacy_styles.items()}
    legacy_strings = book.legacy_strings
    any_legacy = bool(legacy_styles or legacy_strings)
    date_styles = {str(k).encode() for k in book.date_styles}
    dates: dict[bytes, Any] = {}
    columns: dict[bytes, int] = {}
    out = _Rows()
    values: list[Any] = []
    row_number = 0
    started = False
    value: Any
    for r, letters, style, kind, plain, body in items:
        if not letters:  # a <row>
            if started:
                out.add(row_number, values)
                values = []
            started = True
            row_number = int(r) if r else row_number + 1
            continue
        if not plain and not body:
            continue
        if kind == b"s":
            if not plain:
                found = _V.search(body)
                if found is None or not found.group(1):
                    continue
                plain = found.group(1)
            index = int(plain)
            if not 0 <= index < n_strings:
                return None
            legacy = None
            if any_legacy:
                legacy = legacy_styles.get(style) if legacy_styles else None
                if legacy_strings and index in legacy_strings:
                    legacy = legacy_strings[index]
            if legacy is None:
                known = clean_strings[index]
                if known is None:
                    known = clean_strings[index] = _clean_cell_text(strings[index], None)
            else:
                known = cleaned.get((index, legacy))
                if known is None:
                    known = cleaned[(index, legacy)] = _clean_cell_text(strings[index], legacy)
            value, candidate, from_legacy = known
            if value is None:
                continue
        elif not kind:  # a number
            if not plain:
                found = _V.search(body)
                if found is None or not found.group(1):
                    continue  # a formula without a cached value
                plain = found.group(1)
            if style and style in date_styles:
                value = dates.get(plain)
                if value is None:
                    value = dates[plain] = _typed_value("n", plain.decode(), int(style), book)
            else:
                value = float(plain) if (b"." in plain or b"E" in plain or b"e" in plain) else int(plain)
            candidate = False
        else:
            if kind == b"inlineStr":
                if not body:
                    continue
                if b"<rPh" in body:
                    body = _PHONETIC.sub(b"", body)
                raw: Any = _unescape("".join(_xml_text(t) for t in _INLINE_T.findall(body)))
            else:
                if not plain:
                    found = _V.search(body)
                    if found is None or not found.group(1):
                        continue  # a formula without a cached value
                    plain = found.group(1)
                raw = _typed_value(kind.decode(), _xml_text(plain), int(style) if style else 0, book)
            if raw.__class__ is str:
                legacy = legacy_styles.get(style) if legacy_styles else None
                key = (raw, legacy)
                known = cleaned.get(key)
                if known is None:
                    known = cleaned[key] = _clean_cell_text(raw, legacy)
                value, candidate, from_legacy = known
                if value is None:
                    continue
            else:
                value, candidate, from_legacy = _plain_value(raw), False, ""
        # Column index (0-based), from the letters of the cell reference.
        column = columns.get(letters)
        if column is None:
            column = columns[letters] = _column_number(letters.decode()) - 1
        if len(values) == column:
            values.append(value)
        else:
            if len(values) <= column:
                values.extend([None] * (column + 1 - len(values)))
            values[column] = value
        if candidate:
            out.candidates.append((values, column))
        elif from_legacy and not out.converted:
            out.converted = from_legacy
    if started:
        out.add(row_number, values)
    return out.table()


def _plain_value(value: Any) -> Any:
    """Times and durations as text; other values as they are."""
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, dt.timedelta):
        return str(value)
    return value


def _iter_sheet(archive: zipfile.ZipFile, book: _Book) -> Iterator[tuple[int, list[tuple[int, Any, Any]]]]:
    """(row number, [(column, value, legacy font or None)]) for each row of the sheet XML."""
    from lxml import etree

    strings = book.strings
    legacy_styles, legacy_strings = book.legacy_styles, book.legacy_strings
    row_counter = 0
    with archive.open(book.sheet_path) as source:
        for _event, row in etree.iterparse(source, events=("end",), tag="{*}row", **_PARSER_OPTIONS):
            ref = row.get("r")
            row_counter = int(ref) if ref and ref.isdigit() else row_counter + 1
            cells: list[tuple[int, Any, Any]] = []
            column = 0
            for cell in row:
                tag = cell.tag
                if not isinstance(tag, str) or not tag.endswith("c") or _local(tag) != "c":
                    continue
                ref = cell.get("r")
                match = _CELL_REF.match(ref) if ref else None
                column = _column_number(match.group(1)) if match else column + 1
                kind = cell.get("t", "n")
                style = cell.get("s")
                style_id = int(style) if style else 0
                raw = None
                inline = None
                for child in cell:
                    name = _local(child.tag)
                    if name == "v":
                        raw = child.text
                    elif name == "is":
                        inline = child
                legacy = legacy_styles.get(style_id) if legacy_styles else None
                if kind == "s":
                    if raw is None:
                        continue
                    index = int(raw)
                    value: Any = strings[index] if 0 <= index < len(strings) else None
                    if legacy_strings and index in legacy_strings:
                        legacy = legacy_strings[index]
                elif kind == "inlineStr":
                    if inline is None:
                        continue
                    texts = []
                    for element in inline.iter("{*}t"):
                        parent = element.getparent()
                        if _local(parent.tag) != "rPh" and (
                            parent.getparent() is None or _local(parent.getparent().tag) != "rPh"
                        ):
                            texts.append(element.text or "")
                    value = _unescape("".join(texts))
                elif raw is None or raw == "":
                    continue  # a formula without a cached value, or an empty cell
                else:
                    value = _typed_value(kind, raw, style_id, book)
                cells.append((column, value, legacy))
            row.clear()
            while row.getprevious() is not None:
                del row.getparent()[0]
            yield row_counter, cells


def _refuse_too_many_rows(archive: zipfile.ZipFile, book: _Book) -> None:
    """Count the sheet's rows by a cheap streaming scan, before any parsing."""
    if _count_rows_with_values(archive, book.sheet_path, MAX_ROWS + 1) > MAX_ROWS + 1:  # + the header row
        raise _too_many_rows()


def _read_xlsx(path: Path) -> Table:
    from lxml import etree

    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        raise _not_a_spreadsheet() from None
    with archive:
        try:
            _check_zip(archive)
            book = _open_book(archive)
            precount = archive.getinfo(book.sheet_path).file_size > _PRECOUNT_FROM
            if precount:
                _refuse_too_many_rows(archive, book)
            fast = _fast_sheet(archive, book)
            if fast is not None:
                return fast
            if not precount:
                _refuse_too_many_rows(archive, book)
            return _xlsx_table(_iter_sheet(archive, book))
        except ImportRefused:
            raise
        except (
            zipfile.BadZipFile,
            etree.LxmlError,
            KeyError,
            IndexError,
            ValueError,
            TypeError,
            OSError,
            EOFError,
            NotImplementedError,
            RuntimeError,
        ):
            raise _not_a_spreadsheet() from None
        except Exception:  # anything else a damaged file may cause: refused too, and logged
            logger.warning("Unreadable XLSX file refused", exc_info=True)
            raise _not_a_spreadsheet() from None


_BEYOND_LATIN1 = re.compile(r"[^\x00-\xff]")


def _clean_cell_text(value: str, legacy: tuple[str, bool] | None) -> tuple[str | None, bool, str]:
    """(cleaned text or None when blank, whether it is a candidate for legacy detection,
    the legacy encoding it was converted from or "").

    Text in a legacy font (.VnTime, VNI-Times…) is converted when it reads better converted.
    Other Latin-1-only text is a candidate: the whole sheet decides whether it is legacy text.
    """
    text = value.strip()
    if not text:
        return None, False, ""
    if text.isascii():
        return text, False, ""
    if _BEYOND_LATIN1.search(text):
        return unicodedata.normalize("NFC", text), False, ""
    if legacy:
        encoding, capitals = legacy
        before, after = _legacy_score(text, encoding)
        if after >= before:
            return to_unicode(text, encoding, capitals=capitals), False, encoding
        return unicodedata.normalize("NFC", text), False, ""
    return text, True, ""


def _xlsx_table(parsed: Iterator[tuple[int, list[tuple[int, Any, Any]]]]) -> Table:
    out = _Rows()
    # The same string comes back in many cells: its cleaning is done once.
    cleaned: dict[tuple[str, Any], tuple[str | None, bool, str]] = {}
    for row_number, cells in parsed:
        values: list[Any] = []
        for column, value, legacy in cells:
            candidate = False
            if value.__class__ is str:
                key = (value, legacy)
                known = cleaned.get(key)
                if known is None:
                    known = cleaned[key] = _clean_cell_text(value, legacy)
                value, candidate, from_legacy = known
                if value is None:
                    continue
                if from_legacy and not out.converted:
                    out.converted = from_legacy
            elif value is None:
                continue
            else:
                value = _plain_value(value)
            if len(values) < column:
                values.extend([None] * (column - len(values)))
            values[column - 1] = value
            if candidate:
                out.candidates.append((values, column - 1))
        out.add(row_number, values)
    return out.table()


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
