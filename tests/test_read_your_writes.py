"""Read-your-writes (issue 17): with a replica configured, a user's read right after their own
write returns it even though the replica has not replayed it, while the replica serves reads
that carry no such write (shown by another user not finding the row there, and by the writer once
their mark has expired). The replica here is a copy of the primary taken before the write and
never updated: a lag without end. On PostgreSQL the writer's mark is the primary's WAL position,
which that copy (not a standby) never reports having replayed; elsewhere a bounded time."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support import database as test_databases

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def two_copies(django_db_setup: None, django_db_blocker: Any, tmp_path: Path) -> Any:
    """The primary and its lagging replica: two copies of the demo snapshot."""
    from django.db import connections

    settings_dict = dict(connections["default"].settings_dict)
    database = test_databases.TestDatabase(settings_dict=settings_dict, original_name=str(settings_dict["NAME"]))
    if database.is_sqlite:
        names = [str(tmp_path / "primary.sqlite3"), str(tmp_path / "replica.sqlite3")]
        for name in names:
            shutil.copyfile(database.snapshot_name, name)
        yield [test_databases.database_url(settings_dict, n) for n in names]
        return
    names = [f"test_ryw_{os.getpid()}_primary", f"test_ryw_{os.getpid()}_replica"]
    with django_db_blocker.unblock(), test_databases.file_lock(database.lock_path), database._maintenance() as cursor:
        for name in names:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{database.snapshot_name}"')
    yield [test_databases.database_url(settings_dict, n) for n in names]
    with django_db_blocker.unblock(), database._maintenance() as cursor:
        for name in names:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_user_reads_their_own_write_through_a_lagging_replica(two_copies: list[str], tmp_path: Path) -> None:
    primary, replica = two_copies
    env = {
        **os.environ,
        "DATABASE_URL": primary,
        "DATABASE_REPLICA_URLS": replica,
        "PHOIHOP_REPLICA_PIN_SECONDS": "600",
        "SECRET_KEY": "read-your-writes-test",
        "PHOIHOP_VAR_DIR": str(tmp_path / "var"),
        "REDIS_URL": "",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "testserver",
        "PHOIHOP_2FA_DEMO_EXEMPT": "1",  # the demo users sign in without a second factor, as in the tests
        "PHOIHOP_GATE": "raise",  # a read that skipped the gate fails here, as in the tests
    }
    run = subprocess.run(
        [sys.executable, "-m", "tests.support.read_your_writes"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["created"] == 302
    assert result["on_primary"] and not result["on_replica"]  # the replica lags
    assert result["writer_reads_at_once"] == 200  # the writer sees their write at once
    assert result["writer_list_shows_it"]
    assert result["other_reader"] == 404  # reads without a write of theirs go to the replica
    assert result["writer_after_mark_expired"] == 404  # and so do the writer's, once the mark is gone
    # An API client: a token issued after the replica's copy works at once, and the client reads
    # its own write through the API at once.
    assert result["api_created"] == 201 and result["api_reads_at_once"] == 200


def test_the_router_reads_the_primary_in_a_transaction_and_after_a_write(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db import connections
    from knox.models import AuthToken

    from phoihop.accounts.models import RoleAssignment
    from phoihop.core import replicas
    from phoihop.orgunits.models import Person

    router = replicas.PrimaryReplicaRouter()
    assert router.db_for_read(None) == "default"  # outside an allowed request: the primary
    readable, wrote = replicas._readable.set(("replica_1",)), replicas._wrote.set(False)
    try:
        monkeypatch.setattr(connections["default"], "in_atomic_block", False)
        assert router.db_for_read(None) == "replica_1"
        # Who may do what is read from the primary: a revoked token or role stops at once.
        assert router.db_for_read(AuthToken) == router.db_for_read(RoleAssignment) == "default"
        assert router.db_for_read(Person) == "replica_1"
        monkeypatch.setattr(connections["default"], "in_atomic_block", True)
        assert router.db_for_read(None) == "default"  # a service deciding a write reads the truth
        monkeypatch.setattr(connections["default"], "in_atomic_block", False)
        assert router.db_for_write(None) == "default"
        assert router.db_for_read(None) == "default"  # the rest of the request reads its write
        assert not router.allow_migrate("replica_1", "activities")
    finally:
        replicas._readable.reset(readable)
        replicas._wrote.reset(wrote)


def test_replicas_without_a_shared_cache_are_refused_by_the_checks(settings: Any) -> None:
    from phoihop.core.checks import replicas_need_a_shared_cache

    assert replicas_need_a_shared_cache() == []  # no replica: nothing to say
    settings.REPLICA_ALIASES = ("replica_1",)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    errors = replicas_need_a_shared_cache()
    assert [e.id for e in errors] == ["phoihop.E001"] and "REDIS_URL" in errors[0].msg
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x"}}
    assert replicas_need_a_shared_cache() == []
