"""Rows and their history rows inserted in bulk: multi-row ``INSERT … RETURNING`` statements.

The ORM's ``bulk_create`` and simple-history's ``bulk_history_create`` build a model instance
per row and prepare every value through its field: about 0.1 ms a row, so 20,000 activities with
their partners, 60,000 values and as many history rows (160,000 rows) took most of the import's
time. Here a row is a dict of attribute names; the history row of each inserted row is what
simple-history writes (every tracked field, the date, the user, the action as change reason,
type "+"). SQLite (3.35+): multi-row ``VALUES`` lists with the driver's "?" placeholders, dates
adapted once per distinct value; PostgreSQL: ``COPY … FROM STDIN``, the new keys taken from the
table's sequence beforehand.

Only for rows a service has already checked (``phoihop.imports.kinds.activities``): nothing here
validates.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import date, datetime
from itertools import chain
from operator import itemgetter
from typing import Any

from django.db import connection, models

# SQLite allows 32,766 parameters per statement.
MAX_PARAMS = 30_000


def _adapter(field: models.Field) -> Any:
    """How a value of ``field`` goes to the database driver (None stays None)."""
    if connection.vendor != "sqlite":
        return None  # psycopg adapts dates, datetimes and booleans itself
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return lambda v: v.isoformat() if isinstance(v, date) else v
    return None


def _defaults(model: type[models.Model]) -> dict[str, Any]:
    return {f.attname: f.get_default() for f in model._meta.concrete_fields if not f.primary_key}


def insert(model: type[models.Model], rows: Sequence[dict[str, Any]], *, returning: bool = True) -> list[int]:
    """Insert ``rows`` (attribute name -> value; missing ones take the field's default; other
    keys are ignored) into ``model``'s table; returns the new primary keys, in the rows' order."""
    if not rows:
        return []
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    defaults = _defaults(model)
    names = [f.attname for f in fields]
    pick = itemgetter(*names) if len(names) > 1 else (lambda row: (row[names[0]],))
    complete = all(name in rows[0] for name in names)  # the callers' rows all have the same keys
    # Values to adapt (dates and datetimes on SQLite), each distinct value adapted once.
    adapters: list[tuple[int, Callable[[Any], Any], dict[Any, Any]]] = [
        (i, adapt, {}) for i, f in enumerate(fields) if (adapt := _adapter(f)) is not None
    ]
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    per_statement = max(1, MAX_PARAMS // len(fields))
    suffix = f" RETURNING {qn(meta.pk.column)}" if returning else ""
    ids: list[int] = []
    if connection.vendor == "postgresql":
        tuples = [pick(row) if complete else pick({**defaults, **row}) for row in rows]
        return _copy(meta, [f.column for f in fields], tuples, returning=returning)
    # SQLite: rows as tuples, dates adapted column by column (each distinct value once), and
    # statements written with the driver's own "?" placeholders, run on the driver's cursor:
    # Django's cursor rewrites "%s" with a regular expression, 30,000 of them a statement.
    tuples = [pick(row) if complete else pick({**defaults, **row}) for row in rows]
    if adapters:
        columns_of = [list(column) for column in zip(*tuples, strict=True)]
        for i, adapt, seen in adapters:
            column = columns_of[i]
            for j, value in enumerate(column):
                if value is not None:
                    found = seen.get(value)
                    if found is None:
                        found = seen[value] = adapt(value)
                    column[j] = found
        tuples = list(zip(*columns_of, strict=True))
    one = "(" + ", ".join(["?"] * len(fields)) + ")"
    with connection.cursor() as cursor, connection.wrap_database_errors:
        raw = cursor.cursor
        for start in range(0, len(tuples), per_statement):
            batch = tuples[start : start + per_statement]
            placeholders = ", ".join([one] * len(batch))
            sql = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES {placeholders}{suffix}"
            sqlite3.Cursor.execute(raw, sql, list(chain.from_iterable(batch)))
            if returning:
                ids.extend(r[0] for r in raw.fetchall())
    return ids


def _copy(meta: Any, columns: list[str], tuples: list[tuple[Any, ...]], *, returning: bool) -> list[int]:
    """PostgreSQL: the rows through ``COPY … FROM STDIN`` (psycopg writes each row in C). COPY
    returns nothing, so the new rows' keys are taken from the table's sequence first, one
    statement for all of them, and written with the rows."""
    qn = connection.ops.quote_name
    ids: list[int] = []
    with connection.cursor() as cursor, connection.wrap_database_errors:
        raw = cursor.cursor
        if returning:
            pk = meta.pk.column
            raw.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [qn(meta.db_table), pk, len(tuples)],
            )
            ids = [r[0] for r in raw.fetchall()]
            columns = [pk, *columns]
            tuples = [(new_id, *t) for new_id, t in zip(ids, tuples, strict=True)]
        statement = f"COPY {qn(meta.db_table)} ({', '.join(map(qn, columns))}) FROM STDIN"
        with raw.copy(statement) as copy:
            for t in tuples:
                copy.write_row(t)
    return ids


def insert_with_history(
    model: type[models.Model], rows: list[dict[str, Any]], *, user: Any, reason: str, when: datetime
) -> list[int]:
    """``insert`` and, for each row, the history row simple-history would write on creation."""
    ids = insert(model, rows)
    history = model.history.model  # type: ignore[attr-defined]
    extra = {
        "history_date": when,
        "history_change_reason": reason,
        "history_type": "+",
        "history_user_id": getattr(user, "pk", None),
    }
    pk = model._meta.pk.attname
    history_rows = []
    for row, new_id in zip(rows, ids, strict=True):
        row[pk] = new_id
        history_rows.append({**row, **extra})
    insert(history, history_rows, returning=False)
    return ids
