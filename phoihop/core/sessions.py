"""Django's database sessions, read with one plain statement (``SESSION_ENGINE``).

Every signed-in request reads its session first. Django builds that read through the ORM
(``Session.objects.get(session_key=..., expire_date__gt=now)``), which costs ten times the
statement itself; this store runs the same statement, built once per database: the same table,
the same rows, the same expiry (a session past its ``expire_date`` is not read, and its key is
dropped so a new one is made), the same writes. Only the synchronous read differs; the async one
is Django's.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone

_READ_SQL: dict[str, str] = {}


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Any:
        model = self.model
        connection = connections[router.db_for_read(model)]
        sql = _READ_SQL.get(connection.alias)
        if sql is None:
            q = connection.ops.quote_name
            meta: Any = model._meta

            def col(name: str) -> str:
                return q(meta.get_field(name).column)

            sql = _READ_SQL[connection.alias] = (
                f"SELECT {col('session_data')} FROM {q(meta.db_table)}"
                f" WHERE {col('session_key')} = %s AND {col('expire_date')} > %s"
            )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=str(self.session_key), session_data=row[0])
