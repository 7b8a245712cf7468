"""Scoping-matrix specs of the data-entry pages and entry locks (see tests/matrix_ext/__init__.py).

The world gets, on each side, one entered value of the commune association for the first half
of 2026 (with a note to find it by) and one active lock of the commune for the year 2019. The
lock's year is one the commune associations of 2025 never recorded anything in, so it locks
nothing another area's routes write.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from phoihop.entry.models import EntryLock, IndicatorValue
from phoihop.entry.services import figures_enter, lock_create
from phoihop.figures.periods import decree09_period
from phoihop.programmes.models import Indicator, Phase

PERIOD = decree09_period("half", 2026, 1)
LOCKED = decree09_period("year", 2019)
NOTE = {"hn": "Số liệu thử ma trận phường Hoàn Kiếm", "cm": "Số liệu thử ma trận Cà Mau"}
LOCK_REASON = {"hn": "Khóa thử ma trận Hoàn Kiếm", "cm": "Khóa thử ma trận Cà Mau"}
# What a Hà Nội approver may open here (a unit administrator enters nothing and locks nothing).
APPROVERS = {"hanoi.ccb": 200, "tuhoi": 200, "admin": 200, "hanoi.admin": 403}


def _national() -> tuple[Phase, Indicator]:
    phase = Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")
    return phase, Indicator.objects.get(programme__code="QDND-CCB", code="tt-buoi")


def _selection(w: Any, side: str, unit: Any) -> dict[str, Any]:
    phase, _ = _national()
    return {"unit": unit.pk, "phase": phase.pk, "kind": "half", "year": 2026, "number": 1}


def _filled(w: Any, side: str) -> int:
    """How many values the commune entered for the period (at least the world's one)."""
    rows = IndicatorValue.objects.entered().filter(unit=w.unit[side], period_start=PERIOD.start, date=PERIOD.end)
    count = rows.count()
    assert count >= 1
    return count


def entered_state(w: Any, side: str) -> Any:
    unit = w.unit[side]
    rows = IndicatorValue.objects.entered().filter(unit=unit).order_by("pk")
    return (
        list(rows.values_list("indicator_id", "period_start", "date", "value", "note", "entered_by_unit_id")),
        IndicatorValue.history.filter(unit_id=unit.pk).count(),
    )


def new_lock_state(w: Any, side: str) -> Any:
    unit = w.unit[side]
    return (EntryLock.objects.filter(unit=unit).count(), EntryLock.history.filter(unit_id=unit.pk).count())


def lock_state(w: Any, side: str) -> Any:
    lock = EntryLock.objects.get(pk=w.extra["entry_lock"][side].pk)
    return (lock.reopened_at, lock.reopened_by_id, lock.reopen_reason, lock.history.count())


def routes(m: Any) -> dict[str, Any]:
    return {
        # The form of one unit and period: its address names the unit in the query string.
        "entry:form": m.Route(
            m.OBJECT,
            query=lambda w, s: _selection(w, s, w.unit[s]),
            readers=m.EDITORS,
            shows=lambda w, s: NOTE[s],
            method="post",
            payload=lambda w, s: {
                **_selection(w, s, w.unit[s]),
                f"v_{_national()[1].pk}": "7",
                "note": "Sửa qua ma trận",
            },
            state=entered_state,
            **m.EDITOR_WRITES,
        ),
        # The completeness of a province's communes: the commune shows its one value.
        "entry:status": m.Route(
            m.OBJECT,
            query=lambda w, s: _selection(w, s, w.province[s]),
            shows=lambda w, s: f'data-unit="{w.unit[s].code}" data-filled="{_filled(w, s)}"',
        ),
        "entry:locks": m.Route(m.LIST, shows=lambda w, s: LOCK_REASON[s]),
        "entry:lock-create": m.Route(
            m.CREATE,
            get=False,
            method="post",
            payload=lambda w, s: {
                "unit": w.unit[s].pk,
                "start": "2017-12-15",
                "end": "2018-12-14",
                "reason": "Báo cáo năm 2018 đã duyệt",
            },
            state=new_lock_state,
            writers={"hanoi.ccb": 302, "tuhoi": 302, "admin": 302},
            denied={"hanoi.admin": 403},
        ),
        "entry:lock-reopen": m.Route(
            m.OBJECT,
            kwargs=lambda w, s: {"pk": w.extra["entry_lock"][s].pk},
            readers=APPROVERS,
            shows=lambda w, s: LOCK_REASON[s],
            method="post",
            payload=lambda w, s: {"reopen_reason": "Mở lại để bổ sung số liệu"},
            state=lock_state,
            writers={"hanoi.ccb": 302, "tuhoi": 302, "admin": 302},
            denied={"hanoi.admin": 403},
        ),
    }


def extend(w: Any, m: Any) -> None:
    phase, indicator = _national()
    assert phase.start <= PERIOD.end <= phase.end
    by = {m.HN: w.users["hoankiem.ccb"], m.CM: w.users["camau.ccb"]}
    approver = {m.HN: w.users["hanoi.ccb"], m.CM: w.users["camau.ccb"]}
    values, locks = {}, {}
    for side in (m.HN, m.CM):
        unit = w.unit[side]
        values[side] = figures_enter(
            acting_user=by[side],
            unit=unit,
            period_start=PERIOD.start,
            period_end=PERIOD.end,
            values={indicator: 5},
            note=NOTE[side],
        )[0]
        locks[side] = lock_create(
            unit=unit, start=LOCKED.start, end=LOCKED.end, acting_user=approver[side], reason=LOCK_REASON[side]
        )
    assert LOCKED.end < date(2025, 7, 1)
    w.extra["entry_value"] = values
    w.extra["entry_lock"] = locks
    w.camau_marks.extend([NOTE[m.CM], LOCK_REASON[m.CM]])


def probes(m: Any) -> list[Any]:
    return [
        m.Probe("entry:locks", lambda w: {"unit": "CCB-CAMAU"}),
        m.Probe("entry:locks", lambda w: {"unit": str(w.province[m.CM].pk)}),
        m.Probe("entry:locks", lambda w: {"unit": w.unit[m.CM].code, "status": "active"}),
    ]
