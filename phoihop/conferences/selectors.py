"""Reads of conferences: the scoped list with its prefetches, and the conference told as news."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from django.db.models import Prefetch, QuerySet

from phoihop.conferences.models import (
    CoChair,
    Conference,
    ConferenceKind,
    Delegate,
    Paper,
    ProposalAdoption,
    Speech,
    SpeechKind,
)
from phoihop.core.formats import vn_date, vn_date_words, vn_number
from phoihop.orgunits.models import Rank
from phoihop.programmes.models import Signatory

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
            Prefetch("adoptions", queryset=ProposalAdoption.objects.select_related("proposal__unit", "phase")),
            "agenda_items",
            Prefetch("speeches", queryset=Speech.objects.select_related("person")),
            "signing__bodies",
            Prefetch("signing__signatories", queryset=Signatory.objects.select_related("person", "body")),
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


WEEKDAYS = ["thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"]


def hour_words(value: time) -> str:
    """ "08 giờ 00", as invitations write the hour."""
    return f"{value.hour:02d} giờ {value.minute:02d}"


def day_words(value: date) -> str:
    """ "ngày 23 tháng 9 năm 2022 (thứ Sáu)"."""
    return f"{vn_date_words(value)} ({WEEKDAYS[value.weekday()]})"


def time_line(conference: Conference) -> str:
    """ "08 giờ 00, ngày 23 tháng 9 năm 2022 (thứ Sáu)", or "từ 08 giờ 00 đến 11 giờ 30, ngày ..."
    ("" while the hour is not recorded)."""
    if conference.starts_at is None:
        return ""
    if conference.ends_at is not None:
        hours = f"từ {hour_words(conference.starts_at)} đến {hour_words(conference.ends_at)}"
    else:
        hours = hour_words(conference.starts_at)
    return f"{hours}, {day_words(conference.held_on)}"


def venue_line(conference: Conference) -> str:
    """ "Hội trường ..., số 34A Trần Phú, quận Ba Đình, Hà Nội": the venue, its address, and the
    locality unless the address already names it ("" while the venue is not recorded)."""
    if not conference.venue.strip():
        return ""
    line = conference.venue_line
    place = conference.place.strip()
    if place and place.casefold() not in line.casefold():
        line = f"{line}, {place}"
    return line


def missing_for_invitation(conference: Conference) -> list[str]:
    """What the record lacks for an invitation (names of the missing facts, "" none)."""
    missing = []
    if conference.starts_at is None:
        missing.append("giờ khai mạc")
    if not conference.venue.strip():
        missing.append("hội trường, phòng họp")
    return missing


def headline_results(conference: Conference, limit: int = 5) -> list[dict[str, Any]]:
    """The headline results of the phase, from the figures frozen in the conference's summary
    report: the largest value of each field (so each result speaks of another field), the
    ``limit`` largest of those, in the report's order of fields. No report or no frozen figures:
    none (a live figure would change after the conference)."""
    report = conference.report
    frozen = report.frozen if report is not None else None
    if not frozen:
        return []
    best: list[tuple[int, dict[str, Any]]] = []
    for position, field_ in enumerate(frozen.get("fields", [])):
        rows = [r for r in field_.get("rows", []) if (r.get("value") or 0) > 0]
        if rows:
            best.append((position, max(rows, key=lambda r: r["value"])))
    chosen = sorted(best, key=lambda pair: -pair[1]["value"])[:limit]
    return [
        {
            "indicator_id": row["indicator_id"],
            "code": row["code"],
            "name": row["name"],
            "value": row["value"],
            "value_text": vn_number(row["value"]),
            "unit_of_measure": row["unit_of_measure"],
        }
        for _position, row in sorted(chosen, key=lambda pair: pair[0])
    ]


def _lower_first(text: str) -> str:
    """ "Số nhà ..." → "số nhà ..." inside a sentence; an acronym ("QĐND ...") is kept."""
    text = text.strip()
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _sentence(text: str) -> str:
    text = " ".join(text.split()).rstrip(" .;")
    return f"{text}."


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in text.splitlines() if p.strip()]


@dataclass
class NewsSummary:
    headline: str
    lead: str
    paragraphs: list[str] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join([self.headline, self.lead, *self.paragraphs])


def _organiser_units(conference: Conference) -> list[Any]:
    return sorted(conference.organisers.all(), key=lambda u: (u.organisation_id, u.path))


def day_part(conference: Conference) -> str:
    """ "Sáng", "Chiều", "Tối" from the opening hour; "Ngày" without it."""
    if conference.starts_at is None:
        return "Ngày"
    hour = conference.starts_at.hour
    return "Sáng" if hour < 12 else "Chiều" if hour < 18 else "Tối"


def news_lead(conference: Conference) -> str:
    """ "Sáng 23/9/2022, tại Hội trường ..., Hà Nội, A phối hợp với B tổ chức Hội nghị ...; ký kết ..." """
    names = [u.name for u in _organiser_units(conference)]
    if len(names) == 2:
        who = f"{names[0]} phối hợp với {names[1]} tổ chức"
    elif len(names) > 2:
        who = f"{join_vi(names)} phối hợp tổ chức"
    else:
        who = f"{join_vi(names)} tổ chức"
    noun = KIND_NOUN.get(conference.kind)  # type: ignore[call-overload]
    if noun:
        what = f"Hội nghị {noun} {programme_phrase(conference, conference.phase.name)}"
    else:
        what = conference.title
    signing = conference.signing
    if signing is not None:
        what += f"; ký kết Chương trình phối hợp giai đoạn {signing.phase.name}"
    where = conference.place
    if conference.venue.strip():
        venue = conference.venue.strip()
        where = venue if conference.place.casefold() in venue.casefold() else f"{venue}, {conference.place}"
    return f"{day_part(conference)} {vi_date(conference.held_on)}, tại {where}, {who} {what}."


def _person_of(row: Any) -> str:
    return person_phrase(row.person.full_name, row.rank_at_event, list(row.positions_at_event))


def _short_person(rank: str, name: str) -> str:
    return f"{Rank(rank).label if rank else 'đồng chí'} {name}"


def attendance_paragraphs(conference: Conference) -> list[str]:
    """Who chaired and who came, as the news and the notice of conclusions write it."""
    paragraphs: list[str] = []
    cochairs = list(conference.cochairs.all())
    if cochairs:
        verb = "đồng chủ trì" if len(cochairs) > 1 else "chủ trì"
        paragraphs.append(f"{join_vi([_person_of(c) for c in cochairs])} {verb} Hội nghị.")
    delegates = list(conference.delegates.all())
    honoured = [d for d in delegates if d.is_guest_of_honour]
    others = [d for d in delegates if not d.is_guest_of_honour]
    guests = [
        person_phrase(d.display_name, d.rank_at_event, d.positions)
        if d.person_id
        else ", ".join([f"đồng chí {d.name}", *d.positions])
        for d in honoured
    ]
    if len(others) <= 6:
        bodies = list(
            dict.fromkeys((d.person.unit.name if d.person_id and d.person.unit_id else d.organisation) for d in others)
        )
        bodies = [b for b in bodies if b]
        crowd = f"đại biểu {join_vi(bodies)}" if bodies else ""
    else:
        crowd = f"{len(others)} đại biểu các cơ quan, đơn vị của hai bên"
    if guests and crowd:
        paragraphs.append(f"Tới dự Hội nghị có {join_vi(guests)}, cùng {crowd}.")
    elif guests or crowd:
        paragraphs.append(f"Tới dự Hội nghị có {join_vi(guests) or crowd}.")
    return paragraphs


def _introduced(conference: Conference) -> set[int]:
    """People named with their positions already (co-chairs, delegates): later only rank and name."""
    ids = {c.person_id for c in conference.cochairs.all()}
    return ids | {d.person_id for d in conference.delegates.all() if d.person_id}


SPEECH_VERB = {
    SpeechKind.OPENING: ("Phát biểu khai mạc Hội nghị", "cho biết"),
    SpeechKind.REPORT: ("Trình bày báo cáo tại Hội nghị", "nêu rõ"),
    SpeechKind.DIRECTING: ("Phát biểu chỉ đạo Hội nghị", "nhấn mạnh"),
    SpeechKind.SPEECH: ("Phát biểu tại Hội nghị", "nhấn mạnh"),
    SpeechKind.CLOSING: ("Phát biểu kết luận Hội nghị", "khẳng định"),
}


def _speech_paragraphs(speech: Speech, introduced: set[int]) -> list[str]:
    person = speech.person if speech.person_id else None
    if person is not None and person.pk in introduced:
        speaker = _short_person(speech.rank_at_event, person.full_name)
    elif person is not None:
        speaker = person_phrase(person.full_name, speech.rank_at_event, list(speech.positions_at_event))
    else:
        speaker = ", ".join([f"đồng chí {speech.speaker_name}", *speech.speaker_positions])
    opening, verb = SPEECH_VERB.get(SpeechKind(speech.kind), SPEECH_VERB[SpeechKind.SPEECH])
    parts = _paragraphs(speech.summary)
    if not parts:
        return [f"{opening}, {speaker} trình bày “{speech.title}”."]
    # A one-page news item quotes a speech by the first paragraph of its summary (its gist).
    return [f"{opening}, {speaker} {verb}: {parts[0]}"]


def _results_paragraph(conference: Conference, results: list[dict[str, Any]]) -> str:
    verb = REVIEW_VERB.get(conference.kind, "đánh giá")  # type: ignore[call-overload]
    phase = conference.phase.name
    if not results:
        return f"Hội nghị đã {verb} kết quả thực hiện Chương trình phối hợp giai đoạn {phase}."
    items = [f"{_lower_first(r['name'])} đạt {r['value_text']} {r['unit_of_measure']}" for r in results]
    return f"Theo báo cáo {verb}, giai đoạn {phase}, {'; '.join(items)}."


def _papers_paragraph(papers: list[Paper]) -> str:
    described = []
    for paper in papers:
        by = [b for b in (paper.author_display, paper.unit.name if paper.unit_id and paper.unit else "") if b]
        described.append(f"“{paper.title}”" + (f" ({', '.join(by)})" if by else ""))
    return f"Các đại biểu dự Hội nghị đã trình bày {count_vi(len(papers))} tham luận: {join_vi(described)}."


def _directions_paragraph(adoptions: list[ProposalAdoption]) -> str:
    new_phase = adoptions[0].phase.name
    items = [_lower_first(" ".join(a.proposal.content.split()).rstrip(" .;")) for a in adoptions]
    units = list(dict.fromkeys(a.proposal.unit.name for a in adoptions))
    by = join_vi(units) if len(units) <= 3 else "các cơ quan, đơn vị"
    return (
        f"Hội nghị thống nhất phương hướng, nhiệm vụ phối hợp giai đoạn {new_phase} theo đề xuất của {by}: "
        f"{'; '.join(items)}."
    )


def _signing_paragraph(conference: Conference, names: list[str]) -> str:
    signing = conference.signing
    assert signing is not None
    bodies = [u.name for u in signing.bodies.all()] or names
    text = f"Tại Hội nghị, {join_vi(bodies)} đã ký kết Chương trình phối hợp giai đoạn {signing.phase.name}"
    signatories = list(signing.signatories.all())
    if signatories:
        people = join_vi([_short_person(s.rank_at_event, s.person.full_name) for s in signatories])
        text += f"; {people} thay mặt {'hai bên' if len(signatories) == 2 else 'các bên'} ký Chương trình"
    if signing.document_number:
        text += f" (số {signing.document_number})"
    return text + "."


def news_summary(conference: Conference) -> NewsSummary:
    """The conference told as a news item (the bản tin), from its record: who organised, where
    and when; who chaired and came; the speeches; the assessment of the phase with its headline
    results from the frozen figures; the papers; the directions adopted; the signing."""
    names = [u.name for u in _organiser_units(conference)]
    paragraphs = attendance_paragraphs(conference)
    introduced = _introduced(conference)
    speeches = list(conference.speeches.all())
    first = [s for s in speeches if s.kind in (SpeechKind.OPENING, SpeechKind.REPORT)]
    later = [s for s in speeches if s not in first]
    for speech in first:
        paragraphs.extend(_speech_paragraphs(speech, introduced))
    results = headline_results(conference)
    paragraphs.append(_results_paragraph(conference, results))
    papers = list(conference.papers.all())
    if papers:
        paragraphs.append(_papers_paragraph(papers))
    for speech in later:
        paragraphs.extend(_speech_paragraphs(speech, introduced))
    adoptions = list(conference.adoptions.all())
    if adoptions:
        paragraphs.append(_directions_paragraph(adoptions))
    commended = commended_phrase(conference)
    if commended:
        paragraphs.append(
            f"Dịp này, {commended} có thành tích xuất sắc trong thực hiện Chương trình phối hợp "
            f"giai đoạn {conference.phase.name} được khen thưởng."
        )
    if conference.signing is not None:
        paragraphs.append(_signing_paragraph(conference, names))
    return NewsSummary(headline=conference.title, lead=news_lead(conference), paragraphs=paragraphs, results=results)
