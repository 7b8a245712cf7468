"""A commendation decision as a Word document in the Decree 30 layout (the reporting builders):
the issuing body and its number, "QUYẾT ĐỊNH" and its subject, the legal bases, Điều 1 with the
list of those commended, the signature."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _

from phoihop.documents.data import ReportDocument
from phoihop.orgunits.models import Rank
from phoihop.reporting.documents import body_for, default_place

from .models import Award, AwardType, Decision

LEGAL_BASES = [
    "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
    "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành "
    "một số điều của Luật Thi đua, khen thưởng;",
]


def award_line(award: Award) -> str:
    """ "Thượng úy Nguyễn Văn Cựu, Chi hội trưởng, Hội Cựu chiến binh phường Hoàn Kiếm"."""
    if award.nominee_unit_id:
        return award.nominee_unit.name  # type: ignore[union-attr]
    person = award.person
    assert person is not None
    parts = [f"{award.rank_at_event_label} {person.full_name}".strip()]
    parts += [p for p in award.positions_at_event if p]
    parts.append(award.home_unit.name)
    return ", ".join(parts)


def decision_document(decision: Decision) -> ReportDocument:
    awards = list(
        decision.awards.select_related(
            "award", "phase", "nominee_unit", "person", "home_unit", "nomination__proposing_unit"
        )
    )
    rank = str(Rank(decision.signer_rank).label) if decision.signer_rank else ""
    body = body_for(
        decision.awarding_unit,
        {"title": decision.signer_title, "rank": rank, "name": decision.signer_name},
        decision.number,
    )
    proposers = sorted({a.nomination.proposing_unit.name for a in awards if a.nomination_id})  # type: ignore[union-attr]
    intro = list(LEGAL_BASES)
    if proposers:
        intro.append(_("Xét đề nghị của %(units)s,") % {"units": ", ".join(proposers)})
    intro.append(_("QUYẾT ĐỊNH:"))
    groups: dict[int, list[Award]] = defaultdict(list)
    kinds: dict[int, AwardType] = {}
    for a in awards:
        groups[a.award_id].append(a)
        kinds[a.award_id] = a.award
    for article, (award_id, rows) in enumerate(groups.items(), 1):
        phases = sorted({a.phase.name for a in rows})
        intro.append(
            _(
                "Điều %(n)s. Tặng %(award)s cho %(count)s tập thể, cá nhân có thành tích xuất sắc "
                "trong giai đoạn %(phase)s:"
            )
            % {"n": article, "award": kinds[award_id].name, "count": len(rows), "phase": ", ".join(phases)}
        )
        intro += [f"{i}. {award_line(a)};" for i, a in enumerate(rows, 1)]
    last = len(groups) + 1
    intro.append(_("Điều %(n)s. Quyết định này có hiệu lực kể từ ngày ký.") % {"n": last})
    intro.append(
        _(
            "Điều %(n)s. Thủ trưởng các cơ quan, đơn vị có liên quan và các tập thể, cá nhân có tên tại "
            "Điều 1 chịu trách nhiệm thi hành Quyết định này."
        )
        % {"n": last + 1}
    )
    return ReportDocument(
        bodies=[body],
        place=default_place(decision.issuing_unit),
        issued_on=decision.issued_on,
        subject=decision.subject or _("Về việc khen thưởng"),
        period_label="",
        doc_type="QUYẾT ĐỊNH",
        type_code="QĐ",
        intro=intro,
        recipients=[_("Như Điều %(n)s") % {"n": last + 1}, _("Lưu: VT")],
        title=f"quyet-dinh-{decision.number or 'chua-so'}-{decision.issued_on:%Y}",
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
        0, 0, safe_cell_text(f"Danh sách khen thưởng kèm theo {decision} của {decision.issuing_unit.name}"), bold
    )
    for col, (title, width) in enumerate(zip(LIST_HEADERS, [6, 34, 14, 30, 36, 40, 12, 8], strict=True)):
        sheet.write(2, col, title, head)
        sheet.set_column(col, col, width)
    rows = decision.awards.select_related("award", "phase", "nominee_unit", "person", "home_unit").order_by("pk")
    for i, a in enumerate(rows, 1):
        who = a.nominee_unit.name if a.nominee_unit_id else a.person.full_name  # type: ignore[union-attr]
        values = [str(i), who, a.rank_at_event_label, "; ".join(a.positions_at_event), a.home_unit.name]
        values += [a.award.name, a.phase.name, str(a.year)]
        for col, value in enumerate(values):
            sheet.write_string(2 + i, col, safe_cell_text(value), cell)
    sheet.freeze_panes(3, 0)
    book.close()
    return out.getvalue()
