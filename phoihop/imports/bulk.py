"""Rows and their history rows inserted in bulk: multi-row ``INSERT … RETURNING`` statements.

The ORM's ``bulk_create`` and simple-history's ``bulk_history_create`` build a model instance
per row and prepare every value through its field: about 0.1 ms a row, so 20,000 activities with
their partners, 60,000 values and as many history rows (160,000 rows) took most of the import's
time. Here a row is a dict of attribute names; the history row of each inserted row is what
simple-history writes (every tracked field, the date, the user, the action as change reason,
type "+"). SQLite (3.35+): multi-row ``VALUES`` lists with the driver's "?" placeholders, dates
adapted once per distinct value; PostgreSQL: ``COPY … FROM STDIN``, the new keys taken from the
table's sequence beforehand; ``Writer`` runs them in a thread beside the caller's own work.

Only for rows a service has already checked (``phoihop.imports.kinds.activities``): nothing here
validates.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
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


def _tuples(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The columns of ``model``'s table but its key, and ``rows`` (attribute name -> value;
    missing ones take the field's default; other keys are ignored) as tuples in their order."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    names = [f.attname for f in fields]
    pick = itemgetter(*names) if len(names) > 1 else (lambda row: (row[names[0]],))
    if all(name in rows[0] for name in names):  # the callers' rows all have the same keys
        return [f.column for f in fields], [pick(row) for row in rows]
    defaults = _defaults(model)
    return [f.column for f in fields], [pick({**defaults, **row}) for row in rows]


def _insert_sqlite(model: type[models.Model], rows: Sequence[dict[str, Any]], *, returning: bool = True) -> list[int]:
    """SQLite: insert ``rows`` (attribute name -> value; missing ones take the field's default;
    other keys are ignored) into ``model``'s table; returns the new primary keys, in the rows'
    order."""
    if not rows:
        return []
    meta = model._meta
    columns, tuples = _tuples(model, rows)
    # Rows as tuples, dates adapted column by column (each distinct value once), and
    # statements written with the driver's own "?" placeholders, run on the driver's cursor:
    # Django's cursor rewrites "%s" with a regular expression, 30,000 of them a statement.
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    adapters: list[tuple[int, Callable[[Any], Any], dict[Any, Any]]] = [
        (i, adapt, {}) for i, f in enumerate(fields) if (adapt := _adapter(f)) is not None
    ]
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
    qn = connection.ops.quote_name
    names = ", ".join(map(qn, columns))
    per_statement = max(1, MAX_PARAMS // len(fields))
    suffix = f" RETURNING {qn(meta.pk.column)}" if returning else ""
    ids: list[int] = []
    one = "(" + ", ".join(["?"] * len(fields)) + ")"
    with connection.cursor() as cursor, connection.wrap_database_errors:
        raw = cursor.cursor
        for start in range(0, len(tuples), per_statement):
            batch = tuples[start : start + per_statement]
            placeholders = ", ".join([one] * len(batch))
            sql = f"INSERT INTO {qn(meta.db_table)} ({names}) VALUES {placeholders}{suffix}"
            sqlite3.Cursor.execute(raw, sql, list(chain.from_iterable(batch)))
            if returning:
                ids.extend(r[0] for r in raw.fetchall())
    return ids


def _reserve(cursor: Any, meta: Any, count: int) -> list[int]:
    """PostgreSQL: ``count`` new keys from the table's sequence, in one statement."""
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [connection.ops.quote_name(meta.db_table), meta.pk.column, count],
    )
    return [r[0] for r in cursor.fetchall()]


def _copy_rows(cursor: Any, meta: Any, columns: list[str], tuples: Iterable[tuple[Any, ...]]) -> None:
    """PostgreSQL: ``tuples`` into ``meta``'s table through ``COPY … FROM STDIN``."""
    qn = connection.ops.quote_name
    with cursor.copy(f"COPY {qn(meta.db_table)} ({', '.join(map(qn, columns))}) FROM STDIN") as copy:
        for t in tuples:
            copy.write_row(t)


def _history_rows(
    model: type[models.Model], rows: list[dict[str, Any]], ids: list[int], *, user: Any, reason: str, when: datetime
) -> list[dict[str, Any]]:
    """The history row simple-history would write on the creation of each of ``rows`` (whose
    keys are ``ids``; each row gets its key too)."""
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
    return history_rows


def _copy_with_history(
    cursor: Any,
    model: type[models.Model],
    rows: list[dict[str, Any]],
    *,
    user: Any,
    reason: str,
    when: datetime,
    keys_taken: Callable[[list[int]], None] | None = None,
) -> list[int]:
    """PostgreSQL, on ``cursor`` (the driver's): keys for ``rows`` from the table's sequence, one
    statement for all (COPY returns nothing; ``keys_taken`` hears of them at once), then the rows
    and their history rows through ``COPY … FROM STDIN`` (psycopg writes each row in C)."""
    meta = model._meta
    history = model.history.model  # type: ignore[attr-defined]
    ids = _reserve(cursor, meta, len(rows))
    if keys_taken is not None:
        keys_taken(ids)
    columns, tuples = _tuples(model, rows)
    _copy_rows(cursor, meta, [meta.pk.column, *columns], ((i, *t) for i, t in zip(ids, tuples, strict=True)))
    columns, tuples = _tuples(history, _history_rows(model, rows, ids, user=user, reason=reason, when=when))
    _copy_rows(cursor, history._meta, columns, tuples)
    return ids


def insert_with_history(
    model: type[models.Model], rows: list[dict[str, Any]], *, user: Any, reason: str, when: datetime
) -> list[int]:
    """Insert ``rows`` and, for each, the history row simple-history would write on creation;
    returns the new primary keys, in the rows' order."""
    if not rows:
        return []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, connection.wrap_database_errors:
            return _copy_with_history(cursor.cursor, model, rows, user=user, reason=reason, when=when)
    ids = _insert_sqlite(model, rows)
    history = model.history.model  # type: ignore[attr-defined]
    _insert_sqlite(history, _history_rows(model, rows, ids, user=user, reason=reason, when=when), returning=False)
    return ids


class Writer:
    """Bulk inserts that run beside the caller's own work.

    On PostgreSQL the inserts go to a thread of their own, one after another in the order given,
    on the connection of the caller's transaction, while the caller builds the next rows and
    works out the roll-ups: the server writes the rows and their indexes and checks their
    foreign keys (made immediate for the writer's statements, so that the checks run there and
    not at the commit) while Python works. Until the block ends the caller must not use the
    database (the connection is the writer's); ``keys`` waits for the keys an insert's rows get.
    At the end of the block the writer's error, if any, is raised as Django's; when the block
    itself raises, the inserts not yet started are dropped, and the caller's ``atomic`` rolls the
    transaction back. On SQLite each insert runs at once (one writer at a time).
    """

    def __init__(self) -> None:
        self.threaded = connection.vendor == "postgresql"
        self._jobs: queue.SimpleQueue[tuple[Callable[[Any], None], Future[list[int]]] | None] = queue.SimpleQueue()
        self._error: BaseException | None = None
        self._stop = False
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Writer:
        if self.threaded:
            connection.ensure_connection()
            self._thread = threading.Thread(
                target=self._run, args=(connection.connection,), name="phoihop-bulk-writer", daemon=True
            )
            self._thread.start()
        return self

    def _run(self, raw: Any) -> None:
        with raw.cursor() as cursor:
            self._step(cursor, "SET CONSTRAINTS ALL IMMEDIATE")
            while (item := self._jobs.get()) is not None:
                job, keys = item
                if self._error is not None or self._stop:
                    keys.set_exception(RuntimeError("an earlier bulk insert failed"))
                    continue
                try:
                    job(cursor)
                except BaseException as e:  # raised in the caller's thread
                    self._error = e
                    if not keys.done():
                        keys.set_exception(e)
            self._step(cursor, "SET CONSTRAINTS ALL DEFERRED")

    def _step(self, cursor: Any, sql: str) -> None:
        if self._error is None and not self._stop:
            try:
                cursor.execute(sql)
            except BaseException as e:
                self._error = e

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if self._thread is None:
            return
        self._stop = exc is not None
        self._jobs.put(None)
        self._thread.join()
        self._thread = None
        if exc is None:
            self._raise()

    def _raise(self) -> None:
        if self._error is not None:
            with connection.wrap_database_errors:
                raise self._error

    def insert_with_history(
        self, model: type[models.Model], rows: list[dict[str, Any]], *, user: Any, reason: str, when: datetime
    ) -> Future[list[int]]:
        """``insert_with_history``, queued; the future holds the new keys as soon as they are taken
        (before the rows are written): read it with ``keys``."""
        keys: Future[list[int]] = Future()
        if not self.threaded or not rows:
            keys.set_result(insert_with_history(model, rows, user=user, reason=reason, when=when))
            return keys

        def job(cursor: Any) -> None:
            _copy_with_history(cursor, model, rows, user=user, reason=reason, when=when, keys_taken=keys.set_result)

        self._jobs.put((job, keys))
        return keys

    def keys(self, future: Future[list[int]]) -> list[int]:
        """The keys of a queued insert (waits until the writer has taken them); the writer's
        error, as Django's, if it failed."""
        try:
            return future.result()
        except BaseException:
            self._raise()
            raise
