"""Generate the shipped Word templates, one per kind of issuing body.

    .venv/bin/python -m phoihop.documents.make_templates

writes ``templates_docx/{state,army,association,party}.docx``: A4, Decree 30/2020/NĐ-CP margins
and fonts, the page number centred in the header from page 2 on, and the Jinja tags docxtpl
fills (README.md lists the variables). The output is byte-for-byte the same on every run.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt, Twips
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from phoihop.documents.builders import (
    BODY_COLUMN_CM,
    SHORT_LINE_STYLE,
    TEMPLATES_DIR,
    TEXT_WIDTH,
    TWIPS_PER_CM,
    text_width_pt,
)
from phoihop.documents.data import BODY_KINDS

FONT = "Times New Roman"
LINE_STYLE = "PHDuongKe"  # a line of fixed length (under the motto)
# The header table is a little wider than the text (as in most offices' templates), so that the
# national title and a body name like "HỘI CỰU CHIẾN BINH VIỆT NAM" each fit on one line.
HEADER_INDENT = -round(0.8 * TWIPS_PER_CM)
LEFT_COLUMN = round(BODY_COLUMN_CM * TWIPS_PER_CM)  # the issuing body's column
RIGHT_COLUMN = round(9.8 * TWIPS_PER_CM)  # the national title's column
FIXED_TIME = datetime(2026, 1, 1, 0, 0, 0)
MOTTO = "Độc lập - Tự do - Hạnh phúc"
CENTER = WD_ALIGN_PARAGRAPH.CENTER
LEFT = WD_ALIGN_PARAGRAPH.LEFT


def _fonts_element() -> str:
    return f'<w:rFonts {nsdecls("w")} w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'


def _setup_styles(document: DocumentObject) -> None:
    """Times New Roman, black, 14 pt everywhere; no theme fonts or colours left in any style."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    defaults.find(qn("w:rPrDefault")).getparent().replace(
        defaults.find(qn("w:rPrDefault")),
        parse_xml(
            f'<w:rPrDefault {nsdecls("w")}><w:rPr>{_fonts_element()}<w:color w:val="000000"/>'
            '<w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="vi-VN" w:eastAsia="vi-VN" w:bidi="ar-SA"/>'
            "</w:rPr></w:rPrDefault>"
        ),
    )
    defaults.replace(
        defaults.find(qn("w:pPrDefault")),
        parse_xml(
            f'<w:pPrDefault {nsdecls("w")}><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
            "</w:pPr></w:pPrDefault>"
        ),
    )
    for fonts in styles.iter(qn("w:rFonts")):
        for attr in list(fonts.attrib):
            if attr.endswith("Theme") or attr.endswith("theme"):
                del fonts.attrib[attr]
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), FONT)
    for color in styles.iter(qn("w:color")):
        for attr in list(color.attrib):
            del color.attrib[attr]
        color.set(qn("w:val"), "000000")

    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:cs"), FONT)

    for style_id, name in ((SHORT_LINE_STYLE, "PH Đường kẻ ngắn"), (LINE_STYLE, "PH Đường kẻ")):
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.style_id = style_id
        style.base_style = normal
        style.element.append(
            parse_xml(
                f'<w:pPr {nsdecls("w")}><w:keepNext/><w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" '
                'w:color="000000"/></w:pBdr><w:spacing w:before="0" w:after="0" w:line="80" w:lineRule="exact"/>'
                '<w:jc w:val="center"/></w:pPr>'
            )
        )
        style.element.append(parse_xml(f'<w:rPr {nsdecls("w")}><w:sz w:val="4"/><w:szCs w:val="4"/></w:rPr>'))

    theme = next(p for p in document.part.package.iter_parts() if p.partname == "/word/theme/theme1.xml")
    blob = theme.blob.replace(b'<a:latin typeface="Calibri"', f'<a:latin typeface="{FONT}"'.encode())
    theme._blob = blob.replace(b'<a:latin typeface="Cambria"', f'<a:latin typeface="{FONT}"'.encode())  # type: ignore[attr-defined]


def _setup_page(document: DocumentObject) -> None:
    """A4; margins top and bottom 20 mm, left 30 mm, right 15 mm; page numbers from page 2, centred at the top."""
    section = document.sections[0]
    section.page_width, section.page_height = Twips(11906), Twips(16838)
    section.top_margin = section.bottom_margin = Twips(1134)
    section.left_margin, section.right_margin = Twips(1701), Twips(850)
    section.header_distance = section.footer_distance = Twips(567)
    section.different_first_page_header_footer = True  # <w:titlePg/>: page 1 has its own, empty header
    section.first_page_header.is_linked_to_previous = False
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.alignment = CENTER
    paragraph._p.append(
        parse_xml(
            f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:rPr><w:sz w:val="28"/></w:rPr>'
            "<w:t>2</w:t></w:r></w:fldSimple>"
        )
    )


def _para(
    where: DocumentObject | _Cell,
    text: str = "",
    *,
    size: float | None = None,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align: int = CENTER,
    before: float = 0,
    after: float = 0,
    style: str | None = None,
) -> Paragraph:
    """A paragraph of one run; a table cell's first call fills the paragraph the cell starts with."""
    first = where.paragraphs[0] if isinstance(where, _Cell) else None
    if first is not None and not first.runs and first.style.name == "Normal" and len(where.paragraphs) == 1:
        paragraph = first
        if style:
            paragraph.style = where.part.document.styles[style]  # type: ignore[attr-defined]
    else:
        paragraph = where.add_paragraph(style=style)
    paragraph.alignment = align  # type: ignore[assignment]
    paragraph.paragraph_format.space_before = Pt(before)
    paragraph.paragraph_format.space_after = Pt(after)
    if text:
        run = paragraph.add_run(text)
        run.bold = bold or None
        run.italic = italic or None
        run.underline = underline or None
        if size:
            run.font.size = Pt(size)
    return paragraph


def _tag(where: DocumentObject | _Cell, tag: str) -> None:
    """A paragraph holding only a docxtpl paragraph tag ({%p ... %}); it disappears when rendered."""
    _para(where, tag, align=LEFT)


def _line(where: DocumentObject | _Cell, style: str, length: int, width: int, after: float = 0) -> None:
    """A short horizontal line: the bottom border of an empty paragraph, indented to its length."""
    paragraph = _para(where, style={SHORT_LINE_STYLE: "PH Đường kẻ ngắn", LINE_STYLE: "PH Đường kẻ"}[style])
    indent = Twips(max((width - length) // 2, 0))
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = indent
    paragraph.paragraph_format.space_before = None
    paragraph.paragraph_format.space_after = Pt(after) if after else None


def _borderless_table(document: DocumentObject, rows: int, widths: list[int], indent: int = 0) -> Table:
    """A table without borders or cell margins, of fixed column widths (twips), shifted by ``indent``."""
    table = document.add_table(rows=rows, cols=len(widths))
    nil = "".join(f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    table._tbl.replace(
        table._tbl.tblPr,
        parse_xml(
            f'<w:tblPr {nsdecls("w")}><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
            f'<w:tblInd w:w="{indent}" w:type="dxa"/><w:tblBorders>{nil}</w:tblBorders><w:tblLayout w:type="fixed"/>'
            '<w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>'
            '<w:tblLook w:val="0000"/></w:tblPr>'
        ),
    )
    for col, width in zip(table.columns, widths, strict=True):
        col.width = Twips(width)
        for cell in col.cells:
            cell.width = Twips(width)
    for row in table.rows:
        row._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
    return table


def _header_table(document: DocumentObject, kind: str) -> None:
    """Page 1's top: issuing body(ies) and number at the left; national title (or the party's) and date at the right."""
    table = _borderless_table(document, 2, [LEFT_COLUMN, RIGHT_COLUMN], HEADER_INDENT)
    body, title = table.cell(0, 0), table.cell(0, 1)
    size = 14 if kind == "party" else 13
    _tag(body, "{%p for b in issuers %}")
    _tag(body, "{%p if b.parent %}")
    _para(body, "{{ b.parent|upper }}", size=size)
    _tag(body, "{%p endif %}")
    _para(body, "{{ b.name|upper }}", size=size, bold=True)
    if kind == "party":
        _para(body, "*", size=size)
    else:
        _line(body, SHORT_LINE_STYLE, round(2.6 * TWIPS_PER_CM), LEFT_COLUMN, after=4)
    _tag(body, "{%p endfor %}")

    if kind == "party":
        _para(title, "ĐẢNG CỘNG SẢN VIỆT NAM", size=15, bold=True, underline=True)
    else:
        _para(title, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=13, bold=True)
        _para(title, MOTTO, size=14, bold=True)
        _line(title, LINE_STYLE, round(text_width_pt(MOTTO, 14, bold=True) * 20), RIGHT_COLUMN)

    _para(table.cell(1, 0), "{{ number_line }}", size=size, before=3)
    _tag(table.cell(1, 0), "{%p if letter_subject %}")
    _para(table.cell(1, 0), "{{ letter_subject }}", size=12, before=3)
    _tag(table.cell(1, 0), "{%p endif %}")
    _para(table.cell(1, 1), "{{ date_line }}", size=14, italic=True, before=3)


def _signature(cell: _Cell, signer: str, kind: str) -> None:
    """A signature block: capacity (TM., KT.), title, room to sign and stamp, the name (army: rank first)."""
    _tag(cell, f"{{%p if {signer}.capacity %}}")
    _para(cell, f"{{{{ {signer}.capacity }}}}", size=14, bold=True, before=6)
    _tag(cell, "{%p endif %}")
    _para(cell, f"{{{{ {signer}.title }}}}", size=14, bold=True)
    for _ in range(4):
        _para(cell, "", size=14)
    if kind == "army":
        name = f"{{% if {signer}.rank %}}{{{{ {signer}.rank }}}} {{% endif %}}{{{{ {signer}.name }}}}"
    else:
        name = f"{{{{ {signer}.name }}}}"
    _para(cell, name, size=14, bold=True, after=6)


def _recipients(where: DocumentObject | _Cell, kind: str) -> None:
    """ "Nơi nhận:" and the list; party documents underline the heading (Hướng dẫn 36-HD/VPTW)."""
    if kind == "party":
        _para(where, "Nơi nhận:", size=14, underline=True, align=LEFT, before=6)
    else:
        _para(where, "Nơi nhận:", size=12, bold=True, italic=True, align=LEFT, before=6)
    _tag(where, "{%p for r in recipients %}")
    _para(where, "- {{ r }}{% if loop.last %}.{% else %};{% endif %}", size=12 if kind == "party" else 11, align=LEFT)
    _tag(where, "{%p endfor %}")


def _normalised(docx: bytes) -> bytes:
    """The same package with fixed timestamps, so that every run writes identical bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def make_template(kind: str) -> bytes:
    """The Word template of a kind of issuing body, as .docx bytes."""
    if kind not in BODY_KINDS:
        raise ValueError(f"unknown body kind: {kind}")
    document = Document()
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    _setup_styles(document)
    _setup_page(document)
    package = document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rid]

    _header_table(document, kind)
    _tag(document, "{%p if doc_type %}")  # an official letter has no type name nor title block
    _para(document, "{{ doc_type|upper }}", size=14, bold=True, before=24)
    _para(document, "{{ subject }}", size=14, bold=True)
    _tag(document, "{%p if period_line %}")
    _para(document, "{{ period_line }}", size=14, italic=True)
    _tag(document, "{%p endif %}")
    _line(document, SHORT_LINE_STYLE, round(3 * TWIPS_PER_CM), TEXT_WIDTH)
    _tag(document, "{%p endif %}")
    _tag(document, "{%p if watermark_note %}")
    _para(document, "{{ watermark_note }}", size=13, italic=True, before=3)
    _tag(document, "{%p endif %}")
    _para(document, "", after=6)
    _para(document, "{{p body }}", align=LEFT)

    _tag(document, "{%p if joint %}")
    joint = _borderless_table(document, 1, [TEXT_WIDTH // 2, TEXT_WIDTH - TEXT_WIDTH // 2])
    _signature(joint.cell(0, 0), "signer_left", kind)
    _signature(joint.cell(0, 1), "signer_right", kind)
    _recipients(document, kind)
    _tag(document, "{%p else %}")
    single = _borderless_table(document, 1, [round(7 * TWIPS_PER_CM), TEXT_WIDTH - round(7 * TWIPS_PER_CM)])
    _recipients(single.cell(0, 0), kind)
    _signature(single.cell(0, 1), "signer", kind)
    _tag(document, "{%p endif %}")
    _para(document, "{{p annexes }}", align=LEFT)
    _para(document, "", size=1)  # a document ends with a paragraph, not a table

    props = document.core_properties
    props.title = f"Mẫu báo cáo ({kind})"
    props.author = props.last_modified_by = "phoihop"
    props.comments = "Mẫu văn bản theo Nghị định 30/2020/NĐ-CP; các biến Jinja được mô tả trong README.md."
    props.created = props.modified = FIXED_TIME
    props.revision = 1
    out = io.BytesIO()
    document.save(out)
    return _normalised(out.getvalue())


def main() -> None:
    TEMPLATES_DIR.mkdir(exist_ok=True)
    for kind in BODY_KINDS:
        path = TEMPLATES_DIR / f"{kind}.docx"
        path.write_bytes(make_template(kind))
        print(path)


if __name__ == "__main__":
    main()
