"""Backups taken while people write, and their restore (``manage.py backup`` / ``restore``).

On the test database (SQLite or PostgreSQL, whichever the suite runs on): a thread creates
submitted activities with figures through the service while ``backup`` runs; the backup is
restored by ``manage.py restore`` in another process into a new empty database, whose row
counts must equal the manifest's, and ``check_figures`` must pass on it. Then the restore
refuses a database that has data, a backup whose checksums fail, and counts that differ.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, connections

from phoihop.activities.models import Activity
from phoihop.activities.services import activity_create
from phoihop.core.backup import read_manifest, table_counts
from phoihop.core.storage import file_columns
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Indicator, Phase
from tests.support.database import database_url

ROOT = Path(__file__).resolve().parents[1]
IS_SQLITE = connection.vendor == "sqlite"


def _pg_url(name: str) -> str:
    return database_url(connection.settings_dict, name)


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    """The DATABASE_URL of a new, empty database of the suite's engine (dropped afterwards)."""
    if IS_SQLITE:
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg

    name = f"backup_restore_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    s = connection.settings_dict
    params = {"dbname": "postgres", "user": s.get("USER"), "host": s.get("HOST"), "port": s.get("PORT")}
    params["password"] = s.get("PASSWORD")
    params = {k: v for k, v in params.items() if v}
    with psycopg.connect(**params, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _pg_url(name)
    finally:
        with psycopg.connect(**params, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(*args: str, database_url: str, var_dir: Path) -> subprocess.CompletedProcess[str]:
    """``manage.py`` in another process, on the database ``database_url`` (its own settings)."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PHOIHOP_VAR_DIR": str(var_dir),
        "MEDIA_ROOT": str(var_dir / "media"),
        "SECRET_KEY": "test-only-key-not-for-production",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


class Writer(threading.Thread):
    """Creates submitted activities with figures through the service until told to stop."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.written = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            user = get_user_model().objects.get(username="hoankiem.ccb")
            phase = Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")
            lead = OrgUnit.objects.get(code="CCB-X00070")
            buoi = Indicator.objects.get(programme__code="QDND-CCB", code="tt-buoi")
            luot = Indicator.objects.get(programme__code="QDND-CCB", code="tt-luot")
            while not self.stop.is_set():
                activity_create(
                    acting_user=user,
                    phase=phase,
                    lead_unit=lead,
                    title=f"Tuyên truyền trong lúc sao lưu {self.written + 1}",
                    # A day that has come: a later one would be a plan, not submitted (ADR 0014).
                    start_date=date(2026, 11, 20),
                    end_date=date(2026, 11, 20),
                    values={buoi: 1, luot: 30},
                    submit=True,
                )
                self.written += 1
        except BaseException as error:  # reported by the test
            self.error = error
        finally:
            connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_a_backup_taken_while_someone_writes_restores_with_the_same_counts_and_exact_figures(
    tmp_path: Path, empty_database: str
) -> None:
    media = Path(settings.MEDIA_ROOT)
    (media / "kept").mkdir(parents=True, exist_ok=True)
    (media / "kept" / "bien-ban.pdf").write_bytes(b"%PDF-1.4 bien ban")
    before = Activity.objects.unrestricted("test: count").count()

    writer = Writer()
    writer.start()
    deadline = time.monotonic() + 30
    while writer.written < 3 and writer.error is None and time.monotonic() < deadline:
        time.sleep(0.05)
    written_before = writer.written
    backup = tmp_path / "backup"
    call_command("backup", output=str(backup), stdout=io.StringIO())
    written_at_end = writer.written
    deadline = time.monotonic() + 30
    while writer.written < written_at_end + 3 and writer.error is None and time.monotonic() < deadline:
        time.sleep(0.05)
    writer.stop.set()
    writer.join(60)
    assert writer.error is None, writer.error
    assert written_before >= 3 and writer.written >= written_at_end + 3, "the writer did not write around the backup"

    manifest = read_manifest(backup)
    # The snapshot fell between the writes: some were in, the later ones out.
    in_backup = manifest["row_counts"]["activities_activity"]
    assert before + written_before <= in_backup <= before + written_at_end
    assert Activity.objects.unrestricted("test: count").count() == before + writer.written > in_backup
    assert manifest["engine"] == ("sqlite" if IS_SQLITE else "postgresql")
    assert "kept/bien-ban.pdf" in manifest["files"]
    assert set(manifest["sha256"]) >= {manifest["database_file"], "media/kept/bien-ban.pdf"}
    assert manifest["migrations"]["activities"]
    # Every stored file the snapshot refers to but the disk lacks is named (the demo's files are
    # not in this test's MEDIA_ROOT).
    referenced = set()
    with connection.cursor() as cursor:
        for table, column in file_columns():
            cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE "{column}" <> \'\'')
            referenced.update(row[0] for row in cursor.fetchall())
    assert set(manifest["missing_files"]) == referenced - {"kept/bien-ban.pdf"}

    var_dir = tmp_path / "var"
    restored = manage("restore", str(backup), database_url=empty_database, var_dir=var_dir)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "khớp với manifest" in restored.stdout
    assert (var_dir / "media" / "kept" / "bien-ban.pdf").read_bytes() == b"%PDF-1.4 bien ban"

    figures = manage("check_figures", "--skip-checks", database_url=empty_database, var_dir=var_dir)
    assert figures.returncode == 0, figures.stdout + figures.stderr

    # The restored database answers the same counts as the manifest, read here independently.
    target = dict(connection.settings_dict)
    if IS_SQLITE:
        target["NAME"] = empty_database.removeprefix("sqlite:///")
    else:
        target["NAME"] = empty_database.rsplit("/", 1)[1]
    assert table_counts(target) == manifest["row_counts"]

    # A database that has data is refused, in Vietnamese.
    again = manage("restore", str(backup), database_url=empty_database, var_dir=var_dir)
    assert again.returncode != 0
    assert "đã có dữ liệu" in again.stderr

    # Counts that differ from the manifest fail the restore (even with --force).
    edited = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
    edited["row_counts"]["activities_activity"] += 1
    (backup / "manifest.json").write_text(json.dumps(edited), encoding="utf-8")
    differs = manage("restore", "--force", str(backup), database_url=empty_database, var_dir=var_dir)
    assert differs.returncode != 0
    assert "Số dòng sau khôi phục khác" in differs.stderr and "activities_activity" in differs.stderr

    # A damaged backup is refused before anything is touched.
    with (backup / manifest["database_file"]).open("ab") as handle:
        handle.write(b"\0")
    damaged = manage("restore", "--force", str(backup), database_url=empty_database, var_dir=var_dir)
    assert damaged.returncode != 0
    assert "Mã kiểm tra không khớp" in damaged.stderr
