"""A second opinion from a statistical reader: underthesea's CRF models (word segmentation, part
of speech, named entities) that its wheel ships, loaded from the installed package, offline.

Only the CRF models are used (``deep=False``): they are files of the wheel, while the
"deep" models would be fetched from a model hub at run time, which this project never does.
underthesea is imported the first time a report is read, not when Django starts, so the
other pages and commands do not pay for it (about 0.3 s and some 60 MB).

The rules of ``people`` and ``record`` read the text first; this module only confirms or
rejects what they found (a capitalised phrase that is a place, not a person) and offers
what they missed (a proper noun after "tại"). Each token keeps its span in the original text.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass

from phoihop.conferences.extract.events import Span


@dataclass(frozen=True)
class Token:
    text: str
    span: Span
    pos: str  # "Np": proper noun, "N", "V", ... (VLSP tags)
    entity: str  # "PER", "LOC", "ORG", "MISC" or "" (the NER tag without B-/I-)


def _underthesea():  # type: ignore[no-untyped-def]
    # Never reach a model hub: the CRF models are files of the wheel.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import underthesea

    return underthesea


# Sentences short enough for the CRF models (they read one sentence at a time, and a long one
# blurs their entity tags): cut at sentence ends and at semicolons.
_SENTENCE = re.compile(r"[^\n.;]+(?:\.(?!\s|$)[^\n.;]*)*")


@functools.lru_cache(maxsize=64)
def tokens(text: str) -> tuple[Token, ...]:
    """The tokens of ``text`` with their spans, part of speech and entity tag."""
    underthesea = _underthesea()
    found: list[Token] = []
    for sentence in _SENTENCE.finditer(text):
        chunk = sentence.group()
        if not chunk.strip():
            continue
        pos = 0
        for word, tag, _chunk_tag, entity in underthesea.ner(chunk):
            start = chunk.find(word, pos)
            if start < 0:  # the tokeniser changed the word's spelling: skip it
                continue
            pos = start + len(word)
            offset = sentence.start()
            found.append(Token(word, (offset + start, offset + pos), tag, entity[2:] if "-" in entity else ""))
    return tuple(found)


def covering(text: str, span: Span) -> list[Token]:
    """The tokens that overlap ``span``."""
    start, end = span
    return [t for t in tokens(text) if t.span[0] < end and t.span[1] > start]


def is_place(text: str, span: Span, surnames: frozenset[str] = frozenset()) -> bool:
    """Whether the capitalised phrase at ``span`` reads as a place rather than a person: the
    word before it is an administrative unit ("tỉnh", "thành phố", "quận", "xã" ...), or the
    model tags all of it LOC and it does not begin with a family name (the CRF model, trained
    on news, often tags a name after a position "Bộ trưởng Bộ Công an Tô Lâm" LOC)."""
    before = text[max(0, span[0] - 12) : span[0]]
    if re.search(r"(?:^|\s)(?:tỉnh|thành phố|TP\.?|quận|huyện|thị xã|thị trấn|xã|phường|ấp|thôn)\s$", before):
        return True
    if text[span[0] : span[1]].split(" ")[0] in surnames:
        return False
    found = covering(text, span)
    return bool(found) and all(t.entity == "LOC" for t in found)


def is_person(text: str, span: Span) -> bool:
    """Whether the model reads the phrase at ``span`` as a person's name (tagged PER)."""
    found = covering(text, span)
    return bool(found) and all(t.entity == "PER" for t in found)


def proper_noun_after(text: str, start: int, end: int) -> Span | None:
    """The first run of proper nouns (``Np``) between ``start`` and ``end``, with a lower-case
    administrative word just before it ("tỉnh Yên Bái"), as a span; or None."""
    run: list[Token] = []
    for token in tokens(text):
        if token.span[0] < start or token.span[1] > end:
            if run:
                break
            continue
        if token.pos == "Np" and token.text[:1].isupper():
            run.append(token)
        elif run:
            break
    if not run:
        return None
    first = run[0].span[0]
    admin = re.search(
        r"(?:tỉnh|thành phố|quận|huyện|thị xã|thị trấn|xã|phường)\s$", text[max(start, first - 12) : first]
    )
    if admin:
        first = max(start, first - 12) + admin.start()
    return first, run[-1].span[1]
