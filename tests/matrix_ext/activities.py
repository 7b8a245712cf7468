"""Scoping-matrix specs for this area (see tests/matrix_ext/__init__.py)."""

from __future__ import annotations

from typing import Any


def routes(m: Any) -> dict[str, Any]:
    return {}


def extend(w: Any, m: Any) -> None:
    return None


def probes(m: Any) -> list[Any]:
    return []
