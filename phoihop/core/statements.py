"""Compiled SQL of gated reads, kept per worker; the rows are read on every visit (ADR 0016).

Building and compiling a gated queryset (the reader's scope as path ranges, the counterpart
pairs' and the partners' subqueries, joins) costs two to ten times its execution, and the busiest
pages read the same ones on every visit. What a statement compiles to depends only on what its
key names (``plan_key``: the reader's id, whether a system administrator, their roles of the day
with the units' paths, the day; plus whatever the caller names: a unit's path, a period, the ids
written into it) and on the code that builds it, never on the rows, so the statement is kept
under that key and executed afresh on every visit: counts, figures and every answer of the gate
stay exact. A unit's path never changes (a unit is never moved, ARCHITECTURE.md), and a role
given or taken changes ``plan_key`` at once, so a statement never serves another user, another
set of roles or another day.

On a miss the queryset is built through the gate as always (``restrict(user, action)``) and
checked like any evaluated queryset (``GatedQuerySet._check_gate``); its statement, the names of
its columns and its converters (dates on SQLite, time zones) are kept, in one bounded map (the
least recently used go). What depends on the rows is never kept here.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.utils import timezone

from phoihop.core.scoping import get_scope

MAX_STATEMENTS = 4096  # kept per worker: a few kB each


@dataclass(frozen=True)
class Compiled:
    alias: str
    sql: str
    params: tuple[Any, ...]
    names: tuple[str, ...]
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...]  # (position, converters, expression)

    def rows(self) -> list[dict[str, Any]]:
        """Execute the statement: each row as a dict of its column names, converted as the ORM would."""
        connection = connections[self.alias]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            fetched = cursor.fetchall()
        result = []
        for values in fetched:
            row = list(values)
            for pos, convs, expression in self.converters:
                value = row[pos]
                for convert in convs:
                    value = convert(value, expression, connection)
                row[pos] = value
            result.append(dict(zip(self.names, row, strict=True)))
        return result


def compile_values(qs: QuerySet[Any]) -> Compiled | None:
    """The statement of a ``values()`` queryset (None: it can match nothing), after the gate's check."""
    check = getattr(qs, "_check_gate", None)  # a scoped model's: restricted or a marked exception
    if check is not None:
        check()  # as if evaluated (history and action-log rows are not scoped models)
    query = qs.query
    if query.is_empty():
        return None
    compiler = query.get_compiler(qs.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None
    names = (*query.extra_select, *query.values_select, *query.annotation_select)
    expressions = [s[0] for s in compiler.select[: compiler.col_count]]
    if len(names) != len(expressions):  # not a plain values() query
        raise ValueError("compile_values() needs a values() queryset")
    converters = tuple((pos, tuple(convs), expr) for pos, (convs, expr) in compiler.get_converters(expressions).items())
    return Compiled(qs.db, sql, tuple(params), names, converters)


def compile_scalars(parts: list[QuerySet[Any]], alias: str) -> Compiled:
    """One statement selecting the number of rows of every queryset (0 for one that matches nothing)."""
    selects: list[str] = []
    params: list[Any] = []
    for i, qs in enumerate(parts):
        qs._check_gate()  # type: ignore[attr-defined]
        try:
            if qs.query.is_empty():
                raise EmptyResultSet
            sql, p = qs.values("pk").order_by().query.sql_with_params()
        except EmptyResultSet:  # a rule that can match nothing for this user (no role for it)
            selects.append("0")
            continue
        selects.append(f"(SELECT COUNT(*) FROM ({sql}) AS inbox_{i})")
        params.extend(p)
    names = tuple(f"n{i}" for i in range(len(parts)))
    return Compiled(alias, "SELECT " + ", ".join(selects), tuple(params), names, ())


# --- the statements kept ---------------------------------------------------------------------------

_kept: OrderedDict[tuple[Any, ...], Compiled | None] = OrderedDict()
_lock = threading.Lock()


def plan_key(user: Any, day: date) -> tuple[Any, ...]:
    """What the statements of ``user`` depend on: who, with which roles on which units, which day."""
    scope = get_scope(user)
    grants = tuple(sorted((g.unit_id, g.path, g.role, g.organisation_id) for g in scope.grants))
    return (getattr(user, "pk", None), scope.is_system_admin, grants, day)


def kept(key: tuple[Any, ...], name: str, build: Callable[[], Compiled | None]) -> Compiled | None:
    """The statement ``name`` kept under ``key`` (``plan_key`` and whatever else it depends on),
    built (once) by ``build``."""
    full = (name, *key)
    with _lock:
        found = full in _kept
        compiled = _kept.get(full)
        if found:
            _kept.move_to_end(full)
    if not found:
        compiled = build()
        with _lock:
            _kept[full] = compiled
            while len(_kept) > MAX_STATEMENTS:
                _kept.popitem(last=False)
    return compiled


def rows(key: tuple[Any, ...], build: Callable[[], QuerySet[Any]]) -> list[dict[str, Any]]:
    """The rows of the ``values()`` queryset ``build`` makes, its statement kept under ``key``
    and ``build``'s own code (two functions never share a statement)."""
    code = getattr(build, "__code__", build)
    statement = kept((code, *key), "rows", lambda: compile_values(build()))
    return statement.rows() if statement is not None else []


def user_rows(user: Any, name: str, build: Callable[[], QuerySet[Any]]) -> list[dict[str, Any]]:
    """The rows of the ``values()`` queryset ``build`` makes, its statement kept for ``user`` and
    today under ``name`` (which must name everything else the statement depends on)."""
    key = (getattr(build, "__code__", build), *plan_key(user, timezone.localdate()))
    statement = kept(key, name, lambda: compile_values(build()))
    return statement.rows() if statement is not None else []


def attnames(model: type[Model], prefix: str = "") -> list[str]:
    """The ``values()`` names of every concrete field of ``model`` (through ``prefix``, a relation)."""
    return [f"{prefix}{f.attname}" for f in model._meta.concrete_fields]


def instances(model: type[Model], found: list[dict[str, Any]], prefix: str = "") -> list[Any]:
    """Model instances from rows holding every concrete field (``attnames``), as a queryset
    would make them (``Model.from_db``)."""
    names = [f.attname for f in model._meta.concrete_fields]
    alias = router.db_for_read(model)
    return [model.from_db(alias, names, [row[f"{prefix}{name}"] for name in names]) for row in found]


def instance(model: type[Model], row: dict[str, Any], prefix: str = "") -> Any:
    """One model instance from a row holding every concrete field (``attnames``)."""
    return instances(model, [row], prefix)[0]


def partial(model: type[Model], values: dict[str, Any]) -> Any:
    """A model instance with only ``values`` (field name to value) loaded, the rest deferred."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(router.db_for_read(model), names, [values[name] for name in names])


def forget_all() -> None:
    """Drop every kept statement (tests that change the code's rules at run time)."""
    with _lock:
        _kept.clear()
