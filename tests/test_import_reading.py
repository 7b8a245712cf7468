"""Reading imported files (phoihop/imports/reading.py, encodings.py).

Every bad file is built here, in tmp_path: zip and XML bombs, oversize files, too many rows,
files that are not spreadsheets. Each is refused quickly, with a Vietnamese message, leaving
nothing behind. Legacy Vietnamese font encodings (TCVN3/ABC and VNI) are checked against the
standard tables written out independently here, by round trips over every letter, and by
detection that must not fire on Unicode, Windows-1258, ASCII or English text.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
import unicodedata
import zipfile
from pathlib import Path

import pytest

from phoihop.imports import reading
from phoihop.imports.encodings import (
    ENCODING_NAMES,
    assess_legacy,
    detect_legacy,
    from_unicode,
    is_vietnamese_syllable,
    to_unicode,
)
from phoihop.imports.reading import MAX_BYTES, MAX_ROWS, ImportRefused, Table, read_table

# --- the Vietnamese alphabet and sample text ----------------------------------------------------

TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")  # none, huyền, hỏi, ngã, sắc, nặng
VOWELS = ("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y")
LOWER = [unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES] + ["đ"]
# The 134 Vietnamese letters with diacritics or tones, or plain vowels: 67 lower-case, 67 capitals.
LETTERS = [ch for ch in LOWER if not ch.isascii()] + [ch.upper() for ch in LOWER if not ch.isascii()]

SAMPLE = (
    "Hội Cựu chiến binh tỉnh Nghệ An; Công an xã Diễn Châu; Đoàn Thanh niên Cộng sản Hồ Chí Minh; "
    "Phường Thành Vinh; Xã Quỳnh Lưu; Hội Liên hiệp Phụ nữ huyện Nghĩa Đàn; Bộ đội Biên phòng; "
    "Tuổi trẻ xung kích bảo vệ Tổ quốc; Trường Trung học phổ thông Huỳnh Thúc Kháng; "
    "Thị xã Hoàng Mai; xã Nghi Lộc; Hương Sơn; Quế Phong; Kỳ Sơn; Tương Dương; Yên Thành; "
    "thăm hỏi, tặng quà gia đình chính sách; Mặt trận Tổ quốc Việt Nam; khuyến học, khuyến tài; "
    "phòng chống tội phạm, ma túy; giữ gìn an ninh trật tự; ủng hộ đồng bào lũ lụt; "
    "Ằ Ẳ Ẵ Ắ Ặ ầ ẩ ẫ ấ ậ ề ể ễ ế ệ ỉ ĩ ọ ỏ õ ồ ổ ỗ ố ộ ờ ở ỡ ớ ợ ủ ũ ụ ừ ử ữ ứ ự ỳ ỷ ỹ ý ỵ "
    "ả ã ạ ằ ẳ ẵ ắ ặ ẻ ẽ ẹ ị ò ó ù ú è é ì í à á ă â ê ô ơ ư đ Đ"
)

# TCVN3 (ABC) as the standard lays it out, written out independently of the module's tables.
TCVN3_UNICODE = "áàảãạăắằẳẵặâấầẩẫậéèẻẽẹêếềểễệíìỉĩịóòỏõọôốồổỗộơớờởỡợúùủũụưứừửữựýỳỷỹỵđĂÂÊÔƠƯĐ"
TCVN3_BYTES = "¸µ¶·¹¨¾»¼½Æ©ÊÇÈÉËÐÌÎÏÑªÕÒÓÔÖÝ×ØÜÞãßáâä«èåæçé¬íêëìîóïñòô\xadøõö÷ùýúûüþ®¡¢£¤¥¦§"
# VNI-Windows, letter by letter.
VNI_TABLE = {
    "á": "aù", "à": "aø", "ả": "aû", "ã": "aõ", "ạ": "aï",
    "ă": "aê", "ắ": "aé", "ằ": "aè", "ẳ": "aú", "ẵ": "aü", "ặ": "aë",
    "â": "aâ", "ấ": "aá", "ầ": "aà", "ẩ": "aå", "ẫ": "aã", "ậ": "aä",
    "é": "eù", "è": "eø", "ẻ": "eû", "ẽ": "eõ", "ẹ": "eï",
    "ê": "eâ", "ế": "eá", "ề": "eà", "ể": "eå", "ễ": "eã", "ệ": "eä",
    "í": "í", "ì": "ì", "ỉ": "æ", "ĩ": "ó", "ị": "ò",
    "ó": "où", "ò": "oø", "ỏ": "oû", "õ": "oõ", "ọ": "oï",
    "ô": "oâ", "ố": "oá", "ồ": "oà", "ổ": "oå", "ỗ": "oã", "ộ": "oä",
    "ơ": "ô", "ớ": "ôù", "ờ": "ôø", "ở": "ôû", "ỡ": "ôõ", "ợ": "ôï",
    "ú": "uù", "ù": "uø", "ủ": "uû", "ũ": "uõ", "ụ": "uï",
    "ư": "ö", "ứ": "öù", "ừ": "öø", "ử": "öû", "ữ": "öõ", "ự": "öï",
    "ý": "yù", "ỳ": "yø", "ỷ": "yû", "ỹ": "yõ", "ỵ": "î",
    "đ": "ñ",
    "Á": "AÙ", "Ấ": "AÁ", "Ắ": "AÉ", "Ơ": "Ô", "Ớ": "ÔÙ", "Ư": "Ö", "Ự": "ÖÏ", "Đ": "Ñ", "Ỵ": "Î", "Ĩ": "Ó",
}  # fmt: skip

TONES_SET = set(TONES[1:])


def cp1258(text: str) -> bytes:
    """Text as Windows writes it in code page 1258: precomposed where the code page has the
    letter, else the base letter (ă, â, ê, ô, ơ, ư…) followed by a combining tone mark."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES_SET))
        out += base.encode("cp1258") + "".join(c for c in parts if c in TONES_SET).encode("cp1258")
    return bytes(out)


# --- helpers ------------------------------------------------------------------------------------


@pytest.fixture
def nothing_left_behind(tmp_path, monkeypatch):
    """No temporary file is left behind and no file descriptor stays open."""
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    fds = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
    yield
    assert list(private.iterdir()) == []
    if fds is not None:
        assert len(os.listdir("/proc/self/fd")) <= fds


def refused(path: Path, filename: str | None = None, limit: float = 2.0) -> str:
    started = time.perf_counter()
    with pytest.raises(ImportRefused) as caught:
        read_table(path, filename or path.name)
    elapsed = time.perf_counter() - started
    assert elapsed < limit, f"refused in {elapsed:.2f} s"
    return str(caught.value)


NOT_A_SPREADSHEET = "Không đọc được tệp: không phải tệp Excel (.xlsx) hay CSV hợp lệ."
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def raw_xlsx_parts(sheet_xml: str | bytes, strings_xml: str | bytes | None = None) -> dict[str, bytes]:
    """The parts of a minimal valid .xlsx, with the given sheet (and shared strings) XML."""
    types = (
        XML_HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        "</Types>"
    )
    package_rels = (
        XML_HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    workbook = (
        XML_HEAD + f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>'
        '<sheet name="Dữ liệu" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    workbook_rels = (
        XML_HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    )
    parts = {
        "[Content_Types].xml": types.encode(),
        "_rels/.rels": package_rels.encode(),
        "xl/workbook.xml": workbook.encode(),
        "xl/_rels/workbook.xml.rels": workbook_rels.encode(),
        "xl/worksheets/sheet1.xml": sheet_xml.encode() if isinstance(sheet_xml, str) else sheet_xml,
    }
    if strings_xml is not None:
        parts["xl/sharedStrings.xml"] = strings_xml.encode() if isinstance(strings_xml, str) else strings_xml
    return parts


def write_zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def sheet(rows_xml: str) -> str:
    return XML_HEAD + f'<worksheet xmlns="{MAIN_NS}"><sheetData>{rows_xml}</sheetData></worksheet>'


def inline_row(number: int, *texts: str) -> str:
    cells = "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{text}</t></is></c>' for i, text in enumerate(texts)
    )
    return f'<row r="{number}">{cells}</row>'


# --- legacy font encodings ----------------------------------------------------------------------


def test_the_alphabet_has_134_letters():
    assert len(LETTERS) == len(set(LETTERS)) == 134
    assert all(letter in SAMPLE or letter.lower() in SAMPLE for letter in LETTERS)


def test_tcvn3_table_is_the_standard():
    assert len(TCVN3_UNICODE) == len(TCVN3_BYTES) == 74
    for letter, code in zip(TCVN3_UNICODE, TCVN3_BYTES, strict=True):
        assert from_unicode(letter, "tcvn3") == code, letter
        assert to_unicode(code, "tcvn3") == letter, letter


def test_tcvn3_capitals_share_the_lower_case_codes():
    # The ABC standard has no code for a capital toned letter: the capital font (.VnTimeH)
    # draws the lower-case code as a capital.
    for letter in LETTERS:
        if letter.isupper() and letter not in "ĂÂÊÔƠƯĐ":
            code = from_unicode(letter, "tcvn3")
            assert code == from_unicode(letter.lower(), "tcvn3")
            assert to_unicode(code, "tcvn3") == letter.lower()
            assert to_unicode(code, "tcvn3", capitals=True) == letter


def test_vni_table_is_the_standard():
    for letter, code in VNI_TABLE.items():
        assert from_unicode(letter, "vni") == code, letter
        assert to_unicode(code, "vni") == letter, letter


@pytest.mark.parametrize("letter", LETTERS)
def test_every_letter_round_trips(letter):
    assert to_unicode(from_unicode(letter, "vni"), "vni") == letter
    expected = letter if letter.islower() or letter in "ĂÂÊÔƠƯĐ" else letter.lower()
    assert to_unicode(from_unicode(letter, "tcvn3"), "tcvn3") == expected
    assert to_unicode(from_unicode(letter, "tcvn3"), "tcvn3", capitals=letter.isupper()) == letter


def test_the_sample_round_trips():
    assert to_unicode(from_unicode(SAMPLE, "vni"), "vni") == SAMPLE
    # TCVN3: a capital toned letter comes back in lower case unless its word is in capitals.
    back = to_unicode(from_unicode(SAMPLE, "tcvn3"), "tcvn3")
    assert back.lower() == SAMPLE.lower()
    assert back.startswith("Hội Cựu chiến binh tỉnh Nghệ An; Công an xã Diễn Châu; Đoàn Thanh niên")


@pytest.mark.parametrize(
    ("legacy", "encoding", "unicode"),
    [
        ("Hµ Néi", "tcvn3", "Hà Nội"),
        ("NghÖ An", "tcvn3", "Nghệ An"),
        ("Cùu chiÕn binh", "tcvn3", "Cựu chiến binh"),
        ("®iÓm cèng hiÕn", "tcvn3", "điểm cống hiến"),
        ("C¸c h¹ gia nhËp m«n ph¸i, kh«ng thÓ b¸o danh", "tcvn3", "Các hạ gia nhập môn phái, không thể báo danh"),
        ("Ph\xadêng Thµnh Vinh", "tcvn3", "Phường Thành Vinh"),
        ("§oµn", "tcvn3", "Đoàn"),
        ("HéI CùU CHIÕN BINH", "tcvn3", "HỘI CỰU CHIẾN BINH"),  # typed in capitals (.VnTimeH)
        ("Haø Noäi", "vni", "Hà Nội"),
        ("Ngheä An", "vni", "Nghệ An"),
        ("Cöïu chieán binh", "vni", "Cựu chiến binh"),
        ("Ñoaøn Thanh nieân", "vni", "Đoàn Thanh niên"),
        ("Thaønh phoá Hoà Chí Minh", "vni", "Thành phố Hồ Chí Minh"),
        ("Quyønh Löu", "vni", "Quỳnh Lưu"),
        ("Phöôøng", "vni", "Phường"),
        ("HOÄI CÖÏU CHIEÁN BINH", "vni", "HỘI CỰU CHIẾN BINH"),
    ],
)
def test_known_legacy_text(legacy, encoding, unicode):
    assert to_unicode(legacy, encoding) == unicode


def test_vietnamese_syllables():
    for word in ("Nội", "nghiêng", "Quỳnh", "Đoàn", "khuyến", "giữ", "gìn", "xoong", "ương", "Nguyễn", "thuở"):
        assert is_vietnamese_syllable(word), word
    for word in ("Néi", "Hµ", "café", "naïve", "Nụũi", "hoàt", "Zürich", "chiÕn"):
        assert not is_vietnamese_syllable(word), word


def test_detection_fires_on_legacy_text():
    assert detect_legacy([from_unicode(SAMPLE, "tcvn3")]) == "tcvn3"
    assert detect_legacy([from_unicode(SAMPLE, "vni")]) == "vni"
    assert detect_legacy(["Hµ Néi", "NghÖ An"]) == "tcvn3"
    assert detect_legacy(["Haø Noäi", "Ngheä An"]) == "vni"


@pytest.mark.parametrize(
    "texts",
    [
        [SAMPLE],
        [unicodedata.normalize("NFD", SAMPLE)],  # Unicode with combining marks
        [cp1258(SAMPLE).decode("cp1258")],  # Windows-1258, decoded
        [cp1258(SAMPLE).decode("latin-1")],  # Windows-1258 bytes seen as Latin-1
        ["Hà Nội", "Lý Thường Kiệt", "Trí", "Hà", "ý kiến"],
        ["The quick brown fox jumps over the lazy dog", "Report 2024: 1,234 rows"],
        ["Café au lait, naïve résumé, Zürich, São Paulo, Ærøskøbing, Straße, coût, août, Noël"],
        ["HN01", "CCB-NGHEAN", "23/09/2022", "1.234"],
        ["Le cœur a ses raisons que la raison ne connaît point. Ça coûte très cher. L'été à Nîmes."],
        ["Über den Wolken, Größe, Mädchen, Straße", "El niño comió. ¿Dónde está el baño?"],
        ["São Paulo, coração, não, pão, irmã, informação, você, avô", "Ærøskøbing, smørrebrød, blåbær"],
        ["Pokémon, Beyoncé, Motörhead, Mötley Crüe, Häagen-Dazs, Nestlé, Renée, José"],
        ["25°C ± 0,5; £12, ¥300, €5; © 2024 ® § 12 ¶ 3; ½ cup; ¼ mile; 3 µm; × 2; ÷ 3; «quote» ¡Hola!"],
        [],
    ],
)
def test_detection_does_not_fire_on_other_text(texts):
    assert detect_legacy(texts) is None


def test_detection_can_be_uncertain():
    # Half the words read as TCVN3, the others as nothing: neither converted nor ignored.
    verdict = assess_legacy(["Hµ Néi ¸¸¸ µq×"])
    assert verdict.encoding == "tcvn3" and not verdict.certain


# --- CSV ----------------------------------------------------------------------------------------

UNITS = [("NA-CCB", "Hội Cựu chiến binh tỉnh Nghệ An"), ("NA-DC", "Công an xã Diễn Châu"), ("NA-QL", "Xã Quỳnh Lưu")]
UNITS_CSV = "Mã;Tên đơn vị\n" + "".join(f"{code};{name}\n" for code, name in UNITS)
UNITS_ROWS = [(i + 2, [code, name]) for i, (code, name) in enumerate(UNITS)]


@pytest.mark.parametrize(
    ("data", "encoding", "note"),
    [
        (UNITS_CSV.encode("utf-8"), "utf-8", ""),
        (UNITS_CSV.encode("utf-8-sig"), "utf-8-sig", ""),
        (unicodedata.normalize("NFD", UNITS_CSV).encode("utf-8"), "utf-8", ""),
        (UNITS_CSV.encode("utf-16"), "utf-16", ""),
        (cp1258(UNITS_CSV), "windows-1258", ""),
        (from_unicode(UNITS_CSV, "tcvn3").encode("latin-1"), "tcvn3", "TCVN3 (ABC)"),
        (from_unicode(UNITS_CSV, "vni").encode("cp1252"), "vni", "VNI"),
        # A TCVN3 sheet saved by Excel as "CSV UTF-8": the legacy bytes became Latin-1 letters.
        (from_unicode(UNITS_CSV, "tcvn3").encode("utf-8"), "tcvn3", "TCVN3 (ABC)"),
    ],
)
def test_csv_encodings(tmp_path, nothing_left_behind, data, encoding, note):
    path = tmp_path / "units.csv"
    path.write_bytes(data)
    table = read_table(path, "Đơn vị.csv")
    assert table.headers == ["Mã", "Tên đơn vị"]
    assert table.rows == UNITS_ROWS
    assert table.source_encoding == encoding
    assert note in table.note
    if note:
        assert table.note == f"Tệp gõ bằng bảng mã {note} đã được chuyển sang Unicode."
    for _number, values in table.rows:
        assert all(unicodedata.is_normalized("NFC", v) for v in values)


def test_windows_1258_with_many_letters(tmp_path):
    path = tmp_path / "w.csv"
    path.write_bytes(cp1258("Tên\n" + SAMPLE.replace(";", ",").replace(",", "\n")))
    table = read_table(path, "w.csv")
    assert table.source_encoding == "windows-1258"
    assert " ".join(v[0] for _n, v in table.rows) == " ".join(s.strip() for s in SAMPLE.replace(";", ",").split(","))


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_legacy_csv_with_every_letter(tmp_path, encoding):
    text = "Tên\n" + "\n".join(f'"{part.strip()}"' for part in SAMPLE.split(";"))
    path = tmp_path / "legacy.csv"
    path.write_bytes(from_unicode(text, encoding).encode("cp1252" if encoding == "vni" else "latin-1"))
    table = read_table(path, "legacy.csv")
    assert table.source_encoding == encoding
    names = [values[0] for _n, values in table.rows]
    expected = [part.strip() for part in SAMPLE.split(";")]
    if encoding == "tcvn3":
        assert [n.lower() for n in names] == [e.lower() for e in expected]
        assert names[0] == "Hội Cựu chiến binh tỉnh Nghệ An"
    else:
        assert names == expected


def test_csv_english_and_latin1_is_not_converted(tmp_path):
    text = "Name,City\nCafé Noël,Zürich\nMálaga,Ærøskøbing\n"
    path = tmp_path / "en.csv"
    path.write_bytes(text.encode("cp1252"))
    table = read_table(path, "en.csv")
    assert table.source_encoding == "windows-1258"
    assert table.rows == [(2, ["Café Noël", "Zürich"]), (3, ["Málaga", "Ærøskøbing"])]
    path.write_bytes(text.encode("utf-8"))
    assert read_table(path, "en.csv").rows == [(2, ["Café Noël", "Zürich"]), (3, ["Málaga", "Ærøskøbing"])]


def test_csv_uncertain_legacy_is_refused_naming_the_encoding(tmp_path, nothing_left_behind):
    path = tmp_path / "odd.csv"
    path.write_bytes("Tên\nHµ Néi ¸¸¸ µq×\n".encode("latin-1"))
    message = refused(path)
    assert message.startswith("Tệp có vẻ gõ bằng bảng mã TCVN3 (ABC)")


def test_csv_delimiters_quotes_and_line_numbers(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        'Mã\tTên\tGhi chú\n\nHN01\t"Hà Nội"\t"dòng 1\ndòng 2"\n  \t \t\nHN02\tHải Phòng\n', encoding="utf-8"
    )
    table = read_table(path, "t.txt")
    assert table.headers == ["Mã", "Tên", "Ghi chú"]
    assert table.rows == [(3, ["HN01", "Hà Nội", "dòng 1\ndòng 2"]), (6, ["HN02", "Hải Phòng", None])]
    path.write_text('code,name,partners\nA1,"Xã A, huyện B","X1;X2"\n', encoding="utf-8")
    assert read_table(path, "t.csv").rows == [(2, ["A1", "Xã A, huyện B", "X1;X2"])]
    path.write_text("code;name\nA1;Xã A, huyện B\n", encoding="utf-8")
    assert read_table(path, "t.csv").rows == [(2, ["A1", "Xã A, huyện B"])]


def test_csv_with_excels_separator_hint(tmp_path):
    path = tmp_path / "sep.csv"
    path.write_text("sep=;\nMã;Tên\nHN;Hà Nội, thủ đô\n", encoding="utf-8-sig")
    table = read_table(path, "sep.csv")
    assert table.headers == ["Mã", "Tên"] and table.rows == [(3, ["HN", "Hà Nội, thủ đô"])]


def test_csv_in_utf8_with_a_broken_byte_names_the_line(tmp_path):
    path = tmp_path / "b.csv"
    path.write_bytes("Mã,Tên\nHN,Hà Nội\n".encode() + b"HP,H\xe1i Ph\xc3\xb2ng\n" + "NA,Nghệ An\n".encode())
    message = refused(path)
    assert message.startswith("Tệp CSV ghi bằng mã UTF-8 nhưng có ký tự hỏng ở dòng 3.")


def test_short_windows_1258_file_is_not_taken_for_broken_utf8(tmp_path):
    # In code page 1258 "ã…" is a, the tilde mark 0xDE and "…" 0x85: a valid UTF-8 pair (Thaana).
    path = tmp_path / "w.csv"
    path.write_bytes(cp1258("Mã…;Tên\nHN…;Hà Nội\n"))
    table = read_table(path, "w.csv")
    assert table.source_encoding == "windows-1258"
    assert table.headers == ["Mã…", "Tên"] and table.rows == [(2, ["HN…", "Hà Nội"])]


def test_damaged_csv_files_are_read_or_refused_never_crash(tmp_path):
    import random

    original = UNITS_CSV.encode()
    rng = random.Random(15)
    path = tmp_path / "d.csv"
    for _ in range(300):
        data = bytearray(original)
        for _ in range(rng.randint(1, 6)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        path.write_bytes(bytes(data))
        try:
            assert isinstance(read_table(path, "d.csv"), Table)
        except ImportRefused as refusal:
            assert str(refusal)


def test_csv_without_data(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text("\n \n", encoding="utf-8")
    assert refused(path) == "Tệp không có dữ liệu."


# --- XLSX ---------------------------------------------------------------------------------------


def test_xlsx_values_sheets_and_formulas(tmp_path, nothing_left_behind):
    import xlsxwriter

    path = tmp_path / "a.xlsx"
    book = xlsxwriter.Workbook(path)
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    guide = book.add_worksheet("Hướng dẫn")
    guide.write_string(0, 0, "Cột")
    data = book.add_worksheet("Hoạt động")
    data.write_row(0, 0, ["Mã", " Tiêu đề ", "Ngày", "Số người", "Gấp đôi", "Có", "Ghi chú", 2024])
    data.write_string(2, 0, "HD-01")
    data.write_string(2, 1, "  Thăm hỏi gia đình chính sách  ")
    data.write_datetime(2, 2, dt.datetime(2022, 9, 23), date_format)
    data.write_number(2, 3, 12)
    data.write_formula(2, 4, "=D3*2", None, 24)  # cached result 24
    data.write_boolean(2, 5, True)
    data.write_string(2, 6, "=cmd|' /C calc'!A0")  # text that looks like a formula stays text
    data.write_number(3, 3, 1.5)
    data.write_string(4, 1, "   ")  # a row of blanks is skipped
    data.write_string(5, 0, "HD-02")
    data.write_number(5, 3, 1234567)
    book.close()
    table = read_table(path, "a.xlsx")
    assert table.source_encoding == "xlsx" and table.note == ""
    assert table.headers == ["Mã", "Tiêu đề", "Ngày", "Số người", "Gấp đôi", "Có", "Ghi chú", "2024"]
    assert table.rows == [
        (
            3,
            [
                "HD-01",
                "Thăm hỏi gia đình chính sách",
                dt.date(2022, 9, 23),  # a date-formatted cell
                12,
                24,
                True,
                "=cmd|' /C calc'!A0",
                None,
            ],
        ),
        (4, [None, None, None, 1.5, None, None, None, None]),
        (6, ["HD-02", None, None, 1234567, None, None, None, None]),
    ]


def test_xlsx_formula_without_cached_value_is_none(tmp_path):
    import openpyxl

    path = tmp_path / "f.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["a", "b"])
    book.active.append([2, "=A2*2"])  # openpyxl stores the formula with no cached value
    book.save(path)
    assert read_table(path, "f.xlsx").rows == [(2, [2, None])]


def test_xlsx_hidden_sheet_and_guide_are_skipped(tmp_path):
    import xlsxwriter

    path = tmp_path / "h.xlsx"
    book = xlsxwriter.Workbook(path)
    book.add_worksheet("Hướng dẫn").write(0, 0, "x")
    lists = book.add_worksheet("Danh mục")
    lists.write(0, 0, "danh mục")
    lists.hide()
    book.add_worksheet("Dữ liệu").write_row(0, 0, ["Mã", "Tên"])
    book.get_worksheet_by_name("Dữ liệu").write_row(1, 0, ["X1", "Xã Một"])
    book.worksheets_objs[2].activate()
    book.close()
    table = read_table(path, "h.xlsx")
    assert table.headers == ["Mã", "Tên"] and table.rows == [(2, ["X1", "Xã Một"])]


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_xlsx_workbook_typed_in_a_legacy_font_is_converted(tmp_path, encoding):
    # The cells' text decides, not their font (calamine gives no font names): every
    # Latin-1-only text of the sheet is converted once the sheet reads as the legacy encoding.
    import xlsxwriter

    path = tmp_path / "fonts.xlsx"
    book = xlsxwriter.Workbook(path)
    font = book.add_format({"font_name": ".VnTime" if encoding == "tcvn3" else "VNI-Times"})
    ws = book.add_worksheet("Đơn vị")
    ws.write_row(0, 0, [from_unicode("Mã", encoding), from_unicode("Tên đơn vị", encoding)], font)
    ws.write_row(1, 0, ["NA", from_unicode("Hội Cựu chiến binh tỉnh Nghệ An", encoding)], font)
    ws.write_row(2, 0, ["NA2", from_unicode("HỘI CỰU CHIẾN BINH", encoding)], font)  # typed in capitals
    ws.write_row(3, 0, ["DC", from_unicode("Công an xã Diễn Châu", encoding)])  # font lost on a copy
    ws.write_row(4, 0, ["HN", "Hà Nội"], font)  # Unicode pasted into the sheet stays as it is
    ws.write(5, 0, "RT")
    ws.write_rich_string(5, 1, font, from_unicode("Đoàn", encoding), " ", font, from_unicode("Thanh niên", encoding))
    book.close()
    table = read_table(path, "fonts.xlsx")
    assert table.headers == ["Mã", "Tên đơn vị"]
    assert [values[1] for _n, values in table.rows] == [
        "Hội Cựu chiến binh tỉnh Nghệ An",
        "HỘI CỰU CHIẾN BINH",
        "Công an xã Diễn Châu",
        "Hà Nội",
        "Đoàn Thanh niên",
    ]
    assert table.note == f"Tệp gõ bằng bảng mã {ENCODING_NAMES[encoding]} đã được chuyển sang Unicode."


def test_xlsx_uncertain_legacy_text_is_refused_naming_the_encoding(tmp_path, nothing_left_behind):
    import xlsxwriter

    path = tmp_path / "odd.xlsx"
    book = xlsxwriter.Workbook(path)
    book.add_worksheet().write_column(0, 0, ["Tên", "Hµ Néi ¸¸¸ µq×"])
    book.close()
    assert refused(path).startswith("Tệp có vẻ gõ bằng bảng mã TCVN3 (ABC)")


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_xlsx_legacy_text_in_an_ordinary_font_is_detected(tmp_path, encoding):
    import xlsxwriter

    path = tmp_path / "plain.xlsx"
    book = xlsxwriter.Workbook(path)
    ws = book.add_worksheet()
    ws.write_row(0, 0, [from_unicode("Mã đơn vị", encoding), from_unicode("Tên đơn vị", encoding)])
    for i, part in enumerate(SAMPLE.split(";")[:8]):
        ws.write_row(i + 1, 0, [f"U{i}", from_unicode(part.strip(), encoding)])
    book.close()
    table = read_table(path, "plain.xlsx")
    assert table.headers == ["Mã đơn vị", "Tên đơn vị"]
    assert [v[1] for _n, v in table.rows] == [p.strip() for p in SAMPLE.split(";")[:8]]
    assert table.source_encoding == "xlsx"
    assert table.note.startswith("Tệp gõ bằng bảng mã")


def test_xlsx_a_few_legacy_rows_among_unicode_rows(tmp_path):
    # Rows copied from an old TCVN3 file into a Unicode sheet (the font lost on the way).
    import xlsxwriter

    names = [part.strip() for part in SAMPLE.split(";")[:12]]
    path = tmp_path / "mixed.xlsx"
    book = xlsxwriter.Workbook(path)
    ws = book.add_worksheet()
    ws.write_row(0, 0, ["Mã", "Tên"])
    for i, name in enumerate(names):
        ws.write_row(i + 1, 0, [f"U{i}", name if i < 8 else from_unicode(name, "tcvn3")])
    ws.write_row(13, 0, ["LY", "Lý"])
    book.close()
    table = read_table(path, "mixed.xlsx")
    assert [v[1] for _n, v in table.rows] == [*names, "Lý"]
    assert "TCVN3 (ABC)" in table.note


def test_xlsx_unusual_xml_is_read(tmp_path):
    # A namespace prefix, attributes in another order, an extra attribute, CDATA, an escaped
    # control character, a phonetic run (not part of the text).
    xml = (
        XML_HEAD + f'<x:worksheet xmlns:x="{MAIN_NS}"><x:sheetData>'
        '<x:row r="1"><x:c t="inlineStr" r="A1"><x:is><x:t>Mã</x:t></x:is></x:c>'
        '<x:c r="B1" t="inlineStr"><x:is><x:t><![CDATA[Tên & "đơn vị"]]></x:t></x:is></x:c></x:row>'
        '<x:row r="3"><x:c r="A3" cm="1"><x:v>7</x:v></x:c>'
        '<x:c r="B3" t="inlineStr"><x:is><x:r><x:t xml:space="preserve">Hà </x:t></x:r><x:r><x:t>Nội_x000D_</x:t></x:r>'
        "<x:rPh><x:t>ハノイ</x:t></x:rPh></x:is></x:c></x:row>"
        "</x:sheetData></x:worksheet>"
    )
    path = write_zip(tmp_path / "ns.xlsx", raw_xlsx_parts(xml))
    table = read_table(path, "ns.xlsx")
    assert table.headers == ["Mã", 'Tên & "đơn vị"']
    assert table.rows == [(3, [7, "Hà Nội"])]


def test_rows_are_counted_in_prefixed_xml_too(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    rows = "".join(f'<x:row r="{i}"><x:c r="A{i}"><x:v>{i}</x:v></x:c></x:row>' for i in range(1, 6))
    xml = XML_HEAD + f'<x:worksheet xmlns:x="{MAIN_NS}"><x:sheetData>{rows}</x:sheetData></x:worksheet>'
    path = write_zip(tmp_path / "ns.xlsx", raw_xlsx_parts(xml))
    assert refused(path).startswith("Tệp có hơn 3 dòng")


def test_xlsx_row_numbers_when_the_data_starts_lower(tmp_path):
    # calamine's cells start at the first filled row and column: the numbers are Excel's.
    import xlsxwriter

    path = tmp_path / "lower.xlsx"
    book = xlsxwriter.Workbook(path)
    ws = book.add_worksheet()
    ws.write_row(2, 2, ["Mã", "Tên"])  # C3
    ws.write_row(3, 2, ["X1", "Xã Một"])
    ws.write_row(6, 1, ["ghi chú", "X2", "Xã Hai"])  # B7: one column left of the headers
    book.close()
    table = read_table(path, "lower.xlsx")
    assert table.headers == ["", "", "Mã", "Tên"]
    assert table.rows == [(4, [None, None, "X1", "Xã Một"]), (7, [None, "ghi chú", "X2", "Xã Hai"])]


def test_xlsx_numbers_dates_and_times(tmp_path):
    import xlsxwriter

    path = tmp_path / "n.xlsx"
    book = xlsxwriter.Workbook(path)
    ws = book.add_worksheet()
    ws.write_row(0, 0, ["a", "b", "c", "d", "e"])
    ws.write_number(1, 0, 12.0)  # integral: an int
    ws.write_number(1, 1, 0.25)
    ws.write_datetime(1, 2, dt.datetime(2022, 9, 23, 10, 5), book.add_format({"num_format": "dd/mm/yyyy hh:mm"}))
    ws.write_datetime(1, 3, dt.time(7, 30, 5), book.add_format({"num_format": "hh:mm:ss"}))
    ws.write_number(1, 4, 1.5, book.add_format({"num_format": "[h]:mm:ss"}))  # a duration
    book.close()
    values = read_table(path, "n.xlsx").rows[0][1]
    assert values == [12, 0.25, dt.datetime(2022, 9, 23, 10, 5), "07:30:05", "1 day, 12:00:00"]
    assert type(values[0]) is int


def big_workbook(path: Path, rows: int) -> Path:
    """An .xlsx as Excel writes it (shared strings, dates, numbers): `rows` rows × 15 columns."""
    strings: list[str] = []
    index: dict[str, int] = {}

    def ref(text: str) -> int:
        if text not in index:
            index[text] = len(strings)
            strings.append(text)
        return index[text]

    def row(r: int, values: list) -> str:
        cells = []
        for i, value in enumerate(values):
            col = chr(65 + i)
            if isinstance(value, str):
                cells.append(f'<c r="{col}{r}" t="s"><v>{ref(value)}</v></c>')
            elif isinstance(value, dt.date):
                cells.append(f'<c r="{col}{r}" s="1"><v>{(value - dt.date(1899, 12, 30)).days}</v></c>')
            else:
                cells.append(f'<c r="{col}{r}"><v>{value}</v></c>')
        return f'<row r="{r}" spans="1:15">{"".join(cells)}</row>'

    body = [row(1, [f"Cột {i}" for i in range(15)])]
    for r in range(2, rows + 2):
        values = [f"HD-{r}", f"Hoạt động số {r} của xã Diễn Châu", dt.date(2022, 9, 23), r % 50, r % 7, 3.5]
        body.append(row(r, values + ["HN01;HN02"] + [f"Ghi chú {r % 9}"] * 8))
    strings_xml = XML_HEAD + f'<sst xmlns="{MAIN_NS}">' + "".join(f"<si><t>{s}</t></si>" for s in strings) + "</sst>"
    parts = raw_xlsx_parts(sheet("".join(body)), strings_xml)
    parts["xl/styles.xml"] = (
        XML_HEAD + f'<styleSheet xmlns="{MAIN_NS}"><fonts count="1"><font><name val="Times New Roman"/></font></fonts>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0"/><xf numFmtId="14" fontId="0" applyNumberFormat="1"/></cellXfs>'
        "</styleSheet>"
    ).encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    parts["xl/_rels/workbook.xml.rels"] = rels.replace(
        "</Relationships>", f'<Relationship Id="rId3" Type="{REL_NS}/styles" Target="styles.xml"/></Relationships>'
    ).encode()
    return write_zip(path, parts)


def test_xlsx_20000_rows_by_15_columns_read_quickly(tmp_path):
    path = big_workbook(tmp_path / "big.xlsx", 20000)
    started = time.perf_counter()
    table = read_table(path, "big.xlsx")
    elapsed = time.perf_counter() - started
    assert len(table.rows) == 20000 and table.rows[-1][0] == 20001
    assert table.rows[-1][1][:7] == [
        "HD-20001",
        "Hoạt động số 20001 của xã Diễn Châu",
        dt.date(2022, 9, 23),
        1,
        20001 % 7,
        3.5,
        "HN01;HN02",
    ]
    assert elapsed < 10  # about 0.3 s on an idle machine; generous for a shared test runner


# --- refusals -----------------------------------------------------------------------------------


def test_file_over_50_mb_is_refused_before_reading(tmp_path, nothing_left_behind):
    path = tmp_path / "big.xlsx"
    with path.open("wb") as fh:
        fh.truncate(MAX_BYTES + 1024 * 1024)  # 51 MB, sparse: never read
    assert refused(path, limit=0.5) == "Tệp lớn hơn 50 MB: hãy chia thành nhiều tệp nhỏ hơn."
    csv_path = tmp_path / "big.csv"
    path.rename(csv_path)
    assert refused(csv_path, limit=0.5).startswith("Tệp lớn hơn 50 MB")


def _zip_bomb(path: Path, uncompressed: int) -> Path:
    """A valid .xlsx whose sheet XML holds `uncompressed` bytes, mostly zeros, written in chunks."""
    parts = raw_xlsx_parts(sheet(inline_row(1, "Mã")))
    del parts["xl/worksheets/sheet1.xml"]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            member.write(f'{XML_HEAD}<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1"><v>'.encode())
            chunk = b"0" * (4 * 1024 * 1024)
            for _ in range(uncompressed // len(chunk)):
                member.write(chunk)
            member.write(b"</v></c></row></sheetData></worksheet>")
    return path


BOMB = (
    "Tệp bị từ chối: khi giải nén, tệp Excel lớn bất thường (quá 200 MB hoặc tỉ lệ nén bất thường)."
    " Tệp có thể đã bị làm hỏng hoặc cố ý tạo ra để gây hại."
)
XML_BOMB = (
    "Tệp bị từ chối: tệp Excel chứa khai báo DOCTYPE/ENTITY mà Excel không bao giờ tạo ra."
    " Tệp có thể đã bị làm hỏng hoặc cố ý tạo ra để gây hại."
)


def test_zip_bomb_is_refused(tmp_path, nothing_left_behind):
    path = _zip_bomb(tmp_path / "bomb.xlsx", 320 * 1024 * 1024)  # 320 MB of zeros
    assert path.stat().st_size < MAX_BYTES
    assert refused(path) == BOMB


def test_high_compression_ratio_is_refused(tmp_path, nothing_left_behind):
    path = _zip_bomb(tmp_path / "ratio.xlsx", 64 * 1024 * 1024)  # under 200 MB, but ~1000:1
    assert refused(path) == BOMB


def test_billion_laughs_in_shared_strings_is_refused(tmp_path, nothing_left_behind):
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10)
    )
    strings = (
        f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]>'
        f'<sst xmlns="{MAIN_NS}" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    )
    xml = sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>0</v></c></row>')
    path = write_zip(tmp_path / "laughs.xlsx", raw_xlsx_parts(xml, strings))
    assert refused(path) == XML_BOMB


def test_openpyxl_parses_with_defusedxml():
    # Other code reads workbooks with openpyxl (templates, exports): its XML parsing goes
    # through defusedxml, which refuses entities.
    import openpyxl.xml
    import openpyxl.xml.functions

    assert openpyxl.xml.DEFUSEDXML is True
    assert openpyxl.xml.functions.iterparse.__module__.startswith("defusedxml")


def test_billion_laughs_would_not_expand_even_unscanned(tmp_path, monkeypatch):
    # Defence in depth: were the DOCTYPE scan to miss, the parsers resolve no entity.
    monkeypatch.setattr(reading, "prolog_has_dtd", lambda data: False)
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10)
    )
    strings = (
        f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]><sst xmlns="{MAIN_NS}"><si><r><t>&lol9;</t></r></si></sst>'
    )
    xml = sheet('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>&lol9;</t></is></c></row>')
    path = write_zip(tmp_path / "laughs.xlsx", raw_xlsx_parts(xml, strings))
    started = time.perf_counter()
    try:
        table = read_table(path, "x.xlsx")
    except ImportRefused:
        return
    assert time.perf_counter() - started < 2
    assert "lollol" not in repr(table)


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        "<!DOCTYPE worksheet>",
        "<!-- " + "x" * 70_000 + ' --><!DOCTYPE x [<!ENTITY e "e">]>',  # hidden past the scanned start
    ],
)
def test_doctype_and_external_entities_in_the_sheet_are_refused(tmp_path, nothing_left_behind, prolog):
    xml = (
        '<?xml version="1.0"?>' + prolog + f'<worksheet xmlns="{MAIN_NS}"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>'
    )
    path = write_zip(tmp_path / "xxe.xlsx", raw_xlsx_parts(xml))
    assert refused(path) == XML_BOMB


def test_doctype_in_utf16_xml_is_refused(tmp_path):
    xml = f'<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY e "e">]><worksheet xmlns="{MAIN_NS}"/>'
    path = write_zip(tmp_path / "u16.xlsx", raw_xlsx_parts(xml.encode("utf-16")))
    assert refused(path) == XML_BOMB


TOO_MANY = "Tệp có hơn 200.000 dòng dữ liệu: hãy chia thành nhiều tệp nhỏ hơn."


def test_csv_over_200000_rows_is_refused(tmp_path, nothing_left_behind):
    path = tmp_path / "rows.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("Mã,Tên\n")
        for i in range(MAX_ROWS + 1):
            fh.write(f"U{i},Xã {i}\n")
    assert refused(path) == TOO_MANY


def test_xlsx_over_200000_rows_is_refused(tmp_path, nothing_left_behind):
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, MAX_ROWS + 3))
    path = write_zip(tmp_path / "rows.xlsx", raw_xlsx_parts(sheet(rows)))
    assert refused(path) == TOO_MANY


def test_the_row_limit_counts_data_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    path = tmp_path / "r.csv"
    path.write_text("h\n1\n\n2\n3\n", encoding="utf-8")
    assert len(read_table(path, "r.csv").rows) == 3
    path.write_text("h\n1\n2\n3\n4\n", encoding="utf-8")
    assert refused(path) == "Tệp có hơn 3 dòng dữ liệu: hãy chia thành nhiều tệp nhỏ hơn."
    rows = inline_row(1, "h") + "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(2, 5))
    path = write_zip(tmp_path / "r.xlsx", raw_xlsx_parts(sheet(rows + '<row r="9" spans="1:2"/>')))
    assert len(read_table(path, "r.xlsx").rows) == 3
    rows += '<row r="5"><c r="A5"><v>5</v></c></row>'
    path = write_zip(tmp_path / "r2.xlsx", raw_xlsx_parts(sheet(rows)))
    assert refused(path).startswith("Tệp có hơn 3 dòng")


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (os.urandom(4096), "x.xlsx", NOT_A_SPREADSHEET),
        (b"PK\x03\x04" + os.urandom(4096), "x.xlsx", NOT_A_SPREADSHEET),  # a broken zip
        (b"\x89PNG\r\n\x1a\n" + os.urandom(4096), "anh.csv", NOT_A_SPREADSHEET),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(4096), "cu.xls", "Không đọc được tệp .xls"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(4096), "mat-khau.xlsx", "Không đọc được tệp .xls"),
        (b"<html><table></table></html>", "bang.xls", "Không đọc được tệp .xls"),
        (b"%PDF-1.7\n", "bao-cao.pdf", "Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."),
        (b"", "rong.csv", "Tệp rỗng."),
    ],
)
def test_files_that_are_not_spreadsheets(tmp_path, nothing_left_behind, data, filename, message):
    path = tmp_path / "upload.bin"
    path.write_bytes(data)
    assert refused(path, filename).startswith(message)


def test_old_xls_message_asks_for_xlsx(tmp_path):
    path = tmp_path / "cu.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    assert "(.xlsx)" in refused(path) and "Lưu thành" in refused(path)


def test_zip_that_is_not_a_workbook(tmp_path, nothing_left_behind):
    path = write_zip(tmp_path / "doc.xlsx", {"word/document.xml": b"<w:document/>", "[Content_Types].xml": b"<Types/>"})
    assert refused(path) == NOT_A_SPREADSHEET
    parts = raw_xlsx_parts(sheet(inline_row(1, "a")))
    del parts["xl/worksheets/sheet1.xml"]
    path = write_zip(tmp_path / "nosheet.xlsx", parts)
    assert refused(path) == NOT_A_SPREADSHEET
    path = write_zip(tmp_path / "broken.xlsx", raw_xlsx_parts(XML_HEAD + "<worksheet><sheetData><row><c"))
    assert refused(path) == NOT_A_SPREADSHEET


def test_ods_is_refused(tmp_path):
    path = write_zip(tmp_path / "a.ods", {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})
    assert "lưu tệp thành .xlsx" in refused(path)


def test_empty_xlsx(tmp_path):
    path = write_zip(
        tmp_path / "e.xlsx", raw_xlsx_parts(XML_HEAD + f'<worksheet xmlns="{MAIN_NS}"><sheetData/></worksheet>')
    )
    assert refused(path) == "Tệp không có dữ liệu: trang tính đầu tiên đang trống."


def test_damaged_files_are_read_or_refused_never_crash(tmp_path):
    import random

    import xlsxwriter

    source = tmp_path / "ok.xlsx"
    book = xlsxwriter.Workbook(source)
    ws = book.add_worksheet()
    ws.write_row(0, 0, ["Mã", "Tên", "Ngày"])
    for i in range(1, 30):
        ws.write_row(i, 0, [f"U{i}", f"Xã số {i}", 44000 + i])
    book.close()
    original = source.read_bytes()
    rng = random.Random(15)
    for n in range(120):
        data = bytearray(original)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if n % 3 == 0:
            data = data[: rng.randrange(len(data))]
        path = tmp_path / f"d{n}.xlsx"
        path.write_bytes(bytes(data))
        try:
            table = read_table(path, path.name)
        except ImportRefused as refusal:
            assert str(refusal)
        else:
            assert isinstance(table, Table)


def test_damaged_xml_inside_a_valid_zip_is_read_or_refused_never_crash(tmp_path):
    # The zip is sound, its XML is not: calamine's parser meets the damage.
    import random

    import xlsxwriter

    source = tmp_path / "ok.xlsx"
    book = xlsxwriter.Workbook(source)
    ws = book.add_worksheet()
    ws.write_row(0, 0, ["Mã", "Tên", "Ngày"])
    for i in range(1, 30):
        ws.write_row(i, 0, [f"U{i}", f"Xã số {i}"])
        ws.write_datetime(i, 2, dt.datetime(2022, 1, i % 28 + 1), book.add_format({"num_format": "dd/mm/yyyy"}))
    book.close()
    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    inserts = [b'<c r="ZZZZ9999999"><v>1</v></c>', b'<row r="0">', b"</row>", b't="s"', b"<v>99999</v>", b's="999"']
    rng = random.Random(15)
    for n in range(200):
        name = rng.choice(sorted(parts))
        data = bytearray(parts[name])
        for _ in range(rng.randint(1, 6)):
            i = rng.randrange(len(data))
            choice = rng.random()
            if choice < 0.4:
                data[i] = rng.choice(b'<>/"=&0123456789ab \x00\xff')
            elif choice < 0.7:
                del data[i : i + rng.randint(1, 20)]
            else:
                data[i:i] = rng.choice(inserts)
        path = write_zip(tmp_path / f"x{n}.xlsx", {**parts, name: bytes(data)})
        try:
            table = read_table(path, path.name)
        except ImportRefused as refusal:
            assert str(refusal)
        else:
            assert isinstance(table, Table)


def test_table_shape():
    table = Table(headers=["a"], rows=[(2, ["x"])], source_encoding="utf-8")
    assert table.note == ""
