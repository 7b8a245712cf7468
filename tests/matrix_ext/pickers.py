"""Scoping-matrix specs of the pickers' endpoints (see tests/matrix_ext/__init__.py): the person,
activity and reporting-period autocompletes answer only what the user may see."""

from __future__ import annotations

from typing import Any

from phoihop.core.text import fold
from tests.matrix_ext.activities import TITLE
from tests.matrix_ext.reporting import PERIOD_NAME


def extend(w: Any, m: Any) -> None:
    """The pickers add no objects: they read the people and activities of the other modules."""


def routes(m: Any) -> dict[str, Any]:
    return {
        "orgunits:person-autocomplete": m.Route(
            m.LIST,
            query=lambda w, s: {"q": fold(w.person[s].full_name)},
            shows=lambda w, s: w.person[s].full_name,
        ),
        "activities:autocomplete": m.Route(
            m.LIST,
            query=lambda w, s: {"q": fold(TITLE[s])},
            shows=lambda w, s: TITLE[s],
        ),
        "reporting:period-autocomplete": m.Route(
            m.LIST,
            query=lambda w, s: {"q": fold(PERIOD_NAME[s])},
            shows=lambda w, s: PERIOD_NAME[s],
        ),
    }


def probes(m: Any) -> list[Any]:
    return [
        m.Probe("orgunits:person-autocomplete", lambda w: {"q": "ca mau"}),
        m.Probe("orgunits:person-autocomplete", lambda w: {"q": "dang van hai"}),
        m.Probe("orgunits:person-autocomplete", lambda w: {"unit": "CCB-CAMAU"}),
        m.Probe("orgunits:person-autocomplete", lambda w: {"q": "ca mau", "action": "change"}),
        m.Probe("activities:autocomplete", lambda w: {"q": "ca mau"}),
        m.Probe("activities:autocomplete", lambda w: {"q": fold(TITLE[m.CM])}),
        m.Probe("orgunits:autocomplete", lambda w: {"q": "ca mau", "open": "1", "level": "province"}),
        m.Probe("reporting:period-autocomplete", lambda w: {"q": "ca mau"}),
        m.Probe("reporting:period-autocomplete", lambda w: {"q": fold(PERIOD_NAME[m.CM])}),
    ]
