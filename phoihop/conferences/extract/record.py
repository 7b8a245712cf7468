"""The draft record of a report: the event (``events``), its place and parties, and its people
(``people``), as the JSON of issue 16, each value with the spans of text it came from."""

from __future__ import annotations

import re
from typing import Any

from phoihop.conferences.extract.events import Span, about_itself, folded, masked, read_event
from phoihop.conferences.extract.people import Person, _is_position, read_people

# "tại Hà Nội," "Tại trụ sở Hội ND TP.Hà Nội," "tại hội trường Thị ủy Thuận An" (up to a comma or
# the verb of the lead). Runs on the text with its abbreviations' dots masked (``_masked``).
PLACE = re.compile(
    r"\b[tT]ại\s+([^,;.\n]+?)(?=\s*[,;.\n]|\s+(?:đã|diễn ra|tổ chức|long trọng)\b"
    r"|\s+(?:Hội nghị|Hội thảo|Lễ|Buổi)\b)"  # "tổ chức tại Hà Nội Hội nghị giao ban …"
)
# Not a place: "tại buổi lễ do X tổ chức", "tại hội nghị", "tại đây".
NOT_PLACE = re.compile(r"^(?:buổi|lễ|hội nghị|cuộc|đây|đó|chương trình|kỳ họp|phiên)\b", re.IGNORECASE)
# The parties: "giữa A và B" (the programme's own words), else the subject of the lead's verb
# ("A phối hợp với B tổ chức", "A, B và C ký kết"), split where an organisation begins.
PARTY_END = r"(?=\s+(?:về|giai đoạn|nhằm|trong|năm|nhiệm kỳ|tổ chức|ký kết|được|đã|vừa|mà)\b|\s*[,;.(“\"\n:])"
BETWEEN = re.compile(rf"\bgiữa\s+([^.;\n]+?\s+(?:với|và)\s+[^.;\n]+?){PARTY_END}")
VERB = re.compile(r"\s+(?:đã\s+|vừa\s+|cùng\s+|long trọng\s+)*(?:tổ chức|ký kết|ký|sơ kết|tổng kết)\b")
# Words an organisation's name begins with (folded), to split "A và B" only between two.
ORGANISATION_HEADS = (
    "bo", "so", "hoi", "ban", "cong an", "doan", "uy ban", "ubnd", "ubmttq", "dang uy", "lien doan",
    "lien minh", "tinh doan", "huyen doan", "thanh doan", "quan doan", "don", "lu doan", "su doan",
    "trung doan", "tieu doan", "truong", "dai", "bao", "hdnd", "thuong truc", "mat tran", "tong cuc",
    "tong lien doan", "cuc", "vien", "tinh uy", "huyen uy", "thanh uy", "quan uy", "thi uy",
    "phuong", "xa", "thi tran", "quan khu", "bo chi huy", "ban chi huy", "chi khu", "luc luong",
    "llvt", "bdbp", "cong doan", "nganh", "t.u", "trung uong", "qdnd", "quan doi", "cuu chien binh",
    "ccb", "phu nu", "nong dan", "thanh nien", "hlhpn", "lhpn", "tong", "cac don vi", "hdnd",
    "dtn", "phong", "trai", "trung tam", "chi hoi", "chi doan", "vien kiem sat", "toa an",
)  # fmt: skip
GENERIC = re.compile(r"^(?:hai|ba|các)\s+(?:bên|đơn vị|cơ quan|lực lượng|ngành)\b")


LOWERCASE_HEADS = ("cac don vi", "phuong", "xa", "thi tran")


def _known_keys(known: list[str] | None) -> tuple[str, ...]:
    """The gazetteer's names folded, longest first."""
    return tuple(sorted({folded(k).lower().strip() for k in known or () if k.strip()}, key=len, reverse=True))


def _starts_organisation(phrase: str, known: tuple[str, ...] = ()) -> bool:
    """Whether ``phrase`` begins with an organisation's name: one of the gazetteer's (``known``:
    the database's organisations and units, full and short names), a capitalised head word
    ("Sở", not "số"), or one written in lower case ("các đơn vị", "xã")."""
    phrase = phrase.strip()
    key = folded(phrase).lower()
    if any(key == k or key.startswith(k + " ") for k in known):
        return True
    heads = ORGANISATION_HEADS if phrase[:1].isupper() else LOWERCASE_HEADS
    return any(key == h or key.startswith(h + " ") for h in heads)


def _masked(text: str) -> str:
    """``text`` with the dots of abbreviations replaced (``events.masked``)."""
    return masked(text)


def _split(phrase: str, offset: int, known: tuple[str, ...] = ()) -> list[tuple[str, Span]]:
    """The parties of "A, B và C" / "A phối hợp với B": cut at each separator after which an
    organisation's name begins; a trailing "và các tổ chức thành viên" is not a party."""
    cuts = [0]
    for sep in re.finditer(r",\s+|\s+[-–]\s+|\s+(?:phối hợp với|và|với|cùng)\s+", phrase):
        rest = phrase[sep.end() :]
        if _starts_organisation(rest, known):
            cuts.append(sep.start())
            cuts.append(sep.end())
    cuts.append(len(phrase))
    parties = []
    for start, end in zip(cuts[::2], cuts[1::2], strict=True):
        part = phrase[start:end]
        tail = re.search(r"\s+và\s+các\s+tổ\s+chức\b.*$|\s+và\s+các$", part)
        if tail:
            end, part = start + tail.start(), part[: tail.start()]
        stripped = part.strip()
        if stripped and not GENERIC.match(stripped):
            lead = start + (len(part) - len(part.lstrip()))
            parties.append((stripped, (offset + lead, offset + lead + len(stripped))))
    return parties


def _trim(text: str, span: Span) -> Span:
    """``span`` without surrounding spaces (a gloss in brackets stays: "Sư đoàn 10 (Quân đoàn 3)"
    is the name as written)."""
    start, end = span
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


def _place(text: str, masked: str, regions: list[Span]) -> tuple[str | None, list[Span]]:
    for start, end in regions:
        for match in PLACE.finditer(masked, start, end):
            if NOT_PLACE.match(match.group(1)):
                continue
            a, b = _trim(text, match.span(1))
            return text[a:b], [(a, b)]
    return None, []


# Other ways a lead names the parties: "… đã được A và B tổ chức" (passive), "Cùng ký giao ước có
# A, B và C", "Tham gia ký kết có A và B".
PASSIVE = re.compile(r"\bđược\s+([^.;\n]+?)\s+(?:tổ chức|ký kết|phối hợp tổ chức)\b")
SIGNERS = re.compile(r"\b(?:[Cc]ùng ký(?: kết)?|[Tt]ham gia ký(?: kết)?)[^.;\n]{0,40}?\s+có\s+([^.;\n]+)")


def _known_in(text: str, regions: list[Span], known: tuple[str, ...]) -> list[tuple[str, Span]]:
    """The gazetteer's names written in the regions, longest first, not overlapping, in the
    order of the text (matching on the folded text, so "Hội CCB Việt Nam" finds "Hội CCB
    Việt Nam" however it is accented)."""
    low = folded(text).lower()
    taken: list[Span] = []
    for key in known:
        for start, end in regions:
            for match in re.finditer(rf"(?<![\w.]){re.escape(key)}(?![\w])", low[start:end]):
                span = (start + match.start(), start + match.end())
                if not any(a < span[1] and span[0] < b for a, b in taken):
                    taken.append(span)
    return [(text[a:b], (a, b)) for a, b in sorted(taken)]


# The programme's parties named after the lead: "Nghị định … quy định việc phối hợp giữa A và B".
LATER_BETWEEN = re.compile(rf"\bphối hợp\s+giữa\s+([^.;\n]+?\s+(?:với|và)\s+[^.;\n]+?){PARTY_END}")


def _organisation_in(position: str, known: tuple[str, ...]) -> int | None:
    """Where the organisation of a position begins ("Chủ tịch Hội NDVN tỉnh Long An": at "Hội"),
    past the position's own words, or None."""
    for word in re.finditer(r"\S+", position):
        rest = position[word.start() :]
        if word.start() and rest[:1].isupper() and not _is_position(folded(rest).lower()):
            return word.start() if _starts_organisation(rest, known) else None
    return None


def _subject(
    text: str, masked: str, region: Span, known: tuple[str, ...], people: list[Person], *, signers: bool = True
) -> list[tuple[str, Span]]:
    """The parties that are the subject of the region's verb ("A và B đã tổ chức …", "A phối
    hợp với B tổ chức …"); when the subject is the signers themselves ("ông A – Chủ tịch Hội X
    và ông B – Giám đốc Sở Y đã ký kết …") and ``signers``, the organisations of their positions
    (each signer must give one)."""
    start, end = region
    verb = VERB.search(masked, start, end)
    if not verb:
        return []
    stops = [m.end() for m in re.finditer(r"\.\s|\n", masked[start : verb.start()])]
    sentence = start + (stops[-1] if stops else 0)
    subject_start = sentence
    # The subject begins at the first clause that names an organisation (past the lead's
    # "Ngày 23-9, tại Hà Nội," or "Cuối tuần qua,").
    for clause in re.finditer(r",\s+", text[sentence : verb.start()]):
        if _starts_organisation(text[subject_start : sentence + clause.start()], known):
            break
        subject_start = sentence + clause.end()
    found = _split(text[subject_start : verb.start()], subject_start, known)
    if len(found) == 1:  # "A tổ chức ký kết chương trình phối hợp với B"
        other = re.compile(rf"\s+phối hợp với\s+([^.;\n]+?){PARTY_END}").search(masked, verb.end(), end)
        if other and _starts_organisation(other.group(1), known):
            found.append((text[other.start(1) : other.end(1)], other.span(1)))
    if len(found) < 2 and signers:
        signers_found = [p for p in people if p.positions and any(sentence <= a < verb.start() for a, _ in p.spans)]
        found = []
        for person in signers_found:
            after = max(b for a, b in person.spans if sentence <= a < verb.start())
            for position in person.positions:
                at = _organisation_in(position, known)
                where = text.find(position, after)
                if at is not None and 0 <= where < verb.start():
                    found.append((position[at:], (where + at, where + len(position))))
                    break
        if len(found) < 2 or len(found) < len(signers_found):
            found = []
    return found if len(found) >= 2 else []


def _parties(
    text: str, masked: str, regions: list[Span], known: tuple[str, ...], people: list[Person]
) -> list[tuple[str, Span]]:
    found: list[tuple[str, Span]] = []
    for start, end in regions:
        match = BETWEEN.search(masked, start, end)
        if match and not GENERIC.match(match.group(1)):
            found = _split(text[match.start(1) : match.end(1)], match.start(1), known)
            if len(found) < 2:  # no organisation word: cut at the first "và"/"với"
                first = re.search(r"\s+(?:với|và)\s+", match.group(1))
                assert first is not None
                found = [
                    (
                        text[match.start(1) : match.start(1) + first.start()],
                        (match.start(1), match.start(1) + first.start()),
                    ),
                    (text[match.start(1) + first.end() : match.end(1)], (match.start(1) + first.end(), match.end(1))),
                ]
            break
    if not found:
        for start, end in regions:
            for pattern in (PASSIVE, SIGNERS):
                other = pattern.search(masked, start, end)
                if other and _starts_organisation(other.group(1), known):
                    found = _split(text[other.start(1) : other.end(1)], other.start(1), known)
                    if len(found) >= 2:
                        break
                    found = []
            if found:
                break
    if not found:
        for index, (start, end) in enumerate(regions):
            found = _subject(text, masked, (start, end), known, people)
            if len(found) >= 2:
                # A title shortens the names its lead writes in full ("Đoàn Thanh niên và Bộ đội
                # Biên phòng ký kết …" over "Ban Thường vụ Tỉnh Đoàn, Bộ Chỉ huy Bộ đội Biên
                # phòng tỉnh đã tổ chức ký kết …"): the lead's names when it has as many, longer.
                for later in regions[index + 1 :]:
                    fuller = _subject(text, masked, later, known, people, signers=False)
                    if len(fuller) == len(found) and sum(len(p) for p, _ in fuller) > sum(len(p) for p, _ in found):
                        found = fuller
                    break
                break
            found = []
    if not found:  # none in the lead: the programme's own words later on ("… phối hợp giữa A và B")
        for match in LATER_BETWEEN.finditer(masked, regions[-1][1] if regions else 0):
            written = _split(text[match.start(1) : match.end(1)], match.start(1), known)
            if len(written) >= 2 and all(_starts_organisation(p, known) for p, _ in written):
                found = written
                break
    if len(found) < 2 and known:  # the rules found no pair: the gazetteer's names in the lead
        named = _known_in(text, regions, known)
        if len(named) >= 2:
            found = named
    trimmed = [_trim(text, span) for _, span in found]
    return [(text[a:b], (a, b)) for a, b in trimmed if b > a]


def extract(text: str, *, known: list[str] | None = None) -> dict[str, Any]:
    """The draft record of ``text`` (keys and values as in issue 16; spans are [start, end]).
    ``known``: names of organisations and units (full and short, from the database) that help
    find and split the parties; without it the rules alone read them."""
    event = read_event(text)
    regions = about_itself(text)
    masked = _masked(text)
    place, place_spans = _place(text, masked, regions)
    people = read_people(text)
    found = _parties(text, masked, regions, _known_keys(known), people)
    parties, party_spans = [p for p, _ in found], [s for _, s in found]

    def person(p: Any) -> dict[str, Any]:
        return {"name": p.name, "rank": p.rank, "positions": p.positions}

    chairs = [p for p in people if p.chair]
    others = [p for p in people if not p.chair]
    return {
        "event_kind": event.kind,
        "date": event.date,
        "place": place,
        "parties": parties,
        "phases": [{"years": p.years, "role": p.role} for p in sorted(event.phases, key=lambda p: p.years)],
        "chairs": [person(p) for p in chairs],
        "other_people": [person(p) for p in others],
        "evidence": {
            "event_kind": [list(s) for s in event.kind_spans],
            "date": [list(event.date_span)] if event.date_span else [],
            "place": [list(s) for s in place_spans],
            "parties": [list(s) for s in party_spans],
            "phases": [list(p.span) for p in sorted(event.phases, key=lambda p: p.years)],
            "chairs": [list(s) for p in chairs for s in p.spans],
            "other_people": [list(s) for p in others for s in p.spans],
        },
    }
