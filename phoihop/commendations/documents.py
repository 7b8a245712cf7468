"""A commendation decision as a Word document in the Decree 30 layout (the reporting builders):
the issuing body and its number, "QUYẾT ĐỊNH" and its subject, the legal bases, Điều 1 with the
list of those commended, the signature."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _

from phoihop.core.demo import demo_watermark
from phoihop.core.gate import OFFICIAL_TEXT
from phoihop.documents.data import ListAnnex, ReportDocument
from phoihop.orgunits.models import OrgUnit, Rank
from phoihop.orgunits.names import dated_name, name_on, names_on
from phoihop.reporting.authority import authority_basis, authority_line
from phoihop.reporting.documents import body_for, default_place

from .models import Award, AwardKind, AwardType, Decision

LEGAL_BASES = [
    "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
    "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành "
    "một số điều của Luật Thi đua, khen thưởng;",
]


def legal_bases(unit: OrgUnit) -> list[str]:
    """A decision's bases before "Xét đề nghị…": the authority's own basis first (its profile's;
    none when not recorded, which the services refuse), then the law and its decree."""
    basis = authority_basis(unit)
    return [basis, *LEGAL_BASES] if basis else list(LEGAL_BASES)


def decision_signer(decision: Decision) -> dict[str, str]:
    """The decision's signer block: capacity and collective ("KT. CHỦ NHIỆM"), title, rank, name."""
    return {
        "capacity": decision.signer_capacity,
        "collective": decision.signer_collective,
        "title": decision.signer_title,
        "rank": str(Rank(decision.signer_rank).label) if decision.signer_rank else "",
        "name": decision.signer_name,
    }


def award_line(award: Award, day: date | None = None) -> str:
    """ "Thượng úy Nguyễn Văn Cựu, Chi hội trưởng, Hội Cựu chiến binh phường Hoàn Kiếm": units
    named in full as they were on ``day`` (by default the decision's date)."""
    day = day or award.decision.issued_on
    if award.nominee_unit_id:
        return name_on(award.nominee_unit, day)  # type: ignore[arg-type]
    person = award.person
    assert person is not None
    parts = [f"{award.rank_at_event_label} {person.full_name}".strip()]
    parts += [p for p in award.positions_at_event if p]
    parts.append(name_on(award.home_unit, day))
    return ", ".join(parts)


def _count_text(collectives: int, individuals: int) -> str:
    """ "02 tập thể và 05 cá nhân" (numbers below 10 with a leading zero, as decisions write them)."""
    parts = []
    if collectives:
        parts.append(_("%(n)s tập thể") % {"n": f"{collectives:02d}"})
    if individuals:
        parts.append(_("%(n)s cá nhân") % {"n": f"{individuals:02d}"})
    return _(" và ").join(parts)


def _programme_phrase(awards: list[Award]) -> str:
    phases = {a.phase_id: a.phase for a in awards}
    if len(phases) != 1:
        return _("trong thực hiện chương trình phối hợp")
    phase = next(iter(phases.values()))
    title = phase.programme.title.strip().rstrip(".")
    title = title[0].lower() + title[1:] if title else ""
    return _("trong thực hiện %(programme)s, giai đoạn %(phase)s") % {"programme": title, "phase": phase.name}


def _presenter(award: Award) -> str:
    """The unit that put the nomination before the awarding unit (the last level that sent it
    on, which may be of the other organisation's tree), else the proposing unit."""
    nomination = award.nomination
    assert nomination is not None
    sent = [s for s in nomination.steps.all() if s.to_unit_id == nomination.awarding_unit_id]
    return (sent[-1].unit if sent else nomination.proposing_unit).name


def _unit_names(awards: list[Award], day: date) -> list[str]:
    """The unit column of the list: an individual's unit; for a collective, the unit above it;
    in full, as they were on ``day`` (the decision's date; read in one query)."""
    step = OrgUnit.steplen
    parents = {a.nominee_unit.path[:-step] for a in awards if a.nominee_unit is not None and a.nominee_unit.depth > 1}
    homes = {a.home_unit_id for a in awards if a.nominee_unit is None}
    rows = (
        OrgUnit.objects.unrestricted(OFFICIAL_TEXT)
        .filter(Q(path__in=parents) | Q(pk__in=homes))
        .annotate(dated=dated_name(day))
        .values_list("pk", "path", "dated")
    )
    by_path: dict[str, str] = {}
    by_id: dict[int, str] = {}
    for pk, path, name in rows:
        by_path[path], by_id[pk] = name, name
    return [
        by_path.get(a.nominee_unit.path[:-step], "") if a.nominee_unit is not None else by_id.get(a.home_unit_id, "")
        for a in awards
    ]


def _nominee_names(awards: list[Award], day: date) -> list[str]:
    """The first column of the list: a collective in full as it was on ``day``, else the
    person's name."""
    units = names_on((a.nominee_unit_id for a in awards if a.nominee_unit_id), day)
    return [
        units.get(a.nominee_unit_id, "") if a.nominee_unit_id else a.person.full_name  # type: ignore[union-attr]
        for a in awards
    ]


def decision_document(decision: Decision) -> ReportDocument:
    """The decision (Điều 1 names the forms and titles and how many are commended; the list of
    collectives and individuals is its annex, grouped by form or title) in the Decree 30 layout."""
    awards = list(
        decision.awards.select_related(
            "award", "phase__programme", "nominee_unit", "person", "home_unit", "nomination__proposing_unit"
        )
        .prefetch_related("nomination__steps__unit")
        .order_by("award__kind", "award__order", "award_id", "nominee_unit_id", "pk")
    )
    body = body_for(decision.awarding_unit, decision_signer(decision), decision.number)
    proposers = sorted({_presenter(a) for a in awards if a.nomination_id})
    intro = legal_bases(decision.issuing_unit)
    if proposers:
        intro.append(_("Xét đề nghị của %(units)s,") % {"units": ", ".join(proposers)})
    groups: dict[int, list[Award]] = defaultdict(list)
    kinds: dict[int, AwardType] = {}
    for a in awards:
        groups[a.award_id].append(a)
        kinds[a.award_id] = a.award
    articles = []
    for award_id, rows in groups.items():
        collectives = sum(1 for a in rows if a.nominee_unit_id)
        kind = kinds[award_id]
        what = kind.name if kind.kind == AwardKind.FORM else _("danh hiệu “%(title)s”") % {"title": kind.name}
        articles.append(
            _("Tặng %(what)s cho %(count)s (có danh sách kèm theo) đã có thành tích xuất sắc %(where)s.")
            % {
                "what": what,
                "count": _count_text(collectives, len(rows) - collectives),
                "where": _programme_phrase(rows),
            }
        )
    articles = articles or [_("(Chưa có tập thể, cá nhân nào.)")]
    articles += [
        _("Quyết định này có hiệu lực kể từ ngày ký."),
        _(
            "Thủ trưởng các cơ quan, đơn vị có liên quan và các tập thể, cá nhân có tên trong danh sách "
            "kèm theo chịu trách nhiệm thi hành Quyết định này."
        ),
    ]
    last = len(articles)
    table = ListAnnex(
        title=_("DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG"),
        headers=[_("Tập thể, cá nhân"), _("Cấp bậc"), _("Chức vụ"), _("Đơn vị")],
        shares=[30, 14, 26, 30],
        rows=[
            [who, a.rank_at_event_label, "; ".join(p for p in a.positions_at_event if p), unit_name]
            for a, who, unit_name in zip(
                awards,
                _nominee_names(awards, decision.issued_on),
                _unit_names(awards, decision.issued_on),
                strict=True,
            )
        ],
    )
    offset = 0
    for award_id, rows in groups.items():
        table.group_titles[offset] = kinds[award_id].name
        offset += len(rows)
    return ReportDocument(
        bodies=[body],
        place=default_place(decision.issuing_unit),
        issued_on=decision.issued_on,
        subject=decision.subject or _("Về việc khen thưởng"),
        period_label="",
        doc_type="QUYẾT ĐỊNH",
        type_code="QĐ",
        intro=intro,
        authority=authority_line(decision.issuing_unit),
        articles=[_("Điều %(n)s. %(text)s") % {"n": n, "text": text} for n, text in enumerate(articles, 1)],
        lists=[table] if awards else [],
        recipients=[_("Như Điều %(n)s") % {"n": last}, _("Lưu: VT, TĐKT")],
        title=f"quyet-dinh-{decision.number or 'chua-so'}-{decision.issued_on:%Y}",
        watermark=demo_watermark(),
    )


def decision_docx(decision: Decision) -> bytes:
    from phoihop.documents import builders

    return builders.build_docx(decision_document(decision))


LIST_HEADERS = ["STT", "Tập thể, cá nhân", "Cấp bậc", "Chức vụ", "Đơn vị", "Hình thức, danh hiệu", "Giai đoạn", "Năm"]


def decision_xlsx(decision: Decision) -> bytes:
    """The decision's list as a workbook: one row per collective or individual commended."""
    import io

    import xlsxwriter

    from phoihop.documents.builders import safe_cell_text

    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    )
    bold = book.add_format({"bold": True, "font_name": "Times New Roman", "font_size": 12})
    head = book.add_format(
        {
            "bold": True,
            "border": 1,
            "text_wrap": True,
            "align": "center",
            "valign": "vcenter",
            "font_name": "Times New Roman",
        }
    )
    cell = book.add_format({"border": 1, "text_wrap": True, "valign": "top", "font_name": "Times New Roman"})
    sheet = book.add_worksheet("Danh sách")
    sheet.write(
        0,
        0,
        safe_cell_text(
            f"Danh sách khen thưởng kèm theo {decision} của {name_on(decision.issuing_unit, decision.issued_on)}"
        ),
        bold,
    )
    for col, (title, width) in enumerate(zip(LIST_HEADERS, [6, 34, 14, 30, 36, 40, 12, 8], strict=True)):
        sheet.write(2, col, title, head)
        sheet.set_column(col, col, width)
    rows = list(decision.awards.select_related("award", "phase", "nominee_unit", "person", "home_unit").order_by("pk"))
    # Units in full as they were on the decision's date, as in the decision's list.
    names = names_on({u for a in rows for u in (a.nominee_unit_id, a.home_unit_id) if u}, decision.issued_on)
    for i, a in enumerate(rows, 1):
        who = names.get(a.nominee_unit_id, "") if a.nominee_unit_id else a.person.full_name  # type: ignore[union-attr]
        values = [str(i), who, a.rank_at_event_label, "; ".join(a.positions_at_event), names.get(a.home_unit_id, "")]
        values += [a.award.name, a.phase.name, str(a.year)]
        for col, value in enumerate(values):
            sheet.write_string(2 + i, col, safe_cell_text(value), cell)
    sheet.freeze_panes(3, 0)
    book.close()
    return out.getvalue()
