"""Today's tree: where the figures of closed units count now, as signed terms.

A value recorded by unit D counts, in today's tree, under every unit met on a walk up from D
that jumps to the successor whenever it meets a closed unit with one ("jump"). Hòa Bình's
2019 figures walk from Hòa Bình to Phú Thọ, then up to the association's root.

With ``R(X)`` the historical subtree total of X, a unit U's total in today's tree is

    R(U) - sum of R(k) for the jumps k inside U (U included) with no jump between U and k
         + sum over the jumps j whose figures land in U of R(j) - sum of R(m) for the
           outermost jumps m inside j

which ``rebuild_terms`` stores as signed ``TodayTerm`` rows. Only closures change them; the
values and their roll-ups are never rewritten.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction

from phoihop.core.gate import ROLLUP_UPKEEP
from phoihop.figures.models import TodayTerm

STEP = 4


def compute_terms(units: dict[int, tuple[str, int | None]]) -> dict[tuple[int, int], int]:
    """``units``: id -> (path, successor id). Returns (unit, source) -> coefficient, non-zero."""
    by_path = {path: uid for uid, (path, _) in units.items()}
    jumps = {uid for uid, (_, successor) in units.items() if successor is not None and successor in units}

    def parent(uid: int) -> int | None:
        path = units[uid][0]
        return by_path.get(path[:-STEP]) if len(path) > STEP else None

    def depth(uid: int) -> int:
        return len(units[uid][0]) // STEP

    def nearest_jump_above(uid: int) -> int | None:
        x = parent(uid)
        while x is not None:
            if x in jumps:
                return x
            x = parent(x)
        return None

    def landing_chain(start: int) -> list[int]:
        chain: list[int] = []
        seen: set[int] = set()
        x: int | None = start
        while x is not None and x not in seen:
            seen.add(x)
            if x in jumps:
                x = units[x][1]
                continue
            chain.append(x)
            x = parent(x)
        return chain

    above = {k: nearest_jump_above(k) for k in jumps}
    inner: dict[int, list[int]] = defaultdict(list)  # jump -> outermost jumps strictly inside it
    for k, a in above.items():
        if a is not None:
            inner[a].append(k)

    terms: dict[tuple[int, int], int] = defaultdict(int)
    for k in jumps:
        # k's figures leave every unit from k up to (not including) the next jump above.
        x: int | None = k
        while x is not None and x != above[k]:
            if depth(x) > 1:
                terms[(x, k)] -= 1
            x = parent(x)
        # ... and land in every unit of the walk from its successor.
        successor = units[k][1]
        assert successor is not None
        for u in landing_chain(successor):
            if depth(u) > 1:
                terms[(u, k)] += 1
                for m in inner[k]:
                    terms[(u, m)] -= 1
    return {key: c for key, c in terms.items() if c}


def load_units() -> dict[int, tuple[str, int | None]]:
    from phoihop.orgunits.models import OrgUnit

    return {
        uid: (path, successor)
        for uid, path, successor in OrgUnit.objects.unrestricted(ROLLUP_UPKEEP).values_list(
            "pk", "path", "successor_id"
        )
    }


@transaction.atomic
def rebuild_terms() -> int:
    """Recompute today's-tree terms from the units' successions. Returns the number of terms."""
    terms = compute_terms(load_units())
    TodayTerm.objects.all().delete()
    TodayTerm.objects.bulk_create(
        [TodayTerm(unit_id=u, source_id=s, sign=c) for (u, s), c in sorted(terms.items())], batch_size=2000
    )
    return len(terms)
