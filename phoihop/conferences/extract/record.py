"""The draft record of a report: the event (``events``), its place and parties, and its people
(``people``), as the JSON of issue 16, each value with the spans of text it came from."""

from __future__ import annotations

import re
from typing import Any

from phoihop.conferences.extract.events import Span, about_itself, read_event
from phoihop.conferences.extract.people import read_people

# "tại Hà Nội," "tại hội trường Thị ủy Thuận An" (up to a comma or the verb of the lead).
PLACE = re.compile(r"\btại\s+([^,;.\n]+?)(?=\s*[,;.\n]|\s+(?:đã|diễn ra|tổ chức|long trọng)\b)")
# The parties: "giữa A và B", "A phối hợp với B tổ chức", "A và B (đã|vừa) tổ chức / ký kết".
PARTY_END = r"(?=\s+(?:về|giai đoạn|nhằm|trong|năm|nhiệm kỳ)\b|\s*[,;.(“\"\n:])"
BETWEEN = re.compile(rf"\bgiữa\s+(.+?)\s+(?:với|và)\s+(.+?){PARTY_END}")
WITH = re.compile(r"(?:^|[,:]\s+)([^,;:\n]+?)\s+phối hợp với\s+([^,;\n]+?)\s+(?:tổ chức|ký kết)\b")
AND = re.compile(
    r"(?:^|[,:]\s+)([^,;:\n]+?)\s+và\s+([^,;\n]+?)\s+(?:đã\s+|vừa\s+|cùng\s+)*(?:tổ chức|ký kết|long trọng)\b"
)


def _place(text: str, regions: list[Span]) -> tuple[str | None, list[Span]]:
    for start, end in regions:
        match = PLACE.search(text, start, end)
        if match:
            return match.group(1).strip(), [match.span(1)]
    return None, []


def _parties(text: str, regions: list[Span]) -> tuple[list[str], list[Span]]:
    for pattern in (BETWEEN, WITH, AND):
        for start, end in regions:
            match = pattern.search(text, start, end)
            if match:
                return [match.group(1).strip(), match.group(2).strip()], [match.span(1), match.span(2)]
    return [], []


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
