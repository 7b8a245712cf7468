"""Scoping-matrix specs of commendations (see tests/matrix_ext/__init__.py)."""

from __future__ import annotations

from typing import Any


def extend(w: Any, m: Any) -> None:
    return None


def routes(m: Any) -> dict[str, Any]:
    return {}


def probes(m: Any) -> list[Any]:
    return []
