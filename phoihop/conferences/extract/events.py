"""The event of a report: its kind, the phases it reviewed and signed, and its date.

Rules over the text, no model: news reports of these conferences say it in a few fixed ways.
The lead ("Ngày 23-9, tại Hà Nội, X phối hợp với Y tổ chức Hội nghị tổng kết … giai đoạn
2017-2022; ký kết … giai đoạn 2022-2027") holds nearly everything; the title and a date line
("(15/11/2017)") help. Every finding keeps its span in the text ``(start, end)``.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import date

from phoihop.core.text import fold

Span = tuple[int, int]

# Kinds of event, from the words of the report (folded: no diacritics, lower case).
REVIEW_END = re.compile(
    r"\b(tong ket|danh gia ket qua|hoi nghi danh gia|danh gia (?:chuong trinh|quy che|viec thuc hien))\b"
)
REVIEW_MID = re.compile(r"\bso ket\b")
SIGNING = re.compile(
    r"\b(ky ket|ky chuong trinh|ky quy che|ky nghi quyet|ky bien ban|ket nghia|ky ghi nho|ky giao uoc"
    r"|(?:cung|da|vua) ky)\b"
)
BRIEFING = re.compile(r"\bgiao ban\b")

# "giai đoạn 2017-2022", "2018 - 2022", "2017–2022".
YEARS = re.compile(r"\b((?:19|20)\d{2})\s*(?:[-–—]|den(?: nam)?)\s*((?:19|20)\d{2})\b")

# A day and month, with or without a year: "Ngày 23-9", "ngày 23/9/2022", "Chiều 8/8", "Sáng
# 15.11", "ngày 23 tháng 9 năm 2022"; a date line "(15/11/2017)" at the top.
DAY_WORDS = r"(?:ngay|sang|chieu|trua|toi|chieu toi|sang nay|chieu nay|toi nay|hom nay)"
DAY = re.compile(
    rf"\b{DAY_WORDS}\s+(?:ngay\s+)?(\d{{1,2}})\s*(?:[-/.]\s*(\d{{1,2}})(?:\s*[-/.]\s*(\d{{4}}))?"
    rf"|\s+thang\s+(\d{{1,2}})(?:\s+nam\s+(\d{{4}}))?)\b"
)
DOCUMENT = re.compile(r"\bso\s+\d+[^\s,;]*\s*$")
# The dot of an abbreviation ("TP.Hà Nội", "TP. Hà Nội", "T.Ư Hội CCB"), not a sentence's end.
ABBREVIATION_DOT = re.compile(r"\.(?=\S)|(?<=\b(?:TP|Tp|TX|Tx|TT|Th))\.(?=\s)")
DATE_LINE = re.compile(r"^\W*(?:[a-z ]+,\s*)?(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})\b")


@dataclass
class Phase:
    years: str
    role: str  # "reviewed" or "signed"
    span: Span


@dataclass
class Event:
    kind: str
    kind_spans: list[Span] = field(default_factory=list)
    phases: list[Phase] = field(default_factory=list)
    date: str | None = None  # "YYYY-MM-DD", "--MM-DD" or None
    date_span: Span | None = None


def folded(text: str) -> str:
    """The text folded character by character (no diacritics, lower case), of the same length,
    so that a span found in it is the same span in the text."""
    return "".join(c if c.isspace() else (fold(c) or " ")[:1] for c in text)


def masked(text: str) -> str:
    """``text`` with the dots of abbreviations replaced (same length), so that a pattern that
    stops at a sentence's end does not stop inside "TP.Hà Nội" or "T.Ư"."""
    return ABBREVIATION_DOT.sub("\u00b7", text)


def about_itself(text: str) -> list[tuple[int, int]]:
    """Where a report says what the event was: a short title or caption at the top, and the
    first paragraph that names a review, a signing or a "giao ban" meeting (later paragraphs
    mention other signings: "việc ký kết … đã được triển khai ở 3/4 huyện")."""
    low = folded(text)
    paragraphs = [m for m in re.finditer(r"[^\n]*\S[^\n]*", low) if not DATE_LINE.match(m.group())]
    found = []
    if paragraphs and len(paragraphs[0].group()) < 200:
        found.append(paragraphs[0].span())
        paragraphs = paragraphs[1:]
    for paragraph in paragraphs:
        text = paragraph.group()
        if any(p.search(text) for p in (REVIEW_END, REVIEW_MID, SIGNING, BRIEFING)):
            found.append(paragraph.span())
            break
    return found


def event_kind(folded: str, found_phases: list[Phase]) -> tuple[str, list[Span]]:
    """The review the report names about itself (tổng kết, else sơ kết), with a signing when it
    names one or a phase was signed; else a signing, a "giao ban" meeting, or "other"."""
    found = {}
    for name, pattern in (
        ("tong_ket", REVIEW_END),
        ("so_ket", REVIEW_MID),
        ("ky_ket", SIGNING),
        ("giao_ban", BRIEFING),
    ):
        for start, end in about_itself(folded):
            match = pattern.search(folded, start, end)
            if match:
                found[name] = (match.start(), match.end())
                break
    signed = [p.span for p in found_phases if p.role == "signed"]
    if "ky_ket" not in found and signed:
        found["ky_ket"] = signed[0]
    review = "tong_ket" if "tong_ket" in found else "so_ket" if "so_ket" in found else None
    if review and "ky_ket" in found:
        return f"{review}+ky_ket", [found[review], found["ky_ket"]]
    if review:
        return review, [found[review]]
    if "ky_ket" in found:
        return "ky_ket", [found["ky_ket"]]
    if "giao_ban" in found:
        return "giao_ban", [found["giao_ban"]]
    return "other", []


def phases(folded: str) -> list[Phase]:
    """Each "YYYY-YYYY" of the report with the role of the nearest kind word before it in its
    sentence (reviewed after "tổng kết"/"sơ kết", signed after "ký kết", "giai đoạn tới"/"tiếp
    theo"); one entry per years (a phase is not both reviewed and signed at one event: the
    first role found holds), in the order of the text."""
    found: list[Phase] = []
    seen: set[str] = set()
    for match in YEARS.finditer(folded):
        first, last = int(match.group(1)), int(match.group(2))
        if not first < last <= first + 10:
            continue
        sentence_start = max(
            folded.rfind(". ", 0, match.start()),
            folded.rfind("\n", 0, match.start()),
            folded.rfind("; ", 0, match.start()),
        )
        before = folded[sentence_start + 1 : match.start()]
        after = folded[match.end() : match.end() + 30]
        cues = [(m.end(), "reviewed") for p in (REVIEW_END, REVIEW_MID) for m in p.finditer(before)]
        cues += [(m.end(), "signed") for m in SIGNING.finditer(before)]
        cues += [
            (m.end(), "signed") for m in re.finditer(r"\b(giai doan toi|giai doan tiep theo|trien khai)\b", before)
        ]
        if re.match(r"\s*(toi|tiep theo)\b", after):
            cues.append((len(before), "signed"))
        if not cues:
            continue
        role = max(cues)[1]
        years = f"{first}-{last}"
        if years not in seen:
            seen.add(years)
            found.append(Phase(years=years, role=role, span=(match.start(), match.end())))
    return found


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def date_line(folded: str) -> re.Match[str] | None:
    """The report's date line: at the top ("(15/11/2017) - Ngày …"), or a short line of its own
    among the first three (after the title: "Tiêu đề\n\n(22/09/2020)\n\nNgày 22-9, …")."""
    line = DATE_LINE.match(folded[:40])
    if line:
        return line
    for paragraph in itertools.islice(re.finditer(r"[^\n]*\S[^\n]*", folded), 3):
        if len(paragraph.group().strip()) <= 40:
            line = DATE_LINE.match(paragraph.group())
            if line:
                return line
    return None


def event_date(folded: str, kind: str, found_phases: list[Phase]) -> tuple[str | None, Span | None]:
    """The day of the event, from where the report says what it was (``about_itself``). Its
    year: as written; else the date line's (the report is published days after); else from the
    phases (a new phase is signed in its first year, a phase reviewed at its end in its last);
    else "--MM-DD"."""
    line = date_line(folded)
    line_year = int(line.group(3)) if line else None
    days = (m for start, end in about_itself(folded) for m in DAY.finditer(folded, start, end))
    for match in days:
        if DOCUMENT.search(folded, max(0, match.start() - 40), match.start()):
            continue  # "Chương trình số 09/CTr-BCA ngày 01/8/2013": a document's date
        day = int(match.group(1))
        month = int(match.group(2) or match.group(4) or 0)
        written = match.group(3) or match.group(5)
        if not 1 <= month <= 12 or not 1 <= day <= 31:
            continue
        year = int(written) if written else line_year
        if year is None:
            signed = [p for p in found_phases if p.role == "signed"]
            reviewed = [p for p in found_phases if p.role == "reviewed"]
            if signed and kind in ("ky_ket", "tong_ket+ky_ket"):
                year = int(signed[0].years[:4])  # a new phase is signed in its first year
            elif reviewed and kind.startswith("tong_ket"):
                year = int(reviewed[0].years[-4:])  # and reviewed at its end
        span = (match.start(), match.end())
        if year is None:
            return (f"--{month:02d}-{day:02d}" if _valid(2024, month, day) else None), span
        return (f"{year:04d}-{month:02d}-{day:02d}" if _valid(year, month, day) else None), span
    return None, None  # a date line alone is the day of publishing, not of the event


def read_event(text: str) -> Event:
    folded_text = folded(text)
    found = phases(folded_text)
    kind, kind_spans = event_kind(folded_text, found)
    day, day_span = event_date(folded_text, kind, found)
    return Event(kind=kind, kind_spans=kind_spans, phases=found, date=day, date_span=day_span)
