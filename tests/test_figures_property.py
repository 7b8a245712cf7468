"""Roll-ups equal brute-force sums, whatever the tree and whatever the writes (hypothesis).

Random trees with closed units and successors; random creates, edits, deletes and status
changes of activities and entered values, and locks; after each, every unit's total for random
date ranges equals the brute-force sum over the raw values, in both views (historical and
today's tree), all submitted and approved only.

Brute force, by definition: historically a value counts under every ancestor-or-self of its
unit; in today's tree, under every unit met on a walk up from its unit that jumps to the
successor at each closed unit that has one.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from phoihop.accounts.models import User
from phoihop.activities import services as services
from phoihop.activities.models import Activity, ActivityStatus
from phoihop.entry import services as entry_services
from phoihop.entry.models import EntryLock, IndicatorValue
from phoihop.figures import selectors
from phoihop.figures.today import compute_terms, rebuild_terms
from phoihop.orgunits.models import Organisation, OrgUnit, OrgUnitLevel
from phoihop.programmes.models import Field, Indicator, Party, Phase, Programme

pytestmark = pytest.mark.django_db

STEP = 4
FIRST, LAST = date(2020, 1, 1), date(2026, 6, 30)
CLOSED_ON = date(2023, 6, 30)
_counter = itertools.count()


# --- brute force --------------------------------------------------------------------------


def walk(unit_id: int, units: dict[int, tuple[str, int | None]]) -> list[int] | None:
    """Units a value of ``unit_id`` counts under in today's tree (None: the walk loops)."""
    by_path = {p: u for u, (p, _) in units.items()}
    seen, chain = set(), []
    x: int | None = unit_id
    while x is not None:
        if x in seen:
            return None
        seen.add(x)
        path, successor = units[x]
        if successor is not None:
            x = successor
            continue
        chain.append(x)
        x = by_path.get(path[:-STEP]) if len(path) > STEP else None
    return chain


def brute(
    values: list[tuple[int, date, int, bool, bool]],
    units: dict[int, tuple[str, int | None]],
    unit_id: int,
    start: date,
    end: date,
    view: str,
    approved: bool,
) -> int:
    path = units[unit_id][0]
    total = 0
    for v_unit, day, amount, counted, is_approved in values:
        if not (start <= day <= end) or not (is_approved if approved else counted):
            continue
        if view == "historical":
            inside = units[v_unit][0].startswith(path)
        else:
            chain = walk(v_unit, units)
            assert chain is not None
            inside = unit_id in chain
        total += amount if inside else 0
    return total


# --- a random world ------------------------------------------------------------------------


@dataclass
class World:
    org: Organisation
    units: list[OrgUnit]
    indicators: list[Indicator]
    phase: Phase
    admin: User

    def unit_map(self) -> dict[int, tuple[str, int | None]]:
        return {
            u: (p, s)
            for u, p, s in OrgUnit.objects.filter(organisation=self.org).values_list("pk", "path", "successor_id")
        }


def make_world(draw: Any) -> World:
    n = next(_counter)
    org = Organisation.objects.create(code=f"prop{n}", name=f"Tổ chức thử {n}")
    level = OrgUnitLevel.objects.create(organisation=org, code="cap", name="Cấp", rank=0)
    root = OrgUnit.objects.add_root({"organisation": org, "code": f"P{n}-0", "name": "Gốc", "level": level})
    units = [root]
    size = draw(st.integers(min_value=2, max_value=14))
    for i in range(1, size):
        parent = units[draw(st.integers(min_value=0, max_value=len(units) - 1))]
        parent = OrgUnit.objects.get(pk=parent.pk)
        if parent.depth >= 4:
            parent = root
        units.append(
            OrgUnit.objects.add_child(
                parent, {"organisation": org, "code": f"P{n}-{i}", "name": f"Đơn vị {i}", "level": level}
            )
        )
    # Close some units (never the root); each successor comes later in a random order and
    # lies outside the closed unit's subtree.
    order = draw(st.permutations(units[1:]))
    position = {u.pk: i for i, u in enumerate(order)}
    for unit in order:
        if not draw(st.booleans()) or not draw(st.booleans()):
            continue
        candidates = [
            u for u in units if position.get(u.pk, len(order)) > position[unit.pk] and not u.path.startswith(unit.path)
        ]
        if not candidates:
            continue
        successor = candidates[draw(st.integers(min_value=0, max_value=len(candidates) - 1))]
        OrgUnit.objects.filter(pk=unit.pk).update(
            valid_to=CLOSED_ON, successor=successor, succession_kind="absorbed", succession_date=CLOSED_ON
        )
    programme = Programme.objects.create(code=f"prop-{n}", title="Chương trình thử", activity_approval=True)
    Party.objects.create(programme=programme, organisation=org, representative_unit=root, root_unit=root)
    field = Field.objects.create(programme=programme, code="f", name="Lĩnh vực")
    indicators = [
        Indicator.objects.create(
            programme=programme, field=field, code=f"i{k}", name=f"Chỉ tiêu {k}", unit_of_measure="lần"
        )
        for k in range(2)
    ]
    phase = Phase.objects.create(
        programme=programme, code="p", name="P", start=date(2019, 1, 1), end=date(2027, 12, 31)
    )
    admin = User.objects.get(username="admin")
    rebuild_terms()
    return World(org, [OrgUnit.objects.get(pk=u.pk) for u in units], indicators, phase, admin)


def open_on(unit: OrgUnit, day: date) -> bool:
    return unit.valid_to is None or day <= unit.valid_to


dates = st.integers(min_value=0, max_value=(LAST - FIRST).days).map(lambda d: FIRST + timedelta(days=d))


def draw_day_for(draw: Any, unit: OrgUnit) -> date:
    day = draw(dates)
    return (
        day
        if open_on(unit, day)
        else draw(st.integers(0, (CLOSED_ON - FIRST).days).map(lambda d: FIRST + timedelta(days=d)))
    )


def do_operation(draw: Any, w: World) -> None:
    """One random write through the services (a refused write, e.g. in a locked period, is fine)."""
    kind = draw(
        st.sampled_from(
            ["create", "create", "edit", "delete", "submit", "approve", "return", "enter", "lock", "reopen"]
        )
    )
    activities = list(Activity.objects.filter(phase=w.phase).order_by("pk"))
    pick = lambda seq: seq[draw(st.integers(0, len(seq) - 1))]  # noqa: E731
    amounts = st.integers(min_value=0, max_value=50)
    try:
        with transaction.atomic():
            if kind == "create" or (not activities and kind in ("edit", "delete", "submit", "approve", "return")):
                lead = pick(w.units)
                end = draw_day_for(draw, lead)
                chosen = draw(st.lists(st.sampled_from(w.indicators), min_size=1, max_size=2, unique=True))
                services.activity_create(
                    acting_user=w.admin,
                    phase=w.phase,
                    lead_unit=lead,
                    title="Hoạt động thử",
                    start_date=end,
                    end_date=end,
                    values={i: draw(amounts) for i in chosen},
                    submit=draw(st.booleans()),
                )
            elif kind == "edit":
                activity = pick(activities)
                lead = pick(w.units)
                end = draw_day_for(draw, lead)
                moves = draw(st.booleans())  # half the edits change only the amounts
                services.activity_update(
                    activity=activity,
                    acting_user=w.admin,
                    data={"lead_unit": lead, "end_date": end, "start_date": end} if moves else {},
                    values={i: draw(st.one_of(st.none(), amounts)) for i in w.indicators},
                )
            elif kind == "delete":
                services.activity_delete(activity=pick(activities), acting_user=w.admin)
            elif kind == "submit":
                services.activity_submit(activity=pick(activities), acting_user=w.admin)
            elif kind == "approve":
                services.activity_approve(activity=pick(activities), acting_user=w.admin)
            elif kind == "return":
                services.activity_return(activity=pick(activities), acting_user=w.admin, reason="Cần bổ sung.")
            elif kind == "enter":
                unit = pick(w.units)
                end = draw_day_for(draw, unit)
                start = end - timedelta(days=draw(st.sampled_from([0, 30, 181])))
                entry_services.figures_enter(
                    acting_user=w.admin,
                    unit=unit,
                    period_start=start,
                    period_end=end,
                    values={i: draw(st.one_of(st.none(), amounts)) for i in w.indicators},
                )
            elif kind == "lock":
                unit = pick(w.units)
                start = draw(dates)
                entry_services.lock_create(
                    unit=unit, start=start, end=start + timedelta(days=draw(st.integers(0, 400))), acting_user=w.admin
                )
            elif kind == "reopen":
                locks = list(EntryLock.objects.filter(unit__organisation=w.org, reopened_at__isnull=True))
                if locks:
                    entry_services.lock_reopen(lock=pick(locks), acting_user=w.admin, reason="Điều chỉnh số liệu.")
    except Exception as exc:  # a refusal must leave everything as it was: the check below shows it
        from django.core.exceptions import ValidationError

        if not isinstance(exc, ValidationError):
            raise


def assert_rollups_match(draw: Any, w: World) -> None:
    units = w.unit_map()
    values = list(
        IndicatorValue.objects.filter(unit__organisation=w.org).values_list(
            "unit_id", "indicator_id", "date", "value", "counted", "approved"
        )
    )
    for _ in range(2):
        start = draw(dates)
        end = start + timedelta(days=draw(st.sampled_from([0, 13, 45, 364, 800, 2500])))
        for view in selectors.VIEWS:
            for approved in (False, True):
                found = selectors.totals(
                    unit_ids=list(units),
                    indicator_ids=[i.pk for i in w.indicators],
                    start=start,
                    end=end,
                    view=view,
                    approved=approved,
                )
                for indicator in w.indicators:
                    rows = [(u, d, v, c, a) for u, i, d, v, c, a in values if i == indicator.pk]
                    for unit_id in units:
                        expected = brute(rows, units, unit_id, start, end, view, approved)
                        assert found[(unit_id, indicator.pk)] == expected, (
                            view,
                            approved,
                            units[unit_id][0],
                            indicator.code,
                            start,
                            end,
                        )


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_it_keeps_every_rollup_equal_to_the_brute_force_sum(data: st.DataObject) -> None:
    draw = data.draw
    with transaction.atomic():
        w = make_world(draw)
        assume(all(walk(u, w.unit_map()) is not None for u in w.unit_map()))
        for _ in range(draw(st.integers(min_value=1, max_value=10))):
            do_operation(draw, w)
            assert_rollups_match(draw, w)
        transaction.set_rollback(True)


# --- today's-tree terms alone, on many more trees (no database) ------------------------------


@st.composite
def trees(draw: Any) -> dict[int, tuple[str, int | None]]:
    size = draw(st.integers(min_value=1, max_value=30))
    paths = {0: "0001"}
    children: dict[int, int] = {0: 0}
    for uid in range(1, size):
        parent = draw(st.integers(min_value=0, max_value=uid - 1))
        children[parent] = children.get(parent, 0) + 1
        paths[uid] = paths[parent] + f"{children[parent]:04d}"
        children[uid] = 0
    order = draw(st.permutations(list(range(1, size))))
    position = {u: i for i, u in enumerate(order)}
    successors: dict[int, int | None] = dict.fromkeys(paths)
    for uid in order:
        if draw(st.integers(0, 2)) == 0:
            later = [u for u in paths if position.get(u, size) > position[uid] and not paths[u].startswith(paths[uid])]
            if later:
                successors[uid] = draw(st.sampled_from(later))
    return {u: (paths[u], successors[u]) for u in paths}


@settings(max_examples=400, deadline=None)
@given(units=trees(), data=st.data())
def test_it_moves_every_value_where_the_walk_to_the_successors_takes_it(units: Any, data: st.DataObject) -> None:
    assume(all(walk(u, units) is not None for u in units))
    terms = compute_terms(units)
    # One value of 1 on every unit, then each unit's today total from the terms.
    historical = {u: sum(1 for v in units if units[v][0].startswith(units[u][0])) for u in units}
    for u, (path, _) in units.items():
        if len(path) == STEP:
            continue  # a root is the same in both views
        today = historical[u] + sum(c * historical[s] for (t, s), c in terms.items() if t == u)
        expected = sum(1 for v in units if u in (walk(v, units) or []))
        assert today == expected, (u, units)


def test_it_counts_a_joint_activity_once_in_the_total_of_two_counterpart_subtrees() -> None:
    hoankiem, counterpart = OrgUnit.objects.get(code="CCB-X00070"), OrgUnit.objects.get(code="QS-X00070")
    hanoi_ccb, hanoi_qs = OrgUnit.objects.get(code="CCB-HANOI"), OrgUnit.objects.get(code="QS-HANOI")
    phase = Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")
    indicator = Indicator.objects.get(programme__code="QDND-CCB", code="tt-luot")
    user = User.objects.get(username="hoankiem.ccb")
    day = date(2026, 3, 2)
    both = [hanoi_ccb.pk, hanoi_qs.pk]

    def joint_total() -> int:
        found = selectors.totals(unit_ids=both, indicator_ids=[indicator.pk], start=day, end=day)
        return sum(found.values())

    before = joint_total()
    activity = services.activity_create(
        acting_user=user,
        phase=phase,
        lead_unit=hoankiem,
        partners=[counterpart],
        title="Tuyên truyền chung hai bên",
        start_date=day,
        end_date=day,
        values={indicator: 250},
        submit=True,
    )
    assert activity.status == ActivityStatus.SUBMITTED
    assert joint_total() == before + 250
    # The partner sees the activity, and its own side's figures do not include it.
    qs_user = User.objects.get(username="hanoi.qs")
    assert Activity.objects.restrict(qs_user, "view").filter(pk=activity.pk).exists()
    assert selectors.total(unit_id=hanoi_qs.pk, indicator_id=indicator.pk, start=day, end=day) == (
        joint_total() - selectors.total(unit_id=hanoi_ccb.pk, indicator_id=indicator.pk, start=day, end=day)
    )
