"""Scoping-matrix specs of the inbox (see tests/matrix_ext/__init__.py): each user's Việc cần làm
is read through the gate. Each side's approver finds the matrix's submitted activity of their own
side waiting for them (tests/matrix_ext/activities.py); no Hà Nội user ever sees Cà Mau's."""

from __future__ import annotations

from typing import Any

from tests.matrix_ext.activities import SUBMITTED_TITLE


def extend(w: Any, m: Any) -> None:
    # The activities extension made the rows (and marked Cà Mau's); nothing more to add.
    pass


def routes(m: Any) -> dict[str, Any]:
    return {
        "inbox:inbox": m.Route(m.LIST, shows=lambda w, s: SUBMITTED_TITLE[s]),
        # Counts and links only: no row of anyone's appears in it.
        "api:inbox-list": m.Route(m.LIST, shows=lambda w, s: "activities_to_approve"),
    }


def probes(m: Any) -> list[Any]:
    return []
