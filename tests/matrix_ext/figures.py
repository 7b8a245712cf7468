"""Scoping-matrix specs of the dashboard (see tests/matrix_ext/__init__.py).

Each side gets a test programme of its own (``m.make_programme``: its army command and its
association, one indicator), and its province's approver enters, through ``figures_enter``,
one figure of it for the side's commune association: the Hà Nội commune's dashboard must show
Hà Nội's number to its readers, and no page a Hà Nội user reads may show Cà Mau's. The
programme is the dashboard's alone, so the other areas' figures never add to that number,
and their programmes keep the indicators they expect.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from phoihop.entry.services import figures_enter

PROVINCE = {"hn": "HANOI", "cm": "CAMAU"}
# Values no demo figure has, as the dashboard writes them (1.234.567).
AMOUNT = {"hn": 7_654_321, "cm": 3_456_789}
PERIOD = (date(2025, 10, 1), date(2025, 10, 31))  # inside both test programmes' 2025–2030 phase


def shown(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def programme_query(w: Any, side: str) -> dict[str, str]:
    """The side's dashboard programme: its only figure is the one entered here."""
    return {"programme": w.extra["figures"][side]["programme"].code}


def routes(m: Any) -> dict[str, Any]:
    return {
        # The user's own first unit: Hà Nội's association for the Hà Nội users; asking for the
        # other province's programme falls back to the programmes of the user's unit.
        "figures:dashboard": m.Route(
            m.LIST,
            query=programme_query,
            shows=lambda w, s: w.province[s].name,
        ),
        "figures:unit": m.Route(
            m.OBJECT,
            kwargs=m.unit_kwargs,
            query=programme_query,
            shows=lambda w, s: shown(AMOUNT[s]),
        ),
    }


def extend(w: Any, m: Any) -> None:
    w.extra["figures"] = {}
    for side, username in ((m.HN, "hanoi.ccb"), (m.CM, "camau.ccb")):
        programme, _phase, indicator = m.make_programme(
            f"ct-bang-so-lieu-{side}", "Chương trình thử của bảng số liệu", PROVINCE[side]
        )
        rows = figures_enter(
            acting_user=w.users[username],
            unit=w.unit[side],
            period_start=PERIOD[0],
            period_end=PERIOD[1],
            values={indicator: AMOUNT[side]},
        )
        w.extra["figures"][side] = {"programme": programme, "values": rows}
    w.camau_marks += [shown(AMOUNT[m.CM]), w.extra["figures"][m.CM]["programme"].code]


def probes(m: Any) -> list[Any]:
    # The dashboard has no search; its parameters aimed at Cà Mau must not bring Cà Mau in.
    # (The system administrator's dashboard, the nation's, does show Cà Mau's province.)
    return [
        m.Probe("figures:dashboard", lambda w: {"programme": w.programme[m.CM].code}),
        m.Probe(
            "figures:dashboard", lambda w: {"programme": programme_query(w, m.CM)["programme"], "view": "historical"}
        ),
        m.Probe(
            "figures:dashboard",
            lambda w: {"programme": "QDND-CCB", "period": "year", "year": "2026", "indicator": "gn-ho"},
        ),
    ]
