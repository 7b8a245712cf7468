"""The interfaces' one door to the importer's kinds and service (``kinds.py``, ``services.py``,
``reading.py``): the pages, the API, the job and the command ask here, so each reads the same
registry and the same limits."""

from __future__ import annotations

from typing import Any

# Until the reading layer says otherwise (``reading.MAX_BYTES``): the largest file accepted.
DEFAULT_MAX_BYTES = 50 * 1024 * 1024

# The extensions the reader opens (``reading.read_table``): anything else is refused at upload.
EXTENSIONS = (".xlsx", ".xlsm", ".csv", ".txt")


def all_kinds() -> dict[str, Any]:
    """Every import kind by name, in the registry's order."""
    from phoihop.imports.kinds import KINDS

    return dict(KINDS)


def get_kind(name: str) -> Any | None:
    return all_kinds().get(name)


def kind_label(name: str) -> str:
    kind = get_kind(name)
    return str(kind.label) if kind is not None else name


def max_bytes() -> int:
    try:
        from phoihop.imports.reading import MAX_BYTES
    except ImportError:  # pragma: no cover - the reading layer not there yet
        return DEFAULT_MAX_BYTES
    return int(MAX_BYTES)


def refused_errors() -> tuple[type[BaseException], ...]:
    """The exception the reader raises for a file it refuses as a whole."""
    try:
        from phoihop.imports.reading import ImportRefused
    except ImportError:  # pragma: no cover - the reading layer not there yet
        return ()
    return (ImportRefused,)


def import_file(**kwargs: Any) -> Any:
    """``phoihop.imports.services.import_file`` (keyword arguments as there)."""
    from phoihop.imports.services import import_file as run

    return run(**kwargs)
