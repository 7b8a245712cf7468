"""Deterministic bench data: a unit tree, indicator values by day, and the sampled queries.

Nothing here touches a database: ``bench/figures.py`` loads what these functions produce.
The same seed gives the same tree, values and queries on every database, so the results of
SQLite and PostgreSQL describe the same data.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

# treebeard's MP_Node defaults (steplen is OrgUnit.steplen): paths are base-36 steps of 4.
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4

FIRST_DAY = date(2017, 1, 1)
LAST_DAY = date(2026, 11, 27)
# Units of the closed provinces stop on the day before the 2025 reform; later values go to open units.
REFORM_DAY = date(2025, 7, 1)
OPEN_PROVINCES = 34

ROOT, PROVINCE, COMMUNE, BRANCH = "root", "province", "commune", "branch"

# Shares of the values recorded at each level (the rest at branches): mostly communes and branches.
SHARE_ROOT, SHARE_PROVINCE, SHARE_COMMUNE = 0.0005, 0.05, 0.25
SHARE_COUNTED, SHARE_APPROVED = 0.90, 0.60

# (code, field code, name, unit of measure, largest plausible value of one record)
FIELDS = [
    ("tuyen-truyen", "Tuyên truyền, giáo dục"),
    ("chinh-tri", "Xây dựng hệ thống chính trị ở cơ sở"),
    ("quoc-phong", "Củng cố quốc phòng, an ninh"),
    ("kinh-te", "Phát triển kinh tế"),
    ("xa-hoi", "Văn hóa, xã hội"),
    ("giam-ngheo", "Giảm nghèo bền vững"),
]
INDICATORS = [
    ("tt-buoi", "tuyen-truyen", "Số buổi tuyên truyền", "buổi", 20),
    ("tt-luot", "tuyen-truyen", "Số lượt người nghe tuyên truyền", "lượt", 500),
    ("ct-hd", "chinh-tri", "Số hoạt động phối hợp", "hoạt động", 10),
    ("ct-mh", "chinh-tri", "Số mô hình mới", "mô hình", 3),
    ("ct-nr", "chinh-tri", "Số đơn vị nhân rộng mô hình", "đơn vị", 5),
    ("qp-dq", "quoc-phong", "Số buổi huấn luyện dân quân", "buổi", 8),
    ("qp-tuan", "quoc-phong", "Số lượt tuần tra", "lượt", 30),
    ("kt-von", "kinh-te", "Vốn vay, quỹ huy động", "triệu đồng", 2000),
    ("kt-ho", "kinh-te", "Số hộ được hỗ trợ sản xuất", "hộ", 50),
    ("xh-nha", "xa-hoi", "Số nhà đồng đội, nhà tình nghĩa", "căn", 2),
    ("xh-nguoi", "xa-hoi", "Số người được giúp đỡ", "người", 100),
    ("gn-ho", "giam-ngheo", "Số hộ hội viên thoát nghèo", "hộ", 5),
    ("kt-kt", "xa-hoi", "Số tập thể, cá nhân được khen thưởng", "lượt", 10),
]


def step(n: int) -> str:
    """One path step of treebeard's MP_Node: ``n`` in base 36, four characters."""
    digits = ""
    while n:
        n, r = divmod(n, 36)
        digits = ALPHABET[r] + digits
    return digits.rjust(STEPLEN, "0")


@dataclass
class Unit:
    id: int
    path: str
    level: str
    code: str
    name: str
    closed: bool = False
    successor_id: int | None = None
    numchild: int = 0

    @property
    def depth(self) -> int:
        return len(self.path) // STEPLEN


@dataclass
class Tree:
    units: list[Unit]
    by_level: dict[str, list[Unit]] = field(default_factory=dict)
    open_by_level: dict[str, list[Unit]] = field(default_factory=dict)

    @property
    def root(self) -> Unit:
        return self.units[0]

    @property
    def open_provinces(self) -> list[Unit]:
        return self.open_by_level[PROVINCE]


def build_tree(n_units: int, rng: random.Random) -> Tree:
    """Root → 34 open provinces and a few closed ones (with successors) → communes (about 3%)
    → branches (the rest). A closed province's units close with it, on the day before the reform."""
    n_closed = 5 if n_units >= 2000 else 2
    n_provinces = OPEN_PROVINCES + n_closed
    n_communes = max(n_provinces, round(0.03 * n_units))
    n_branches = n_units - 1 - n_provinces - n_communes
    if n_branches < 0:
        raise ValueError(f"--units must be at least {1 + 2 * n_provinces}")
    units: list[Unit] = []
    children: dict[int, int] = {}

    def add(parent: Unit | None, level: str, code: str, name: str, closed: bool = False) -> Unit:
        if parent is None:
            path = step(1)
        else:
            children[parent.id] = children.get(parent.id, 0) + 1
            parent.numchild += 1
            path = parent.path + step(children[parent.id])
        unit = Unit(len(units) + 1, path, level, code, name, closed)
        units.append(unit)
        return unit

    root = add(None, ROOT, "BENCH", "Trung ương Hội Cựu chiến binh (dữ liệu đo)")
    provinces = [
        add(root, PROVINCE, f"BENCH-P{i:02d}", f"Hội CCB tỉnh thử {i:02d}", closed=i > OPEN_PROVINCES)
        for i in range(1, n_provinces + 1)
    ]
    for closed in provinces[OPEN_PROVINCES:]:
        closed.successor_id = rng.choice(provinces[:OPEN_PROVINCES]).id
    communes = []
    for i in range(n_communes):
        province = provinces[i] if i < n_provinces else rng.choice(provinces)
        communes.append(
            add(province, COMMUNE, f"BENCH-X{i + 1:05d}", f"Hội CCB xã thử {i + 1:05d}", closed=province.closed)
        )
    # Branches in commune order, so that the ids of a subtree are close together as they would be
    # when a unit administrator creates them; the values come in date order regardless.
    counts = [0] * n_communes
    for _ in range(n_branches):
        counts[rng.randrange(n_communes)] += 1
    number = 0
    for commune, count in zip(communes, counts, strict=True):
        for _ in range(count):
            number += 1
            add(commune, BRANCH, f"BENCH-C{number:06d}", f"Chi hội thử {number:06d}", closed=commune.closed)
    tree = Tree(units)
    for level in (ROOT, PROVINCE, COMMUNE, BRANCH):
        tree.by_level[level] = [u for u in units if u.level == level]
        tree.open_by_level[level] = [u for u in tree.by_level[level] if not u.closed]
    return tree


# One value: (unit id, indicator position, day, value, counted, approved)
ValueRow = tuple[int, int, date, int, bool, bool]


def days() -> list[date]:
    return [FIRST_DAY + timedelta(days=i) for i in range((LAST_DAY - FIRST_DAY).days + 1)]


def values_by_day(tree: Tree, n_values: int, rng: random.Random) -> Iterator[list[ValueRow]]:
    """``n_values`` values spread evenly over the days, in date order (the order a live system
    records them in). Within a day, a unit reports each indicator at most once (entered values
    are unique by unit, indicator and period)."""
    all_days = days()
    per_day, extra = divmod(n_values, len(all_days))
    maxima = [m for *_, m in INDICATORS]
    n_ind = len(INDICATORS)
    rand, randrange = rng.random, rng.randrange
    for index, day in enumerate(all_days):
        pools = tree.by_level if day < REFORM_DAY else tree.open_by_level
        roots, provinces, communes, branches = (pools[k] for k in (ROOT, PROVINCE, COMMUNE, BRANCH))
        wanted = per_day + (index < extra)
        seen: set[tuple[int, int]] = set()
        rows: list[ValueRow] = []
        attempts = 0
        while len(rows) < wanted and attempts < wanted * 20:
            attempts += 1
            r = rand()
            if r < SHARE_ROOT:
                pool = roots
            elif r < SHARE_ROOT + SHARE_PROVINCE:
                pool = provinces
            elif r < SHARE_ROOT + SHARE_PROVINCE + SHARE_COMMUNE:
                pool = communes
            else:
                pool = branches or communes
            unit_id = pool[randrange(len(pool))].id
            indicator = randrange(n_ind)
            if (unit_id, indicator) in seen:
                continue
            seen.add((unit_id, indicator))
            flag = rand()
            rows.append(
                (unit_id, indicator, day, randrange(maxima[indicator]) + 1, flag < SHARE_COUNTED, flag < SHARE_APPROVED)
            )
        yield rows


# --- the sampled queries ---------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    unit_id: int
    path: str
    indicator_id: int
    start: date
    end: date
    kind: str  # what the range is: a Decree 09 period kind, "phase" or "random"
    level: str


PHASES = ((date(2017, 9, 23), date(2022, 9, 22)), (date(2022, 9, 23), date(2027, 9, 22)))
# The level of the unit a query asks about: the root rarely, then provinces, communes, branches.
LEVEL_WEIGHTS = ((ROOT, 0.02), (PROVINCE, 0.28), (COMMUNE, 0.35), (BRANCH, 0.35))


def random_range(rng: random.Random) -> tuple[date, date, str]:
    """A Decree 09 reporting period (cut on the 15th), a phase, or any range up to five years."""
    from phoihop.figures.periods import PeriodKind, decree09_period

    r = rng.random()
    if r < 0.5:
        kind = rng.choice(
            [
                PeriodKind.MONTH,
                PeriodKind.QUARTER,
                PeriodKind.HALF,
                PeriodKind.NINE_MONTHS,
                PeriodKind.YEAR,
                PeriodKind.CALENDAR_YEAR,
            ]
        )
        number = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 4, PeriodKind.HALF: 2}.get(kind, 1)
        period = decree09_period(kind, rng.randint(2017, 2026), rng.randint(1, number))
        return period.start, period.end, kind
    if r < 0.6:
        start, end = rng.choice(PHASES)
        return start, end, "phase"
    start = FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    return start, start + timedelta(days=rng.randrange(5 * 365)), "random"


def sample_queries(tree: Tree, indicator_ids: list[int], n: int, rng: random.Random) -> list[Query]:
    levels = [level for level, _ in LEVEL_WEIGHTS]
    weights = [w for _, w in LEVEL_WEIGHTS]
    queries = []
    for _ in range(n):
        level = rng.choices(levels, weights)[0]
        pool = tree.by_level[level] or tree.by_level[COMMUNE]
        unit = rng.choice(pool)
        start, end, kind = random_range(rng)
        queries.append(Query(unit.id, unit.path, rng.choice(indicator_ids), start, end, kind, unit.level))
    return queries
