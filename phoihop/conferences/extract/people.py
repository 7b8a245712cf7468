"""The people a report names: who chaired or co-chaired, and the other officials, each with a
rank (from the list of ranks of the army, police and border guards) and the positions written
after the name ("Thiếu tướng Nguyễn Văn Gấu - Ủy viên T.Ư Đảng, Phó chủ nhiệm Tổng cục Chính
trị QĐND Việt Nam"). Rules over the text: a name is two to five capitalised syllables after a
rank, after "đồng chí", "ông" or "bà", or before a position."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from phoihop.conferences.extract import nlp
from phoihop.conferences.extract.events import Span, folded, masked

RANKS = [
    "Đại tướng",
    "Thượng tướng",
    "Trung tướng",
    "Thiếu tướng",
    "Đại tá",
    "Thượng tá",
    "Trung tá",
    "Thiếu tá",
    "Đại úy",
    "Thượng úy",
    "Trung úy",
    "Thiếu úy",
    "Đô đốc",
    "Phó Đô đốc",
    "Chuẩn Đô đốc",
]
_RANKS = sorted(((folded(r).lower(), r) for r in RANKS), key=lambda pair: -len(pair[0]))
# The first words of a position (folded).
POSITION_STARTS = (
    "uy vien", "uvtv", "uvbtv", "bi thu", "pho", "chu tich", "giam doc", "tu lenh", "chinh uy", "truong",
    "chu nhiem", "bo truong", "thu truong", "tong bi thu", "tong giam doc", "tong cuc truong",
    "tong bien tap", "tong thu ky", "chi huy", "don truong", "thuong truc", "can bo", "dai bieu",
    "hieu truong", "chanh", "tham muu", "cuc truong", "vu truong", "tong tham muu truong", "chinh tri vien",
    "chi huy truong", "doi truong", "tram truong", "dong chu tich", "giam doc",
)  # fmt: skip


def _is_position(key: str) -> bool:
    """Whether a folded phrase begins with a position word, as whole words ("phó", not the
    "phò" of "Phòng hồ sơ")."""
    return any(key == start or key.startswith(start + " ") for start in POSITION_STARTS)


TITLES = ("dong chi", "ong", "ba", "chi")
SYLLABLE = re.compile(r"[^\W\d_][^\W\d_’']*", re.UNICODE)
# Vietnamese family names, to find a name written after its position ("Bộ trưởng Bộ Công an Tô
# Lâm", "Phó Bí thư Tỉnh ủy Trần Văn Minh").
SURNAMES = set(
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Tô Tạ Đinh Trịnh Đào Lương "
    "Mai Cao Lâm Hà Khuất Hầu Triệu Thái Kiều Quách Vương Doãn Chu Lưu Tăng Phùng Nông Lò Lục Mạc Đàm "
    "Giáp Kim Tống Từ Văn Thân La Lạc Âu Đoàn Diệp Khổng Tiêu Ninh Quan Hứa Viên Lại Trương Châu".split()
)
_SURNAMES = frozenset(SURNAMES)
SENTENCE_END = re.compile(r"\.(?:\s|$)|\n")  # not the dot of "T.Ư"
CHAIR = re.compile(r"\b(dong chu tri|chu tri)\b")
# A sentence that names its chairs after "chủ trì" (folded): "Đồng chủ trì Hội nghị là A và B",
# "Dự và chủ trì Hội nghị có đồng chí A …", "Chủ trì buổi lễ có …". The chairs are the people
# named from there to the end of the sentence, or to where other guests begin ("cùng dự có …").
CHAIR_FIRST = re.compile(
    r"(?:^|[.;:\n])\s*(?:(?:tham )?du va )?(?:dong )?chu tri\b[^.;:\n]{0,40}?\s(?:la|co|gom)\s", re.MULTILINE
)
CHAIR_LIST_END = re.compile(r"[;:\n]|\.(?:\s|$)|\b(?:cung (?:tham )?du|tham du|du hoi nghi|cung voi cac)\b")
# A unit's position followed by its parent organisation is one position: "Cục trưởng Cục Tác
# chiến, Bộ Tổng Tham mưu QĐND Việt Nam", "Chánh Văn phòng, Bộ Công an" (folded).
_UNIT = re.compile(r"\s(?:Cục|Vụ|Văn phòng|Viện|Học viện|Phòng|Trường|Tổng cục|Sư đoàn|Lữ đoàn|Trung đoàn)\b")
_PARENT = re.compile(r"^(?:bo|tong cuc|quan khu|quan chung|binh chung|quan doan|bo tu lenh|bo tong tham muu) ")
# An administrative word before a place's name ("TP. Huế", "tỉnh Long An"), after which a name
# may follow its positions ("Chủ tịch HĐND TP. Huế Phan Thiên Định").
_PLACE_BEFORE = re.compile(
    r"(?:^|\s)(?:tỉnh|thành phố|TP\.?|quận|huyện|thị xã|thị trấn|xã|phường)\s+((?:[^\W\d_][^\W\d_]*\s){1,3})$"
)


@dataclass
class Person:
    name: str
    rank: str | None = None
    positions: list[str] = field(default_factory=list)
    chair: bool = False
    spans: list[Span] = field(default_factory=list)


def _name_at(text: str, start: int) -> tuple[str, int] | None:
    """Two to five capitalised syllables from ``start`` (single spaces between them)."""
    words: list[str] = []
    pos = start
    while len(words) < 5:
        match = SYLLABLE.match(text, pos)
        if not match or not match.group()[0].isupper() or (len(match.group()) > 1 and not match.group()[1:].islower()):
            break
        words.append(match.group())
        pos = match.end()
        if text[pos : pos + 1] != " ":
            break
        pos += 1
    while words and folded(words[-1]).lower() in ("va", "cung", "tai"):
        words.pop()
    if len(words) < 2:
        return None
    name = " ".join(words)
    return name, start + len(name)


def _positions(text: str, start: int) -> list[str]:
    """The positions written after a name: "- A, B", "– A, B" or ", A, B", each starting with a
    capital and a position word, up to the end of the clause."""
    match = re.match(r"\s*(?:[-–—,]|\()\s*", text[start:])
    if not match:
        return []
    pos = start + match.end()
    end = len(text)
    for stop in re.finditer(
        r"[;.()\n]|\s(?:và|cùng|đồng chủ trì|chủ trì|tới dự|đến dự|dự|cho biết|phát biểu|đã|khẳng định"
        r"|đại diện|nhấn mạnh|trao|thay mặt|chúc mừng|yêu cầu|đề nghị)(?=[\s.,;]|$)",
        text[pos:],
    ):
        candidate = pos + stop.start()
        if text[candidate] == "." and not text[candidate + 1 : candidate + 2].isspace() and candidate + 1 < len(text):
            continue  # "T.Ư", "TP.HCM": a dot inside a word
        end = candidate
        break
    found: list[str] = []
    last: tuple[int, int] | None = None  # the span of the last position found
    for piece in re.finditer(r"[^,]+", text[pos:end]):
        part = piece.group().strip(" -–")
        key = folded(part).lower()
        if part and last and part[0].isupper() and _PARENT.match(key + " ") and _UNIT.search(found[-1]):
            a = pos + piece.start() + piece.group().find(part)
            found[-1] = text[last[0] : a + len(part)]
            last = (last[0], a + len(part))
            continue
        if not part or not part[0].isupper() or not (_is_position(key) or part.startswith("Nguyên ")):
            break
        a = pos + piece.start() + piece.group().find(part)
        found.append(part)
        last = (a, a + len(part))
    return found


def _inside_name(text: str, i: int) -> bool:
    """Whether the word at ``i`` follows a capitalised word of the same phrase."""
    previous = re.search(r"([^\W\d_]+)\s$", text[max(0, i - 30) : i])
    return bool(previous and previous.group(1)[0].isupper())


def read_people(text: str) -> list[Person]:
    low = folded(text).lower()
    people: dict[str, Person] = {}
    order: list[str] = []
    claimed: list[Span] = []  # where the positions of the people found are written
    for match in re.finditer(r"\b", low):
        i = match.start()
        if i and low[i - 1].isalnum():
            continue
        rank = next((r for key, r in _RANKS if low.startswith(key + " ", i)), None)
        after = i + len(rank) + 1 if rank else i
        title = next((t for t in TITLES if low.startswith(t + " ", after)), None)
        if title:
            after += len(title) + 1
        if not rank and not title:
            if not text[i : i + 1].isupper():
                continue
            before = text[max(0, i - 2) : i]
            if before.endswith(".") or (before.endswith(" ") and before[:1].isalpha() and _inside_name(text, i)):
                continue  # "T.Ư Đảng"; "Văn Gấu" of "Nguyễn Văn Gấu"
        found = _name_at(text, after)
        if not found:
            continue
        name, end = found
        positions = _positions(text, end)
        if not rank and not title and not positions:
            continue  # a capitalised phrase, not a person
        if not rank and not title and nlp.is_place(text, (after, end), _SURNAMES):
            continue  # "quận Cầu Giấy, Phòng …", "thành phố Hà Nội, Chủ tịch …": a place
        if _is_position(folded(name).lower()):
            continue  # "Phó Tổng Giám đốc": a position, not a name
        stop = SENTENCE_END.search(text, end)
        sentence_end = stop.start() if stop else len(text)
        person = people.get(name)
        if person is None:
            person = people[name] = Person(name=name)
            order.append(name)
        person.rank = person.rank or rank
        if len(positions) > len(person.positions):
            person.positions = positions
        person.chair = person.chair or bool(CHAIR.search(low, end, sentence_end))
        person.spans.append((i, end))
        if positions:
            claimed.append((end, text.find(positions[-1], end) + len(positions[-1])))
    # A name after its position: "<Position …> <Surname> <Given names>", or "<Position> - <Name>";
    # the positions may be several ("UVTV Tỉnh uỷ, Bí thư Thành uỷ, Chủ tịch HĐND TP. Huế Phan
    # Thiên Định") and a place may stand just before the name ("… TP. Huế Phan …").
    dots = masked(text)  # "TP. Huế": the dot of an abbreviation does not end the clause
    for match in re.finditer(r"(?<![\w.])(\w+)", text):
        if match.group(1) not in SURNAMES or any(
            match.start() in range(a, b) for p in people.values() for a, b in p.spans
        ):
            continue
        found = _name_at(text, match.start())
        if not found or (_inside_name(text, match.start()) and not _PLACE_BEFORE.search(text[: match.start()])):
            continue
        name, end = found
        clause_start = max(
            max(dots.rfind(c, 0, match.start()) for c in ".;,\n(") + 1,
            text.rfind(" và ", 0, match.start()) + len(" và ") if " và " in text[: match.start()] else 0,
        )
        before = text[clause_start : match.start()].strip(" -–")
        head = re.search(r"(?:^|\s)((?:[^\W\d_]+)(?:\s+\S+){0,9})$", before)
        if not head:
            continue
        position = before[before.find(head.group(1)) :]
        start = _position_start(position)
        if start is None or name in people or nlp.is_place(text, (match.start(), end), _SURNAMES):
            continue
        first = text.find(position, clause_start) + start  # where the positions begin
        positions = [position[start:].strip(" -–")]
        if start == 0:
            first, earlier = _earlier_positions(text, dots, first, claimed)
            positions = earlier + positions
        person = people[name] = Person(name=name, positions=positions)
        order.append(name)
        stop = SENTENCE_END.search(text, end)
        person.chair = bool(CHAIR.search(low, end, stop.start() if stop else len(text)))
        person.spans.append((first, end))
    for lead in CHAIR_FIRST.finditer(low):
        stop = CHAIR_LIST_END.search(low, lead.end())
        region = range(lead.end(), stop.start() if stop else len(low))
        for person in people.values():
            if any(a in region for a, _ in person.spans):
                person.chair = True
    return [people[n] for n in order]


def _position_start(phrase: str) -> int | None:
    """Where the first capitalised position word of ``phrase`` begins, or None."""
    return next(
        (
            m.start()
            for m in re.finditer(r"\S+", phrase)
            if _is_position(folded(phrase[m.start() :]).lower()) and phrase[m.start()].isupper()
        ),
        None,
    )


def _earlier_positions(text: str, dots: str, start: int, claimed: list[Span]) -> tuple[int, list[str]]:
    """The positions listed before the one at ``start`` ("UVTV Tỉnh uỷ, Bí thư Thành uỷ, <start>"),
    each after a comma, up to a part that is no position or that names one; none that another
    person's positions already hold. Returns where the first begins and them, in order."""
    found: list[str] = []
    while text[:start].rstrip().endswith(","):
        comma = text.rfind(",", 0, start)
        part_start = max(dots.rfind(c, 0, comma) for c in ".;,\n(:") + 1
        if any(a < comma and part_start < b for a, b in claimed):
            break
        part = text[part_start:comma]
        at = _position_start(part)
        prefix = part[:at].strip() if at is not None else ""
        if at is None or (prefix and not (prefix[:1].lower() + prefix[1:]).islower()):
            break
        found.insert(0, part[at:].strip(" -–"))
        start = part_start + at
        if prefix:
            break  # "Tham dự có UVTV Tỉnh uỷ": the list begins here
    return start, found
