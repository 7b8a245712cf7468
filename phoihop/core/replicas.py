"""Reads on the replicas, writes on the primary, and every user reads their own writes (issue 17).

Configured by ``DATABASE_REPLICA_URLS`` (a comma-separated list; none: the single-server default,
where nothing here runs). Then:

* every write goes to the primary (``default``);
* a read goes to a replica only inside a request that ``core.middleware.ReadYourWritesMiddleware``
  allowed:
  a GET or HEAD whose user (session user, or API token) has no write the replicas may still lack;
  everything else (commands, jobs, writes, reads in a transaction, the rest of a request after it
  wrote) reads the primary;
* after a request that wrote, the user's mark is kept in the shared cache: on PostgreSQL the
  primary's WAL position then (``pg_current_wal_lsn()``), and the user's next reads go to the
  replicas that have replayed past it (``pg_last_wal_replay_lsn()``), or to the primary while none
  has; on a database without WAL positions, the primary for ``REPLICA_PIN_SECONDS``. The mark
  expires after ``REPLICA_PIN_SECONDS`` in any case (a replica that far behind is not trusted for
  that user).
"""

from __future__ import annotations

import hashlib
import logging
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections
from django.http import HttpRequest

logger = logging.getLogger(__name__)

PRIMARY = "default"
# What says who may do what is read from the primary even in a safe request: a revoked token, a
# deactivated account, a withdrawn role or a removed second factor must not keep working on a
# lagging replica, and a token just issued must work at once.
AUTHORITY_MODELS = frozenset(
    {
        "accounts.user",
        "accounts.roleassignment",
        "knox.authtoken",
        "otp_totp.totpdevice",
        "otp_static.staticdevice",
        "otp_static.statictoken",
    }
)
# Replicas the current request may read from (empty: the primary only).
_readable: ContextVar[tuple[str, ...]] = ContextVar("phoihop_readable_replicas", default=())
# Whether the current request has written (its later reads, and the user's next ones, see it).
_wrote: ContextVar[bool] = ContextVar("phoihop_request_wrote", default=False)


def replica_aliases() -> tuple[str, ...]:
    return tuple(getattr(settings, "REPLICA_ALIASES", ()) or ())


class PrimaryReplicaRouter:
    """Django's database router for a primary with replicas (``DATABASE_ROUTERS``)."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        if reads_the_primary() or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        if getattr(getattr(model, "_meta", None), "label_lower", "") in AUTHORITY_MODELS:
            return PRIMARY
        return _readable.get()[0]

    def db_for_write(self, model: Any, **hints: Any) -> str:
        _wrote.set(True)
        _readable.set(())  # the rest of the request reads what it wrote
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replicas hold the primary's rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY


def reads_the_primary() -> bool:
    """Whether reads here go to the primary: outside a request allowed a replica (always, without
    replicas), and for the rest of a request that wrote."""
    return not _readable.get() or _wrote.get()


@contextmanager
def primary_reads() -> Iterator[None]:
    """Reads inside go to the primary: for a value kept in the shared cache for other requests (a
    count read from a lagging replica would stay stale for the cache's lifetime)."""
    token = _readable.set(())
    try:
        yield
    finally:
        _readable.reset(token)


def reader_key(request: HttpRequest) -> str | None:
    """Whose writes a request must see: the session's user, else the API token's holder (the
    token itself, hashed: DRF signs token users in only inside the view); anonymous: nobody."""
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return f"user:{user.pk}"
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header:
        return "token:" + hashlib.sha256(header.encode()).hexdigest()[:32]
    return None


def _mark_key(reader: str) -> str:
    return f"replicas:wrote:{reader}"


def wal_position() -> str | None:
    """The primary's WAL position now (PostgreSQL), or None where there is none."""
    connection = connections[PRIMARY]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        row = cursor.fetchone()
    return str(row[0]) if row and row[0] else None


def replayed_past(alias: str, position: str) -> bool:
    """Whether replica ``alias`` has replayed the primary's WAL up to ``position`` (a replica that
    cannot say, or cannot be reached, has not)."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return False
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [position])
            row = cursor.fetchone()
    except DatabaseError:
        return False
    return bool(row and row[0])


def record_write(reader: str) -> None:
    """Remember that ``reader`` wrote: where the primary's WAL stood, and when."""
    seconds = int(settings.REPLICA_PIN_SECONDS)
    cache.set(_mark_key(reader), {"lsn": wal_position(), "at": time.time()}, timeout=seconds)


def readable_for(reader: str | None) -> tuple[str, ...]:
    """The replicas ``reader`` may read from now: all without a recent write of theirs; those that
    have replayed past it otherwise (none while the position is unknown)."""
    aliases = replica_aliases()
    if not aliases or reader is None:
        return aliases
    try:
        mark = cache.get(_mark_key(reader))
    except Exception:  # the shared cache out of reach: whether the user wrote is unknown
        logger.warning("read-your-writes: the cache cannot be read; reading the primary", exc_info=True)
        return ()
    if not mark:
        return aliases
    if time.time() - float(mark.get("at", 0)) >= float(settings.REPLICA_PIN_SECONDS):
        return aliases
    position = mark.get("lsn")
    if not position:
        return ()
    return tuple(alias for alias in aliases if replayed_past(alias, str(position)))


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


@dataclass(frozen=True)
class RequestState:
    reader: str | None
    tokens: tuple[Any, Any]


def enter(request: HttpRequest) -> RequestState:
    """At a request's start: the replica it may read from (one for the whole request, so its
    reads agree with each other), none unless it is safe and the user has no write it lacks."""
    reader = reader_key(request)
    readable = readable_for(reader) if request.method in SAFE_METHODS else ()
    if readable:
        readable = (random.choice(readable),)
    return RequestState(reader, (_readable.set(readable), _wrote.set(False)))


def leave(request: HttpRequest, state: RequestState, *, answered: bool) -> None:
    """At its end: mark the user when the request wrote, under every name their next requests may
    go by: the session's user, and the API token's hash as well as its holder (DRF signs the
    holder in only inside the view, so the token's next request is known by its hash). The write
    has committed by now: a mark that cannot be kept (the primary gone right after the commit, the
    cache out of reach) is logged, never turned into an error that would tell the user their saved
    work was not done."""
    try:
        if answered and _wrote.get():
            for key in {state.reader, reader_key(request)} - {None}:
                try:
                    record_write(str(key))
                except Exception:
                    logger.warning("read-your-writes: the mark of %s was not kept", key, exc_info=True)
    finally:
        _readable.reset(state.tokens[0])
        _wrote.reset(state.tokens[1])
