"""What a report document says, independent of how it is laid out (the builders' input).

The reporting app fills a ``ReportDocument`` from a report (its frozen figures once submitted,
live figures while a draft); the builders in ``builders.py`` turn it into DOCX, XLSX or PDF.
Everything here is plain data, so documents can be built in a background job or a command.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# Kinds of issuing body, one Word template each (DOMAIN.md: templates are data).
BODY_KINDS = ("state", "army", "association", "party")


@dataclass
class Body:
    """An issuing body as it stands at the top of the document and in its signature block."""

    name: str  # "Hội Cựu chiến binh Việt Nam" (the template writes it in capitals)
    kind: str = "association"  # one of BODY_KINDS
    parent: str = ""  # the parent body's name, "" when none ("Bộ Quốc phòng" above "Tổng cục Chính trị")
    abbreviation: str = ""  # for the number: "HCCB" -> "Số: 15/BC-HCCB"
    number: int | None = None  # from the body's yearly register; None leaves it blank for the clerk
    signer_capacity: str = ""  # "TM." / "KT." / "TL." / "TUQ." or "" when the head signs
    signer_collective: str = ""  # after TM.: "BAN THƯỜNG VỤ"; after KT.: the head's title "CHỦ TỊCH"
    signer_title: str = ""  # the signer's own title: "PHÓ CHỦ TỊCH"
    signer_rank: str = ""  # army: the rank stands before the name ("Trung tướng")
    signer_name: str = ""  # "" leaves the name for the signer to write
    office: str = ""  # the drafting office's abbreviation for "Lưu: VT, CDV." ("" leaves "Lưu: VT.")


@dataclass
class FigureRow:
    indicator_code: str
    indicator: str  # name
    unit_of_measure: str
    value: int  # the period's total
    previous: int | None = None  # the previous period's total (None: no previous period)
    target: int | None = None  # the phase target for the unit(s), when one is set


@dataclass
class FieldFigures:
    code: str
    name: str
    rows: list[FigureRow] = field(default_factory=list)


@dataclass
class AnnexTable:
    """One annex table: a row per child unit, a column per indicator, a total row."""

    title: str  # "Phụ lục 1. Kết quả theo đơn vị trực thuộc: Hội Cựu chiến binh Việt Nam"
    columns: list[tuple[str, str]]  # (indicator name, unit of measure)
    rows: list[tuple[str, list[int]]]  # (unit name, one value per column)
    totals: list[int]  # one per column; equal to the column sums


@dataclass
class ListAnnex:
    """An annex that is a list of text rows (e.g. the collectives and individuals a decision
    commends): a numbered row per entry, a column per header, widths as shares of the page."""

    title: str  # "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG"
    headers: list[str]  # without "STT", which the builder adds
    shares: list[int]  # relative column widths, one per header
    rows: list[list[str]]  # one text per header
    group_titles: dict[int, str] = field(default_factory=dict)  # row index -> heading row before it


@dataclass
class Section:
    """A numbered section of the body: a heading and paragraphs (plain text, no markup)."""

    title: str
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class ReportDocument:
    bodies: list[Body]  # one, or two for a joint (liên tịch) report
    place: str  # "Hà Nội"
    issued_on: date
    subject: str  # "Tổng kết 5 năm thực hiện Chương trình phối hợp ... giai đoạn 2017-2022"
    period_label: str  # "từ ngày 01/01/2017 đến ngày 31/12/2022"
    doc_type: str = "BÁO CÁO"  # "" for an official letter (công văn): no type name, "V/v" + subject under the number
    type_code: str = "BC"  # in the number: 15/BC-HCCB
    intro: list[str] = field(default_factory=list)  # opening paragraphs
    sections: list[Section] = field(default_factory=list)  # narrative, in order
    figures: list[FieldFigures] = field(default_factory=list)  # the figures table, by field
    annexes: list[AnnexTable] = field(default_factory=list)
    lists: list[ListAnnex] = field(default_factory=list)  # text annexes, after the figure annexes
    # A decision: the authority that decides (in capitals, above the legal bases, which then
    # are the intro, in italics), and its articles ("Điều 1. ...") after "QUYẾT ĐỊNH:".
    authority: str = ""
    articles: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)  # "Lưu: VT" is added last by the builder
    addressees: list[str] = field(default_factory=list)  # an official letter's "Kính gửi:" lines
    value_label: str = "Kỳ này"  # the figures table's first number column: "Giai đoạn 2017–2022" for a phase
    previous_label: str = "Kỳ trước"  # "Cùng kỳ năm trước", "Năm trước", "Giai đoạn trước" ...
    target_label: str = "Chỉ tiêu giao"  # "Chỉ tiêu giai đoạn" when the targets are the phase's
    watermark_note: str = ""  # e.g. "Bản nháp": shown under the subject when set
    watermark: str = ""  # e.g. "BẢN MINH HỌA" (demo data): faint and diagonal on every page (watermark.py)
    title: str = ""  # short title for file names and the XLSX properties
