"""Reads of conferences: the scoped list with its prefetches, and the conference told as news."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from phoihop.conferences.models import CoChair, Conference, ConferenceKind, Delegate, Paper, ProposalAdoption
from phoihop.core.formats import vn_date
from phoihop.orgunits.models import Rank

KIND_NOUN = {
    ConferenceKind.MID: "sơ kết",
    ConferenceKind.END: "tổng kết",
    ConferenceKind.BRIEFING: "giao ban",
}
REVIEW_VERB = {
    ConferenceKind.MID: "sơ kết",
    ConferenceKind.END: "tổng kết",
    ConferenceKind.BRIEFING: "đánh giá",
}


def conferences_for(user: Any, action: str = "view") -> QuerySet[Conference]:
    return (
        Conference.objects.restrict(user, action)
        .select_related("programme", "phase", "signing__phase", "report__unit", "report__partner_unit")
        .prefetch_related(
            "organisers",
            Prefetch("cochairs", queryset=CoChair.objects.select_related("person")),
            Prefetch("delegates", queryset=Delegate.objects.select_related("person")),
            Prefetch("papers", queryset=Paper.objects.select_related("author", "unit")),
            Prefetch("adoptions", queryset=ProposalAdoption.objects.select_related("proposal", "phase")),
            "signing__bodies",
            "commendation_decisions__awards",
        )
    )


def conference_decisions(conference: Conference, user: Any) -> QuerySet[Any]:
    """The commendation decisions recorded as outcomes of the conference, as far as the user sees them."""
    return conference.commendation_decisions.restrict(user, "view").select_related("issuing_unit")  # type: ignore[attr-defined,no-any-return]


def commended_phrase(conference: Conference) -> str:
    """ "ba tập thể và năm cá nhân": who the conference's decisions commended ("" when none)."""
    collectives = individuals = 0
    for decision in conference.commendation_decisions.all():  # type: ignore[attr-defined]
        for award in decision.awards.all():
            if award.nominee_unit_id:
                collectives += 1
            elif award.person_id:
                individuals += 1
    parts = []
    if collectives:
        parts.append(f"{count_vi(collectives)} tập thể")
    if individuals:
        parts.append(f"{count_vi(individuals)} cá nhân")
    return join_vi(parts)


vi_date = vn_date


COUNT_WORDS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười"]


def count_vi(n: int) -> str:
    """Small counts in words, as news writes them ("hai tham luận"); digits from 11 on."""
    return COUNT_WORDS[n] if 0 <= n < len(COUNT_WORDS) else str(n)


def join_vi(items: list[str]) -> str:
    """ "A", "A và B", "A, B và C"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} và {items[-1]}"


def person_phrase(name: str, rank: str, positions: list[str]) -> str:
    """ "Thiếu tướng Nguyễn Văn Gấu, Ủy viên Trung ương Đảng, Phó Chủ nhiệm ..." ("đồng chí" without rank)."""
    rank_label = str(Rank(rank).label) if rank else "đồng chí"
    head = f"{rank_label} {name}"
    return ", ".join([head, *positions]) if positions else head


def programme_phrase(conference: Conference, phase_name: str) -> str:
    return f"{conference.programme.title} giai đoạn {phase_name}"


@dataclass
class NewsSummary:
    headline: str
    lead: str
    paragraphs: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join([self.headline, self.lead, *self.paragraphs])


def news_summary(conference: Conference) -> NewsSummary:
    """The conference told as a news item, from its record (the inverse of a news report)."""
    organisers = sorted(conference.organisers.all(), key=lambda u: (u.organisation_id, u.path))
    names = [u.name for u in organisers]
    if len(names) == 2:
        who = f"{names[0]} phối hợp với {names[1]} tổ chức"
    elif len(names) > 2:
        who = f"{join_vi(names)} phối hợp tổ chức"
    else:
        who = f"{join_vi(names)} tổ chức"
    noun = KIND_NOUN.get(conference.kind)  # type: ignore[call-overload]
    phase = conference.phase
    if noun:
        what = f"Hội nghị {noun} {programme_phrase(conference, phase.name)}"
    else:
        what = conference.title
    signing = conference.signing
    if signing is not None:
        what += f"; ký kết Chương trình phối hợp giai đoạn {signing.phase.name}"
    lead = f"Ngày {vi_date(conference.held_on)}, tại {conference.place}, {who} {what}."

    paragraphs: list[str] = []
    cochairs = list(conference.cochairs.all())
    if cochairs:
        phrases = [person_phrase(c.person.full_name, c.rank_at_event, list(c.positions_at_event)) for c in cochairs]
        verb = "đồng chủ trì" if len(phrases) > 1 else "chủ trì"
        paragraphs.append(f"{join_vi(phrases)} {verb} Hội nghị.")
    delegates = list(conference.delegates.all())
    honoured = [d for d in delegates if d.is_guest_of_honour]
    others = [d for d in delegates if not d.is_guest_of_honour]
    if honoured or others:
        guests = [
            person_phrase(d.display_name, d.rank_at_event, d.positions)
            if d.person_id
            else ", ".join([f"đồng chí {d.name}", *d.positions])
            for d in honoured
        ]
        body = join_vi(guests)
        if honoured and others:
            paragraphs.append(
                f"Tới dự Hội nghị có {body}, cùng {count_vi(len(others))} đại biểu các cơ quan, đơn vị của hai bên."
            )
        elif honoured:
            paragraphs.append(f"Tới dự Hội nghị có {body}.")
        else:
            paragraphs.append(f"Tới dự Hội nghị có {count_vi(len(others))} đại biểu các cơ quan, đơn vị của hai bên.")
    verb = REVIEW_VERB.get(conference.kind, "đánh giá")  # type: ignore[call-overload]
    review = f"Hội nghị đã {verb} kết quả thực hiện Chương trình phối hợp giai đoạn {phase.name}"
    if conference.report_id and conference.report is not None:
        review += f" trên cơ sở báo cáo {verb} của {conference.report.unit.name}"
        if conference.report.partner_unit_id and conference.report.partner_unit:
            review += f" và {conference.report.partner_unit.name}"
    paragraphs.append(review + ".")
    papers = list(conference.papers.all())
    if papers:
        titles = join_vi([f"“{p.title}”" for p in papers])
        paragraphs.append(f"Các đại biểu đã trình bày {count_vi(len(papers))} tham luận: {titles}.")
    if conference.conclusions.strip():
        paragraphs.append(conference.conclusions.strip())
    commended = commended_phrase(conference)
    if commended:
        paragraphs.append(
            f"Dịp này, {commended} có thành tích xuất sắc trong thực hiện Chương trình phối hợp "
            f"giai đoạn {phase.name} được khen thưởng."
        )
    if signing is not None:
        bodies = [u.name for u in signing.bodies.all()] or names
        paragraphs.append(
            f"Tại Hội nghị, {join_vi(bodies)} đã ký kết Chương trình phối hợp giai đoạn {signing.phase.name}."
        )
    adoptions = list(conference.adoptions.all())
    if adoptions:
        count, new_phase = count_vi(len(adoptions)), adoptions[0].phase.name
        titles = join_vi([f"“{a.proposal.title}”" for a in adoptions])
        paragraphs.append(f"Hội nghị tiếp thu {count} đề xuất làm nhiệm vụ của giai đoạn {new_phase}: {titles}.")
    return NewsSummary(headline=conference.title, lead=lead, paragraphs=paragraphs)
