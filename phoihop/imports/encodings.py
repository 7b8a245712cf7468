"""Legacy Vietnamese font encodings: TCVN3 (ABC) and VNI, detected and converted to Unicode.

Before Unicode, Vietnamese text was typed in 8-bit fonts that draw Vietnamese letters at the
positions of Western (Windows-1252 / Latin-1) characters. A file typed that way holds "Hµ Néi"
(TCVN3, fonts .VnTime, .VnArial…) or "Haø Noäi" (VNI, fonts VNI-Times…) where the user saw
"Hà Nội". This module converts such text and tells whether a body of text is written that way.

- TCVN3 (TCVN 5712:1993, VN3, "ABC"): one byte per letter. The base letters with marks have
  their own codes in both cases (Ă Â Ê Ô Ơ Ư Đ / ă â ê ô ơ ư đ); the toned letters exist only in
  lower case — an upper-case toned letter is typed with the lower-case code in a capital font
  (.VnTimeH, .VnArialH…). Decoding therefore gives lower-case toned letters; a caller that knows
  the font was a capital "…H" font, or sees a word typed in capitals, upper-cases it.
- VNI (VNI-Windows): a base letter followed by one mark character (a tone, or a
  circumflex/breve combined with a tone); ơ, ư, đ and the toned i's and ỵ are single characters.

Detection scores every distinct word holding non-ASCII characters under each hypothesis
(as-is Unicode, TCVN3, VNI): a hypothesis wins a word when its reading of the word is a valid
Vietnamese syllable. Ordinary Unicode text, Windows-1258 text, ASCII and English never read as
valid syllables under TCVN3 or VNI often enough to fire.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

__all__ = [
    "ENCODING_NAMES",
    "LegacyVerdict",
    "assess_legacy",
    "detect_legacy",
    "from_unicode",
    "is_vietnamese_syllable",
    "non_ascii_words",
    "to_unicode",
]

# Vietnamese names of the encodings, for messages to the user.
ENCODING_NAMES = {"tcvn3": "TCVN3 (ABC)", "vni": "VNI"}

# --- TCVN3 --------------------------------------------------------------------------------------

# Lower-case letters, in the order: base, then tones huyền, hỏi, ngã, sắc, nặng.
_TCVN3_LOWER = {
    "a": "a\xb5\xb6\xb7\xb8\xb9",  # a à ả ã á ạ
    "ă": "\xa8\xbb\xbc\xbd\xbe\xc6",  # ă ằ ẳ ẵ ắ ặ
    "â": "\xa9\xc7\xc8\xc9\xca\xcb",  # â ầ ẩ ẫ ấ ậ
    "e": "e\xcc\xce\xcf\xd0\xd1",  # e è ẻ ẽ é ẹ
    "ê": "\xaa\xd2\xd3\xd4\xd5\xd6",  # ê ề ể ễ ế ệ
    "i": "i\xd7\xd8\xdc\xdd\xde",  # i ì ỉ ĩ í ị
    "o": "o\xdf\xe1\xe2\xe3\xe4",  # o ò ỏ õ ó ọ
    "ô": "\xab\xe5\xe6\xe7\xe8\xe9",  # ô ồ ổ ỗ ố ộ
    "ơ": "\xac\xea\xeb\xec\xed\xee",  # ơ ờ ở ỡ ớ ợ
    "u": "u\xef\xf1\xf2\xf3\xf4",  # u ù ủ ũ ú ụ
    "ư": "\xad\xf5\xf6\xf7\xf8\xf9",  # ư ừ ử ữ ứ ự
    "y": "y\xfa\xfb\xfc\xfd\xfe",  # y ỳ ỷ ỹ ý ỵ
}
# Upper-case base letters with their own codes.
_TCVN3_UPPER_BASE = {"Ă": "\xa1", "Â": "\xa2", "Ê": "\xa3", "Ô": "\xa4", "Ơ": "\xa5", "Ư": "\xa6", "Đ": "\xa7"}

# Combining tone marks in the order used above.
_TONE_MARKS = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")


def _with_tone(letter: str, tone: int) -> str:
    return unicodedata.normalize("NFC", letter + _TONE_MARKS[tone])


def _build_tcvn3() -> tuple[dict[str, str], dict[str, str]]:
    decode: dict[str, str] = {"\xae": "đ"}
    encode: dict[str, str] = {"đ": "\xae"}
    for base, codes in _TCVN3_LOWER.items():
        for tone, code in enumerate(codes):
            letter = _with_tone(base, tone)
            encode[letter] = code
            if code.isascii():
                continue
            decode[code] = letter
            # An upper-case toned letter shares the lower-case code (capital fonts draw it).
            upper = letter.upper()
            if upper not in _TCVN3_UPPER_BASE:
                encode.setdefault(upper, code if tone else upper)
    for upper, code in _TCVN3_UPPER_BASE.items():
        decode[code] = upper
        encode[upper] = code
    # Upper-case plain vowels are ASCII.
    for base in "AEIOUY":
        encode[base] = base
    return decode, encode


_TCVN3_DECODE, _TCVN3_ENCODE = _build_tcvn3()
_TCVN3_TRANS = str.maketrans(_TCVN3_DECODE)

# --- VNI ----------------------------------------------------------------------------------------

# Mark characters (lower case; upper case is the Latin-1 upper-case letter, 0x20 below).
_VNI_TONES = ("", "\xf8", "\xfb", "\xf5", "\xf9", "\xef")  # ø û õ ù ï: huyền hỏi ngã sắc nặng
_VNI_CIRCUMFLEX = ("\xe2", "\xe0", "\xe5", "\xe3", "\xe1", "\xe4")  # â à å ã á ä: ^ with tones
_VNI_BREVE = ("\xea", "\xe8", "\xfa", "\xfc", "\xe9", "\xeb")  # ê è ú ü é ë: breve with tones
# Single-character letters (lower case): toned i's, ỵ, ơ, ư, đ.
_VNI_I = ("i", "\xec", "\xe6", "\xf3", "\xed", "\xf2")  # i ì æ ó í ò: i ì ỉ ĩ í ị


def _vni_upper(text: str) -> str:
    return "".join(chr(ord(ch) - 0x20) if "\xe0" <= ch <= "\xfe" and ch != "\xf7" else ch.upper() for ch in text)


def _build_vni() -> tuple[dict[str, str], dict[str, str]]:
    """Return (decode: sequence -> letter, encode: letter -> sequence) in both cases."""
    encode: dict[str, str] = {}
    for tone in range(6):
        for base in "aeouy":
            encode[_with_tone(base, tone)] = base + _VNI_TONES[tone]
        encode[_with_tone("â", tone)] = "a" + _VNI_CIRCUMFLEX[tone]
        encode[_with_tone("ê", tone)] = "e" + _VNI_CIRCUMFLEX[tone]
        encode[_with_tone("ô", tone)] = "o" + _VNI_CIRCUMFLEX[tone]
        encode[_with_tone("ă", tone)] = "a" + _VNI_BREVE[tone]
        encode[_with_tone("ơ", tone)] = "\xf4" + _VNI_TONES[tone]  # ô = ơ
        encode[_with_tone("ư", tone)] = "\xf6" + _VNI_TONES[tone]  # ö = ư
        encode[_with_tone("i", tone)] = _VNI_I[tone]
    encode["ỵ"] = "\xee"  # î
    encode["đ"] = "\xf1"  # ñ
    for letter, seq in list(encode.items()):
        encode[letter.upper()] = _vni_upper(seq)
    decode: dict[str, str] = {}
    for letter, seq in encode.items():
        if seq.isascii():
            continue
        decode[seq] = letter
        # Tolerate a capital base letter followed by a lower-case mark ("Aù" for "Á").
        if len(seq) == 2 and seq[0].isupper():
            decode.setdefault(seq[0] + seq[1].lower(), letter)
    return decode, encode


_VNI_DECODE, _VNI_ENCODE = _build_vni()
_VNI_PATTERN = re.compile("|".join(re.escape(s) for s in sorted(_VNI_DECODE, key=len, reverse=True)))

# --- conversion ---------------------------------------------------------------------------------

_WORD_SPLIT = re.compile(r"(\s+)")


def _tcvn3_caps(text: str) -> str:
    """Upper-case the words typed in capitals: "Hµ NéI" -> "HÀ NỘI" (see the module docstring).

    A cell whose ASCII letters are all capitals (at least two of them) was typed in capitals;
    the toned letters, which TCVN3 only has in lower case, follow.
    """
    letters = [ch for ch in text if ch.isascii() and ch.isalpha()]
    if len(letters) >= 2 and all(ch.isupper() for ch in letters):
        return text.upper()
    return text


def to_unicode(text: str, encoding: str, *, capitals: bool = False) -> str:
    """Convert text typed in a legacy font ("tcvn3" or "vni") to Unicode NFC.

    `text` holds one character per byte of the font (as Windows-1252 / Latin-1 shows it).
    With `capitals=True` (TCVN3 typed in a capital font such as .VnTimeH) the result is
    upper-cased. Characters outside the font's table are kept.
    """
    if encoding == "tcvn3":
        converted = _tcvn3_caps(text.translate(_TCVN3_TRANS))
        if capitals:
            converted = converted.upper()
    elif encoding == "vni":
        converted = _VNI_PATTERN.sub(lambda m: _VNI_DECODE[m.group(0)], text)
        if capitals:
            converted = converted.upper()
    else:
        raise ValueError(f"unknown legacy encoding {encoding!r}")
    return unicodedata.normalize("NFC", converted)


def from_unicode(text: str, encoding: str) -> str:
    """Write Unicode text as a legacy font would hold it (the inverse of to_unicode).

    TCVN3 has no upper-case toned letters: they are written with the lower-case codes.
    """
    table = _TCVN3_ENCODE if encoding == "tcvn3" else _VNI_ENCODE if encoding == "vni" else None
    if table is None:
        raise ValueError(f"unknown legacy encoding {encoding!r}")
    return "".join(table.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


# --- Vietnamese syllables -----------------------------------------------------------------------

_INITIALS = "ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x"
_OPEN_RHYMES = (
    "a e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iu oa oe oi ôi ơi ua uê ui uy ưa ưi ưu "
    "oai oay oao oeo uây uôi ươi ươu uya uyu iêu yêu uơ"
)
_CLOSED_NUCLEI = "a ă â e ê i o ô ơ u ư y iê yê uô ươ oa oă oe uâ uê uy uyê oo"
_FINALS = "ch|ng|nh|c|m|n|p|t"


def _alternation(words: str) -> str:
    return "|".join(sorted(words.split(), key=len, reverse=True))


_SYLLABLE = re.compile(
    rf"(?:{_INITIALS})?(?:(?:{_alternation(_OPEN_RHYMES)})|(?:{_alternation(_CLOSED_NUCLEI)})(?:{_FINALS}))"
)
_TONE_SET = set(_TONE_MARKS[1:])
_STOP_FINAL = re.compile(r"(?:c|ch|p|t)$")


def is_vietnamese_syllable(word: str) -> bool:
    """True for one Vietnamese syllable ("Nội", "nghiêng", "Quỳnh"); spelling, not dictionary."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [ch for ch in decomposed if ch in _TONE_SET]
    if len(tones) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_SET))
    if not _SYLLABLE.fullmatch(bare):
        return False
    # Syllables ending in c, ch, p, t take only the sắc or nặng tone.
    return not (tones and tones[0] not in ("\u0301", "\u0323") and _STOP_FINAL.search(bare))


# --- detection ----------------------------------------------------------------------------------

# Words are split on whitespace, ASCII punctuation and digits, and general punctuation (“ ” … –);
# the legacy fonts' letters are Latin-1 symbols (µ, ¸, ­, §…) and must stay inside words.
_TOKEN_SPLIT = re.compile(r"[\s!-/0-9:-@\[-`{-~\xa0\u2000-\u206f]+")
# Characters a legacy font's text can hold: ASCII and the Windows-1252 / Latin-1 repertoire.
_CP1252_EXTRA = set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ")


def _latin_only(word: str) -> bool:
    return all(ord(ch) < 0x100 or ch in _CP1252_EXTRA for ch in word)


@dataclass
class LegacyVerdict:
    encoding: str | None  # "tcvn3" | "vni" | None
    certain: bool  # False: the text looks legacy but not clearly enough to convert
    words: int  # distinct words holding non-ASCII characters
    scores: dict[str, int]  # hypothesis ("unicode", "tcvn3", "vni") -> words read as valid syllables


def non_ascii_words(text: str) -> list[str]:
    """The words of text that hold a non-ASCII character (legacy-font letters stay inside words).

    A lone symbol ("©", "½", "±") is not a word.
    """
    if text.isascii():
        return []
    return [
        word
        for word in _TOKEN_SPLIT.split(text)
        if word and not word.isascii() and (len(word) > 1 or unicodedata.category(word)[0] == "L")
    ]


def _words(texts: Iterable[str], limit: int) -> set[str]:
    """Up to about `limit` distinct non-ASCII words of the texts (looking at 10 × limit texts at most)."""
    words: set[str] = set()
    seen: set[str] = set()
    for text in texts:
        if isinstance(text, str) and text not in seen and not text.isascii():
            seen.add(text)
            words.update(non_ascii_words(text))
            if len(words) >= limit or len(seen) >= 10 * limit:
                break
    return words


def assess_legacy(
    texts: Iterable[str], *, baseline: Callable[[str], str] | None = None, limit: int = 5000
) -> LegacyVerdict:
    """Weigh whether `texts` were typed in a legacy font.

    `baseline` converts a word under the "ordinary" hypothesis (default: the text as it is;
    the CSV reader passes its Windows-1258 reading). Looks at up to `limit` distinct words.
    """
    words = _words(texts, limit)
    scores = {"unicode": 0, "tcvn3": 0, "vni": 0}
    for word in words:
        plain = baseline(word) if baseline else word
        if is_vietnamese_syllable(plain):
            scores["unicode"] += 1
        if _latin_only(word):
            if is_vietnamese_syllable(to_unicode(word, "tcvn3")):
                scores["tcvn3"] += 1
            if is_vietnamese_syllable(to_unicode(word, "vni")):
                scores["vni"] += 1
    total = len(words)
    if not total:
        return LegacyVerdict(None, True, 0, scores)
    best = max(("tcvn3", "vni"), key=lambda k: scores[k])
    other = max(scores["unicode"], scores["vni" if best == "tcvn3" else "tcvn3"])
    lead = scores[best] - other
    # Certain: most words read as the legacy font, clearly more than under any other reading, and
    # more than one word says so. Uncertain (the caller refuses the file): a good share does.
    if scores[best] >= 2 and scores[best] >= 0.7 * total and lead >= max(1, 0.25 * total):
        return LegacyVerdict(best, True, total, scores)
    if scores[best] >= 2 and scores[best] >= 0.4 * total and lead > 0:
        return LegacyVerdict(best, False, total, scores)
    return LegacyVerdict(None, True, total, scores)


def detect_legacy(texts: Iterable[str]) -> str | None:
    """Return "tcvn3" or "vni" when the texts were clearly typed in that legacy font, else None."""
    verdict = assess_legacy(texts)
    return verdict.encoding if verdict.certain else None
