"""Every kind of document in the form of Decree 30/2020 (issue 14, item 2): one checklist per
kind, over the Word file's XML and over the positions of the text in its PDF (LibreOffice,
pdfplumber).

The kinds: a unit's report, the joint national report, a commendation decision, a conference's
invitation, notice of conclusions and plan, a period's official letters (request, reminder),
and the achievement reports of Decree 98/2023 (an
individual's and a collective's: the form's own layout, checked for what applies to it). The
checks: the national name on one line; a line under the body, the motto and the subject; no
header line break inside a name; the body above where there is one; page numbers from page 2;
each signature title on the page of its name; the last recipient "Lưu: VT, <office>."; the body
ending "./."; army ranks before names; no "minh họa" in the text.

Each check that fails is named in the assertion's message, so one run lists all of a kind's.
"""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from lxml import etree

from phoihop.commendations import achievement
from phoihop.commendations.documents import decision_document
from phoihop.commendations.models import Nomination
from phoihop.conferences import documents as conference_documents
from phoihop.conferences.models import Conference
from phoihop.demo.conferences import NATIONAL_DAY
from phoihop.documents import builders
from phoihop.documents.data import ReportDocument
from phoihop.documents.pdf import docx_to_pdf, pdf_available
from phoihop.figures.periods import PeriodKind
from phoihop.orgunits.models import OrgUnit, Rank
from phoihop.reporting import documents as report_documents
from phoihop.reporting import letters
from phoihop.reporting.models import Report, ReportingPeriod

pytestmark = pytest.mark.django_db

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
RANKS = [str(label) for _value, label in Rank.choices]
ARCHIVE = re.compile(r"^- Lưu: VT, [^\s,.;]+\.$")


@dataclass
class Case:
    """A document and what its checklist expects of it."""

    docx: bytes
    names: list[str]  # the issuing bodies' names in the header, as they are printed (upper case)
    parents: list[tuple[str, str]] = field(default_factory=list)  # (body above, body) pairs
    subject: str = ""  # the subject, under which the short line is drawn
    subject_end: str = ""  # what ends the title block when it is not the subject (a collective's name)
    signatures: list[tuple[str, str]] = field(default_factory=list)  # (block's first words, the name line)
    ranked: list[tuple[str, str]] = field(default_factory=list)  # (rank, name): the name never without it
    recipients: bool = True  # a Decree 30 document has "Nơi nhận"; the Decree 98 forms have none


def _first_words(text: str, count: int = 2) -> str:
    return " ".join(text.upper().split()[:count])


def _from_document(doc: ReportDocument, docx: bytes, *, ranked: list[tuple[str, str]] | None = None) -> Case:
    signatures, must_rank = [], list(ranked or [])
    for body in doc.bodies:
        block = " ".join(p for p in (body.signer_capacity, body.signer_collective) if p) or body.signer_title
        # The army's template prints the rank before every signer's name; the others, the name.
        ranked_template = doc.bodies[0].kind == "army"
        name = f"{body.signer_rank} {body.signer_name}".strip() if ranked_template else body.signer_name
        signatures.append((_first_words(block), name))
        if body.kind == "army" and body.signer_name:
            must_rank.append((body.signer_rank, body.signer_name))
    return Case(
        docx=docx,
        names=[body.name.upper() for body in doc.bodies],
        parents=[(body.parent.upper(), body.name.upper()) for body in doc.bodies if body.parent],
        subject=doc.subject,
        signatures=signatures,
        ranked=must_rank,
    )


def _report(report: Report) -> Case:
    return _from_document(report_documents.document_for(report), report_documents.build(report, "docx").content)


def _conference(kind: str) -> Case:
    conference = Conference.objects.get(programme__code="QDND-CCB", held_on=NATIONAL_DAY)
    doc = conference_documents.DOCUMENTS[kind](conference)
    chairs = [(c.rank_at_event_label, c.person.full_name) for c in conference.cochairs.select_related("person")]
    return _from_document(doc, conference_documents.build_document(conference, kind).content, ranked=chairs)


def _achievement(nomination: Nomination) -> Case:
    report = achievement.achievement_content(nomination, nomination.created_by)
    blocks = [b for b in (report.left, report.right, report.below) if b is not None and b.name]
    names = [report.header_unit.upper()] if report.header_unit else []
    parents = [(report.header_parent.upper(), report.header_unit.upper())] if report.header_parent else []
    return Case(
        docx=achievement.achievement_docx(report),
        names=names,
        parents=parents,
        subject=report.subtitle,
        subject_end=report.nominee if report.collective else "",
        signatures=[(_first_words(b.title), b.name) for b in blocks],
        recipients=False,
    )


def decided() -> Nomination:
    """The demo's decided nominee (Phạm Văn Thành), commended by the decision of TCCT."""
    return Nomination.objects.get(person__full_name="Phạm Văn Thành", decision__issuing_unit__code="TCCT")


def _decision() -> Case:
    nomination = decided()
    assert nomination.decision is not None
    doc = decision_document(nomination.decision)
    return _from_document(doc, builders.build_docx(doc))


def _letter(kind: str) -> Case:
    """The official letters (công văn) of the demo's first half of 2026, from the Association's
    centre: the subject
    stands under the number ("V/v …"), with no line under it, so the subject check is skipped."""
    period = ReportingPeriod.objects.get(programme__code="QDND-CCB", kind="half", start=date(2025, 12, 15))
    user = get_user_model().objects.get(username="tuhoi")
    letter = letters.letter_preview(kind, period, OrgUnit.objects.get(code="CCB-TW"), user)
    found = _from_document(letter.document, letters.build(letter, "docx").content)
    assert letter.document.doc_type == "" and letter.rows
    return dataclasses.replace(found, subject="")


KINDS: dict[str, Callable[[], Case]] = {
    "report-unit": lambda: _report(Report.objects.get(unit__code="QS-CAOBANG", number=1)),
    "report-national": lambda: _report(
        Report.objects.get(
            period__programme__code="QDND-CCB", period__kind=PeriodKind.END_PHASE, period__phase__code="2017-2022"
        )
    ),
    "decision": _decision,
    "invitation": lambda: _conference("invitation"),
    "notice": lambda: _conference("notice"),
    "plan": lambda: _conference("plan"),
    "letter-request": lambda: _letter(letters.REQUEST),
    "letter-reminder": lambda: _letter(letters.REMINDER),
    "achievement-individual": lambda: _achievement(decided()),
    "achievement-collective": lambda: _achievement(Nomination.objects.filter(nominee_unit__isnull=False).first()),  # type: ignore[arg-type]
}

_built: dict[str, Case] = {}
_pdfs: dict[str, bytes] = {}


def case(kind: str) -> Case:
    """Each kind is built once for the module (the demo data does not change between its tests)."""
    if kind not in _built:
        _built[kind] = KINDS[kind]()
    return _built[kind]


# --- the Word file -----------------------------------------------------------------------------------


def _text(element: Any) -> str:
    """A paragraph's text, its line breaks as "\\n"."""
    parts = []
    for node in element.iter(f"{W}t", f"{W}br"):
        parts.append("\n" if node.tag == f"{W}br" else node.text or "")
    return "".join(parts).strip()


def _bordered_styles(docx: bytes) -> set[str]:
    """The paragraph styles drawn with a bottom border: the short lines under names and titles."""
    root = etree.fromstring(_part(docx, "word/styles.xml").encode())
    return {
        style.get(f"{W}styleId")
        for style in root.iter(f"{W}style")
        if style.find(f"{W}pPr/{W}pBdr/{W}bottom") is not None
    }


def _has_line(paragraph: Any, styles: set[str]) -> bool:
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    return paragraph.find(f"{W}pPr/{W}pBdr/{W}bottom") is not None or (
        style is not None and style.get(f"{W}val") in styles
    )


def _line_follows(paragraphs: list[Any], index: int, styles: set[str]) -> bool:
    """A short line (a paragraph's bottom border) under the paragraph, or within the next two."""
    return any(_has_line(p, styles) for p in paragraphs[index : index + 3])


def _part(docx: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return archive.read(name).decode()


def _headers(docx: bytes) -> dict[str, str]:
    """The section's header parts by type ("first", "default"): their XML."""
    document = _part(docx, "word/document.xml")
    rels = _part(docx, "word/_rels/document.xml.rels")
    targets = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', rels))
    targets.update({rid: target for target, rid in re.findall(r'Target="([^"]+)"[^>]*Id="(rId\d+)"', rels)})
    found = {}
    for kind, rid in re.findall(r'<w:headerReference w:type="(\w+)" r:id="(rId\d+)"', document):
        found[kind] = _part(docx, "word/" + targets[rid])
    return found


def docx_problems(c: Case) -> list[str]:
    problems: list[str] = []
    root = etree.fromstring(_part(c.docx, "word/document.xml").encode())
    paragraphs = list(root.iter(f"{W}p"))
    texts = [_text(p) for p in paragraphs]
    everything = "\n".join(texts)
    styles = _bordered_styles(c.docx)

    if NATIONAL_NAME not in texts:
        problems.append("the national name is not one paragraph of one line")
    for index in [i for i, t in enumerate(texts) if t == MOTTO][:1] or [None]:
        if index is None or not _line_follows(paragraphs, index, styles):
            problems.append("no line under the motto")
    for name in c.names:
        index = next((i for i, t in enumerate(texts) if t.replace("\n", " ") == name), None)
        if index is None:
            problems.append(f"the body's name {name!r} is not one paragraph")
            continue
        if not _line_follows(paragraphs, index, styles):
            problems.append(f"no line under the body's name {name!r}")
        problems += _break_problems(texts[index])
    if c.subject:
        subject = " ".join(c.subject.split())
        index = next((i for i, t in enumerate(texts) if " ".join(t.split()) == subject), None)
        if index is not None and c.subject_end:
            index = next((i for i, t in enumerate(texts) if i > index and t == c.subject_end), None)
        if index is None or not _line_follows(paragraphs, index, styles):
            problems.append("no line under the subject")
    for parent, name in c.parents:
        above = next((i for i, t in enumerate(texts) if t.replace("\n", " ") == parent), None)
        below = next((i for i, t in enumerate(texts) if t.replace("\n", " ") == name), None)
        if above is None or below is None or above > below:
            problems.append(f"{parent!r} does not stand above {name!r}")

    headers = _headers(c.docx)
    if "<w:titlePg/>" not in _part(c.docx, "word/document.xml"):
        problems.append("page 1 has no header of its own (titlePg)")
    if "PAGE" in headers.get("first", ""):
        problems.append("a page number on page 1")
    if "PAGE" not in headers.get("default", ""):
        problems.append("no page number on the pages after the first")

    for words, name in c.signatures:
        cell = next((p.getparent() for p, t in zip(paragraphs, texts, strict=True) if t == name), None)
        if not name or cell is None or cell.tag != f"{W}tc":
            problems.append(f"no signature block printing the name {name!r}")
            continue
        if not any(_text(p).startswith(words) for p in cell.iter(f"{W}p")):
            problems.append(f"the block of {name!r} has no title starting {words!r}")
        row = cell.getparent()
        if row.find(f"{W}trPr/{W}cantSplit") is None:
            problems.append(f"the block of {name!r} may break across pages")

    if c.recipients:
        at = next((i for i, t in enumerate(texts) if t == "Nơi nhận:"), None)
        listed = [t for t in texts[at + 1 :] if t.startswith("- ")] if at is not None else []
        if not listed or not ARCHIVE.match(listed[-1]):
            problems.append(f"the last recipient is {listed[-1] if listed else None!r}, not “- Lưu: VT, <office>.”")
    if not any(t.endswith("./.") for t in texts):
        problems.append("the body does not end “./.”")
    problems += _rank_problems(everything, c.ranked)
    if "minh họa" in everything.lower():
        problems.append("“minh họa” in the text")
    return problems


def _break_problems(printed: str) -> list[str]:
    """A name printed in lines breaks only between the tokens ``header_lines`` keeps whole."""
    lines = printed.split("\n")
    if len(lines) == 1:
        return []
    words = " ".join(lines).split()
    allowed, at = set(), 0
    for token, _starts in builders._name_tokens(words):
        at += len(token.split())
        allowed.add(at)
    breaks, at = [], 0
    for line in lines[:-1]:
        at += len(line.split())
        breaks.append(at)
    return [f"a line break inside a name: {printed!r}"] if any(b not in allowed for b in breaks) else []


def _rank_problems(text: str, ranked: list[tuple[str, str]]) -> list[str]:
    problems = []
    for rank, name in ranked:
        if not rank:
            problems.append(f"{name!r} signs for the army without a rank")
            continue
        for match in re.finditer(re.escape(name), text):
            before = text[: match.start()].rstrip()
            if not any(before.endswith(label) for label in RANKS):
                problems.append(f"{name!r} without a rank before it: …{text[max(0, match.start() - 40) : match.end()]}")
                break
    return problems


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_word_file_follows_decree_30(kind: str) -> None:
    problems = docx_problems(case(kind))
    assert not problems, f"{kind}: " + "; ".join(problems)


# --- the PDF ---------------------------------------------------------------------------------------------


def _pdf(kind: str) -> bytes:
    if kind not in _pdfs:
        _pdfs[kind] = docx_to_pdf(case(kind).docx)
    return _pdfs[kind]


COLUMN_GAP = 20  # points: words further apart on one baseline stand in two columns (the header's)


def _lines(page: Any) -> list[dict[str, Any]]:
    """The page's lines of text, a line of each column apart: words on one baseline (within
    2 pt), split where the gap between two words is wider than ``COLUMN_GAP``."""
    rows: list[list[dict[str, Any]]] = []
    for word in sorted(page.extract_words(), key=lambda w: (round(w["bottom"]), w["x0"])):
        if rows and abs(rows[-1][0]["bottom"] - word["bottom"]) <= 2:
            rows[-1].append(word)
        else:
            rows.append([word])
    lines = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        segment = [row[0]]
        for word in row[1:]:
            if word["x0"] - segment[-1]["x1"] > COLUMN_GAP:
                lines.append(_segment(segment))
                segment = []
            segment.append(word)
        lines.append(_segment(segment))
    return sorted(lines, key=lambda line: (line["top"], line["x0"]))


def _segment(words: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "text": " ".join(w["text"] for w in words),
        "x0": words[0]["x0"],
        "x1": words[-1]["x1"],
        "top": min(w["top"] for w in words),
        "bottom": max(w["bottom"] for w in words),
    }


def _edge_under(page: Any, line: dict[str, Any], gap: float = 16) -> bool:
    """A horizontal line (a line, or the edge of a thin rectangle) just under ``line``, under its middle."""
    middle = (line["x0"] + line["x1"]) / 2
    for edge in page.horizontal_edges:
        if line["bottom"] - 1 <= edge["top"] <= line["bottom"] + gap and edge["x0"] - 2 <= middle <= edge["x1"] + 2:
            return True
    return False


def pdf_problems(c: Case, pdf: bytes) -> list[str]:
    import pdfplumber

    problems: list[str] = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        pages = [_lines(page) for page in document.pages]
        first, page_one = pages[0], document.pages[0]
        national = next((line for line in first if line["text"] == NATIONAL_NAME), None)
        if national is None:
            problems.append("the national name is not one line of page 1")
        motto = next((line for line in first if line["text"] == MOTTO), None)
        if motto is None or not _edge_under(page_one, motto):
            problems.append("no line under the motto")
        for name in c.names:
            printed = _name_lines(first, name)
            if not printed:
                problems.append(f"the body's name {name!r} is not printed on page 1")
                continue
            if not _edge_under(page_one, printed[-1]):
                problems.append(f"no line under the body's name {name!r}")
            problems += _break_problems("\n".join(line["text"] for line in printed))
        if c.subject:
            printed = _name_lines(first, " ".join(c.subject.split()))
            if printed and c.subject_end:
                ends = [line for line in first if line["top"] > printed[-1]["bottom"] and line["text"] == c.subject_end]
                printed = ends[:1]
            after = [line for line in first if printed and line["top"] > printed[-1]["bottom"]]
            period = after[0] if after and after[0]["text"].startswith("(") else None  # a report's period
            if not printed or not (_edge_under(page_one, printed[-1]) or (period and _edge_under(page_one, period))):
                problems.append("no line under the subject")
        for parent, name in c.parents:
            above, below = _name_lines(first, parent), _name_lines(first, name)
            if not above or not below or above[0]["top"] >= below[0]["top"]:
                problems.append(f"{parent!r} does not stand above {name!r}")

        for number, (page, lines) in enumerate(zip(document.pages, pages, strict=True), start=1):
            top = [line for line in lines if line["bottom"] < 75 and line["text"].isdigit()]
            if number == 1 and top:
                problems.append("a page number on page 1")
            if number > 1:
                centred = [line for line in top if abs((line["x0"] + line["x1"]) / 2 - page.width / 2) < 60]
                if [line["text"] for line in centred] != [str(number)]:
                    problems.append(f"page {number} has no page number centred at its top")

        for words, name in c.signatures:
            on = [i for i, lines in enumerate(pages) if any(line["text"] == name for line in lines)]
            if not on:
                problems.append(f"the name {name!r} is not printed on a line of its own")
                continue
            if not any(line["text"].startswith(words) for line in pages[on[-1]]):
                problems.append(f"the title {words!r}… is not on the page of {name!r} (page {on[-1] + 1})")

        text = "\n".join(line["text"] for lines in pages for line in lines)
        if c.recipients:
            recipients = [line["text"] for lines in pages for line in lines if line["text"].startswith("- ")]
            if not recipients or not ARCHIVE.match(recipients[-1]):
                problems.append(f"the last recipient is {recipients[-1] if recipients else None!r}")
        if "./." not in text:
            problems.append("the body does not end “./.”")
        problems += _rank_problems(text.replace("\n", " "), c.ranked)
        if "minh họa" in text:
            problems.append("“minh họa” in the text")
    return problems


def _centre(line: dict[str, Any]) -> float:
    return (line["x0"] + line["x1"]) / 2


def _name_lines(lines: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    """The printed lines that make up a name (centred in one column, one under the other), in
    order; [] when it is not there."""
    for start, line in enumerate(lines):
        column = [other for other in lines[start:] if abs(_centre(other) - _centre(line)) < 60]
        joined = ""
        for end, other in enumerate(column):
            joined = f"{joined} {other['text']}".strip()
            if joined == name:
                return column[: end + 1]
            if not name.startswith(joined):
                break
    return []


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_pdf_follows_decree_30(kind: str) -> None:
    if not pdf_available():
        pytest.skip("LibreOffice is not installed")
    problems = pdf_problems(case(kind), _pdf(kind))
    assert not problems, f"{kind}: " + "; ".join(problems)


def test_the_checklist_refuses_a_document_outside_the_form() -> None:
    """The bản tin is a news article, not in the Decree 30 form: the checklist names what it lacks."""
    invitation = case("invitation")
    conference = Conference.objects.get(programme__code="QDND-CCB", held_on=NATIONAL_DAY)
    article = Case(
        docx=conference_documents.build_bulletin(conference).content,
        names=invitation.names,
        parents=invitation.parents,
        subject=invitation.subject,
        signatures=invitation.signatures,
    )
    problems = docx_problems(article)
    assert "the national name is not one paragraph of one line" in problems
    assert "no line under the subject" in problems and "no page number on the pages after the first" in problems
    assert "the body does not end “./.”" in problems
