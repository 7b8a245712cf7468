"""The state of every part phoihop runs on (issue 17): the primary database, each read replica
with its lag, the cache, the job queue and the stored files. Read by the system administrators'
page "Tình trạng hệ thống" and, for the database alone, by ``/healthz`` (a load balancer's check of
an application node)."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connections
from django.utils.translation import gettext as _

from phoihop.core.replicas import PRIMARY, replica_aliases, wal_position
from phoihop.core.storage import describe as describe_storage


@dataclass(frozen=True)
class Part:
    name: str
    ok: bool
    detail: str
    lag_seconds: float | None = None
    lag_bytes: int | None = None


def _query(alias: str, sql: str, params: list[Any] | None = None) -> Any:
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchone()


def database_reachable(alias: str = PRIMARY) -> bool:
    try:
        return _query(alias, "SELECT 1") is not None
    except DatabaseError:
        return False


def primary() -> Part:
    name = _("Cơ sở dữ liệu chính")
    connection = connections[PRIMARY]
    try:
        if connection.vendor != "postgresql":
            _query(PRIMARY, "SELECT 1")
            return Part(name, True, _("%(engine)s, đang phục vụ") % {"engine": connection.display_name})
        recovery, position = _query(PRIMARY, "SELECT pg_is_in_recovery(), pg_current_wal_lsn()::text")
        if recovery:
            return Part(name, False, _("Máy này đang là bản sao, không nhận ghi"))
        return Part(name, True, _("PostgreSQL, nhận ghi; vị trí WAL %(lsn)s") % {"lsn": position})
    except DatabaseError as exc:
        return Part(name, False, _("Không kết nối được: %(error)s") % {"error": str(exc).strip()[:200]})


def replicas() -> list[Part]:
    """Each replica: reachable, replaying, and how far behind the primary (bytes of WAL, seconds
    since the last transaction it replayed, which also grows when the primary is idle)."""
    found = []
    head = None
    if replica_aliases() and connections[PRIMARY].vendor == "postgresql":
        try:
            head = wal_position()
        except DatabaseError:
            head = None
    for n, alias in enumerate(replica_aliases(), start=1):
        name = _("Bản sao %(n)s") % {"n": n}
        if connections[alias].vendor != "postgresql":
            ok = database_reachable(alias)
            found.append(Part(name, ok, _("đang phục vụ") if ok else _("Không kết nối được")))
            continue
        try:
            row = _query(
                alias,
                "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text, "
                "EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())",
            )
        except DatabaseError as exc:
            found.append(Part(name, False, _("Không kết nối được: %(error)s") % {"error": str(exc).strip()[:200]}))
            continue
        recovering, replayed, seconds = row
        if not recovering:
            found.append(Part(name, False, _("Không phải bản sao (không ở chế độ phục hồi)")))
            continue
        lag_bytes = None
        if head and replayed:
            lag_bytes = int(_query(PRIMARY, "SELECT pg_wal_lsn_diff(%s::pg_lsn, %s::pg_lsn)", [head, replayed])[0])
        lag = float(seconds) if seconds is not None else None
        detail = _("đã áp dụng WAL tới %(lsn)s") % {"lsn": replayed}
        found.append(Part(name, True, detail, lag_seconds=lag, lag_bytes=lag_bytes))
    return found


def cache_part() -> Part:
    name = _("Bộ nhớ đệm")
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    key, value = f"health:{uuid.uuid4().hex}", str(time.time())
    try:
        cache.set(key, value, timeout=10)
        ok = cache.get(key) == value
        cache.delete(key)
    except Exception as exc:  # any failure of the cache's server is the answer here
        return Part(name, False, f"{backend}: {str(exc)[:200]}")
    return Part(name, ok, backend if ok else _("%(backend)s không đọc lại được") % {"backend": backend})


def jobs_part() -> Part:
    name = _("Hàng đợi việc nền")
    from huey.contrib.djhuey import HUEY

    if settings.HUEY.get("immediate"):
        return Part(name, True, _("Chạy ngay trong yêu cầu (không có hàng đợi riêng)"))
    try:
        pending = HUEY.pending_count()
    except Exception as exc:  # the queue's storage out of reach is the answer here
        return Part(name, False, _("Không đọc được hàng đợi: %(error)s") % {"error": str(exc)[:200]})
    return Part(name, True, _("%(n)s việc đang chờ") % {"n": pending})


def storage_part() -> Part:
    """Whether a file can be written, read back and deleted where the stored files are (the
    shared folder or the bucket)."""
    name = _("Kho tệp lưu trữ")
    where = describe_storage(default_storage)
    probe = f"health/{uuid.uuid4().hex}.txt"
    try:
        saved = default_storage.save(probe, ContentFile(b"ok"))
        try:
            with default_storage.open(saved, "rb") as handle:
                ok = handle.read() == b"ok"
        finally:
            default_storage.delete(saved)
    except Exception as exc:  # an unreachable folder or store, whatever its library raises
        return Part(name, False, _("Không ghi được vào %(folder)s: %(error)s") % {"folder": where, "error": exc})
    return Part(name, ok, where if ok else _("%(folder)s không đọc lại được") % {"folder": where})


def parts() -> list[Part]:
    return [primary(), *replicas(), cache_part(), jobs_part(), storage_part()]
