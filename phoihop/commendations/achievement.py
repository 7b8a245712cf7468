"""The achievement report (báo cáo thành tích) of a nomination, in the forms of Decree
98/2023/NĐ-CP (Appendix: form 01 for a collective, form 02 for an individual), prefilled from the
record, as a Word document in the Decree 30/2020 layout and as PDF.

``achievement_content(nomination, user)`` says what the report holds (plain data);
``achievement_docx`` lays it out with python-docx (the page set-up, styles and lines of
``phoihop.documents.make_templates``, so there is one home for the Decree 30 page);
``achievement_pdf`` converts it with LibreOffice (``phoihop.documents.pdf``).

What it holds, by the forms:

- an individual (form 02): the national name and motto, the date line, "BÁO CÁO THÀNH TÍCH /
  ĐỀ NGHỊ TẶNG …", I. the short biography (họ tên, ngày sinh and giới tính, quê quán, trú quán,
  đơn vị công tác, chức vụ, cấp bậc when the person has one, trình độ, học hàm…), II. the duties
  and the achievements (the nomination's summary; the figures of the activities attached as
  evidence and of the activities the person's unit led or took part in during the phase, up to
  the year considered), III. the earlier awards in two tables (emulation titles, forms of
  commendation: year, title or form, number and date of the decision, issuing body); then the
  blocks "THỦ TRƯỞNG ĐƠN VỊ XÁC NHẬN, ĐỀ NGHỊ" and "NGƯỜI BÁO CÁO THÀNH TÍCH", and below them
  "XÁC NHẬN CỦA CẤP TRÌNH KHEN THƯỞNG";
- a collective (form 01): the body above and the unit at the top left, I. the unit's
  particulars and its functions and tasks, II. the achievements (same figures, the unit's own
  activities) and the form's other three headings, III. the earlier awards; then the blocks
  "XÁC NHẬN CỦA CẤP TRÌNH KHEN THƯỞNG" (left) and "THỦ TRƯỞNG ĐƠN VỊ" (right).

A field the record does not hold (home town, residence, qualifications, the day and month of
birth…) is printed as its label and a dotted line to fill by hand; nothing is invented.
"Cấp trình khen thưởng" is the unit of the route that puts the nomination before the awarding
unit (the last unit before it).

Reads: the caller reads the nomination through the gate (``selectors.nominations_visible``: a
nomination the user may not read answers 404). The report is the nomination's official text, so
its figures, earlier awards and unit names are read with ``OFFICIAL_TEXT``: every reader of the
nomination gets the same report.

Personal data (ADR 0011): a person's private details (birth year, gender) are printed only for a
reader who may read them (``PersonPolicy.can_read_private``: the users of the person's unit's
subtree, or a system administrator). Anyone else who may read the nomination (a unit further up
its route) still gets the report, with those fields left as lines to fill: the dossier moves up
the route, and the signed paper copy from the proposing unit carries them. Each download of an
individual's report is written to the access log (``log_people_export``) by the view.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from phoihop.activities.models import Activity, ActivityStatus
from phoihop.core.formats import cited_date, vn_number
from phoihop.core.gate import OFFICIAL_TEXT
from phoihop.core.permissions import perms
from phoihop.core.text import fold
from phoihop.orgunits.models import Gender, OrgUnit
from phoihop.orgunits.selectors import unit_parent

from .models import Award, AwardKind, Nomination, StepAction

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"
FORMATS = {"docx": DOCX_TYPE, "pdf": PDF_TYPE}
DOTS = "……"  # a short gap to fill inside a line ("ngày …… tháng …… năm 1952")


# --- what the report says ---------------------------------------------------------------------


@dataclass
class Line:
    """A line of the body: ``label`` (may be empty) and its text; ``fill`` ends it with a dotted
    line to the margin (a field the record does not hold)."""

    text: str = ""
    label: str = ""
    fill: bool = False
    bold: bool = False
    indent: bool = True


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    shares: list[int]
    empty: str = ""  # the one row's text when there are no rows


@dataclass
class Section:
    title: str  # "I. SƠ LƯỢC LÝ LỊCH"
    items: list[Line | Table] = field(default_factory=list)


@dataclass
class SignBlock:
    title: str  # "NGƯỜI BÁO CÁO THÀNH TÍCH"
    unit: str = ""  # the unit the signer heads ("" for the reporter)
    note: str = ""  # "(Ký, đóng dấu)"
    name: str = ""  # "Thượng úy Phạm Văn Thành"; "" leaves room to write it


@dataclass
class AchievementReport:
    collective: bool
    nominee: str
    award: str
    header_parent: str  # a collective: the body above, at the top left ("" for an individual)
    header_unit: str  # a collective: the unit itself
    place: str
    day: date | None  # None: the date is left for the signer
    year: int
    subtitle: str  # "ĐỀ NGHỊ TẶNG BẰNG KHEN CỦA BỘ TRƯỞNG BỘ QUỐC PHÒNG"
    sections: list[Section]
    left: SignBlock
    right: SignBlock
    below: SignBlock | None = None  # an individual: the confirmation of the level that presents
    private_shown: bool = True
    earlier_awards: int = 0
    filename_stem: str = "bao-cao-thanh-tich"

    @property
    def date_line(self) -> str:
        if self.day is None:
            return f"{self.place}, ngày {DOTS} tháng {DOTS} năm {self.year}"
        from phoihop.core.formats import date_line

        return date_line(self.place, self.day)


def name_lines(text: str, *, size: float, width_pt: float, bold: bool = True) -> list[str]:
    """``text`` as the lines a header or a signature block prints: one line when it fits
    ``width_pt``; a title carrying "\\n" breaks there; a unit's name breaks as the documents'
    headers do (``builders.header_lines``: never inside a place name or a word of several
    syllables)."""
    from phoihop.documents.builders import header_lines, text_width_pt

    flat = " ".join(text.split())
    if text_width_pt(flat, size, bold) <= width_pt:
        return [flat]
    if "\n" in text:
        return [" ".join(part.split()) for part in text.split("\n") if part.strip()]
    return header_lines(flat, width_pt=width_pt, size=size, bold=bold)


def _fill(label: str) -> Line:
    return Line(label=label, fill=True)


def _known(label: str, value: str) -> list[Line]:
    """A field of the form: its value from the record, else a dotted line to write it by hand."""
    value = " ".join((value or "").split())
    return [Line(value, label=label)] if value else [_fill(label)]


def _report_day(nomination: Nomination) -> date | None:
    """The day the dossier was first sent up (the report is signed then); none before that, nor
    when the record has it after the decision (the clerk writes the day by hand)."""
    sent = next((s for s in nomination.steps.all() if s.action == StepAction.SUBMIT), None)
    if sent is None:
        return None
    from django.utils import timezone

    day = timezone.localtime(sent.at).date()
    decision = nomination.decision if nomination.decision_id else None
    if decision is not None and decision.issued_on < day:
        return None
    return day


def _presenting_unit(nomination: Nomination) -> OrgUnit:
    """The unit that puts the nomination before the awarding unit (cấp trình khen thưởng)."""
    from .selectors import route_units

    units = route_units(nomination)
    index = next((i for i, u in enumerate(units) if u.pk == nomination.awarding_unit_id), len(units) - 1)
    presenter = units[index - 1] if index > 0 else units[index]
    if nomination.nominee_unit_id and presenter.pk == nomination.nominee_unit_id:
        return nomination.awarding_unit
    return presenter


def _subtitle(nomination: Nomination) -> str:
    award = nomination.award
    if award.kind == AwardKind.TITLE:
        return _("ĐỀ NGHỊ TẶNG\nDANH HIỆU “%(title)s”") % {"title": award.name.upper()}
    return _("ĐỀ NGHỊ TẶNG\n%(form)s") % {"form": award.name.upper()}


def _earlier_awards(nomination: Nomination) -> list[Award]:
    """The nominee's awards before this nomination (its own award left out), oldest first."""
    same = (
        Q(nominee_unit_id=nomination.nominee_unit_id) if nomination.is_collective else Q(person_id=nomination.person_id)
    )
    return list(
        Award.objects.unrestricted(OFFICIAL_TEXT)
        .filter(same, year__lte=nomination.year)
        .exclude(nomination_id=nomination.pk)
        .select_related("award", "decision", "decision__issuing_unit", "decision__awarding_unit")
        .order_by("year", "decision__issued_on", "pk")
    )


def awards_tables(awards: list[Award]) -> tuple[Table, Table]:
    """Form section III: the emulation titles, then the forms of commendation."""
    from .selectors import decision_numbers

    numbers = {d.pk: n for d, n in decision_numbers({a.decision_id: a.decision for a in awards}.values())}

    def cited(a: Award) -> str:
        decision = a.decision
        when = cited_date(decision.issued_on)
        text = (
            _("Quyết định số %(number)s ngày %(date)s") % {"number": numbers[decision.pk], "date": when}
            if decision.number
            else _("Quyết định ngày %(date)s") % {"date": when}
        )
        return f"{text}; {decision.issuing_unit.name}"

    def rows(kind: str) -> list[list[str]]:
        return [[str(a.year), a.award.name, cited(a)] for a in awards if a.award.kind == kind]

    titles = Table(
        headers=[
            _("Năm"),
            _("Danh hiệu thi đua"),
            _("Số, ngày, tháng, năm của quyết định công nhận danh hiệu thi đua; cơ quan ban hành quyết định"),
        ],
        rows=rows(AwardKind.TITLE),
        shares=[12, 38, 50],
        empty=_("Chưa có"),
    )
    forms = Table(
        headers=[
            _("Năm"),
            _("Hình thức khen thưởng"),
            _("Số, ngày, tháng, năm của quyết định khen thưởng; cơ quan ban hành quyết định"),
        ],
        rows=rows(AwardKind.FORM),
        shares=[12, 38, 50],
        empty=_("Chưa có"),
    )
    return titles, forms


def _activity_lines(nomination: Nomination, unit: OrgUnit, *, collective: bool) -> list[Line]:
    """The figures of the phase up to the year considered: the unit's approved activities (led,
    taken part in) and their participants; then the activities attached as evidence."""
    phase = nomination.phase
    until = date(nomination.year, 12, 31)
    approved = Activity.objects.unrestricted(OFFICIAL_TEXT).filter(
        phase=phase, status=ActivityStatus.APPROVED, start_date__lte=until
    )
    led = approved.filter(lead_unit=unit)
    partnered = approved.filter(partner_links__unit=unit).exclude(lead_unit=unit)
    led_count, partner_count = led.count(), partnered.count()
    people = led.aggregate(n=Sum("participants_lead"))["n"] or 0
    people += partnered.aggregate(n=Sum("participants_partner"))["n"] or 0
    span = _("từ năm %(start)s đến năm %(year)s") % {"start": phase.start.year, "year": nomination.year}
    if phase.start.year >= nomination.year:
        span = _("năm %(year)s") % {"year": nomination.year}
    who = unit.name if not collective else _("Đơn vị")
    lines = []
    if led_count or partner_count:
        lines.append(
            Line(
                _(
                    "%(who)s chủ trì %(led)s hoạt động và tham gia phối hợp %(partnered)s hoạt động của Chương "
                    "trình phối hợp giai đoạn %(phase)s (%(span)s), với %(people)s lượt người tham gia."
                )
                % {
                    "who": who,
                    "led": vn_number(led_count),
                    "partnered": vn_number(partner_count),
                    "phase": phase.name,
                    "span": span,
                    "people": vn_number(people),
                }
            )
        )
    else:
        lines.append(
            Line(
                _("%(who)s chưa có hoạt động phối hợp được duyệt trong giai đoạn %(phase)s (%(span)s).")
                % {"who": who, "phase": phase.name, "span": span}
            )
        )
    evidence = list(nomination.activities.select_related("lead_unit").order_by("start_date", "pk"))
    if evidence:
        lines.append(Line(_("Các hoạt động tiêu biểu:")))
        for act in evidence:
            count = act.participants_lead + act.participants_partner
            if act.start_date == act.end_date:
                detail = [cited_date(act.start_date)]
            else:
                dates = {"start": cited_date(act.start_date), "end": cited_date(act.end_date)}
                detail = [_("từ %(start)s đến %(end)s") % dates]
            if act.place:
                detail.append(_("tại %(place)s") % {"place": act.place})
            detail.append(_("%(unit)s chủ trì") % {"unit": act.lead_unit.name})
            if count:
                detail.append(_("%(n)s người tham gia") % {"n": vn_number(count)})
            lines.append(Line(f"- {act.title.strip().rstrip('.')} ({'; '.join(detail)})."))
    return lines


def _summary_lines(nomination: Nomination) -> list[Line]:
    return [Line(p.strip()) for p in nomination.summary.splitlines() if p.strip()]


def achievement_content(nomination: Nomination, user: Any) -> AchievementReport:
    """What the achievement report of ``nomination`` says, for ``user`` (who may read it)."""
    award, phase = nomination.award, nomination.phase
    programme = phase.programme.title.strip().rstrip(".")
    presenter = _presenting_unit(nomination)
    earlier = _earlier_awards(nomination)
    titles, forms = awards_tables(earlier)
    from phoihop.reporting.documents import body_for, default_place

    if nomination.is_collective:
        unit = nomination.nominee_unit
        assert unit is not None
        body = body_for(unit, {}, None)
        parent = unit_parent(unit)
        children = (
            OrgUnit.objects.unrestricted(OFFICIAL_TEXT)
            .active_on(date(nomination.year, 12, 31))
            .filter(path__startswith=unit.path, depth=unit.depth + 1)
            .count()
        )
        particulars = [
            Line(_("Tên đơn vị: %(name)s.") % {"name": unit.name}, label="-"),
        ]
        if parent is not None:
            particulars.append(Line(_("Đơn vị cấp trên trực tiếp: %(name)s.") % {"name": parent.name}, label="-"))
        particulars.append(
            Line(
                _("Cấp tổ chức: cấp %(level)s của %(org)s.")
                % {"level": unit.level.name[:1].lower() + unit.level.name[1:], "org": unit.organisation.name},
                label="-",
            )
        )
        if children:
            particulars.append(Line(_("Số đơn vị trực thuộc: %(n)s.") % {"n": vn_number(children)}, label="-"))
        particulars += [
            _fill(_("- Địa điểm trụ sở chính, điện thoại, thư điện tử, trang tin điện tử:")),
            _fill(_("- Quá trình thành lập và phát triển:")),
            _fill(_("- Cơ cấu tổ chức, cơ sở vật chất; các tổ chức đảng, đoàn thể:")),
        ]
        duties = [
            Line(
                _("Tham gia thực hiện %(programme)s, giai đoạn %(phase)s.")
                % {"programme": programme[:1].lower() + programme[1:], "phase": phase.name}
            ),
            _fill(_("Chức năng, nhiệm vụ được giao:")),
        ]
        achievements = [
            *_summary_lines(nomination),
            *_activity_lines(nomination, unit, collective=True),
        ]
        sections = [
            Section(
                _("I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH"),
                [
                    Line(_("1. Đặc điểm, tình hình:"), bold=True),
                    *particulars,
                    Line(_("2. Chức năng, nhiệm vụ:"), bold=True),
                    *duties,
                ],
            ),
            Section(
                _("II. THÀNH TÍCH ĐẠT ĐƯỢC"),
                [
                    Line(_("1. Kết quả thực hiện chức năng, nhiệm vụ được giao:"), bold=True),
                    *achievements,
                    Line(
                        _(
                            "2. Những biện pháp hoặc nguyên nhân đạt được thành tích; các phong trào thi đua đã được "
                            "áp dụng trong thực tiễn:"
                        ),
                        bold=True,
                    ),
                    _fill(""),
                    Line(
                        _("3. Việc thực hiện chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước:"),
                        bold=True,
                    ),
                    _fill(""),
                    Line(_("4. Hoạt động của tổ chức đảng, đoàn thể:"), bold=True),
                    _fill(""),
                ],
            ),
            Section(
                _("III. CÁC HÌNH THỨC KHEN THƯỞNG ĐÃ ĐƯỢC GHI NHẬN"),
                [
                    Line(_("1. Danh hiệu thi đua:"), bold=True),
                    titles,
                    Line(_("2. Hình thức khen thưởng:"), bold=True),
                    forms,
                ],
            ),
        ]
        left = SignBlock(_("XÁC NHẬN CỦA CẤP TRÌNH\nKHEN THƯỞNG"), presenter.name.upper(), _("(Ký, đóng dấu)"))
        right = SignBlock(_("THỦ TRƯỞNG ĐƠN VỊ"), body.name.upper(), _("(Ký, đóng dấu)"))
        return AchievementReport(
            collective=True,
            nominee=unit.name,
            award=award.name,
            header_parent=body.parent,
            header_unit=body.name,
            place=default_place(unit),
            day=_report_day(nomination),
            year=nomination.year,
            subtitle=_subtitle(nomination),
            sections=sections,
            left=left,
            right=right,
            earlier_awards=len(earlier),
            filename_stem=_stem(unit.name, nomination.year),
        )

    person = nomination.person
    assert person is not None
    home = nomination.home_unit
    private = bool(perms(user).for_(person).can("read-private"))
    born = person.birth_year if private else None
    birth_date = person.birth_date if private else None
    gender = Gender(person.gender).label if private and person.gender else ""
    home_parent = unit_parent(home)
    workplace = home.name + (f", {home_parent.name}" if home_parent is not None else "")
    positions = "; ".join(p for p in nomination.positions_at_event if p)
    identity: list[Line | Table] = [
        Line(person.full_name, label=_("- Họ tên:")),
        Line(
            _("ngày %(day)s tháng %(month)s năm %(year)s; Giới tính: %(gender)s")
            % {
                "day": f"{birth_date.day:02d}" if birth_date else DOTS,
                "month": f"{birth_date.month:02d}" if birth_date else DOTS,
                "year": born or DOTS,
                "gender": gender or DOTS,
            },
            label=_("- Sinh"),
        ),
        *_known(_("- Quê quán:"), person.home_town if private else ""),
        *_known(_("- Trú quán:"), person.residence if private else ""),
        Line(workplace, label=_("- Đơn vị công tác:")),
        Line(positions, label=_("- Chức vụ (Đảng, chính quyền, đoàn thể):"))
        if positions
        else _fill(_("- Chức vụ (Đảng, chính quyền, đoàn thể):")),
    ]
    if nomination.rank_at_event:
        identity.append(Line(nomination.rank_at_event_label, label=_("- Cấp bậc:")))
    identity += [
        *_known(_("- Trình độ chuyên môn, nghiệp vụ:"), person.qualification if private else ""),
        *_known(_("- Học hàm, học vị, danh hiệu, giải thưởng:"), person.distinctions if private else ""),
    ]
    person_duties: list[Line | Table] = []
    if positions:
        person_duties.append(
            Line(_("Đảm nhận chức vụ %(positions)s tại %(unit)s.") % {"positions": positions, "unit": home.name})
        )
    person_duties.append(
        Line(
            _("Tham gia thực hiện %(programme)s, giai đoạn %(phase)s.")
            % {"programme": programme[:1].lower() + programme[1:], "phase": phase.name}
        )
    )
    sections = [
        Section(_("I. SƠ LƯỢC LÝ LỊCH"), identity),
        Section(
            _("II. THÀNH TÍCH ĐẠT ĐƯỢC"),
            [
                Line(_("1. Quyền hạn, nhiệm vụ được giao hoặc đảm nhận:"), bold=True),
                *person_duties,
                Line(_("2. Thành tích đạt được của cá nhân:"), bold=True),
                *_summary_lines(nomination),
                *_activity_lines(nomination, home, collective=False),
            ],
        ),
        Section(
            _("III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG"),
            [
                Line(_("1. Danh hiệu thi đua:"), bold=True),
                titles,
                Line(_("2. Hình thức khen thưởng:"), bold=True),
                forms,
            ],
        ),
    ]
    home_body = body_for(home, {}, None)
    rank_name = f"{nomination.rank_at_event_label} {person.full_name}".strip()
    return AchievementReport(
        collective=False,
        nominee=person.full_name,
        award=award.name,
        header_parent="",
        header_unit="",
        place=default_place(home),
        day=_report_day(nomination),
        year=nomination.year,
        subtitle=_subtitle(nomination),
        sections=sections,
        left=SignBlock(_("THỦ TRƯỞNG ĐƠN VỊ\nXÁC NHẬN, ĐỀ NGHỊ"), home_body.name.upper(), _("(Ký, đóng dấu)")),
        right=SignBlock(_("NGƯỜI BÁO CÁO THÀNH TÍCH"), "", _("(Ký, ghi rõ họ và tên)"), rank_name),
        below=SignBlock(_("XÁC NHẬN CỦA CẤP TRÌNH\nKHEN THƯỞNG"), presenter.name.upper(), _("(Ký, đóng dấu)")),
        private_shown=private,
        earlier_awards=len(earlier),
        filename_stem=_stem(person.full_name, nomination.year),
    )


def _stem(name: str, year: int) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:60].strip("-")
    return f"bao-cao-thanh-tich-{slug or 'de-nghi'}-{year}"


def filename(report: AchievementReport, fmt: str) -> str:
    return f"{report.filename_stem}.{fmt}"


def log_export(request: Any, nomination: Nomination, file_format: str) -> None:
    """The access log of personal data: an individual's report names the person (ADR 0011)."""
    if nomination.person_id:
        from phoihop.audit.access import log_people_export

        log_people_export(
            actor=request.user,
            target=nomination,
            people=[nomination.person_id],
            what=_("Báo cáo thành tích"),
            file_format=file_format,
            unit=nomination.proposing_unit,
        )


# --- the Word document --------------------------------------------------------------------------


def achievement_docx(report: AchievementReport) -> bytes:
    """The report as a .docx in the Decree 30 layout (A4, margins 20/20/30/15 mm, Times New
    Roman; page numbers centred at the top from page 2; signature blocks that do not break)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn
    from docx.shared import Pt, Twips

    from phoihop.core.demo import demo_watermark
    from phoihop.documents.builders import SHORT_LINE_STYLE, TEXT_WIDTH, TWIPS_PER_CM, clean, text_width_pt
    from phoihop.documents.make_templates import (
        HEADER_INDENT,
        LEFT_COLUMN,
        LINE_STYLE,
        MOTTO,
        RIGHT_COLUMN,
        _borderless_table,
        _line,
        _para,
        _setup_page,
        _setup_styles,
    )
    from phoihop.documents.watermark import add_watermark

    center, left, justify = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.JUSTIFY
    document = Document()
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    _setup_styles(document)
    _setup_page(document)

    def lines(where: Any, text: str, *, size: float, width: int, bold: bool = True, before: float = 0) -> Any:
        """One paragraph of ``text``, broken where ``name_lines`` says (line breaks, not paragraphs)."""
        parts = name_lines(text, size=size, width_pt=width / 20 * 0.97, bold=bold)
        paragraph = _para(where, parts[0], size=size, bold=bold, before=before)
        for part in parts[1:]:
            run = paragraph.add_run()
            run.add_break()
            run = paragraph.add_run(part)
            run.bold, run.font.size = bold or None, Pt(size)
        return paragraph

    def short_line(where: Any, text: str, size: float, width: int, after: float = 0) -> None:
        length = round(text_width_pt(text, size, bold=True) * 20 * 0.4)
        _line(where, SHORT_LINE_STYLE, max(length, round(2 * TWIPS_PER_CM)), width, after=after)

    # The top: a collective's unit (and the body above it) at the left, the national name at the right.
    national = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    if report.collective:
        table = _borderless_table(document, 2, [LEFT_COLUMN, RIGHT_COLUMN], HEADER_INDENT)
        unit_cell, title_cell = table.cell(0, 0), table.cell(0, 1)
        if report.header_parent:
            lines(unit_cell, clean(report.header_parent).upper(), size=13, width=LEFT_COLUMN, bold=False)
        unit_lines = name_lines(clean(report.header_unit).upper(), size=13, width_pt=LEFT_COLUMN / 20 * 0.97)
        lines(unit_cell, clean(report.header_unit).upper(), size=13, width=LEFT_COLUMN)
        short_line(unit_cell, max(unit_lines, key=len), 13, LEFT_COLUMN, after=4)
        _para(title_cell, national, size=13, bold=True)
        _para(title_cell, MOTTO, size=14, bold=True)
        _line(title_cell, LINE_STYLE, round(text_width_pt(MOTTO, 14, bold=True) * 20), RIGHT_COLUMN)
        _para(table.cell(1, 1), report.date_line, size=14, italic=True, before=6)
    else:
        _para(document, national, size=13, bold=True)
        _para(document, MOTTO, size=14, bold=True)
        _line(document, LINE_STYLE, round(text_width_pt(MOTTO, 14, bold=True) * 20), TEXT_WIDTH)
        _para(document, report.date_line, size=14, italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT, before=6)

    _para(document, _("BÁO CÁO THÀNH TÍCH"), size=14, bold=True, before=18)
    subtitle = lines(document, report.subtitle, size=14, width=TEXT_WIDTH)
    last = subtitle.text.split("\n")[-1]
    if report.collective:
        _para(document, clean(report.nominee), size=14, bold=True)
        last = report.nominee
    short_line(document, clean(last), 14, TEXT_WIDTH)
    _para(document, "", after=6)

    def add_line(item: Line) -> None:
        paragraph = _para(document, align=justify, after=4)
        paragraph.paragraph_format.first_line_indent = Twips(round(1 * TWIPS_PER_CM)) if item.indent else None
        paragraph.paragraph_format.line_spacing = 1.1
        if item.bold:
            paragraph.paragraph_format.keep_with_next = True
        if item.label:
            run = paragraph.add_run(clean(item.label) + (" " if item.text or item.fill else ""))
            run.bold = item.bold or None
        if item.text:
            run = paragraph.add_run(clean(item.text))
            run.bold = item.bold or None
        if item.fill:
            paragraph.paragraph_format.tab_stops.add_tab_stop(
                Twips(TEXT_WIDTH), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
            )
            paragraph.add_run("\t")

    def add_table(item: Table) -> None:
        widths = [round(TEXT_WIDTH * s / sum(item.shares)) for s in item.shares]
        widths[-1] = TEXT_WIDTH - sum(widths[:-1])
        rows = item.rows or [["", item.empty, ""]]
        grid = document.add_table(rows=1 + len(rows), cols=len(widths))
        grid.style = document.styles["Table Grid"]
        grid._tbl.tblPr.append(parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>'))
        for r, values in enumerate([item.headers, *rows]):
            tr = grid.rows[r]._tr
            props = tr.get_or_add_trPr()
            props.append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
            if r == 0:
                props.append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
            for c, value in enumerate(values):
                cell = grid.cell(r, c)
                cell.width = Twips(widths[c])
                paragraph = cell.paragraphs[0]
                paragraph.alignment = center if (r == 0 or c == 0 or not item.rows) else left
                paragraph.paragraph_format.space_before = Pt(2)
                paragraph.paragraph_format.space_after = Pt(2)
                run = paragraph.add_run(clean(value))
                run.font.size = Pt(13)
                run.bold = (r == 0) or None
        for col, width in zip(grid.columns, widths, strict=True):
            col.width = Twips(width)
        _para(document, "", size=6)

    for section in report.sections:
        heading = _para(document, clean(section.title), size=14, bold=True, align=left, before=6, after=4)
        heading.paragraph_format.keep_with_next = True
        for item in section.items:
            if isinstance(item, Table):
                add_table(item)
            else:
                add_line(item)
    _para(document, "./.", align=left)

    # The signature blocks: each in a row that cannot break across pages.
    def block(cell: Any, sign: SignBlock, width: int) -> None:
        lines(cell, sign.title, size=13, width=width, before=12)
        if sign.unit:
            lines(cell, clean(sign.unit), size=13, width=width)
        if sign.note:
            _para(cell, sign.note, size=13, italic=True)
        for _i in range(4):
            _para(cell, "", size=14)
        _para(cell, clean(sign.name), size=14, bold=True, after=6)
        for paragraph in cell.paragraphs[:-1]:
            paragraph.paragraph_format.keep_with_next = True

    half = TEXT_WIDTH // 2
    signatures = _borderless_table(document, 2 if report.below else 1, [half, TEXT_WIDTH - half])
    block(signatures.cell(0, 0), report.left, half)
    block(signatures.cell(0, 1), report.right, TEXT_WIDTH - half)
    if report.below is not None:
        merged = signatures.cell(1, 0).merge(signatures.cell(1, 1))
        block(merged, report.below, TEXT_WIDTH)
    _para(document, "", size=1)  # a document ends with a paragraph, not a table

    props = document.core_properties
    props.title = f"Báo cáo thành tích: {report.nominee}"
    props.author = props.last_modified_by = "phoihop"
    add_watermark(document, demo_watermark())  # documents built from the demo data (phoihop.core.demo)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def achievement_pdf(report: AchievementReport) -> bytes:
    """The report as PDF (LibreOffice): ``PdfUnavailable`` when it is not installed."""
    from phoihop.documents.pdf import docx_to_pdf

    return docx_to_pdf(achievement_docx(report), timeout=120)


def build(nomination: Nomination, user: Any, fmt: str) -> tuple[bytes, str, str]:
    """(content, file name, content type) of the report in ``fmt`` ("docx" or "pdf")."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    report = achievement_content(nomination, user)
    content = achievement_pdf(report) if fmt == "pdf" else achievement_docx(report)
    return content, filename(report, fmt), FORMATS[fmt]
