"""The kinds of data the importer takes, by name (``KINDS``), and the pieces they share."""

from __future__ import annotations

from phoihop.imports.kinds.base import (
    MAX_ERRORS,
    Column,
    ImportContext,
    ImportKind,
    ImportResult,
    RowError,
    RowProblem,
)


def _kinds() -> dict[str, ImportKind]:
    from phoihop.imports.kinds import activities, figures, structure

    found = [structure.UNITS, structure.PEOPLE, structure.USERS, figures.TARGETS, activities.KIND, figures.FIGURES]
    return {kind.name: kind for kind in found}


KINDS: dict[str, ImportKind] = _kinds()

__all__ = ["KINDS", "MAX_ERRORS", "Column", "ImportContext", "ImportKind", "ImportResult", "RowError", "RowProblem"]
