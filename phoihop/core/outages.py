"""Whether an error says a server phoihop needs is out of reach for now (an outage: try again in a
few seconds), as opposed to a fault of the code or the set-up (a bug: a 500, logged with its
trace). One home for the pages' 503 answer (``core.views.unavailable``) and the jobs' retries."""

from __future__ import annotations

import sqlite3

from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as S3ConnectionError
from django.db import InterfaceError, OperationalError

# PostgreSQL's SQLSTATEs of a connection lost or refused (class 08), and of a server shutting
# down or starting (57P01-57P03: the primary stopped by Patroni, a standby not yet promoted).
_CONNECTION_STATES = ("08", "57P01", "57P02", "57P03")
# SQLite's messages of a database it cannot reach or must wait for.
_SQLITE_OUTAGES = ("database is locked", "unable to open database", "disk i/o error")


def database_down(exception: BaseException) -> bool:
    """The database cannot be reached now: a connection lost, refused or closed, a server shutting
    down or starting, SQLite's file locked or gone. A bad statement (no such column, a timeout, a
    constraint) is not an outage."""
    if isinstance(exception, InterfaceError):
        return True
    if not isinstance(exception, OperationalError):
        return False
    cause = exception.__cause__ or exception
    if isinstance(cause, sqlite3.Error):
        message = str(cause).lower()
        return message.startswith(_SQLITE_OUTAGES)
    state = getattr(cause, "sqlstate", None)
    if state:
        return str(state).startswith(_CONNECTION_STATES)
    # psycopg's errors of a connection that failed or broke carry no SQLSTATE.
    return True


def file_store_down(exception: BaseException) -> bool:
    """The bucket's server out of reach, or answering that it cannot serve now (5xx, SlowDown); a
    wrong bucket name or key is a fault of the set-up, not an outage."""
    if isinstance(exception, S3ConnectionError | HTTPClientError):
        return True
    if isinstance(exception, ClientError):
        status = exception.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        return int(status) >= 500 or exception.response.get("Error", {}).get("Code") == "SlowDown"
    return False
