"""The dashboard's reads, each statement compiled once per worker for what it depends on, then
executed on every visit: the rows (and so every figure and every answer of the gate) are read
afresh each time.

Building and compiling a gated queryset (the reader's scope as path ranges, the counterpart
pairs' and the co-owned roots' subqueries, joins) costs several times its execution; the
dashboard reads about ten. What a statement compiles to depends only on what its key names
(``plan_key``: the reader, their roles of the day with the units' paths, the day; a unit's path;
the period; the ids written into it) and on the function that builds it, never on the rows, so
it is kept under that key (``phoihop/inbox/compiled.py`` keeps the inbox's the same way). A unit's
path never changes (a unit is never moved, ARCHITECTURE.md rule 6), and a role given or taken
changes ``plan_key`` at once.

On a miss the queryset is built through the gate as always and checked like any evaluated
queryset (``compile_values``). The kept statements are bounded (the least recently used go).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from django.db import router
from django.db.models import Model, QuerySet

from phoihop.inbox.compiled import Compiled, compile_values, plan_key

MAX_STATEMENTS = 2048  # a few kB each

_kept: OrderedDict[tuple[Hashable, ...], Compiled | None] = OrderedDict()
_lock = threading.Lock()

__all__ = ["attnames", "forget_all", "models", "plan_key", "rows"]


def rows(key: tuple[Hashable, ...], build: Callable[[], QuerySet[Any]]) -> list[dict[str, Any]]:
    """The rows of the ``values()`` queryset ``build`` makes, its statement kept under ``key``
    (with ``build``'s own code: two functions never share a statement)."""
    full = (getattr(build, "__code__", build), *key)
    with _lock:
        found = full in _kept
        compiled = _kept.get(full)
        if found:
            _kept.move_to_end(full)
    if not found:
        compiled = compile_values(build())
        with _lock:
            _kept[full] = compiled
            while len(_kept) > MAX_STATEMENTS:
                _kept.popitem(last=False)
    return compiled.rows() if compiled is not None else []


def models(model: type[Model], found: list[dict[str, Any]], prefix: str = "") -> list[Any]:
    """Model instances from rows holding every concrete field (``attnames``), as a queryset
    would make them (``Model.from_db``)."""
    names = [f.attname for f in model._meta.concrete_fields]
    alias = router.db_for_read(model)
    return [model.from_db(alias, names, [row[f"{prefix}{name}"] for name in names]) for row in found]


def attnames(model: type[Model], prefix: str = "") -> list[str]:
    """The ``values()`` names of every concrete field of ``model`` (through ``prefix``, a relation)."""
    return [f"{prefix}{f.attname}" for f in model._meta.concrete_fields]


def forget_all() -> None:
    """Drop every kept statement (tests that change the code's rules at run time)."""
    with _lock:
        _kept.clear()
