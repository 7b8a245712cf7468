"""Vietnamese text helpers: search folding and alphabetical sort keys."""

from __future__ import annotations

import re
import unicodedata

_COMBINING = re.compile(r"[\u0300-\u036f]")


def fold(text: str | None) -> str:
    """Fold text for diacritic-free search: "Nguyễn Văn Gấu" -> "nguyen van gau", "Đức" -> "duc"."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = _COMBINING.sub("", decomposed)
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return " ".join(stripped.casefold().split())


# Vietnamese alphabet order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y.
# Letters outside it (f, j, w, z, digits) keep their Latin position.
_ALPHABET = [
    "0", "1", "2", "3", "4", "5", "6", "7", "8", "9",
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m",
    "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]  # fmt: skip
_LETTER_RANK = {ch: i + 1 for i, ch in enumerate(_ALPHABET)}
# Tone marks, in the order dictionaries use: none, huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: part of the letter


def _word_key(word: str) -> tuple[str, str]:
    letters: list[str] = []
    tones: list[str] = []
    for ch in word.casefold():
        parts = unicodedata.normalize("NFD", ch)
        base = parts[0]
        marks = parts[1:]
        letter = unicodedata.normalize("NFC", base + "".join(m for m in marks if m in _LETTER_MARKS))
        if letter == "d" and ch == "đ":
            letter = "đ"
        tone = next((_TONES[m] for m in marks if m in _TONES), 0)
        rank = _LETTER_RANK.get(letter)
        if rank is None:
            if not letter.isalnum():
                continue
            rank = 60
        letters.append(f"{rank:02d}")
        tones.append(str(tone))
    return "".join(letters), "".join(tones)


def sort_key(text: str | None) -> str:
    """An ASCII key that sorts Vietnamese text in dictionary order, word by word.

    Within a word letters decide first, then tones ("Dung" < "Dùng" < "Dũng" < "Duy").
    """
    parts = []
    for word in (text or "").split():
        letters, tones = _word_key(word)
        parts.append(f"{letters}.{tones}")
    return " ".join(parts)


def person_sort_key(full_name: str | None) -> str:
    """Vietnamese lists sort by given name (the last word), then family and middle names."""
    words = (full_name or "").split()
    if not words:
        return ""
    reordered = [words[-1], *words[:-1]]
    return sort_key(" ".join(reordered))[:250]
