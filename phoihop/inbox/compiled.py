"""The SQL of a user's inbox (and of the home page's reminders), compiled once per worker for
the user's scope and the day, then executed on every visit: the counts and rows stay exact.

Building and compiling a gated queryset (the scope's path ranges, subqueries of partners and
recipients, joins) costs ten times its execution. What it compiles to depends only on the
user (their id, whether they are a system administrator, their roles of the day with the
units' paths: ``core.scoping.get_scope``) and the day (``today`` in the due and late rules),
never on the rows, so the statement is kept under that key (``plan_key``) and never serves
another user, another set of roles or another day. A unit's path never changes (a unit is never
moved, ADR: architecture rule 6), and a role given or taken changes the key at once.

On a miss the queryset is built through the gate as always (``restrict(user, action)``) and
checked like any evaluated queryset (``GatedQuerySet._check_gate``); its statement, the names
of its columns and its converters (dates on SQLite, time zones) are kept. What depends on the
rows (a joint report half approved, ``selectors.reports_to_approve``) is never kept here.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

from phoihop.core.scoping import get_scope

MAX_USERS = 256  # statements kept per worker: a few kB per user and day


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
    qs._check_gate()  # type: ignore[attr-defined]  # as if evaluated: restricted or a marked exception
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

_plans: OrderedDict[tuple[Any, ...], dict[str, Compiled | None]] = OrderedDict()
_lock = threading.Lock()


def plan_key(user: Any, day: date) -> tuple[Any, ...]:
    """What the statements of ``user`` depend on: who, with which roles on which units, which day."""
    scope = get_scope(user)
    grants = tuple(sorted((g.unit_id, g.path, g.role, g.organisation_id) for g in scope.grants))
    return (getattr(user, "pk", None), scope.is_system_admin, grants, day)


def kept(key: tuple[Any, ...], name: str, build: Callable[[], Compiled | None]) -> Compiled | None:
    """The statement ``name`` of the user and day ``key``, built (once) by ``build``."""
    with _lock:
        statements = _plans.get(key)
        if statements is not None:
            _plans.move_to_end(key)
            if name in statements:
                return statements[name]
    compiled = build()
    with _lock:
        statements = _plans.setdefault(key, {})
        statements[name] = compiled
        _plans.move_to_end(key)
        while len(_plans) > MAX_USERS:
            _plans.popitem(last=False)
    return compiled


def forget_all() -> None:
    """Drop every kept statement (tests that change the code's rules at run time)."""
    with _lock:
        _plans.clear()
