"""Consistent backups while people write, and their restore (``manage.py backup`` / ``restore``).

A backup is a folder:

* ``db.sqlite3`` (SQLite's online backup API: one read transaction, so one instant, while
  writers go on in WAL mode) or ``db.dump`` (PostgreSQL: ``pg_dump --format=custom`` inside a
  REPEATABLE READ transaction whose snapshot it shares through ``pg_export_snapshot()``);
* ``media/``: the stored files (``MEDIA_ROOT``, or the bucket when they are on S3), copied
  *after* the database snapshot, so every file the snapshot refers to was complete before it
  was taken; a file the snapshot refers to but that is missing is named in the manifest;
* ``manifest.json``: when, which engine, the application's version and migration heads, the
  row count of every table taken inside the same snapshot as the dump, and the SHA-256 of every
  file of the backup.

``restore`` checks every checksum first, refuses a target database that already has tables
(unless ``force``), restores the database and the files, and compares the row counts with the
manifest.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.core.files.storage import Storage, default_storage
from django.db import connections
from django.utils.translation import gettext as _

from phoihop.core.storage import put_exactly, referenced_names
from phoihop.core.storage import walk as stored_files

MANIFEST = "manifest.json"
SQLITE_FILE = "db.sqlite3"
PG_FILE = "db.dump"
MEDIA_DIR = "media"
FORMAT_VERSION = 1

Log = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator (Vietnamese)."""


@dataclass
class Snapshot:
    """What was read inside the database snapshot."""

    counts: dict[str, int] = field(default_factory=dict)
    migrations: dict[str, str] = field(default_factory=dict)
    referenced_files: set[str] = field(default_factory=set)


# --- engines and connection settings -----------------------------------------------------


def engine_of(settings_dict: dict[str, Any]) -> str:
    engine = str(settings_dict["ENGINE"])
    if engine == "django.db.backends.sqlite3":
        return "sqlite"
    if engine.startswith("django.db.backends.postgresql"):
        return "postgresql"
    raise BackupError(_("Không hỗ trợ sao lưu cơ sở dữ liệu loại %(engine)s.") % {"engine": engine})


def _pg_params(settings_dict: dict[str, Any]) -> dict[str, str]:
    params = {
        "dbname": settings_dict.get("NAME"),
        "user": settings_dict.get("USER"),
        "password": settings_dict.get("PASSWORD"),
        "host": settings_dict.get("HOST"),
        "port": settings_dict.get("PORT"),
    }
    return {key: str(value) for key, value in params.items() if value}


def _pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """The environment that points libpq's programs (pg_dump, pg_restore) at the database."""
    env = dict(os.environ)
    names = {"dbname": "PGDATABASE", "user": "PGUSER", "password": "PGPASSWORD", "host": "PGHOST", "port": "PGPORT"}
    for key, value in _pg_params(settings_dict).items():
        env[names[key]] = value
    return env


@contextlib.contextmanager
def _pg_connect(settings_dict: dict[str, Any], *, autocommit: bool = False) -> Iterator[Any]:
    import psycopg

    with psycopg.connect(**_pg_params(settings_dict), autocommit=autocommit) as conn:  # type: ignore[arg-type]
        yield conn


def pg_program(name: str, server_version: int) -> str:
    """``pg_dump`` or ``pg_restore`` of the server's major version: a newer server than the
    program cannot be dumped, and a custom-format file is read only by a program at least as new.
    Debian installs each version's programs in /usr/lib/postgresql/<major>/bin; PG_BIN_DIR
    names another folder."""
    major = server_version // 10000
    candidates = []
    if os.environ.get("PG_BIN_DIR"):
        candidates.append(Path(os.environ["PG_BIN_DIR"]) / name)
    candidates.append(Path(f"/usr/lib/postgresql/{major}/bin/{name}"))
    found = shutil.which(name)
    if found:
        candidates.append(Path(found))
    for candidate in candidates:
        if not candidate.is_file():
            continue
        output = subprocess.run([str(candidate), "--version"], capture_output=True, text=True, check=False).stdout
        match = re.search(r"(\d+)(?:\.\d+)?", output)
        if match and int(match.group(1)) >= major:
            return str(candidate)
    raise BackupError(
        _(
            "Không tìm thấy %(program)s phiên bản %(major)s trở lên (máy chủ PostgreSQL %(major)s): "
            "cài gói postgresql-client-%(major)s hoặc đặt PG_BIN_DIR."
        )
        % {"program": name, "major": major}
    )


# --- what the snapshot refers to -----------------------------------------------------------


def _read_snapshot(cursor: Any, tables: list[str], quote: Callable[[str], str]) -> Snapshot:
    snapshot = Snapshot()
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        snapshot.counts[table] = int(cursor.fetchone()[0])
    if "django_migrations" in snapshot.counts:
        cursor.execute("SELECT app, MAX(name) FROM django_migrations GROUP BY app ORDER BY app")
        snapshot.migrations = {app: name for app, name in cursor.fetchall()}
    snapshot.referenced_files = referenced_names(cursor, quote, set(snapshot.counts))
    return snapshot


def _quote_sqlite(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quote_pg(name: str) -> str:
    if "." in name:
        schema, table = name.split(".", 1)
        return f"{_quote_sqlite(schema)}.{_quote_sqlite(table)}"
    return _quote_sqlite(name)


def _sqlite_tables(cursor: Any) -> list[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    return [row[0] for row in cursor.fetchall()]


def _pg_tables(cursor: Any) -> list[str]:
    """Every table of the database's own schemas; those of ``public`` by their bare name."""
    cursor.execute(
        "SELECT schemaname, tablename FROM pg_tables "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY schemaname, tablename"
    )
    return [table if schema == "public" else f"{schema}.{table}" for schema, table in cursor.fetchall()]


# --- checksums and the manifest ------------------------------------------------------------


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _app_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("phoihop")
    except PackageNotFoundError:
        return "unknown"


def _code_migration_heads() -> dict[str, str]:
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    heads: dict[str, str] = {}
    for app, name in sorted(loader.graph.leaf_nodes()):
        heads[app] = max(name, heads.get(app, ""))
    return heads


# --- backup --------------------------------------------------------------------------------


def take_backup(output: Path, *, using: str = "default", log: Log = print) -> dict[str, Any]:
    """Write a backup of database ``using`` and of the stored files into the new folder ``output``;
    return its manifest."""
    output = Path(output)
    if output.exists() and any(output.iterdir()):
        raise BackupError(_("Thư mục %(path)s đã có dữ liệu; hãy chọn một thư mục mới.") % {"path": output})
    settings_dict = dict(connections[using].settings_dict)
    engine = engine_of(settings_dict)
    # Built beside its final place, renamed at the end: a folder named ``output`` is complete.
    partial = output.with_name(f".{output.name}.partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        started = datetime.now(UTC)
        log(_("Đang chụp cơ sở dữ liệu (%(engine)s)…") % {"engine": engine})
        if engine == "sqlite":
            snapshot, extra = _backup_sqlite(settings_dict, partial / SQLITE_FILE)
        else:
            snapshot, extra = _backup_postgresql(settings_dict, partial / PG_FILE)
        log(
            _("Đã chụp %(tables)d bảng, %(rows)d dòng.")
            % {"tables": len(snapshot.counts), "rows": sum(snapshot.counts.values())}
        )
        log(_("Đang chép các tệp đã lưu…"))
        copied = _copy_out(default_storage, partial / MEDIA_DIR)
        missing = sorted(snapshot.referenced_files - copied)
        if missing:
            log(
                _("Có %(n)d tệp được cơ sở dữ liệu nhắc đến nhưng không có trong kho tệp (ghi trong manifest).")
                % {"n": len(missing)}
            )
        log(_("Đang tính mã kiểm tra SHA-256…"))
        checksums = {
            path.relative_to(partial).as_posix(): sha256_of(path)
            for path in sorted(partial.rglob("*"))
            if path.is_file()
        }
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": started.isoformat(),
            "finished_at": datetime.now(UTC).isoformat(),
            "engine": engine,
            "database_file": SQLITE_FILE if engine == "sqlite" else PG_FILE,
            "app_version": _app_version(),
            "migrations": snapshot.migrations,
            "code_migration_heads": _code_migration_heads(),
            "row_counts": snapshot.counts,
            "files": sorted(copied),
            "missing_files": missing,
            "sha256": checksums,
            **extra,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        if output.exists():
            output.rmdir()
        partial.rename(output)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    log(_("Đã sao lưu vào %(path)s.") % {"path": output})
    return manifest


def _backup_sqlite(settings_dict: dict[str, Any], target: Path) -> tuple[Snapshot, dict[str, Any]]:
    source_path = str(settings_dict["NAME"])
    if not Path(source_path).exists():
        raise BackupError(_("Không thấy tệp cơ sở dữ liệu %(path)s.") % {"path": source_path})
    # The online backup API copies every page in one step (pages=-1) inside one read
    # transaction: one instant of the database, while writers go on (WAL).
    with contextlib.closing(sqlite3.connect(source_path, timeout=60)) as source:
        with contextlib.closing(sqlite3.connect(target)) as copy:
            source.backup(copy)
    # Counted on the copy, so the counts are the copy's instant. One file, no WAL beside it.
    with contextlib.closing(sqlite3.connect(target)) as copy:
        copy.execute("PRAGMA journal_mode=DELETE")
        cursor = copy.cursor()
        snapshot = _read_snapshot(cursor, _sqlite_tables(cursor), _quote_sqlite)
        check = copy.execute("PRAGMA integrity_check").fetchone()[0]
    if check != "ok":
        raise BackupError(_("Bản sao cơ sở dữ liệu hỏng: %(detail)s") % {"detail": check})
    return snapshot, {}


def _backup_postgresql(settings_dict: dict[str, Any], target: Path) -> tuple[Snapshot, dict[str, Any]]:
    with _pg_connect(settings_dict) as conn:
        server_version = int(conn.info.server_version)
        pg_dump = pg_program("pg_dump", server_version)
        with conn.cursor() as cursor:
            # One snapshot for the counts and the dump: exported, then given to pg_dump, while
            # this transaction stays open.
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
            snapshot = _read_snapshot(cursor, _pg_tables(cursor), _quote_pg)
            result = subprocess.run(
                [pg_dump, "--format=custom", f"--snapshot={snapshot_id}", f"--file={target}"],
                env=_pg_env(settings_dict),
                capture_output=True,
                text=True,
                check=False,
            )
            conn.rollback()
    if result.returncode != 0:
        raise BackupError(_("pg_dump thất bại: %(detail)s") % {"detail": result.stderr.strip()})
    return snapshot, {"server_version": server_version, "pg_dump": pg_dump, "snapshot": snapshot_id}


def _copy_out(storage: Storage, target: Path) -> set[str]:
    """Copy every stored file (the shared folder or the bucket) under ``target``; return their
    names. A file removed while the copy runs is skipped (the manifest names it if the snapshot
    refers to it)."""
    copied: set[str] = set()
    target.mkdir(parents=True, exist_ok=True)
    for name in stored_files(storage):
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            with storage.open(name, "rb") as source, destination.open("wb") as copy:
                shutil.copyfileobj(source, copy)
        except FileNotFoundError:
            destination.unlink(missing_ok=True)
            continue
        copied.add(name)
    return copied


def _copy_in(source: Path, storage: Storage) -> set[str]:
    """Store every file under ``source`` with its own name; return the names."""
    restored: set[str] = set()
    if not source.is_dir():
        return restored
    for path in sorted(source.rglob("*")):
        if path.is_file():
            name = path.relative_to(source).as_posix()
            with path.open("rb") as handle:
                put_exactly(storage, name, handle)
            restored.add(name)
    return restored


# --- restore -------------------------------------------------------------------------------


def read_manifest(directory: Path) -> dict[str, Any]:
    path = Path(directory) / MANIFEST
    if not path.is_file():
        raise BackupError(_("Không thấy %(path)s: đây không phải một bản sao lưu.") % {"path": path})
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return manifest


def verify(directory: Path, manifest: dict[str, Any]) -> None:
    """Every file of the backup is present with the checksum the manifest gives."""
    bad = []
    for relative, expected in manifest["sha256"].items():
        path = Path(directory) / relative
        if not path.is_file() or sha256_of(path) != expected:
            bad.append(relative)
    if bad:
        raise BackupError(
            _("Mã kiểm tra không khớp hoặc thiếu tệp (%(n)d): %(files)s")
            % {"n": len(bad), "files": ", ".join(bad[:10])}
        )


def table_counts(settings_dict: dict[str, Any]) -> dict[str, int]:
    """Row counts of every table of the database ``settings_dict`` names."""
    if engine_of(settings_dict) == "sqlite":
        with contextlib.closing(sqlite3.connect(str(settings_dict["NAME"]), timeout=60)) as conn:
            cursor = conn.cursor()
            return _read_snapshot(cursor, _sqlite_tables(cursor), _quote_sqlite).counts
    with _pg_connect(settings_dict) as conn, conn.cursor() as cursor:
        return _read_snapshot(cursor, _pg_tables(cursor), _quote_pg).counts


def _is_empty(settings_dict: dict[str, Any]) -> bool:
    if engine_of(settings_dict) == "sqlite":
        path = Path(str(settings_dict["NAME"]))
        if not path.exists() or path.stat().st_size == 0:
            return True
        with contextlib.closing(sqlite3.connect(path)) as conn:
            return not _sqlite_tables(conn.cursor())
    with _pg_connect(settings_dict) as conn, conn.cursor() as cursor:
        return not _pg_tables(cursor)


def compare_counts(expected: dict[str, int], actual: dict[str, int]) -> list[str]:
    """The differences, one readable line each (empty when the counts agree)."""
    lines = []
    for table in sorted(set(expected) | set(actual)):
        if expected.get(table) != actual.get(table):
            lines.append(
                _("%(table)s: bản sao lưu %(expected)s dòng, sau khôi phục %(actual)s dòng")
                % {"table": table, "expected": expected.get(table, "—"), "actual": actual.get(table, "—")}
            )
    return lines


def restore_backup(directory: Path, *, using: str = "default", force: bool = False, log: Log = print) -> dict[str, Any]:
    """Restore the backup in ``directory`` into database ``using`` and the stored files; raise
    BackupError when anything is wrong, row counts included."""
    directory = Path(directory)
    manifest = read_manifest(directory)
    log(_("Đang kiểm tra mã SHA-256 của %(n)d tệp…") % {"n": len(manifest["sha256"])})
    verify(directory, manifest)
    settings_dict = dict(connections[using].settings_dict)
    engine = engine_of(settings_dict)
    if engine != manifest["engine"]:
        raise BackupError(
            _("Bản sao lưu là của %(backup)s, cơ sở dữ liệu đích là %(target)s.")
            % {"backup": manifest["engine"], "target": engine}
        )
    code_heads = _code_migration_heads()
    if manifest.get("migrations") and any(code_heads.get(app) != name for app, name in manifest["migrations"].items()):
        log(
            _(
                "Lưu ý: phiên bản migration của bản sao lưu khác mã nguồn hiện tại; "
                "chạy manage.py migrate sau khi khôi phục."
            )
        )
    connections[using].close()
    if not _is_empty(settings_dict):
        if not force:
            raise BackupError(
                _(
                    "Cơ sở dữ liệu đích %(name)s đã có dữ liệu; chỉ khôi phục vào cơ sở dữ liệu trống "
                    "(hoặc thêm --force để xóa hết dữ liệu hiện có)."
                )
                % {"name": settings_dict["NAME"]}
            )
        log(_("Đang xóa dữ liệu hiện có của cơ sở dữ liệu đích (--force)…"))
    log(_("Đang khôi phục cơ sở dữ liệu…"))
    if engine == "sqlite":
        _restore_sqlite(directory / manifest["database_file"], Path(str(settings_dict["NAME"])))
    else:
        _restore_postgresql(directory / manifest["database_file"], settings_dict, manifest, force=force)
    log(_("Đang khôi phục các tệp đã lưu…"))
    restored = _copy_in(directory / MEDIA_DIR, default_storage)
    log(_("Đã khôi phục %(n)d tệp.") % {"n": len(restored)})
    log(_("Đang so số dòng từng bảng với manifest…"))
    differences = compare_counts(manifest["row_counts"], table_counts(settings_dict))
    if differences:
        raise BackupError(_("Số dòng sau khôi phục khác bản sao lưu:") + "\n" + "\n".join(differences))
    log(
        _("Đã khôi phục: %(tables)d bảng, %(rows)d dòng, khớp với manifest.")
        % {"tables": len(manifest["row_counts"]), "rows": sum(manifest["row_counts"].values())}
    )
    return manifest


def _restore_sqlite(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    incoming = target.with_name(f".{target.name}.restoring-{os.getpid()}")
    shutil.copyfile(source, incoming)
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(incoming, target)


def _restore_postgresql(source: Path, settings_dict: dict[str, Any], manifest: dict[str, Any], *, force: bool) -> None:
    with _pg_connect(settings_dict, autocommit=True) as conn:
        server_version = int(conn.info.server_version)
        if force:
            with conn.cursor() as cursor:
                for schema in {t.split(".", 1)[0] for t in _pg_tables(cursor) if "." in t}:
                    cursor.execute(f"DROP SCHEMA {_quote_sqlite(schema)} CASCADE")
                cursor.execute("DROP SCHEMA IF EXISTS public CASCADE")
                cursor.execute("CREATE SCHEMA public")
    pg_restore = pg_program("pg_restore", max(server_version, int(manifest.get("server_version") or 0)))
    result = subprocess.run(
        [
            pg_restore,
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={settings_dict['NAME']}",
            str(source),
        ],
        env=_pg_env(settings_dict),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(_("pg_restore thất bại: %(detail)s") % {"detail": result.stderr.strip()})
