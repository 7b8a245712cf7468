"""The invitation (giấy mời) and the notice of conclusions (thông báo kết luận) of a conference,
as Word documents in the administrative format of Decree 30 (A4, Times New Roman 13–14)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from phoihop.conferences.models import CoChair, Conference
from phoihop.conferences.selectors import (
    hour_words,
    join_vi,
    missing_for_invitation,
    news_summary,
    person_phrase,
    time_line,
    venue_line,
)
from phoihop.core.demo import demo_watermark
from phoihop.core.text import fold
from phoihop.documents.watermark import add_watermark
from phoihop.orgunits.models import OrgUnit

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Times New Roman"


class NotReady(ValidationError):
    """The record lacks what the document must say: it is not built (the message says what to add)."""


@dataclass(frozen=True)
class Built:
    content: bytes
    filename: str
    content_type: str = DOCX_TYPE


def _abbreviation(unit: OrgUnit) -> str:
    profile = getattr(unit, "body_profile", None)
    if profile is not None and profile.abbreviation:
        return str(profile.abbreviation)
    return unit.code


def _organisers(conference: Conference) -> list[OrgUnit]:
    return sorted(conference.organisers.all(), key=lambda u: (u.organisation_id, u.path))


def _line(
    target: Paragraph | _Cell,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float = 13,
    align: int | None = None,
    first: bool = False,
) -> Paragraph:
    paragraph = target.paragraphs[0] if first and isinstance(target, _Cell) else target.add_paragraph()  # type: ignore[union-attr]
    run = paragraph.add_run(text)
    run.bold, run.italic, run.font.size, run.font.name = bold, italic, Pt(size), FONT
    run._element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    if align is not None:
        paragraph.alignment = align  # type: ignore[assignment]
    paragraph.paragraph_format.space_after = Pt(0)
    return paragraph


def _new_document() -> Document:  # type: ignore[valid-type]
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(14)  # type: ignore[attr-defined]
    return document


def _header(document: Document, conference: Conference, type_code: str) -> None:  # type: ignore[valid-type]
    organisers = _organisers(conference)
    table = document.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Cm(7.5), Cm(9)
    for i, unit in enumerate(organisers):
        _line(left, unit.name.upper(), bold=True, size=12.5, align=WD_ALIGN_PARAGRAPH.CENTER, first=i == 0)
    codes = "-".join(_abbreviation(u) for u in organisers)
    _line(left, f"Số:       /{type_code}-{codes}", size=13, align=WD_ALIGN_PARAGRAPH.CENTER)
    _line(
        right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12.5, align=WD_ALIGN_PARAGRAPH.CENTER, first=True
    )
    _line(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13, align=WD_ALIGN_PARAGRAPH.CENTER)
    _line(right, "")
    day = conference.held_on
    _line(
        right,
        f"{conference.place}, ngày      tháng      năm {day.year}",
        italic=True,
        size=13,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )


def _body(document: Document, text: str, *, bold: bool = False) -> Paragraph:  # type: ignore[valid-type]
    paragraph = _line(document, text, bold=bold, size=14, align=WD_ALIGN_PARAGRAPH.JUSTIFY)  # type: ignore[arg-type]
    paragraph.paragraph_format.first_line_indent = Cm(1)
    paragraph.paragraph_format.space_after = Pt(6)
    return paragraph


def _chair_of(unit: OrgUnit, cochairs: list[CoChair]) -> CoChair | None:
    for cochair in cochairs:
        person_unit = cochair.person.unit
        if person_unit is not None and person_unit.path.startswith(unit.path):
            return cochair
    return None


def _signatures(document: Document, conference: Conference) -> None:  # type: ignore[valid-type]
    organisers = _organisers(conference)
    cochairs = list(conference.cochairs.select_related("person__unit"))
    _line(document, "")  # type: ignore[arg-type]
    table = document.add_table(rows=1, cols=max(len(organisers), 1))  # type: ignore[attr-defined]
    for cell, unit in zip(table.rows[0].cells, organisers, strict=False):
        _line(
            cell,
            f"TM. {unit.short_name or unit.name}".upper(),
            bold=True,
            size=13,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            first=True,
        )
        chair = _chair_of(unit, cochairs)
        if chair is not None and chair.positions_at_event:
            _line(cell, chair.positions_at_event[-1].upper(), bold=True, size=13, align=WD_ALIGN_PARAGRAPH.CENTER)
        for _blank in range(4):
            _line(cell, "")
        if chair is not None:
            name = f"{chair.rank_at_event_label} {chair.person.full_name}".strip()
            _line(cell, name, bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)


def _recipients(document: Document, lines: list[str]) -> None:  # type: ignore[valid-type]
    _line(document, "")  # type: ignore[arg-type]
    _line(document, "Nơi nhận:", bold=True, italic=True, size=12)  # type: ignore[arg-type]
    for text in lines:
        _line(document, text, size=11)  # type: ignore[arg-type]


def _save(document: Document, stem: str, conference: Conference) -> Built:  # type: ignore[valid-type]
    add_watermark(document, demo_watermark())  # documents built from the demo data (phoihop.core.demo)
    buffer = io.BytesIO()
    document.save(buffer)  # type: ignore[attr-defined]
    slug = fold(conference.title).replace(" ", "-")[:60].strip("-")
    return Built(buffer.getvalue(), f"{stem}-{conference.held_on:%Y%m%d}-{slug}.docx")


def _organiser_names(conference: Conference) -> str:
    names = [u.name for u in _organisers(conference)]
    return " và ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + " và " + names[-1]


def check_invitation(conference: Conference) -> None:
    """An invitation names the hour and the venue: without them it is refused."""
    missing = missing_for_invitation(conference)
    if missing:
        raise NotReady(
            _(
                "Chưa tạo được giấy mời: hồ sơ hội nghị chưa ghi %(missing)s. "
                "Hãy bổ sung ở trang “Sửa hội nghị” rồi tải lại."
            )
            % {"missing": join_vi(missing)}
        )


def check_notice(conference: Conference) -> None:
    """A notice of conclusions carries the conclusions: without them it is refused."""
    if not conference.conclusion_points:
        raise NotReady(
            _(
                "Chưa tạo được thông báo kết luận: hồ sơ hội nghị chưa ghi các điểm kết luận. "
                "Hãy ghi ở trang “Sửa hội nghị” (mỗi điểm một dòng) rồi tải lại."
            )
        )


def build_invitation(conference: Conference) -> Built:
    check_invitation(conference)
    document = _new_document()
    _header(document, conference, "GM")
    _line(document, "")  # type: ignore[arg-type]
    _line(document, "GIẤY MỜI", bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)  # type: ignore[arg-type]
    _line(document, f"Dự {conference.title}", bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)  # type: ignore[arg-type]
    _line(document, "")  # type: ignore[arg-type]
    invited = _body(document, f"{_organiser_names(conference)} trân trọng kính mời: ……………………………………………")
    invited.alignment = WD_ALIGN_PARAGRAPH.LEFT  # a dotted line to fill in: not stretched
    _body(document, f"Tới dự {conference.title}.")
    _body(document, f"Thời gian: {time_line(conference)}.")
    _body(document, f"Địa điểm: {venue_line(conference)}.")
    cochairs = list(conference.cochairs.select_related("person"))
    if cochairs:
        names = [f"{c.rank_at_event_label} {c.person.full_name}".strip() for c in cochairs]
        _body(document, "Đồng chủ trì: " + "; ".join(names) + "." if len(names) > 1 else f"Chủ trì: {names[0]}.")
    items = list(conference.agenda_items.all())
    if items:
        _body(document, "Nội dung:")
        for number, item in enumerate(items, start=1):
            at = f"{hour_words(item.at)}: " if item.at else ""
            by = f" ({item.presenter})" if item.presenter else ""
            _body(document, f"{number}. {at}{item.item.rstrip('.')}{by}.")
    _body(document, "Rất mong đồng chí đến dự đúng thời gian./.")
    _signatures(document, conference)
    _recipients(document, ["- Như trên;", "- Lưu: VT."])
    return _save(document, "giay-moi", conference)


def build_notice(conference: Conference) -> Built:
    check_notice(conference)
    document = _new_document()
    _header(document, conference, "TB")
    _line(document, "")  # type: ignore[arg-type]
    _line(document, "THÔNG BÁO", bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)  # type: ignore[arg-type]
    _line(document, f"Kết luận của {conference.title}", bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)  # type: ignore[arg-type]
    _line(document, "")  # type: ignore[arg-type]
    summary = news_summary(conference)
    _body(document, summary.lead)
    cochairs = list(conference.cochairs.select_related("person"))
    if cochairs:
        phrases = [person_phrase(c.person.full_name, c.rank_at_event, list(c.positions_at_event)) for c in cochairs]
        verb = "đồng chủ trì" if len(phrases) > 1 else "chủ trì"
        _body(document, f"{join_vi(phrases)} {verb} Hội nghị.")
    intro = conference.conclusions_intro.strip() or (
        "Sau khi nghe báo cáo, các tham luận và ý kiến phát biểu của các đại biểu, Hội nghị kết luận như sau:"
    )
    for paragraph in [p for p in intro.splitlines() if p.strip()]:
        _body(document, paragraph.strip())
    for number, point in enumerate(conference.conclusion_points, start=1):
        _body(document, f"{number}. {point}")
    _body(document, f"{_organiser_names(conference)} thông báo để các cơ quan, đơn vị biết, thực hiện./.")
    _signatures(document, conference)
    _recipients(document, ["- Các cơ quan, đơn vị dự Hội nghị;", "- Lưu: VT."])
    return _save(document, "thong-bao-ket-luan", conference)


def build_bulletin(conference: Conference) -> Built:
    """The bản tin: the news article of the conference, on one A4 page (Times New Roman)."""
    summary = news_summary(conference)
    document = _new_document()
    section = document.sections[0]  # type: ignore[attr-defined]
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(2.5), Cm(2)
    title = _line(document, summary.headline, bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)  # type: ignore[arg-type]
    title.paragraph_format.space_after = Pt(8)
    for number, text in enumerate([summary.lead, *summary.paragraphs]):
        paragraph = _line(document, text, bold=number == 0, size=12.5, align=WD_ALIGN_PARAGRAPH.JUSTIFY)  # type: ignore[arg-type]
        paragraph.paragraph_format.first_line_indent = Cm(1)
        paragraph.paragraph_format.space_after = Pt(3)
        paragraph.paragraph_format.line_spacing = 1.05
    return _save(document, "ban-tin", conference)
