"""Rows and their history rows inserted in bulk: multi-row ``INSERT … RETURNING`` statements.

The ORM's ``bulk_create`` and simple-history's ``bulk_history_create`` build a model instance
per row and prepare every value through its field: about 0.1 ms a row, so 20,000 activities with
their partners, 60,000 values and as many history rows (160,000 rows) took most of the import's
time. Here a row is a dict of attribute names; values are adapted once per column kind; the
history row of each inserted row is what simple-history writes (every tracked field, the date,
the user, the action as change reason, type "+"). Same SQL on SQLite (3.35+) and PostgreSQL.

Only for rows a service has already checked (``phoihop.imports.kinds.activities``): nothing here
validates.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.db import connection, models

# SQLite allows 32,766 parameters per statement; PostgreSQL 65,535.
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
    """Insert ``rows`` (attribute name -> value; missing ones take the field's default) into
    ``model``'s table; returns the new primary keys, in the rows' order."""
    if not rows:
        return []
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not (f.primary_key and f.attname not in rows[0])]
    defaults = _defaults(model)
    adapters = [_adapter(f) for f in fields]
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    per_statement = max(1, MAX_PARAMS // len(fields))
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    suffix = f" RETURNING {qn(meta.pk.column)}" if returning else ""
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            params: list[Any] = []
            for row in chunk:
                for f, adapt in zip(fields, adapters, strict=True):
                    value = row[f.attname] if f.attname in row else defaults[f.attname]
                    params.append(adapt(value) if adapt is not None and value is not None else value)
            cursor.execute(
                f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES {', '.join([one] * len(chunk))}{suffix}", params
            )
            if returning:
                ids.extend(r[0] for r in cursor.fetchall())
    return ids


def insert_with_history(
    model: type[models.Model], rows: list[dict[str, Any]], *, user: Any, reason: str, when: datetime
) -> list[int]:
    """``insert`` and, for each row, the history row simple-history would write on creation."""
    ids = insert(model, rows)
    history = model.history.model  # type: ignore[attr-defined]
    tracked = [f.attname for f in history._meta.concrete_fields if not f.attname.startswith("history_")]
    defaults = _defaults(model)
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
        history_rows.append({**{a: row[a] if a in row else defaults.get(a) for a in tracked}, **extra})
    insert(history, history_rows, returning=False)
    return ids
