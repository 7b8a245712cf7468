"""Official documents: the DOCX in the Decree 30/2020/NĐ-CP format, the XLSX, the PDF through LibreOffice."""

from __future__ import annotations

import io
import os
import re
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from docx import Document
from lxml import etree
from openpyxl import load_workbook

from phoihop.documents import pdf
from phoihop.documents.builders import (
    build_docx,
    build_xlsx,
    check_template,
    date_line,
    default_template,
    docx_to_pdf,
    filename,
    format_number,
    header_lines,
    number_line,
    signature_width_pt,
    template_context,
    text_width_pt,
)
from phoihop.documents.data import BODY_KINDS, AnnexTable, Body, FieldFigures, FigureRow, ListAnnex, ReportDocument
from phoihop.documents.make_templates import make_template
from phoihop.documents.pdf import PdfFailed, PdfUnavailable
from phoihop.documents.samples import sample_document

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def text_with_breaks(element: etree._Element) -> str:
    """The text of an element, a line break (w:br) written as "\\n"."""
    return "".join("\n" if node.tag == w("br") else node.text or "" for node in element.iter(w("t"), w("br")))


class Docx:
    """The parts of a built DOCX, parsed."""

    def __init__(self, data: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            self.parts = {name: z.read(name) for name in z.namelist()}
        self.document = etree.fromstring(self.parts["word/document.xml"])
        self.styles = etree.fromstring(self.parts["word/styles.xml"])
        self.text = "\n".join("".join(p.itertext()) for p in self.document.iter(w("p")))

    @property
    def sect_pr(self) -> etree._Element:
        return self.document.find(f"{w('body')}/{w('sectPr')}")

    def header(self, kind: str) -> bytes:
        ref = self.sect_pr.find(f"{w('headerReference')}[@{w('type')}='{kind}']")
        rid = ref.get(f"{{{R}}}id")
        rels = etree.fromstring(self.parts["word/_rels/document.xml.rels"])
        target = next(rel.get("Target") for rel in rels if rel.get("Id") == rid)
        return self.parts[f"word/{target}"]

    def tables(self) -> list[list[list[str]]]:
        """Every table (nested ones apart) as rows of cell texts (a line break as "\\n")."""
        return [
            [[text_with_breaks(tc) for tc in tr.findall(w("tc"))] for tr in tbl.findall(w("tr"))]
            for tbl in self.document.iter(w("tbl"))
        ]

    def paragraph_with(self, text: str) -> etree._Element:
        return next(p for p in self.document.iter(w("p")) if "".join(p.itertext()) == text)


@pytest.fixture(scope="module")
def single() -> ReportDocument:
    return sample_document()


@pytest.fixture(scope="module")
def joint() -> ReportDocument:
    return sample_document(joint=True)


@pytest.fixture(scope="module")
def single_docx(single: ReportDocument) -> Docx:
    return Docx(build_docx(single))


@pytest.fixture(scope="module")
def joint_docx(joint: ReportDocument) -> Docx:
    return Docx(build_docx(joint))


# --- helpers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 5), "Hà Nội, ngày 05 tháng 01 năm 2026"),
        (date(2022, 9, 23), "Hà Nội, ngày 23 tháng 9 năm 2022"),
        (date(2024, 2, 1), "Hà Nội, ngày 01 tháng 02 năm 2024"),
        (date(2024, 3, 10), "Hà Nội, ngày 10 tháng 3 năm 2024"),
        (date(2024, 12, 9), "Hà Nội, ngày 09 tháng 12 năm 2024"),
    ],
)
def test_date_line(day: date, expected: str) -> None:
    assert date_line("Hà Nội", day) == expected


def test_number_line(single: ReportDocument, joint: ReportDocument) -> None:
    assert number_line(single) == "Số: 15/BC-HCCB"
    assert number_line(joint) == "Số: 05/BC-TCCT-HCCB"
    unnumbered = replace(single, bodies=[replace(single.bodies[0], number=None)])
    assert number_line(unnumbered) == "Số:        /BC-HCCB"
    assert number_line(sample_document(kind="party")) == "Số 15-BC/ĐU"  # the party's own format


def test_format_number_and_filename(single: ReportDocument) -> None:
    assert format_number(1234567) == "1.234.567"
    assert format_number(-1500) == "-1.500"
    assert format_number(7) == "7"
    assert format_number(None) == ""
    assert filename(single, "docx") == "bao-cao-tong-ket-2017-2022.docx"
    untitled = replace(single, title="", subject="Sơ kết 6 tháng đầu năm: Đoàn kết / đổi mới")
    assert filename(untitled, ".pdf") == "bao-cao-so-ket-6-thang-dau-nam-doan-ket-doi-moi.pdf"


# --- DOCX: the Decree 30 format ------------------------------------------------------------------


@pytest.mark.parametrize("kind", BODY_KINDS)
def test_page_setup_and_fonts(kind: str) -> None:
    docx = Docx(build_docx(sample_document(kind=kind, children=3)))
    size = docx.sect_pr.find(w("pgSz"))
    assert (size.get(w("w")), size.get(w("h"))) == ("11906", "16838")  # A4 portrait
    margins = docx.sect_pr.find(w("pgMar"))
    assert 1134 <= int(margins.get(w("top"))) <= 1417
    assert 1134 <= int(margins.get(w("bottom"))) <= 1417
    assert 1701 <= int(margins.get(w("left"))) <= 1984
    assert 850 <= int(margins.get(w("right"))) <= 1134

    defaults = docx.styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")
    fonts = defaults.find(w("rFonts"))
    for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
        assert fonts.get(w(attr)) == "Times New Roman"
    assert defaults.find(w("sz")).get(w("val")) == "28"  # 14 pt
    normal = docx.styles.find(f"{w('style')}[@{w('styleId')}='Normal']")
    assert normal.find(f"{w('rPr')}/{w('rFonts')}").get(w("ascii")) == "Times New Roman"
    # No style falls back on the theme's fonts (Calibri, Cambria) or colours.
    for el in docx.styles.iter(w("rFonts")):
        assert not [a for a in el.attrib if "heme" in a], el.attrib
        assert el.get(w("ascii")) in (None, "Times New Roman")
    assert not [el for el in docx.styles.iter(w("color")) if el.get(w("val")) not in ("000000", "auto")]


@pytest.mark.parametrize("kind", BODY_KINDS)
def test_page_numbers_from_page_two(kind: str) -> None:
    docx = Docx(build_docx(sample_document(kind=kind, children=3)))
    assert docx.sect_pr.find(w("titlePg")) is not None
    assert b"PAGE" not in docx.header("first")
    default = etree.fromstring(docx.header("default"))
    field = default.find(f".//{w('fldSimple')}")
    assert field is not None and field.get(w("instr")).strip() == "PAGE"
    assert default.find(f".//{w('jc')}").get(w("val")) == "center"


def test_single_document_header_and_ending(single_docx: Docx) -> None:
    text = single_docx.text
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "HỘI CỰU CHIẾN BINH VIỆT NAM",
        "Số: 15/BC-HCCB",
        "Hà Nội, ngày 05 tháng 01 năm 2026",
        "BÁO CÁO",
        "Tổng kết 5 năm thực hiện Chương trình phối hợp",
        "(Từ ngày 01/01/2017 đến ngày 31/12/2022)",
        "Bản nháp",
        "I. Công tác lãnh đạo, chỉ đạo, tổ chức thực hiện",
        "II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
        "III. Đánh giá chung",
        "Nơi nhận:",
        "- Bộ Quốc phòng;",
        "- Lưu: VT.",
        "TM. BAN THƯỜNG VỤ",
        "CHỦ TỊCH",
        "Nguyễn Văn Hùng",
    ):
        assert expected in text, expected
    assert "{{" not in text and "{%" not in text
    lines = text.splitlines()
    assert lines.index("- Lưu: VT.") == lines.index("- Hội Cựu chiến binh các tỉnh, thành phố;") + 1

    # Page 1's top: a borderless table, the body at the left, the national title at the right.
    header = single_docx.document.find(f"{w('body')}/{w('tbl')}")
    assert {b.get(w("val")) for b in header.find(f"{w('tblPr')}/{w('tblBorders')}")} == {"nil"}
    rows = single_docx.tables()[0]
    assert rows[0][0] == "HỘI CỰU CHIẾN BINH VIỆT NAM"
    assert rows[0][1] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAMĐộc lập - Tự do - Hạnh phúc"
    assert rows[1] == ["Số: 15/BC-HCCB", "Hà Nội, ngày 05 tháng 01 năm 2026"]
    date_run = single_docx.paragraph_with("Hà Nội, ngày 05 tháng 01 năm 2026").find(f"{w('r')}/{w('rPr')}")
    assert date_run.find(w("i")) is not None
    name_run = single_docx.paragraph_with("HỘI CỰU CHIẾN BINH VIỆT NAM").find(f"{w('r')}/{w('rPr')}")
    assert name_run.find(w("b")) is not None and name_run.find(w("sz")).get(w("val")) == "26"  # 13 pt bold


def test_short_solid_lines_under_the_name_and_the_motto(single_docx: Docx) -> None:
    """Lines are bottom borders of empty paragraphs: 1/3 to 1/2 of the name, the motto's full length."""
    styles = {s.get(w("styleId")): s for s in single_docx.styles.iter(w("style"))}
    for style_id in ("PHDuongKeNgan", "PHDuongKe"):
        bottom = styles[style_id].find(f"{w('pPr')}/{w('pBdr')}/{w('bottom')}")
        assert bottom.get(w("val")) == "single"
    name = single_docx.paragraph_with("HỘI CỰU CHIẾN BINH VIỆT NAM")
    line = name.getnext()
    assert line.find(f"{w('pPr')}/{w('pStyle')}").get(w("val")) == "PHDuongKeNgan"
    ind = line.find(f"{w('pPr')}/{w('ind')}")
    cell_width = int(name.getparent().find(f"{w('tcPr')}/{w('tcW')}").get(w("w")))
    length = cell_width - int(ind.get(w("left"))) - int(ind.get(w("right")))
    name_width = 7.35 * 567  # the name's printed width at 13 pt bold, measured on the PDF
    assert name_width / 3 <= length <= name_width / 2
    motto = single_docx.paragraph_with("Độc lập - Tự do - Hạnh phúc").getnext()
    assert motto.find(f"{w('pPr')}/{w('pStyle')}").get(w("val")) == "PHDuongKe"


def test_unnumbered_document_leaves_room_for_the_number(single: ReportDocument) -> None:
    doc = replace(single, bodies=[replace(single.bodies[0], number=None)])
    assert "Số:        /BC-HCCB" in Docx(build_docx(doc)).text


def test_minimal_document() -> None:
    """One body without parent, abbreviation or number, nothing but a subject: still a proper document."""
    doc = ReportDocument(
        bodies=[Body(name="Hội CCB xã Tân Lập")],
        place="Tân Lập",
        issued_on=date(2025, 2, 3),
        subject="Báo cáo nhanh",
        period_label="",
    )
    docx = Docx(build_docx(doc))
    assert docx.tables()[0][1] == ["Số:        /BC", "Tân Lập, ngày 03 tháng 02 năm 2025"]
    assert "- Lưu: VT." in docx.text and "I. " not in docx.text
    # The line under a short subject is sized to it (1/3 to 1/2), not to the page.
    line = docx.paragraph_with("Báo cáo nhanh").getnext()
    ind = line.find(f"{w('pPr')}/{w('ind')}")
    length = (11906 - 1701 - 850) - int(ind.get(w("left"))) - int(ind.get(w("right")))
    assert 567 <= length <= 1000
    load_workbook(io.BytesIO(build_xlsx(doc)))  # an empty workbook is still a workbook


def test_joint_document(joint_docx: Docx) -> None:
    text = joint_docx.text
    rows = joint_docx.tables()[0]
    assert rows[0][0] == "BỘ QUỐC PHÒNGTỔNG CỤC CHÍNH TRỊHỘI CỰU CHIẾN BINH VIỆT NAM"
    assert rows[1][0] == "Số: 05/BC-TCCT-HCCB"
    signatures = next(t for t in joint_docx.tables() if any("Trần Quang Minh" in c for c in t[0]))
    # The leading body (the first) signs at the right, the other at the left; each block names
    # its body after the capacity (Decree 30, joint documents), in lines broken between words.
    assert signatures[0][0] == "TM. BAN THƯỜNG VỤ HỘI\nCỰU CHIẾN BINH VIỆT NAMCHỦ TỊCHNguyễn Văn Hùng"
    assert signatures[0][1] == "KT. CHỦ NHIỆM\nTỔNG CỤC CHÍNH TRỊPHÓ CHỦ NHIỆMTrung tướng Trần Quang Minh"
    # The recipients come after both signatures.
    assert text.index("Nơi nhận:") > text.index("Trung tướng Trần Quang Minh")
    assert "- Lưu: VT." in text


def test_army_rank_before_the_name() -> None:
    docx = Docx(build_docx(sample_document(kind="army", children=3)))
    assert docx.tables()[0][0][0] == "BỘ QUỐC PHÒNGTỔNG CỤC CHÍNH TRỊ"
    assert "Số: 15/BC-TCCT" in docx.text
    assert "Trung tướng Trần Quang Minh" in docx.text
    # The parent's name stands in capitals, not bold, above the body's.
    parent = docx.paragraph_with("BỘ QUỐC PHÒNG").find(f"{w('r')}/{w('rPr')}")
    assert parent.find(w("b")) is None


def test_party_document() -> None:
    docx = Docx(build_docx(sample_document(kind="party", children=3)))
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in docx.text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in docx.text
    title = docx.paragraph_with("ĐẢNG CỘNG SẢN VIỆT NAM").find(f"{w('r')}/{w('rPr')}")
    assert title.find(w("b")) is not None and title.find(w("u")).get(w("val")) == "single"
    assert docx.tables()[0][0][0] == (
        "ĐẢNG BỘ MẶT TRẬN TỔ QUỐC,\nCÁC ĐOÀN THỂ TRUNG ƯƠNG"  # each name in lines broken between its words
        "ĐẢNG ỦY CƠ QUAN TRUNG ƯƠNG\nHỘI CỰU CHIẾN BINH VIỆT NAM*"
    )
    assert "Số 15-BC/ĐU" in docx.text
    assert "T/M ĐẢNG ỦY" in docx.text


def test_state_document() -> None:
    docx = Docx(build_docx(sample_document(kind="state", children=3)))
    assert docx.tables()[0][0][0] == "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI"
    assert "Số: 15/BC-UBND" in docx.text
    assert "KT. CHỦ TỊCH" in docx.text and "PHÓ CHỦ TỊCH" in docx.text


def test_recipients_end_with_the_archive_line(single: ReportDocument) -> None:
    doc = replace(single, recipients=["- Như trên;", "Lưu: VT, VP.", "  ", "Các đồng chí Ủy viên Ban Thường vụ"])
    lines = Docx(build_docx(doc)).text.splitlines()
    start = lines.index("Nơi nhận:")
    assert lines[start + 1 : start + 4] == ["- Như trên;", "- Các đồng chí Ủy viên Ban Thường vụ;", "- Lưu: VT, VP."]


def test_user_text_is_escaped(single: ReportDocument) -> None:
    doc = replace(single, subject='Về <b>số liệu</b> & "tiến độ"\x0b {{ doc }}', intro=["A < B & C\x01"])
    text = Docx(build_docx(doc)).text
    assert 'Về <b>số liệu</b> & "tiến độ" {{ doc }}' in text
    assert "A < B & C" in text


def _figure_rows(docx: Docx) -> dict[str, list[str]]:
    table = next(t for t in docx.tables() if t[0][:2] == ["STT", "Chỉ tiêu"])
    return {row[1]: row for row in table[1:] if len(row) > 2}


def _annex_cells(docx: Docx) -> dict[tuple[str, str], str]:
    """(unit name, column header) -> cell text, over every annex table (wide annexes are split)."""
    cells = {}
    for table in docx.tables():
        if table[0][:2] != ["STT", "Đơn vị"]:
            continue
        for row in table[1:]:
            for header, text in zip(table[0][2:], row[2:], strict=True):
                cells[(row[1], header)] = text
    return cells


@pytest.mark.parametrize("fixture", ["single", "joint"])
def test_every_figure_in_docx_and_xlsx(fixture: str, request: pytest.FixtureRequest) -> None:
    doc: ReportDocument = request.getfixturevalue(fixture)
    docx: Docx = request.getfixturevalue(f"{fixture}_docx")
    book = load_workbook(io.BytesIO(build_xlsx(doc)))

    figures = _figure_rows(docx)
    summary = book["Tổng hợp"]
    xlsx_rows = {summary.cell(r, 3).value: r for r in range(5, summary.max_row + 1)}
    assert [summary.cell(4, c).value for c in range(1, 8)] == [
        "STT", "Lĩnh vực", "Chỉ tiêu", "Đơn vị tính", "Kỳ này", "Kỳ trước", "Chỉ tiêu giao",
    ]  # fmt: skip
    count = 0
    for field in doc.figures:
        for figure in field.rows:
            row = figures[figure.indicator]
            assert row[2] == figure.unit_of_measure
            assert row[3:6] == [
                format_number(figure.value),
                format_number(figure.previous),
                format_number(figure.target),
            ]
            r = xlsx_rows[figure.indicator]
            for col, value in ((5, figure.value), (6, figure.previous), (7, figure.target)):
                cell = summary.cell(r, col)
                assert cell.value == value
                if value is not None:
                    assert cell.data_type == "n" and cell.number_format == "#,##0"
                    assert format_number(cell.value) == row[col - 2]
            count += 1
    assert count == 17 and "1.234" not in figures  # the sample's 17 indicators, nothing else

    (annex,) = doc.annexes
    assert len(annex.rows) == 63 and len(annex.columns) == 13
    cells = _annex_cells(docx)
    sheet = book["Phụ lục"]
    headers = [f"{name} ({uom})" for name, uom in annex.columns]
    assert [sheet.cell(4, c).value for c in range(1, len(headers) + 3)] == ["STT", "Đơn vị", *headers]
    for r, (unit, values) in enumerate(annex.rows, 5):
        assert sheet.cell(r, 2).value == unit
        for c, (header, value) in enumerate(zip(headers, values, strict=True), 3):
            assert cells[(unit, header)] == format_number(value)
            xlsx = sheet.cell(r, c)
            assert xlsx.value == value and xlsx.number_format == "#,##0"
    total_row = 5 + len(annex.rows)
    assert sheet.cell(total_row, 2).value == "Tổng cộng"
    for c, (header, total) in enumerate(zip(headers, annex.totals, strict=True), 3):
        assert total == sum(values[c - 3] for _, values in annex.rows)
        assert cells[("Tổng cộng", header)] == format_number(total)
        assert sheet.cell(total_row, c).value == total
        assert sheet.cell(total_row, c).font.b


def test_wide_annex_is_split_into_tables_that_fit_the_page() -> None:
    doc = sample_document(children=5)
    (annex,) = doc.annexes
    wide = AnnexTable(
        title="Phụ lục 2. Số liệu lớn",
        columns=[(f"Chỉ tiêu {i}", "lượt") for i in range(20)],
        rows=[(f"Đơn vị {n}", [123_456_789 + n * i for i in range(20)]) for n in range(3)],
        totals=[sum(123_456_789 + n * i for n in range(3)) for i in range(20)],
    )
    docx = Docx(build_docx(replace(doc, annexes=[annex, wide])))
    grids = [
        [int(col.get(w("w"))) for col in tbl.find(w("tblGrid"))]
        for tbl in docx.document.iter(w("tbl"))
        if "".join(tbl.find(w("tr")).itertext()).startswith("STTĐơn vị")
    ]
    assert len(grids) >= 4  # the sample's annex and the wide one each need more than one table
    assert all(sum(grid) <= 11906 - 1701 - 850 for grid in grids)
    cells = _annex_cells(docx)
    for unit, values in wide.rows:
        for i, value in enumerate(values):
            assert cells[(unit, f"Chỉ tiêu {i} (lượt)")] == format_number(value)
    assert "Phụ lục 2. Số liệu lớn (tiếp theo)" in docx.text


# --- XLSX ------------------------------------------------------------------------------------------


def test_xlsx_sheets(single: ReportDocument) -> None:
    book = load_workbook(io.BytesIO(build_xlsx(single)))
    assert book.sheetnames[0] == "Tổng hợp"
    assert book.sheetnames[-1] == "Phụ lục"
    assert len(book.sheetnames) == 1 + len(single.figures) + 1
    assert "Tuyên truyền, giáo dục" in book.sheetnames
    assert "Xây dựng hệ thống chính trị cơ" in book.sheetnames  # cut to 31 characters
    for sheet in book.worksheets:
        assert len(sheet.title) <= 31
        assert sheet.freeze_panes in ("A5", "C5")
        assert sheet["A1"].font.b  # the title row
        assert sheet["A4"].value == "STT" and sheet["A4"].font.b
        assert sheet.column_dimensions["B"].width > 10
    assert book["Phụ lục"].freeze_panes == "C5"
    field = book["Tuyên truyền, giáo dục"]
    assert [field.cell(5, c).value for c in range(1, 5)] == ["1.1", "Buổi tuyên truyền", "buổi", 57456]


def test_xlsx_sheet_names_are_valid_and_unique(single: ReportDocument) -> None:
    fields = [
        FieldFigures("A", "Lĩnh vực [đặc biệt]: a/b\\c*d?e"),
        FieldFigures("B", "Tổng hợp"),
        FieldFigures("C", "Một tên lĩnh vực rất dài vượt quá ba mươi mốt ký tự"),
        FieldFigures("D", "Một tên lĩnh vực rất dài vượt quá ba mươi mốt ký tự nữa"),
        FieldFigures("E", "'"),
    ]
    book = load_workbook(io.BytesIO(build_xlsx(replace(single, figures=fields))))
    names = book.sheetnames
    assert len({n.casefold() for n in names}) == len(names) == 7
    assert all(len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) for n in names)
    assert "Tổng hợp (2)" in names and "Lĩnh vực 5" in names


def test_xlsx_neutralises_formulas(single: ReportDocument) -> None:
    hostile = ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)", "=1+1", "\t=cmd"]
    doc = replace(
        single,
        bodies=[Body(name="=Hội", abbreviation="X")],
        subject="-Báo cáo",
        period_label="@kỳ",
        figures=[
            FieldFigures(
                "F",
                "=Lĩnh vực",
                [
                    FigureRow("a", "+1", "-2", 1),
                    FigureRow("b", "-2", "@SUM(A1)", 2, previous=1),
                    FigureRow("c", "@SUM(A1)", "=1+1", 3, target=5),
                ],
            )
        ],
        annexes=[
            AnnexTable(
                title="=Phụ lục",
                columns=[("+1", "=u"), ("@SUM(A1)", "-")],
                rows=[('=HYPERLINK("http://x","y")', [1, 2]), ("\t=cmd", [3, 4])],
                totals=[4, 6],
            )
        ],
    )
    book = load_workbook(io.BytesIO(build_xlsx(doc)))
    seen = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), cell.value
                    seen.add(cell.value)
    for value in hostile:
        assert "'" + value in seen
    assert '\'=HYPERLINK("http://x","y")' == book["Phụ lục"]["B5"].value
    # The DOCX shows the same text as it was typed.
    assert '=HYPERLINK("http://x","y")' in Docx(build_docx(doc)).text


# --- Templates -------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", BODY_KINDS)
def test_shipped_templates_are_generated_and_accepted(kind: str) -> None:
    shipped = Path(__file__).resolve().parent.parent / "phoihop" / "documents" / "templates_docx" / f"{kind}.docx"
    assert shipped.read_bytes() == default_template(kind)
    # make_templates writes the same bytes every time: the shipped file is its current output.
    assert make_template(kind) == make_template(kind) == default_template(kind)
    check_template(default_template(kind))


def _edited_template(kind: str, line: str) -> bytes:
    document = Document(io.BytesIO(default_template(kind)))
    document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_uploaded_template_is_used(single: ReportDocument) -> None:
    template = _edited_template("association", "Văn bản này có {{ doc.annexes|length }} phụ lục.")
    check_template(template)
    assert "Văn bản này có 1 phụ lục." in Docx(build_docx(single, template)).text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7 not a Word file", "không phải văn bản Word"),
        (b"", "không phải văn bản Word"),
        (None, "không phải văn bản Word"),  # a zip without a Word document in it
        (_edited_template("state", "Số liệu: {{ unclosed"), "thẻ Jinja sai cú pháp"),
        (_edited_template("state", "{% if joint %}không đóng"), "thẻ Jinja sai cú pháp"),
        (_edited_template("state", "{{ signer.nickname }}"), "biến không có trong dữ liệu"),
    ],
)
def test_check_template_rejects(content: bytes | None, message: str) -> None:
    if content is None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("hello.txt", "xin chào")
        content = out.getvalue()
    with pytest.raises(ValidationError) as error:
        check_template(content)
    assert error.value.messages[0].startswith("Mẫu không hợp lệ: ")
    assert message in error.value.messages[0]


def test_a_document_needs_a_body(single: ReportDocument) -> None:
    with pytest.raises(ValueError):
        build_docx(replace(single, bodies=[]))
    with pytest.raises(ValueError):
        default_template("ministry")


# --- PDF -------------------------------------------------------------------------------------------


def _require_libreoffice() -> None:
    if not pdf.pdf_available():
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) is missing: CI installs libreoffice-writer-nogui")
        pytest.skip("LibreOffice (soffice) is not installed")


@pytest.mark.parametrize("fixture", ["single", "joint"])
def test_pdf_from_docx(fixture: str, request: pytest.FixtureRequest) -> None:
    _require_libreoffice()
    doc: ReportDocument = request.getfixturevalue(fixture)
    data = docx_to_pdf(build_docx(doc))
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", data))
    assert pages >= 2


def test_pdf_unavailable_without_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    assert not pdf.pdf_available()
    with pytest.raises(PdfUnavailable) as error:
        docx_to_pdf(b"PK")
    assert str(error.value) == (
        "Máy chủ chưa cài LibreOffice nên chưa xuất được PDF. Hãy tải bản Word (DOCX) "
        "hoặc nhờ quản trị cài gói libreoffice-writer-nogui."
    )


def test_pdf_failure_and_timeout(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    failing = tmp_path / "soffice-fails"
    failing.write_text("#!/bin/sh\necho broken >&2\nexit 3\n")
    slow = tmp_path / "soffice-hangs"
    slow.write_text("#!/bin/sh\nsleep 30\n")
    for script in (failing, slow):
        script.chmod(0o755)

    monkeypatch.setattr(pdf, "soffice_path", lambda: str(failing))
    with pytest.raises(PdfFailed) as error:
        docx_to_pdf(b"PK")
    assert "mã lỗi 3" in str(error.value) and "broken" in error.value.detail

    monkeypatch.setattr(pdf, "soffice_path", lambda: str(slow))
    with pytest.raises(PdfFailed) as error:
        docx_to_pdf(b"PK", timeout=1)
    assert "sau 1 giây" in str(error.value)


# --- names in the header: lines break between the words of a name ----------------------------------


@pytest.mark.parametrize(
    ("name", "lines"),
    [
        ("Tổng cục Chính trị", ["Tổng cục Chính trị"]),
        ("Trung ương Hội Cựu chiến binh Việt Nam", ["Trung ương Hội", "Cựu chiến binh Việt Nam"]),
        ("Hội Cựu chiến binh tỉnh Cao Bằng", ["Hội Cựu chiến binh", "tỉnh Cao Bằng"]),
        ("Bộ Chỉ huy Quân sự tỉnh Cao Bằng", ["Bộ Chỉ huy Quân sự", "tỉnh Cao Bằng"]),
        ("Hội Cựu chiến binh Thành phố Hồ Chí Minh", ["Hội Cựu chiến binh", "Thành phố Hồ Chí Minh"]),
        ("Hội Cựu chiến binh tỉnh Thừa Thiên Huế", ["Hội Cựu chiến binh", "tỉnh Thừa Thiên Huế"]),
        ("Hội Cựu chiến binh xã Phú Nghĩa huyện Chương Mỹ", ["Hội Cựu chiến binh", "xã Phú Nghĩa", "huyện Chương Mỹ"]),
    ],
)
def test_a_long_name_breaks_between_its_words_never_inside_one(name: str, lines: list[str]) -> None:
    assert header_lines(name) == lines
    width = 7.8 * 72 / 2.54  # the body's column, in points
    assert all(text_width_pt(line.upper(), 13, bold=True) <= width for line in lines)


def test_the_header_writes_a_long_name_in_its_lines(single: ReportDocument) -> None:
    """ "CAO / BẰNG" in the header of a Cao Bằng report: the name comes in lines broken by the
    document itself (w:br), each line a whole part of the name, the short line under the longest."""
    body = replace(single.bodies[0], name="Bộ Chỉ huy Quân sự tỉnh Cao Bằng", parent="Quân khu 1")
    docx = Docx(build_docx(replace(single, bodies=[body])))
    cell = docx.document.find(f"{w('body')}/{w('tbl')}/{w('tr')}/{w('tc')}")
    name = next(p for p in cell.iter(w("p")) if "".join(p.itertext()).startswith("BỘ CHỈ HUY"))
    assert text_with_breaks(name).split("\n") == ["BỘ CHỈ HUY QUÂN SỰ", "TỈNH CAO BẰNG"]
    short_line = name.getnext()
    ind = short_line.find(f"{w('pPr')}/{w('ind')}")
    cell_width = int(cell.find(f"{w('tcPr')}/{w('tcW')}").get(w("w")))
    length = cell_width - int(ind.get(w("left"))) - int(ind.get(w("right")))
    longest = text_width_pt("BỘ CHỈ HUY QUÂN SỰ", 13, bold=True) * 20
    assert longest / 3 <= length <= longest / 2


def test_a_long_signature_title_breaks_between_its_words(single: ReportDocument) -> None:
    """ "PHÓ CHỦ NHIỆM TỔNG CỤC CHÍNH / TRỊ" was what the column's own wrapping gave."""
    body = replace(
        single.bodies[0], signer_capacity="", signer_collective="", signer_title="Phó Chủ nhiệm Tổng cục Chính trị"
    )
    docx = Docx(build_docx(replace(single, bodies=[body])))
    title = next(p for p in docx.document.iter(w("p")) if "".join(p.itertext()).startswith("PHÓ CHỦ NHIỆM"))
    assert text_with_breaks(title).split("\n") == ["PHÓ CHỦ NHIỆM", "TỔNG CỤC CHÍNH TRỊ"]


# --- Decree 30 endings, the drafting office, the official letter (công văn) -------------------


def test_the_body_ends_with_the_end_mark_once() -> None:
    doc = sample_document(children=0)
    text = Docx(build_docx(doc)).text
    assert text.count("./.") == 1
    last = doc.sections[-1].paragraphs[-1].rstrip()
    assert last.rstrip(".") + "./." in text  # "… có hiệu quả./.": the sentence's full stop is the mark's
    # A text that ends with the mark already keeps one; a decision's last article carries it.
    marked = replace(doc, sections=[], figures=[], intro=["Đã xong./."])
    assert Docx(build_docx(marked)).text.count("./.") == 1
    decision = replace(doc, sections=[], figures=[], annexes=[], articles=["Điều 1. Tặng.", "Điều 2. Thi hành"])
    assert "Điều 2. Thi hành./." in Docx(build_docx(decision)).text


def test_the_archive_line_names_the_drafting_office() -> None:
    doc = sample_document(children=0)
    doc = replace(doc, bodies=[replace(doc.bodies[0], office="VP")])
    assert "- Lưu: VT, VP." in Docx(build_docx(doc)).text
    # A list that names its own archive line keeps it.
    own = replace(doc, recipients=["Như trên", "Lưu: VT, TĐKT"])
    text = Docx(build_docx(own)).text
    assert "- Lưu: VT, TĐKT." in text and "Lưu: VT, VP" not in text


def test_an_official_letter_has_its_subject_under_the_number_and_no_title() -> None:
    doc = sample_document(kind="army", children=0)
    body = replace(doc.bodies[0], office="CDV", number=15)
    letter = replace(
        doc,
        bodies=[body],
        doc_type="",
        subject="Báo cáo sơ kết 6 tháng đầu năm 2026",
        period_label="",
        sections=[],
        figures=[],
        annexes=[],
        intro=["Đề nghị các cơ quan, đơn vị báo cáo trước ngày 15/6/2026"],
        addressees=["Cục Chính trị các quân khu", "Bộ Chỉ huy Quân sự các tỉnh, thành phố"],
    )
    docx = Docx(build_docx(letter))
    header = docx.tables()[0]
    assert header[1][0] == "Số: 15/TCCT-CDVV/v báo cáo sơ kết 6 tháng đầu năm 2026"
    assert "BÁO CÁO" not in docx.text  # no type name, no title block
    lines = docx.text.splitlines()
    start = lines.index("Kính gửi:")
    listed = ["- Cục Chính trị các quân khu;", "- Bộ Chỉ huy Quân sự các tỉnh, thành phố."]
    assert lines[start + 1 : start + 3] == listed
    assert "Đề nghị các cơ quan, đơn vị báo cáo trước ngày 15/6/2026./." in docx.text
    listed_annex = ListAnnex(title="DANH SÁCH", headers=["Đơn vị"], shares=[1], rows=[["Quân khu 1"]])
    with_list = Docx(build_docx(replace(letter, lists=[listed_annex])))
    assert "(Kèm theo Công văn số 15/TCCT-CDV ngày 5/1/2026 của Tổng cục Chính trị)" in with_list.text
    one = Docx(build_docx(replace(letter, addressees=["Hội Cựu chiến binh tỉnh Cà Mau"])))
    assert "Kính gửi: Hội Cựu chiến binh tỉnh Cà Mau." in one.text


def test_the_figures_column_says_what_it_counts() -> None:
    doc = sample_document(children=0)
    text = Docx(build_docx(replace(doc, value_label="Giai đoạn 2017–2022"))).text
    assert "Giai đoạn 2017–2022" in text and "Kỳ này" not in text
    assert "Kỳ này" in Docx(build_docx(doc)).text


def test_a_long_signature_title_breaks_between_names_in_up_to_four_lines() -> None:
    lines = header_lines(
        "KT. CHỦ NHIỆM TỔNG CỤC CHÍNH TRỊ QUÂN ĐỘI NHÂN DÂN VIỆT NAM", width_pt=signature_width_pt(True), size=14
    )
    assert " ".join(lines) == "KT. CHỦ NHIỆM TỔNG CỤC CHÍNH TRỊ QUÂN ĐỘI NHÂN DÂN VIỆT NAM"
    assert all(text_width_pt(line, 14, bold=True) <= signature_width_pt(True) for line in lines)
    assert not any(line.endswith(("CHỦ", "QUÂN", "NHÂN")) for line in lines)


def test_side_by_side_signers_names_stand_on_one_line() -> None:
    doc = sample_document(joint=True, children=0)
    long_name = replace(doc.bodies[0], name="Tổng cục Chính trị Quân đội nhân dân Việt Nam")
    context = template_context(replace(doc, bodies=[long_name, doc.bodies[1]]))
    left, right = context["signer_left"], context["signer_right"]

    def lines(signer: dict[str, str]) -> int:
        return len(signer["capacity"].split("\n")) + len(signer["title"].split("\n"))

    assert lines(left) == lines(right)
    assert lines(right) == 4 and right["title"] == "PHÓ CHỦ NHIỆM"  # a capacity of 3 lines, the title
    assert left["title"] == "CHỦ TỊCH\n"  # the shorter block is padded under its title
