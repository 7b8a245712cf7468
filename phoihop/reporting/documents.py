"""From a report to the documents' data (``phoihop.documents.data.ReportDocument``) and files.

The issuing body of a party's root unit is the party's representative unit (the General
Political Department issues for the army's whole tree); any unit may carry a ``BodyProfile``
that says how it stands on documents; without one, sensible defaults.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.core import statements
from phoihop.core.demo import demo_watermark
from phoihop.core.formats import vn_date, vn_datetime
from phoihop.core.gate import OFFICIAL_TEXT, PROGRAMME_DATA
from phoihop.core.text import fold
from phoihop.documents.data import AnnexTable, Body, FieldFigures, FigureRow, ReportDocument, Section
from phoihop.documents.formats import FORMATS
from phoihop.figures.periods import PeriodKind
from phoihop.orgunits.models import OrgUnit
from phoihop.orgunits.names import names_on
from phoihop.orgunits.selectors import unit_parent
from phoihop.programmes.models import Party
from phoihop.reporting.content import content_for, value_label
from phoihop.reporting.models import NARRATIVE_SECTIONS, BodyKind, BodyProfile, DocumentTemplate, Report, ReportStatus
from phoihop.reporting.prefill import prefill

# Words that start the place part of a unit's name: the abbreviation stops before them.
PLACE_WORDS = {"tinh", "thanh", "xa", "phuong", "huyen", "quan", "thi", "dac", "khu", "viet", "nam"}
KIND_BY_ORGANISATION = {"qdnd": BodyKind.ARMY, "ccb": BodyKind.ASSOCIATION}
DEFAULT_SIGNER = {
    BodyKind.ASSOCIATION: ("TM.", "BAN THƯỜNG VỤ", "CHỦ TỊCH"),
    BodyKind.PARTY: ("TM.", "BAN THƯỜNG VỤ", "BÍ THƯ"),
    BodyKind.ARMY: ("", "", "THỦ TRƯỞNG ĐƠN VỊ"),
    BodyKind.STATE: ("", "", "THỦ TRƯỞNG CƠ QUAN"),
}
# The drafting office of "Lưu: VT, <office>." when the body's profile names none: an army body's
# political office (Phòng Chính trị drafts the coordination with the veterans), else the office.
DEFAULT_OFFICE = {BodyKind.ARMY: "CT", BodyKind.ASSOCIATION: "VP", BodyKind.PARTY: "VP", BodyKind.STATE: "VP"}


def lower_first(text: str) -> str:
    """ "Quý I năm 2027" -> "quý I năm 2027": only the first letter, Roman numerals stay."""
    return text[:1].lower() + text[1:]


def issuing_unit(unit: OrgUnit) -> OrgUnit:
    """The body that issues documents for ``unit``: a party root's representative unit."""
    if unit.depth == 1:
        party = (
            Party.objects.unrestricted(PROGRAMME_DATA)
            .filter(root_unit=unit)
            .select_related("representative_unit")
            .first()
        )
        if party is not None:
            return party.representative_unit
    return unit


def _profile(unit: OrgUnit) -> BodyProfile | None:
    unit_id = unit.pk

    def build() -> QuerySet:
        profiles = BodyProfile.objects.unrestricted(OFFICIAL_TEXT).filter(unit_id=unit_id)
        return profiles.order_by("pk").values(*statements.attnames(BodyProfile))[:1]

    # The statement kept per unit (core/statements.py), the row read afresh.
    found = statements.rows(("body profile", unit_id), build)
    return statements.instance(BodyProfile, found[0]) if found else None


def abbreviation_for(name: str) -> str:
    """Initials of the name up to its place part: "Hội Cựu chiến binh tỉnh Cà Mau" -> "HCCB"."""
    letters: list[str] = []
    for word in re.split(r"[\s\-]+", name.strip()):
        folded = fold(word)
        if not folded:
            continue
        if letters and folded in PLACE_WORDS:
            break
        letters.append(folded[0].upper())
    return "".join(letters)[:12] or "VP"


def body_kind(unit: OrgUnit) -> str:
    profile = _profile(unit)
    if profile is not None:
        return profile.kind
    return KIND_BY_ORGANISATION.get(unit.organisation.code, BodyKind.STATE)


def default_place(unit: OrgUnit) -> str:
    body = issuing_unit(unit)
    profile = _profile(body)
    if profile is not None and profile.place:
        return profile.place
    area = body.area
    while area is not None and area.parent_id is not None and not area.is_province:
        area = area.parent
    return area.short_name if area is not None else "Hà Nội"


def default_recipients(unit: OrgUnit) -> str:
    body = issuing_unit(unit)
    profile = _profile(body)
    if profile is not None and profile.recipients:
        return profile.recipients
    lines = []
    parent = unit_parent(body)
    if parent is not None:
        lines.append(parent.name)
    return "\n".join(lines)


def default_signers(report: Report) -> list[dict[str, str]]:
    """Each issuing body's signer on the report's date: its signatory (reporting.authority:
    the head, else the first), else the one its profile names, else its kind's placeholder
    title with no name (which the named-signer rule refuses until a name is written)."""
    from phoihop.reporting.authority import signer_for

    day = report.issued_on or timezone.localdate()
    signers = []
    for unit in report.units:
        body = issuing_unit(unit)
        signatory = signer_for(body, day)
        if signatory is not None:
            signers.append(signatory)
            continue
        profile = _profile(body)
        if profile is not None and (profile.signer_title or profile.signer_name):
            signers.append(
                {
                    "capacity": profile.signer_capacity,
                    "collective": profile.signer_collective,
                    "title": profile.signer_title,
                    "rank": profile.signer_rank,
                    "name": profile.signer_name,
                }
            )
            continue
        capacity, collective, title = DEFAULT_SIGNER[BodyKind(body_kind(body))]
        signers.append({"capacity": capacity, "collective": collective, "title": title, "rank": "", "name": ""})
    return signers


def signing_bodies(report: Report) -> list[tuple[OrgUnit, str]]:
    """Who signs the report's PDF, in the order of its blocks: each party's issuing body with
    the name its signature block prints ("" when none: the certificate's person)."""
    signers = report.signers or default_signers(report)
    bodies = [issuing_unit(unit) for unit in report.units]
    names = [str(signer.get("name") or "") for signer in signers] + [""] * len(bodies)
    return list(zip(bodies, names[: len(bodies)], strict=True))


def body_for(unit: OrgUnit, signer: dict[str, str], number: int | None, *, with_parent: bool = True) -> Body:
    """The body issuing for ``unit``; ``with_parent=False``: without the name of the body above
    (left empty, its unit not read), for what never shows it (the document's number)."""
    body = issuing_unit(unit)
    profile = _profile(body)
    if profile and profile.parent_name:
        parent_name = profile.parent_name
    elif with_parent:
        parent = unit_parent(body)
        parent_name = parent.name if parent else ""
    else:
        parent_name = ""
    kind = profile.kind if profile else KIND_BY_ORGANISATION.get(body.organisation.code, BodyKind.STATE)
    return Body(
        name=(profile.name_on_documents if profile and profile.name_on_documents else body.name),
        kind=kind,
        parent=parent_name,
        abbreviation=profile.abbreviation if profile else abbreviation_for(body.name),
        number=number,
        signer_capacity=signer.get("capacity", ""),
        signer_collective=signer.get("collective", ""),
        signer_title=signer.get("title", ""),
        signer_rank=signer.get("rank", ""),
        signer_name=signer.get("name", ""),
        office=(profile.drafting_office if profile and profile.drafting_office else DEFAULT_OFFICE[BodyKind(kind)]),
    )


def _day(iso: str) -> str:
    return vn_date(date.fromisoformat(iso))


def subject_for(report: Report) -> str:
    programme = report.period.programme.title
    period = report.period
    if period.kind == PeriodKind.END_PHASE and period.phase_id:
        years = period.end.year - period.start.year
        return _("Tổng kết %(years)s năm thực hiện %(programme)s, giai đoạn %(phase)s") % {
            "years": years,
            "programme": programme,
            "phase": period.phase.name if period.phase else "",
        }
    if period.kind == PeriodKind.MID_PHASE and period.phase_id:
        return _("Sơ kết thực hiện %(programme)s, giai đoạn %(phase)s") % {
            "programme": programme,
            "phase": period.phase.name if period.phase else "",
        }
    return _("Kết quả thực hiện %(programme)s, %(period)s") % {
        "programme": programme,
        "period": lower_first(period.name),
    }


def _bullets(items: list[dict[str, Any]], render: Callable[[dict[str, Any]], str]) -> list[str]:
    return [f"- {render(item)}" for item in items]


def _distinct(notes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Lessons or proposals recorded by several units under the same title, once each."""
    seen: set[str] = set()
    kept = []
    for note in notes:
        key = fold(note["title"])
        if key not in seen:
            seen.add(key)
            kept.append(note)
    return kept


def _one_line(text: str) -> str:
    return " ".join(text.split())


def default_intro(report: Report) -> str:
    """The opening sentence of a report whose writer left the introduction empty: the issuing
    bodies named in full as they were on the report's date."""
    bodies = [issuing_unit(u) for u in report.units]
    dated = names_on((b.pk for b in bodies), report.issued_on or timezone.localdate())
    names = _(" và ").join(dated.get(b.pk) or b.name for b in bodies)
    return _("Thực hiện %(programme)s, %(names)s báo cáo kết quả %(period)s như sau:") % {
        "programme": report.period.programme.title,
        "names": names,
        "period": lower_first(report.period.name),
    }


def sections_for(report: Report, content: dict[str, Any]) -> list[Section]:
    text = report.section_text
    # A field left empty is written from the period's data (no heading stands empty).
    filled = prefill(report, content, sections=False)
    results: list[str] = []
    for number, field in enumerate(content["fields"], start=1):
        written = text(f"field:{field['code']}").strip() or filled.get(f"field:{field['code']}", "")
        results.append(f"{number}. {field['name']}. {written}".strip())
    if content["activities"]:
        results.append(_("Một số hoạt động phối hợp tiêu biểu:"))
        results += _bullets(
            content["activities"],
            lambda a: (
                _("%(title)s (%(unit)s, %(day)s)") % {"title": a["title"], "unit": a["unit"], "day": _day(a["end"])}
            ),
        )
    if content["models"]:
        results.append(_("Mô hình, điển hình và việc nhân rộng:"))
        results += _bullets(
            content["models"],
            lambda m: (
                (_("%(name)s (%(unit)s), nhân rộng ra %(spread)s đơn vị") if m["spread"] else _("%(name)s (%(unit)s)"))
                % {"name": m["name"], "unit": m["unit"], "spread": m["spread"]}
            ),
        )
    sections = [Section(_("KẾT QUẢ THỰC HIỆN"), results)]
    records = {"lessons": content.get("lessons", []), "proposals": content.get("proposals", [])}
    titles = {
        "strengths": _("ƯU ĐIỂM"),
        "limitations": _("HẠN CHẾ, NGUYÊN NHÂN"),
        "lessons": _("BÀI HỌC KINH NGHIỆM"),
        "directions": _("PHƯƠNG HƯỚNG, NHIỆM VỤ"),
        "proposals": _("ĐỀ XUẤT, KIẾN NGHỊ"),
    }
    for key, _label in NARRATIVE_SECTIONS:
        paragraphs = [p.strip() for p in text(key).split("\n") if p.strip()]
        if not paragraphs and records.get(key):
            paragraphs = _bullets(_distinct(records[key]), lambda n: f"{n['title']}: {_one_line(n['content'])}")
        if paragraphs:
            sections.append(Section(str(titles[key]), paragraphs))
    return sections


def document_for(report: Report, content: dict[str, Any] | None = None) -> ReportDocument:
    content = content if content is not None else content_for(report)
    signers = report.signers or default_signers(report)
    bodies = [
        body_for(unit, signers[k] if k < len(signers) else {}, report.number if k == 0 else None)
        for k, unit in enumerate(report.units)
    ]
    indicators = {i["id"]: i for i in content["indicators"]}
    annexes = []
    for n, annex in enumerate(content["annexes"], start=1):
        columns = [(indicators[i]["name"], indicators[i]["unit_of_measure"]) for i in annex["indicator_ids"]]
        annexes.append(
            AnnexTable(
                title=_("Phụ lục %(n)s. Kết quả thực hiện các chỉ tiêu của các đơn vị trực thuộc %(unit)s")
                % {"n": n, "unit": annex["unit"]["name"]},
                columns=columns,
                rows=[(row["name"], list(row["values"])) for row in annex["rows"]],
                totals=list(annex["totals"]),
            )
        )
    figures = [
        FieldFigures(
            code=f["code"],
            name=f["name"],
            rows=[
                FigureRow(
                    indicator_code=r["code"],
                    indicator=r["name"],
                    unit_of_measure=r["unit_of_measure"],
                    value=r["value"],
                    previous=r["previous"],
                    target=r["target"],
                )
                for r in f["rows"]
            ],
        )
        for f in content["fields"]
    ]
    intro = [p.strip() for p in report.section_text("intro").split("\n") if p.strip()] or [default_intro(report)]
    note = ""
    if report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        note = _("Bản dự thảo: số liệu tính đến %(when)s, chưa chốt.") % {"when": vn_datetime(timezone.now())}
    return ReportDocument(
        bodies=bodies,
        place=report.place or default_place(report.unit),
        issued_on=report.issued_on or timezone.localdate(),
        subject=subject_for(report),
        period_label=_("Từ ngày %(start)s đến ngày %(end)s")
        % {"start": _day(content["period"]["start"]), "end": _day(content["period"]["end"])},
        intro=intro,
        sections=sections_for(report, content),
        figures=figures,
        annexes=annexes,
        recipients=[line.strip(" -;") for line in report.recipients.splitlines() if line.strip(" -;")],
        value_label=content.get("value_label") or value_label(report.period),
        previous_label=content.get("previous_label") or _("Kỳ trước"),
        target_label=content.get("target_label") or _("Chỉ tiêu giao"),
        watermark_note=note,
        watermark=demo_watermark(),
        title=f"{report.period.name} {report.unit.code}",
    )


def template_for(kind: str) -> bytes | None:
    """The newest active uploaded template of the kind, or None for the shipped one."""
    template = (
        DocumentTemplate.objects.unrestricted(OFFICIAL_TEXT)
        .filter(kind=kind, is_active=True)
        .order_by("-version")
        .first()
    )

    if template is None:
        return None
    with template.file.open("rb") as f:
        return f.read()


@dataclass
class Built:
    content: bytes
    filename: str
    content_type: str


def build(report: Report, fmt: str, progress: Callable[[int], None] | None = None) -> Built:
    """The report as DOCX, XLSX or PDF (PDF raises ``PdfUnavailable`` without LibreOffice)."""
    from phoihop.documents import builders

    if fmt not in FORMATS:
        raise ValueError(fmt)
    if progress:
        progress(5)
    doc = document_for(report)
    if progress:
        progress(50)
    if fmt == "xlsx":
        data = builders.build_xlsx(doc)
    else:
        data = builders.build_docx(doc, template_for(doc.bodies[0].kind))
        if fmt == "pdf":
            if progress:
                progress(70)
            data = builders.docx_to_pdf(data)
    if progress:
        progress(100)
    return Built(data, builders.filename(doc, fmt), FORMATS[fmt])
