"""The documents of a conference: its invitation (giấy mời), its notice of conclusions (thông
báo kết luận) and its plan (kế hoạch tổ chức), in the administrative format of Decree 30/2020,
and its bản tin (a news article, not an issued document).

The invitation, the notice and the plan are ``ReportDocument``s built by the documents'
builders (``phoihop.documents.builders.build_docx``, the Word templates of each kind of body):
the header with the body above, the lines under the body, the motto and the subject, page
numbers from page 2, the signature blocks and "Nơi nhận" are the template's, as in every
report and decision. A conference of two organisers issues them jointly: each organiser's body
(``reporting.documents.body_for``), the first organiser's on the right of the signatures; each
signs by its co-chair, in the capacity its register of signatories gives
(``reporting.authority.signer_for``). They are not numbered here: the number is left blank for
the clerk, who takes it from the body's register when the document is issued.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from phoihop.conferences.models import CoChair, Conference, ConferenceKind, Delegate
from phoihop.conferences.selectors import (
    KIND_NOUN,
    attendance_paragraphs,
    day_words,
    hour_words,
    join_vi,
    missing_for_invitation,
    news_lead,
    news_summary,
    person_phrase,
    time_line,
    venue_line,
)
from phoihop.core.demo import demo_watermark
from phoihop.core.text import fold
from phoihop.documents.data import Body, ReportDocument, Section
from phoihop.documents.watermark import add_watermark
from phoihop.orgunits.models import OrgUnit
from phoihop.reporting.authority import signer_for
from phoihop.reporting.documents import body_for, issuing_unit

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"
FORMATS = {"docx": DOCX_TYPE, "pdf": PDF_TYPE}
FONT = "Times New Roman"
# An invitation or a plan of a conference already held is dated this many days before it (the
# record keeps no issue date); one made before the conference is dated the day it is made.
INVITATION_DAYS_BEFORE = 7
PLAN_DAYS_BEFORE = 30


class NotReady(ValidationError):
    """The record lacks what the document must say: it is not built (the message says what to add)."""


@dataclass(frozen=True)
class Built:
    content: bytes
    filename: str
    content_type: str = DOCX_TYPE


# --- who issues and signs ------------------------------------------------------------------------


def organisers(conference: Conference) -> list[OrgUnit]:
    """The organisers in the order their bodies stand on the documents (the army's first)."""
    return sorted(conference.organisers.all(), key=lambda u: (u.organisation_id, u.path))


def chair_of(unit: OrgUnit, cochairs: list[CoChair]) -> CoChair | None:
    """The co-chair of ``unit``'s tree: the one who signs for that organiser."""
    for cochair in cochairs:
        person_unit = cochair.person.unit
        if person_unit is not None and person_unit.path.startswith(unit.path):
            return cochair
    return None


def _signer(unit: OrgUnit, day: date, chair: CoChair | None) -> dict[str, str]:
    """The organiser's signer: its co-chair as the body's register of signatories writes him
    (capacity, title, rank) on ``day``; a co-chair the register does not hold signs with the
    position and rank of the conference's day; no co-chair: the body's head of that day."""
    if chair is not None:
        found = signer_for(unit, day, name=chair.person.full_name)
        if found is not None:
            return found
        positions = [p for p in chair.positions_at_event if p]
        return {
            "capacity": "",
            "collective": "",
            "title": positions[-1] if positions else "",
            "rank": chair.rank_at_event_label,
            "name": chair.person.full_name,
        }
    return signer_for(unit, day) or {}


def _bodies(conference: Conference, day: date) -> list[Body]:
    cochairs = list(conference.cochairs.select_related("person__unit"))
    return [body_for(unit, _signer(unit, day, chair_of(unit, cochairs)), None) for unit in organisers(conference)]


def _issued_on(conference: Conference, days_before: int) -> date:
    """An invitation's or plan's date: today while the conference is ahead, else ``days_before`` it."""
    today = timezone.localdate()
    return today if today < conference.held_on else conference.held_on - timedelta(days=days_before)


def _organiser_names(conference: Conference) -> str:
    return join_vi([u.name for u in organisers(conference)])


def _document(
    conference: Conference,
    *,
    issued_on: date,
    doc_type: str,
    type_code: str,
    subject: str,
    stem: str,
    intro: list[str],
    recipients: list[str],
    sections: list[Section] | None = None,
) -> ReportDocument:
    return ReportDocument(
        bodies=_bodies(conference, issued_on),
        place=conference.place,
        issued_on=issued_on,
        subject=subject,
        period_label="",
        doc_type=doc_type,
        type_code=type_code,
        intro=intro,
        sections=sections or [],
        recipients=recipients,
        title=f"{stem} {conference.held_on:%Y%m%d} {conference.title}",
        watermark=demo_watermark(),  # documents built from the demo data (phoihop.core.demo)
    )


def _chairs_line(conference: Conference) -> str:
    """ "Đồng chủ trì: Thiếu tướng Nguyễn Văn Gấu, Phó Chủ nhiệm …; Trung tướng …" ("" without co-chairs)."""
    cochairs = list(conference.cochairs.select_related("person"))
    if not cochairs:
        return ""
    names = [person_phrase(c.person.full_name, c.rank_at_event, list(c.positions_at_event)) for c in cochairs]
    return (_("Đồng chủ trì: %(names)s.") if len(names) > 1 else _("Chủ trì: %(names)s.")) % {"names": "; ".join(names)}


def _agenda_lines(conference: Conference) -> list[str]:
    lines = []
    for number, item in enumerate(conference.agenda_items.all(), start=1):
        at = f"{hour_words(item.at)}: " if item.at else ""
        by = f" ({item.presenter})" if item.presenter else ""
        lines.append(f"{number}. {at}{item.item.rstrip('.')}{by}.")
    return lines


# --- the invitation ----------------------------------------------------------------------------


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


def invitation_document(conference: Conference) -> ReportDocument:
    """The invitation: who invites to what, "Kính mời", the hour, the venue, the chairs, the programme."""
    check_invitation(conference)
    intro = [
        _("%(who)s tổ chức %(what)s.") % {"who": _organiser_names(conference), "what": conference.title},
        # A dotted line the clerk fills with each guest's name: short enough for one line, never stretched.
        _("Trân trọng kính mời: ………………………………………"),
        _("Tới dự Hội nghị."),
        _("Thời gian: %(time)s.") % {"time": time_line(conference)},
        _("Địa điểm: %(venue)s.") % {"venue": venue_line(conference)},
    ]
    chairs = _chairs_line(conference)
    if chairs:
        intro.append(chairs)
    agenda = _agenda_lines(conference)
    if agenda:
        intro += [_("Nội dung, chương trình Hội nghị:"), *agenda]
    intro.append(_("Rất mong đồng chí đến dự đúng thời gian."))
    return _document(
        conference,
        issued_on=_issued_on(conference, INVITATION_DAYS_BEFORE),
        doc_type="GIẤY MỜI",
        type_code="GM",
        subject=_("Dự %(what)s") % {"what": conference.title},
        stem="giay-moi",
        intro=intro,
        recipients=[_("Như trên"), _("Lưu: VT")],
    )


# --- the notice of conclusions --------------------------------------------------------------------


def check_notice(conference: Conference) -> None:
    """A notice of conclusions carries the conclusions: without them it is refused."""
    if not conference.conclusion_points:
        raise NotReady(
            _(
                "Chưa tạo được thông báo kết luận: hồ sơ hội nghị chưa ghi các điểm kết luận. "
                "Hãy ghi ở trang “Sửa hội nghị” (mỗi điểm một dòng) rồi tải lại."
            )
        )


def _concluding(conference: Conference) -> str:
    """Whose conclusions: "đồng chủ trì" of two or more co-chairs, else the chair by rank and name."""
    cochairs = list(conference.cochairs.select_related("person"))
    if len(cochairs) == 1:
        chair = cochairs[0]
        return f"{chair.rank_at_event_label or _('đồng chí')} {chair.person.full_name}"
    return _("đồng chủ trì")


def notice_document(conference: Conference) -> ReportDocument:
    """The notice: when and where, who chaired and came, the introduction, the numbered conclusions."""
    check_notice(conference)
    intro = [news_lead(conference), *attendance_paragraphs(conference)]
    lead = conference.conclusions_intro.strip() or _(
        "Sau khi nghe báo cáo, các tham luận và ý kiến phát biểu của các đại biểu, Hội nghị kết luận như sau:"
    )
    intro += [line.strip() for line in lead.splitlines() if line.strip()]
    intro += [f"{number}. {point}" for number, point in enumerate(conference.conclusion_points, start=1)]
    intro.append(_("%(who)s thông báo để các cơ quan, đơn vị biết, thực hiện.") % {"who": _organiser_names(conference)})
    return _document(
        conference,
        issued_on=conference.held_on,
        doc_type="THÔNG BÁO",
        type_code="TB",
        subject=_("Kết luận của %(who)s tại %(what)s") % {"who": _concluding(conference), "what": conference.title},
        stem="thong-bao-ket-luan",
        intro=intro,
        recipients=[_("Các cơ quan, đơn vị dự Hội nghị"), _("Lưu: VT")],
    )


# --- the plan -----------------------------------------------------------------------------------


def _purpose(conference: Conference) -> list[str]:
    values = {"programme": conference.programme.title, "phase": conference.phase.name}
    if conference.kind == ConferenceKind.MID:
        what = _("Sơ kết, đánh giá kết quả thực hiện %(programme)s giai đoạn %(phase)s") % values
    elif conference.kind == ConferenceKind.END:
        what = _("Tổng kết, đánh giá kết quả thực hiện %(programme)s giai đoạn %(phase)s") % values
    else:
        what = _("Đánh giá kết quả thực hiện %(programme)s giai đoạn %(phase)s") % values
    purpose = _(
        "1. Mục đích: %(what)s; chỉ rõ ưu điểm, hạn chế, nguyên nhân và rút ra những bài học kinh nghiệm; "
        "xác định phương hướng, nhiệm vụ phối hợp trong thời gian tới"
    ) % {"what": what}
    if conference.kind in {ConferenceKind.MID, ConferenceKind.END}:
        purpose += _("; biểu dương, khen thưởng các tập thể, cá nhân có thành tích xuất sắc")
    if conference.signing is not None:
        purpose += _("; ký kết Chương trình phối hợp hoạt động giai đoạn %(phase)s") % {
            "phase": conference.signing.phase.name
        }
    lines = [purpose + "."]
    lines.append(
        _(
            "2. Yêu cầu: Công tác chuẩn bị chu đáo, đúng tiến độ; báo cáo, tham luận bảo đảm chất lượng, phản ánh "
            "đúng kết quả đạt được. Hội nghị tổ chức trang trọng, thiết thực, hiệu quả, tiết kiệm, bảo đảm an toàn."
        )
    )
    return lines


def _time_and_place(conference: Conference) -> list[str]:
    when = time_line(conference) or day_words(conference.held_on)
    where = venue_line(conference) or conference.place
    return [_("1. Thời gian: %(time)s.") % {"time": when}, _("2. Địa điểm: %(venue)s.") % {"venue": where}]


def _delegate_phrase(delegate: Delegate) -> str:
    """ "Đồng chí Phạm Tất Thắng, Ủy viên …" or "Đại tá …": a line of a list, capitalised."""
    if delegate.person_id:
        text = person_phrase(delegate.display_name, delegate.rank_at_event, list(delegate.positions))
    else:
        text = ", ".join([f"đồng chí {delegate.name}", *delegate.positions])
    return text[:1].upper() + text[1:]


def _participants(conference: Conference) -> list[str]:
    lines = []
    chairs = _chairs_line(conference)
    if chairs:
        lines.append(f"1. {chairs}")
    delegates = list(conference.delegates.select_related("person__unit"))
    honoured = [d for d in delegates if d.is_guest_of_honour]
    others = [d for d in delegates if not d.is_guest_of_honour]
    number = len(lines) + 1
    if honoured:
        lines.append(_("%(n)s. Khách mời:") % {"n": number})
        lines += [f"- {_delegate_phrase(d)};" for d in honoured]
        number += 1
    lines.append(_("%(n)s. Đại biểu:") % {"n": number})
    if others:
        lines += [f"- {_delegate_phrase(d)};" for d in others]
    else:
        lines.append(_("- Đại biểu các cơ quan, đơn vị của %(who)s.") % {"who": _organiser_names(conference)})
    return lines


def _programme(conference: Conference) -> list[str]:
    agenda = _agenda_lines(conference)
    if agenda:
        return agenda
    return [
        _(
            "Báo cáo %(kind)s kết quả thực hiện Chương trình phối hợp giai đoạn %(phase)s; tham luận của các cơ quan, "
            "đơn vị; phát biểu của đồng chủ trì; kết luận Hội nghị."
        )
        % {"kind": KIND_NOUN.get(conference.kind, "đánh giá"), "phase": conference.phase.name}  # type: ignore[call-overload]
    ]


def _organisation(conference: Conference) -> list[str]:
    """Who prepares what: the report, the speeches, the papers, then each organiser's share."""
    lines = []
    if conference.report_id and conference.report is not None:
        report = conference.report
        preparers = join_vi([issuing_unit(unit).name for unit in report.units])
        lines.append(
            _("- Báo cáo %(period)s: %(units)s chủ trì chuẩn bị.")
            % {"period": report.period.name[:1].lower() + report.period.name[1:], "units": preparers}
        )
    for speech in conference.speeches.select_related("person"):
        speaker = (
            f"{speech.rank_at_event_label} {speech.person.full_name}".strip()
            if speech.person_id and speech.person
            else speech.speaker_name
        )
        lines.append(f"- {speech.get_kind_display()}: {speech.title.rstrip('.')} ({speaker}).")
    for paper in conference.papers.select_related("unit", "author"):
        by = [b for b in (paper.author_display, paper.unit.name if paper.unit_id and paper.unit else "") if b]
        where = f" ({', '.join(by)})" if by else ""
        lines.append(_("- Tham luận “%(title)s”%(by)s.") % {"title": paper.title, "by": where})
    units = organisers(conference)
    number = 1
    out = []
    if lines:
        out += [_("%(n)s. Chuẩn bị văn kiện Hội nghị:") % {"n": number}, *lines]
        number += 1
    if units:
        out.append(
            _(
                "%(n)s. %(lead)s chủ trì, phát hành giấy mời, chuẩn bị hội trường, khánh tiết, hậu cần và bảo đảm "
                "an toàn Hội nghị."
            )
            % {"n": number, "lead": units[0].name}
        )
        number += 1
    if len(units) > 1:
        out.append(
            _("%(n)s. %(others)s phối hợp mời đại biểu, chuẩn bị tham luận và bố trí lực lượng phục vụ Hội nghị.")
            % {"n": number, "others": join_vi([u.name for u in units[1:]])}
        )
    return out


def plan_document(conference: Conference) -> ReportDocument:
    """The plan of the conference (kế hoạch tổ chức): purpose and requirements, time and place,
    who takes part, the programme, and who prepares what."""
    sections = [
        Section(_("MỤC ĐÍCH, YÊU CẦU"), _purpose(conference)),
        Section(_("THỜI GIAN, ĐỊA ĐIỂM"), _time_and_place(conference)),
        Section(_("THÀNH PHẦN"), _participants(conference)),
        Section(_("NỘI DUNG, CHƯƠNG TRÌNH"), _programme(conference)),
        Section(_("TỔ CHỨC THỰC HIỆN"), _organisation(conference)),
    ]
    return _document(
        conference,
        issued_on=_issued_on(conference, PLAN_DAYS_BEFORE),
        doc_type="KẾ HOẠCH",
        type_code="KH",
        subject=_("Tổ chức %(what)s") % {"what": conference.title},
        stem="ke-hoach",
        intro=[],
        sections=sections,
        recipients=[_("Các cơ quan, đơn vị liên quan"), _("Lưu: VT")],
    )


# --- files -------------------------------------------------------------------------------------------

DOCUMENTS = {"invitation": invitation_document, "notice": notice_document, "plan": plan_document}


def build_document(conference: Conference, kind: str, fmt: str = "docx") -> Built:
    """The conference's ``kind`` ("invitation", "notice", "plan") as ``fmt`` ("docx" or "pdf":
    LibreOffice's conversion of the Word file). NotReady when the record lacks what it must say;
    PdfUnavailable / PdfFailed when no PDF can be made."""
    from phoihop.documents import builders

    doc = DOCUMENTS[kind](conference)
    content = builders.build_docx(doc)
    if fmt == "pdf":
        content = builders.docx_to_pdf(content)
    return Built(content, builders.filename(doc, fmt), FORMATS[fmt])


def build_invitation(conference: Conference, fmt: str = "docx") -> Built:
    return build_document(conference, "invitation", fmt)


def build_notice(conference: Conference, fmt: str = "docx") -> Built:
    return build_document(conference, "notice", fmt)


def build_plan(conference: Conference, fmt: str = "docx") -> Built:
    return build_document(conference, "plan", fmt)


# --- the bản tin (a news article: python-docx, not the Decree 30 templates) ------------------------


def _line(document: Document, text: str, *, bold: bool = False, size: float = 13) -> Paragraph:  # type: ignore[valid-type]
    paragraph = document.add_paragraph()  # type: ignore[attr-defined]
    run = paragraph.add_run(text)
    run.bold, run.italic, run.font.size, run.font.name = bold, False, Pt(size), FONT
    run._element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    paragraph.paragraph_format.space_after = Pt(0)
    return paragraph  # type: ignore[no-any-return]


def build_bulletin(conference: Conference) -> Built:
    """The bản tin: the news article of the conference, on one A4 page (Times New Roman)."""
    summary = news_summary(conference)
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(2.5), Cm(2)
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(14)  # type: ignore[attr-defined]
    title = _line(document, summary.headline, bold=True, size=14)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(8)
    for number, text in enumerate([summary.lead, *summary.paragraphs]):
        paragraph = _line(document, text, bold=number == 0, size=12.5)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Cm(1)
        paragraph.paragraph_format.space_after = Pt(3)
        paragraph.paragraph_format.line_spacing = 1.05
    add_watermark(document, demo_watermark())  # documents built from the demo data (phoihop.core.demo)
    buffer = io.BytesIO()
    document.save(buffer)
    slug = fold(conference.title).replace(" ", "-")[:60].strip("-")
    return Built(buffer.getvalue(), f"ban-tin-{conference.held_on:%Y%m%d}-{slug}.docx")
