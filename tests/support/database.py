"""The test database: the demo data built once, kept as a snapshot, and copied for each process.

Migrating and loading the demo takes tens of seconds; copying a file or cloning a PostgreSQL
template takes one or two. So a test run builds the snapshot once (the first process that
needs a database builds it under a file lock; the others wait for it), and every process
(each pytest-xdist worker, the browser run) starts from its own copy. The snapshot is named
after a hash of everything that shapes it (the code of ``phoihop/``, its data files and the
database engine): a later run with the same code reuses it, a change of any of them builds a
new one and removes this checkout's older ones.

* SQLite: ``<folder of the database>/test-snapshots/<key>.sqlite3``, copied to
  ``test-<pid>.sqlite3`` beside it.
* PostgreSQL: database ``phoihop_snap_<checkout>_<key>``, cloned with ``CREATE DATABASE ...
  TEMPLATE`` into ``test_phoihop_<pid>``.

``restore()`` puts a process's copy back as the snapshot was (after a transactional test
flushed every table).
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "phoihop"
SNAPSHOT_PREFIX = "phoihop_snap_"
TEST_DB_PREFIX = "test_phoihop_"
SOURCE_SUFFIXES = {".py", ".json", ".csv", ".docx", ".xlsx"}


def _checkout_tag() -> str:
    return hashlib.sha256(str(ROOT).encode()).hexdigest()[:6]


def source_key(engine: str) -> str:
    """A hash of what the snapshot is made from: the package's code and data, how the tests
    build it (this file, the root conftest with its clock), and the engine."""
    digest = hashlib.sha256(engine.encode())
    for path in [Path(__file__), ROOT / "conftest.py", *sorted(PACKAGE.rglob("*"))]:
        if path.is_file() and path.suffix in SOURCE_SUFFIXES and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def database_url(settings_dict: dict[str, Any], name: str) -> str:
    """The DATABASE_URL of database ``name`` on the suite's server (a file path for SQLite), for
    a process of its own."""
    if settings_dict["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{name}"
    auth = settings_dict.get("USER") or "postgres"
    if settings_dict.get("PASSWORD"):
        auth += f":{settings_dict['PASSWORD']}"
    host, port = settings_dict.get("HOST") or "127.0.0.1", settings_dict.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{name}"


def build_demo(verbosity: int = 0) -> None:
    """Migrate the connected (empty) database and load the demo data into it."""
    from django.core.management import call_command

    call_command("migrate", verbosity=verbosity, interactive=False, run_syncdb=True)
    # Tests run with DEBUG off, as production does; load_demo refuses that unless told.
    call_command("load_demo", verbosity=verbosity, allow_production=True)


@dataclass
class TestDatabase:
    """One process's copy of the snapshot, and how to make and drop it."""

    settings_dict: dict[str, Any]
    original_name: str

    @property
    def is_sqlite(self) -> bool:
        return self.settings_dict["ENGINE"] == "django.db.backends.sqlite3"

    # --- naming ---------------------------------------------------------------------------

    @functools.cached_property
    def key(self) -> str:
        # Computed once per process: the code may change while the snapshot builds (several
        # people editing one checkout), and the copy must find the snapshot just built.
        return source_key(self.settings_dict["ENGINE"])

    @property
    def folder(self) -> Path:
        return Path(self.original_name).resolve().parent

    @property
    def lock_path(self) -> Path:
        if self.is_sqlite:
            return self.folder / "test-snapshots" / ".lock"
        return ROOT / "var" / "test-snapshots" / ".lock"

    @property
    def snapshot_name(self) -> str:
        if self.is_sqlite:
            return str(self.folder / "test-snapshots" / f"{self.key}.sqlite3")
        return f"{SNAPSHOT_PREFIX}{_checkout_tag()}_{self.key}"

    @property
    def copy_name(self) -> str:
        if self.is_sqlite:
            return str(self.folder / f"test-{os.getpid()}.sqlite3")
        return f"{TEST_DB_PREFIX}{os.getpid()}"

    # --- the connection ---------------------------------------------------------------------

    def _point_at(self, name: str) -> None:
        """Make Django's default connection (and settings) use database ``name``."""
        from django.conf import settings
        from django.db import connections

        connections.close_all()
        connection = connections["default"]
        connection.settings_dict["NAME"] = name
        settings.DATABASES["default"]["NAME"] = name

    @contextlib.contextmanager
    def _maintenance(self) -> Iterator[Any]:
        """A cursor on the server's maintenance database (PostgreSQL), in autocommit."""
        import psycopg

        params = {
            "dbname": "postgres",
            "user": self.settings_dict.get("USER") or None,
            "password": self.settings_dict.get("PASSWORD") or None,
            "host": self.settings_dict.get("HOST") or None,
            "port": self.settings_dict.get("PORT") or None,
        }
        with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as conn:
            yield conn.cursor()

    def _pg_databases(self, cursor: Any, prefix: str) -> list[str]:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [prefix + "%"])
        return [row[0] for row in cursor.fetchall()]

    # --- snapshot -------------------------------------------------------------------------

    def ensure_snapshot(self, verbosity: int = 0) -> None:
        """Build the snapshot unless a run of the same code already did (under the file lock)."""
        with file_lock(self.lock_path):
            if self.is_sqlite:
                self._ensure_sqlite_snapshot(verbosity)
            else:
                self._ensure_pg_snapshot(verbosity)

    def _ensure_sqlite_snapshot(self, verbosity: int) -> None:
        target = Path(self.snapshot_name)
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        building = target.with_name(f"building-{os.getpid()}.sqlite3")
        _remove_sqlite(building)
        self._point_at(str(building))
        try:
            build_demo(verbosity)
        finally:
            from django.db import connections

            connections.close_all()
        _publish(building, target)

    def _ensure_pg_snapshot(self, verbosity: int) -> None:
        name = self.snapshot_name
        with self._maintenance() as cursor:
            existing = self._pg_databases(cursor, f"{SNAPSHOT_PREFIX}{_checkout_tag()}_")
            if name in existing:
                return
            for old in existing:
                with contextlib.suppress(Exception):
                    cursor.execute(f'DROP DATABASE IF EXISTS "{old}"')
            self._drop_stale_copies(cursor)
            building = f"{name}_building"
            cursor.execute(f'CREATE DATABASE "{building}"')
        self._point_at(building)
        try:
            build_demo(verbosity)
        finally:
            from django.db import connections

            connections.close_all()
        with self._maintenance() as cursor:
            cursor.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')

    def _drop_stale_copies(self, cursor: Any) -> None:
        """Copies left by test processes that were killed before they could drop them."""
        for stale in self._pg_databases(cursor, TEST_DB_PREFIX):
            pid = stale.removeprefix(TEST_DB_PREFIX)
            if pid.isdigit() and not _alive(int(pid)):
                with contextlib.suppress(Exception):
                    cursor.execute(f'DROP DATABASE IF EXISTS "{stale}"')

    # --- this process's copy ----------------------------------------------------------------

    def create_copy(self) -> None:
        """This process's database, a copy of the snapshot; the connection points at it."""
        from django.db import connections

        connections.close_all()
        if self.is_sqlite:
            copy = Path(self.copy_name)
            _remove_sqlite(copy)
            shutil.copyfile(self.snapshot_name, copy)
        else:
            with file_lock(self.lock_path), self._maintenance() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.copy_name}"')
                cursor.execute(f'CREATE DATABASE "{self.copy_name}" TEMPLATE "{self.snapshot_name}"')
        self._point_at(self.copy_name)

    def restore(self) -> None:
        """Put this process's copy back as the snapshot was."""
        self.create_copy()

    def drop_copy(self) -> None:
        from django.db import connections

        connections.close_all()
        if self.is_sqlite:
            _remove_sqlite(Path(self.copy_name))
        else:
            with self._maintenance() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.copy_name}"')
        self._point_at(self.original_name)


def migrated_schema() -> Path:
    """An empty SQLite database with every migration applied, built once per version of the code.

    The benchmarks' tiny runs (tests/test_bench_*.py) each start from a database of their own;
    migrating one takes most of a minute, nearly all of it Django rendering the models' states.
    They copy this file instead (``PHOIHOP_BENCH_SCHEMA``) and their own ``migrate`` then applies
    nothing. It is built by ``manage.py migrate`` in a process of its own under a file lock (the
    first test that needs it builds it, the others wait), kept under the var folder's
    ``test-schema/`` and named after the same hash as the snapshots, so a run of the same code
    reuses it, on SQLite and PostgreSQL runs alike (the benchmarks' tiny runs are SQLite's).
    """
    folder = Path(os.environ.get("PHOIHOP_VAR_DIR") or ROOT / "var").resolve() / "test-schema"
    target = folder / f"{source_key('schema')}.sqlite3"
    with file_lock(folder / ".lock"):
        if target.exists():
            return target
        building = folder / f"building-{os.getpid()}.sqlite3"
        _remove_sqlite(building)
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        env |= {"DATABASE_URL": f"sqlite:///{building}", "DEBUG": "0"}
        env.setdefault("SECRET_KEY", "test-only-key-not-for-production")
        command = [sys.executable, "manage.py", "migrate", "--noinput", "-v0"]
        subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=900, capture_output=True)
        _publish(building, target)
    return target


def _publish(building: Path, target: Path) -> None:
    """Make the SQLite file just built ``target``, as one file with no write-ahead log beside it
    (copies are then a plain file copy), and remove the older ones of its folder."""
    with contextlib.closing(sqlite3.connect(building)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    for old in target.parent.glob("*.sqlite3"):
        if old != building:
            _remove_sqlite(old)
    building.rename(target)


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
