"""The entry pages' reads whose statements are kept compiled per worker (``phoihop.inbox.compiled``).

Building and compiling a gated queryset (the reader's scope as path ranges, the counterpart
pairs' and the activities' subqueries) costs several times its execution, and the entry pages
read the same few on every visit. What a statement compiles to depends only on the user's roles
of the day and the day (``plan_key``) and on what its name says (a unit, a period, the ids written
into it), never on the rows: it is kept under both, and executed afresh on every visit. On a miss
the queryset is built through the gate as always and checked like any evaluated queryset.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import router
from django.db.models import Model, QuerySet
from django.utils import timezone

from phoihop.inbox.compiled import compile_values, kept, plan_key


def rows(user: Any, name: str, build: Callable[[], QuerySet[Any]]) -> list[dict[str, Any]]:
    """The rows of the ``values()`` queryset ``build`` makes, its statement kept for ``user``
    and today under ``name`` (which must name everything the statement depends on)."""
    statement = kept(plan_key(user, timezone.localdate()), f"entry:{name}", lambda: compile_values(build()))
    return statement.rows() if statement is not None else []


def attnames(model: type[Model], prefix: str = "") -> list[str]:
    """The ``values()`` names of every concrete field of ``model`` (through ``prefix``, a relation)."""
    return [f"{prefix}{f.attname}" for f in model._meta.concrete_fields]


def instance(model: type[Model], row: dict[str, Any], prefix: str = "") -> Any:
    """A model instance from a row holding every concrete field (``attnames``), as a queryset
    would make it (``Model.from_db``)."""
    names = [f.attname for f in model._meta.concrete_fields]
    return model.from_db(router.db_for_read(model), names, [row[f"{prefix}{name}"] for name in names])


def partial(model: type[Model], values: dict[str, Any]) -> Any:
    """A model instance with only ``values`` (field name to value) loaded, the rest deferred."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(router.db_for_read(model), names, [values[name] for name in names])
