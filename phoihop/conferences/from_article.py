"""From a news report's draft record to what the database holds: the programme, its phases, the
organising units and the people it names (issue 16).

``match(record, user)`` reads the extractor's draft (``extract.record.extract``) against what the
user may see: names are compared without diacritics and with the abbreviations of the press
spelled out ("Hội CCB Việt Nam" is "Hội Cựu chiến binh Việt Nam"); a person is found by name,
and among namesakes by the positions the article gives them that day. Nothing is written here:
the page shows the proposal, the user corrects it, and ``services.conference_from_article``
records what they confirm.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from phoihop.conferences.models import CoChair, Conference, ConferenceKind, Delegate
from phoihop.conferences.services import phase_named
from phoihop.core.gate import INTEGRITY, PROGRAMME_DATA
from phoihop.core.text import fold
from phoihop.orgunits.models import Organisation, OrgUnit, Person, Rank
from phoihop.programmes.models import Party, Phase, Programme

# The press's abbreviations, folded, and what they stand for (folded): compared word by word.
ABBREVIATIONS = {
    "ccb": "cuu chien binh",
    "qdnd": "quan doi nhan dan",
    "qd": "quan doi",
    "t.u": "trung uong",
    "t.w": "trung uong",
    "tu": "trung uong",
    "tw": "trung uong",
    "bdbp": "bo doi bien phong",
    "bch": "ban chi huy",
    "bchqs": "ban chi huy quan su",
    "mttq": "mat tran to quoc",
    "ubmttq": "uy ban mat tran to quoc",
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "lhpn": "lien hiep phu nu",
    "hlhpn": "hoi lien hiep phu nu",
    "tncs": "thanh nien cong san",
    "tnxp": "thanh nien xung phong",
    "llvt": "luc luong vu trang",
    "vn": "viet nam",
    "bqp": "bo quoc phong",
    "bca": "bo cong an",
    "ca": "cong an",
    "tp": "thanh pho",
    "tp.": "thanh pho",
    "hcm": "ho chi minh",
}
# Words that say little about which body is meant.
COMMON = {"viet", "nam", "hoi", "ban", "cac", "va", "cua", "nhan", "dan", "tinh", "thanh", "pho", "huyen", "xa"}

KINDS = {
    "tong_ket": ConferenceKind.END,
    "so_ket": ConferenceKind.MID,
    "giao_ban": ConferenceKind.BRIEFING,
}
RANKS = {fold(str(label)): value for value, label in Rank.choices}


def read_article(upload: Any) -> str:
    """The text of an uploaded article (.txt in UTF-8, .docx, .pdf), through the extractor's reader."""
    from phoihop.conferences.extract.sources import UnreadableArticle, article_text_of

    try:
        return article_text_of(str(upload.name or ""), upload.chunks())
    except UnreadableArticle as e:
        raise ValidationError(str(e)) from e


def gazetteer(user: Any) -> list[str]:
    """The names the extractor may know parties by: the organisations', and those of the units
    the user sees at the two highest levels (central bodies, provinces), full and short."""
    names = [n for pair in Organisation.objects.values_list("name", "short_name") for n in pair if n]
    units = OrgUnit.objects.restrict(user, "view").filter(valid_to__isnull=True, level__rank__lte=1)
    names += [n for pair in units.values_list("name", "short_name") for n in pair if n]
    return sorted(set(names))


def extracted(text: str, user: Any) -> dict[str, Any]:
    """The extractor's draft of ``text``, knowing the names of the bodies ``user`` sees."""
    from phoihop.conferences.extract.record import extract

    return extract(text, known=gazetteer(user))


def expanded(text: str | None) -> str:
    """``text`` folded, with the press's abbreviations spelled out: "Hội CCB VN" → "hoi cuu chien binh viet nam"."""
    words = fold(text).split()
    return " ".join(ABBREVIATIONS.get(w.strip(",;:()"), w.strip(",;:()")) for w in words)


@functools.lru_cache(maxsize=50_000)
def _words(text: str) -> frozenset[str]:
    """The words of ``text``, abbreviations spelled out (kept: the same units' names are compared
    with every party of every article read)."""
    return frozenset(expanded(text).split())


def same_name(a: str, b: str) -> bool:
    return fold(a) == fold(b)


@dataclass
class PartyMatch:
    """A party as the article writes it, and the unit it was found to be (or none)."""

    text: str
    unit: OrgUnit | None = None
    organisation: Organisation | None = None


@dataclass
class PersonMatch:
    """A person the article names: as written, with the rank and positions of the day, and the
    people of the record it may be (the likeliest first; none: a new person or a guest)."""

    role: str  # "chair" or "delegate"
    name: str
    rank: str  # a Rank value, or ""
    rank_text: str
    positions: list[str]
    candidates: list[Person] = field(default_factory=list)

    @property
    def person(self) -> Person | None:
        return self.candidates[0] if self.candidates else None


@dataclass
class Proposal:
    """What the page offers to record, before the user corrects and confirms it."""

    record: dict[str, Any]
    programme: Programme | None
    kind: str
    held_on: date | None
    place: str
    parties: list[PartyMatch]
    organisers: list[OrgUnit]
    phase: Phase | None  # the phase reviewed (or, for a signing alone, the one signed)
    signed_years: str  # "2022-2027", or ""
    people: list[PersonMatch]
    title: str
    duplicate: Conference | None
    notes: list[str]


def _unit_score(party: str, names: list[str]) -> float:
    """How well ``party`` (an article's words) names a unit called any of ``names``: the share of
    the unit's distinctive words the party's text holds, all its words required."""
    words = _words(party)
    best = 0.0
    for name in names:
        unit_words = _words(name)
        if not unit_words or not unit_words <= words:
            continue
        distinctive = unit_words - COMMON or unit_words
        best = max(best, len(distinctive) / max(len(words - COMMON), 1) + len(unit_words) / 100)
    return best


def _best_named(text: str, candidates: list[Any], depth: Any = lambda c: 0) -> Any:
    """The candidate (a unit or an organisation) that ``text`` names best by its name or short
    name; among equals, the highest in its tree."""
    scored = [(_unit_score(text, [c.name, c.short_name]), c) for c in candidates]
    scored = [(score, c) for score, c in scored if score > 0]
    return max(scored, key=lambda pair: (pair[0], -(depth(pair[1]) or 0)))[1] if scored else None


def match_party(text: str, units: list[OrgUnit]) -> OrgUnit | None:
    """The unit among ``units`` that ``text`` names: all the unit's words in the text, the most
    distinctive first (a party "Tổng cục Chính trị QĐND Việt Nam" is the unit "Tổng cục Chính
    trị", not "Bộ Quốc phòng")."""
    return _best_named(text, units, depth=lambda u: u.depth)  # type: ignore[no-any-return]


def _held_on(value: str | None) -> date | None:
    if not value or value.startswith("--"):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _people(record: dict[str, Any], user: Any) -> list[PersonMatch]:
    rows = [("chair", p) for p in record.get("chairs") or []] + [
        ("delegate", p) for p in record.get("other_people") or []
    ]
    found = []
    for role, spec in rows:
        name = " ".join(str(spec.get("name") or "").split())
        if not name:
            continue
        positions = [" ".join(str(p).split()) for p in spec.get("positions") or [] if str(p).strip()]
        rank_text = str(spec.get("rank") or "")
        match = PersonMatch(role, name, RANKS.get(fold(rank_text), ""), rank_text, positions)
        match.candidates = namesakes(name, positions, user)
        best = match.person
        if best is not None and [expanded(p) for p in positions] == [expanded(p) for p in best.positions]:
            match.positions = list(best.positions)  # the same positions: the record's wording
        found.append(match)
    return found


def namesakes(name: str, positions: list[str], user: Any) -> list[Person]:
    """The people of the record called ``name`` (without diacritics) whom the user sees: those
    who held ``positions`` (now or at an event) first."""
    key = fold(name)
    if not key:
        return []
    people = [
        p
        for p in Person.objects.restrict(user, "view").filter(search_text__startswith=key).select_related("unit")[:50]
        if fold(p.full_name) == key
    ]
    if len(people) < 2:
        return people
    said = {expanded(p) for p in positions}
    held: dict[int, set[str]] = {p.pk: {expanded(x) for x in p.positions} for p in people}
    for model in (CoChair, Delegate):
        for person_id, positions in (
            model.objects.unrestricted(INTEGRITY)
            .filter(person__in=people)
            .values_list("person_id", "positions_at_event")
        ):
            held[person_id] |= {expanded(x) for x in positions or []}
    return sorted(people, key=lambda p: (-len(said & held[p.pk]), p.full_name))


def _programme_of(parties: list[PartyMatch], years: list[str], user: Any) -> Programme | None:
    """The programme whose parties the article names (the most of them), then whose phases it names."""
    programmes = list(Programme.objects.restrict(user, "view"))
    if not programmes:
        return None
    named = {p.organisation.pk for p in parties if p.organisation is not None}
    party_rows = Party.objects.unrestricted(PROGRAMME_DATA).filter(programme__in=programmes)
    by_programme: dict[int, set[int]] = {}
    for programme_id, organisation_id in party_rows.values_list("programme_id", "organisation_id"):
        by_programme.setdefault(programme_id, set()).add(organisation_id)
    phases: dict[int, list[Phase]] = {}
    for phase in Phase.objects.unrestricted(PROGRAMME_DATA).filter(programme__in=programmes):
        phases.setdefault(phase.programme_id, []).append(phase)

    def score(programme: Programme) -> tuple[int, int]:
        known = sum(1 for y in years if phase_named(phases.get(programme.pk, []), y))
        return len(named & by_programme.get(programme.pk, set())), known

    best = max(programmes, key=score)
    return best if score(best) != (0, 0) or len(programmes) == 1 else None


def default_title(kind: str, programme: Programme | None, reviewed: str, signed: str) -> str:
    """ "Hội nghị tổng kết Chương trình phối hợp … giai đoạn 2017–2022; ký kết giai đoạn 2022–2027".
    A record's title, in Vietnamese whatever the page's language (the documents print it)."""
    named = {ConferenceKind.END.value: "Hội nghị tổng kết", ConferenceKind.MID.value: "Hội nghị sơ kết"}
    named[ConferenceKind.BRIEFING.value] = "Hội nghị giao ban"
    subject = programme.title if programme is not None else "Chương trình phối hợp"
    title = f"{named.get(str(kind), 'Hội nghị')} {subject}"
    if reviewed and kind != ConferenceKind.OTHER:
        title += f" giai đoạn {reviewed.replace('-', '–')}"
    if signed:
        title += f"{'; ' if kind != ConferenceKind.OTHER else ' '}ký kết giai đoạn {signed.replace('-', '–')}"
    return title


def match(record: dict[str, Any], user: Any) -> Proposal:
    """The proposal for ``record`` (the extractor's draft), with what ``user`` may see."""
    notes: list[str] = []
    event_kind = str(record.get("event_kind") or "other")
    kind = next((KINDS[k] for k in event_kind.split("+") if k in KINDS), ConferenceKind.OTHER)
    phases_said = [p for p in record.get("phases") or [] if isinstance(p, dict)]
    reviewed = next((str(p.get("years")) for p in phases_said if p.get("role") == "reviewed"), "")
    signed = next((str(p.get("years")) for p in phases_said if p.get("role") == "signed"), "")
    if "ky_ket" in event_kind and not signed:
        notes.append(_("Bài viết nói có ký kết nhưng không nêu giai đoạn: hãy ghi giai đoạn được ký kết."))

    visible_units = list(
        OrgUnit.objects.restrict(user, "view").filter(valid_to__isnull=True).select_related("organisation")
    )
    visible_ids = {u.pk for u in visible_units}
    organisations = list(Organisation.objects.all())
    parties = []
    for text in record.get("parties") or []:
        unit = match_party(str(text), visible_units)
        organisation = unit.organisation if unit is not None else _best_named(str(text), organisations)
        parties.append(PartyMatch(str(text), unit, organisation))
    programme = _programme_of(parties, [y for y in (reviewed, signed) if y], user)
    if programme is not None:
        # A party named as an organisation ("Hội CCB Việt Nam") is its representative body.
        representatives = {
            p.organisation_id: p.representative_unit
            for p in Party.objects.unrestricted(PROGRAMME_DATA)
            .filter(programme=programme)
            .select_related("representative_unit")
        }
        for party in parties:
            if party.unit is None and party.organisation is not None:
                unit = representatives.get(party.organisation.pk)
                party.unit = unit if unit is not None and unit.pk in visible_ids else None
    phases = list(Phase.objects.restrict(user, "view").filter(programme=programme)) if programme else []
    phase = phase_named(phases, reviewed) if reviewed else None
    if phase is None and signed:
        phase = phase_named(phases, signed) if kind == ConferenceKind.OTHER else None
    if reviewed and programme is not None and phase_named(phases, reviewed) is None:
        notes.append(
            _("Chương trình chưa có giai đoạn %(years)s: hãy chọn giai đoạn hoặc để người quản lý thêm giai đoạn.")
            % {"years": reviewed}
        )
    organisers = []
    for party in parties:
        if party.unit is not None and party.unit not in organisers:
            organisers.append(party.unit)
    held_on = _held_on(record.get("date"))
    if record.get("date") and held_on is None:
        notes.append(_("Bài viết không ghi năm của ngày tổ chức: hãy ghi ngày đầy đủ."))
    duplicate = None
    if programme is not None and held_on is not None:
        duplicate = (
            Conference.objects.restrict(user, "view")
            .filter(programme=programme, held_on=held_on)
            .filter(Q(kind=kind) | Q(signing__phase__code=signed))
            .first()
        )
    return Proposal(
        record=record,
        programme=programme,
        kind=kind,
        held_on=held_on,
        place=str(record.get("place") or ""),
        parties=parties,
        organisers=organisers,
        phase=phase,
        signed_years=signed,
        people=_people(record, user),
        title=default_title(kind, programme, reviewed, signed),
        duplicate=duplicate,
        notes=notes,
    )


def home_unit(person: PersonMatch, organisers: list[OrgUnit]) -> OrgUnit | None:
    """The organiser a new person most likely belongs to: the one whose name their positions hold
    ("Phó Chủ tịch Hội Cựu chiến binh Việt Nam" → the veterans' body), else the first."""
    said = " ".join(expanded(p) for p in person.positions)
    for unit in organisers:
        names = [expanded(n) for n in (unit.name, unit.short_name, unit.organisation.name) if n]
        if any(n and n in said for n in names):
            return unit
    return organisers[0] if organisers else None
