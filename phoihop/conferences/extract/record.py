"""The draft record of a report: the event (``events``), its place and parties, and its people
(``people``), as the JSON of issue 16, each value with the spans of text it came from."""

from __future__ import annotations

import re
from typing import Any

from phoihop.conferences.extract.events import Span, about_itself, folded, read_event
from phoihop.conferences.extract.people import read_people

# "tại Hà Nội," "tại hội trường Thị ủy Thuận An" (up to a comma or the verb of the lead).
PLACE = re.compile(r"\btại\s+([^,;.\n]+?)(?=\s*[,;.\n]|\s+(?:đã|diễn ra|tổ chức|long trọng)\b)")
# The parties: "giữa A và B" (the programme's own words), else the subject of the lead's verb
# ("A phối hợp với B tổ chức", "A, B và C ký kết"), split where an organisation begins.
PARTY_END = r"(?=\s+(?:về|giai đoạn|nhằm|trong|năm|nhiệm kỳ|tổ chức|ký kết)\b|\s*[,;.(“\"\n:])"
BETWEEN = re.compile(rf"\bgiữa\s+([^.;\n]+?\s+(?:với|và)\s+[^.;\n]+?){PARTY_END}")
VERB = re.compile(r"\s+(?:đã\s+|vừa\s+|cùng\s+|long trọng\s+)*(?:tổ chức|ký kết|ký)\b")
# Words an organisation's name begins with (folded), to split "A và B" only between two.
ORGANISATION_HEADS = (
    "bo", "so", "hoi", "ban", "cong an", "doan", "uy ban", "ubnd", "ubmttq", "dang uy", "lien doan",
    "lien minh", "tinh doan", "huyen doan", "thanh doan", "quan doan", "don", "lu doan", "su doan",
    "trung doan", "tieu doan", "truong", "dai", "bao", "hdnd", "thuong truc", "mat tran", "tong cuc",
    "tong lien doan", "cuc", "vien", "tinh uy", "huyen uy", "thanh uy", "quan uy", "thi uy",
    "phuong", "xa", "thi tran", "quan khu", "bo chi huy", "ban chi huy", "chi khu", "luc luong",
    "llvt", "bdbp", "cong doan", "nganh", "t.u", "trung uong", "qdnd", "quan doi", "cuu chien binh",
    "ccb", "phu nu", "nong dan", "thanh nien", "hlhpn", "lhpn", "tong", "cac don vi", "hdnd",
)  # fmt: skip
GENERIC = re.compile(r"^(?:hai|ba|các)\s+(?:bên|đơn vị|cơ quan|lực lượng|ngành)\b")


LOWERCASE_HEADS = ("cac don vi", "phuong", "xa", "thi tran")


def _starts_organisation(phrase: str) -> bool:
    """Whether ``phrase`` begins with an organisation's name: a capitalised head word ("Sở",
    not "số"), or one written in lower case ("các đơn vị", "xã")."""
    phrase = phrase.strip()
    key = folded(phrase).lower()
    heads = ORGANISATION_HEADS if phrase[:1].isupper() else LOWERCASE_HEADS
    return any(key == h or key.startswith(h + " ") for h in heads)


def _split(phrase: str, offset: int) -> list[tuple[str, Span]]:
    """The parties of "A, B và C" / "A phối hợp với B": cut at each separator after which an
    organisation's name begins; a trailing "và các tổ chức thành viên" is not a party."""
    cuts = [0]
    for sep in re.finditer(r",\s+|\s+[-–]\s+|\s+(?:phối hợp với|và|với|cùng)\s+", phrase):
        rest = phrase[sep.end() :]
        if _starts_organisation(rest):
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


def _place(text: str, regions: list[Span]) -> tuple[str | None, list[Span]]:
    for start, end in regions:
        match = PLACE.search(text, start, end)
        if match:
            return match.group(1).strip(), [match.span(1)]
    return None, []


def _parties(text: str, regions: list[Span]) -> tuple[list[str], list[Span]]:
    found: list[tuple[str, Span]] = []
    for start, end in regions:
        match = BETWEEN.search(text, start, end)
        if match and not GENERIC.match(match.group(1)):
            found = _split(match.group(1), match.start(1))
            if len(found) < 2:  # no organisation word: cut at the first "và"/"với"
                first = re.search(r"\s+(?:với|và)\s+", match.group(1))
                assert first is not None
                a, b = match.group(1)[: first.start()], match.group(1)[first.end() :]
                found = [
                    (a, (match.start(1), match.start(1) + len(a))),
                    (b, (match.start(1) + first.end(), match.end(1))),
                ]
            break
    if not found:
        for start, end in regions:
            verb = VERB.search(text, start, end)
            if not verb:
                continue
            stops = [m.end() for m in re.finditer(r"\.\s|\n", text[start : verb.start()])]
            sentence = start + (stops[-1] if stops else 0)
            subject_start = sentence
            # The subject begins at the first clause that names an organisation (past the lead's
            # "Ngày 23-9, tại Hà Nội," or "Cuối tuần qua,").
            for clause in re.finditer(r",\s+", text[sentence : verb.start()]):
                if _starts_organisation(text[subject_start : sentence + clause.start()]):
                    break
                subject_start = sentence + clause.end()
            found = _split(text[subject_start : verb.start()], subject_start)
            if len(found) == 1:  # "A tổ chức ký kết chương trình phối hợp với B"
                other = re.compile(rf"\s+phối hợp với\s+([^.;\n]+?){PARTY_END}").search(text, verb.end(), end)
                if other and _starts_organisation(other.group(1)):
                    found.append((other.group(1), other.span(1)))
            if len(found) >= 2:
                break
            found = []
    return [p for p, _ in found], [s for _, s in found]


def extract(text: str) -> dict[str, Any]:
    """The draft record of ``text`` (keys and values as in issue 16; spans are [start, end])."""
    event = read_event(text)
    regions = about_itself(text)
    place, place_spans = _place(text, regions)
    parties, party_spans = _parties(text, regions)
    people = read_people(text)

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
