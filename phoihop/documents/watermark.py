"""A faint diagonal watermark on every page of a DOCX ("BẢN MINH HỌA" on documents built from
the demo data), made as Word makes its own: a WordArt (VML text path) shape in each header
part, light grey and half transparent, turned 315°, centred on the page's text area and
behind the text. LibreOffice reads it as a watermark and keeps it in the PDF.

``add_watermark(document, text)`` works on a python-docx ``Document``; ``watermark_docx(data,
text)`` on the bytes of a DOCX. An empty ``text`` leaves the document as it is, so a caller
passes what it was given (``phoihop.core.demo.demo_watermark()``) without a condition.
"""

from __future__ import annotations

import io
from itertools import count
from typing import Any
from xml.sax.saxutils import quoteattr

from docx import Document
from docx.oxml import parse_xml

VML = "urn:schemas-microsoft-com:vml"
OFFICE = "urn:schemas-microsoft-com:office:office"
WORD10 = "urn:schemas-microsoft-com:office:word"
# The name Word gives its watermark shapes; LibreOffice recognises it as a watermark.
SHAPE_NAME = "PowerPlusWaterMarkObject"
COLOUR = "silver"  # #C0C0C0, Word's "semitransparent" watermark colour
OPACITY = ".5"
MAX_WIDTH_PT = 430.0  # the diagonal of the text area of A4 with Decree 30's margins, with room to spare


def _shape_xml(text: str, number: int) -> str:
    # Fit the text to the shape: the width follows the text, capped; the height keeps the
    # letters' proportions (capitals with Vietnamese marks above and below).
    from phoihop.documents.builders import text_width_pt  # builders uses this module

    natural = max(text_width_pt(text, 100, bold=True), 1.0)
    width = min(MAX_WIDTH_PT, natural * 1.2)
    height = width * 120 / natural
    style = (
        f"position:absolute;margin-left:0;margin-top:0;width:{width:.1f}pt;height:{height:.1f}pt;"
        "rotation:315;z-index:-251654144;mso-wrap-edited:f;"
        "mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
        "mso-position-vertical:center;mso-position-vertical-relative:margin"
    )
    return (
        f'<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        f'xmlns:v="{VML}" xmlns:o="{OFFICE}" xmlns:w10="{WORD10}">'
        "<w:rPr><w:noProof/></w:rPr><w:pict>"
        '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
        'path="m@7,l@8,m@5,21600l@6,21600e">'
        "<v:formulas>"
        '<v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/>'
        '<v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/>'
        '<v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/>'
        '<v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/>'
        '<v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/>'
        "</v:formulas>"
        '<v:path textpathok="t" o:connecttype="custom" '
        'o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>'
        '<v:textpath on="t" fitshape="t"/>'
        '<v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles>'
        '<o:lock v:ext="edit" text="t" shapetype="t"/>'
        "</v:shapetype>"
        f'<v:shape id="{SHAPE_NAME}{number}" o:spid="_x0000_s{2048 + number}" type="#_x0000_t136" '
        f'style="{style}" o:allowincell="f" fillcolor="{COLOUR}" stroked="f">'
        f'<v:fill opacity="{OPACITY}"/>'
        f'<v:textpath style="font-family:&quot;Times New Roman&quot;;font-size:1pt;font-weight:bold" '
        f"string={quoteattr(text)}/>"
        '<w10:wrap anchorx="margin" anchory="margin"/>'
        "</v:shape></w:pict></w:r>"
    )


def _headers(document: Any) -> list[Any]:
    """Every header part a page can show: the default one, the first page's (``titlePg``) and
    the even pages' when the document has them. A later section linked to the one before
    shows that one's headers, already marked."""
    headers = []
    even = bool(document.settings.odd_and_even_pages_header_footer)
    for index, section in enumerate(document.sections):
        kinds = [section.header]
        if section.different_first_page_header_footer:
            kinds.append(section.first_page_header)
        if even:
            kinds.append(section.even_page_header)
        for header in kinds:
            if index and header.is_linked_to_previous:
                continue
            header.is_linked_to_previous = False  # the first section's missing header gets a part
            headers.append(header)
    return headers


def add_watermark(document: Any, text: str) -> None:
    """Put ``text`` as a diagonal watermark on every page of a python-docx ``Document``."""
    text = " ".join(text.split())
    if not text:
        return
    numbers = count(1)
    for header in _headers(document):
        paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
        paragraph._p.append(parse_xml(_shape_xml(text, next(numbers))))


def watermark_docx(data: bytes, text: str) -> bytes:
    """The DOCX ``data`` with ``text`` as a watermark on every page (``data`` itself when ``text`` is empty)."""
    if not " ".join(text.split()):
        return data
    document = Document(io.BytesIO(data))
    add_watermark(document, text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def watermark_of(data: bytes) -> str:
    """The watermark text of a DOCX ("" when it has none): the check the tests and callers share."""
    document = Document(io.BytesIO(data))
    for header in _existing_headers(document):
        for shape in header._element.iter(f"{{{VML}}}shape"):
            if (shape.get("id") or "").startswith(SHAPE_NAME):
                path = shape.find(f"{{{VML}}}textpath")
                if path is not None and path.get("string"):
                    return str(path.get("string"))
    return ""


def _existing_headers(document: Any) -> list[Any]:
    found = []
    for section in document.sections:
        for header in (section.header, section.first_page_header, section.even_page_header):
            if not header.is_linked_to_previous:
                found.append(header)
    return found
