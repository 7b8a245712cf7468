"""python manage.py backup --output DIR: a consistent backup of the database and the stored files
while people go on writing (phoihop/core/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from phoihop.core.backup import BackupError, take_backup


class Command(BaseCommand):
    help = (
        "Sao lưu nhất quán cơ sở dữ liệu (SQLite: API sao lưu trực tuyến; PostgreSQL: pg_dump) và các tệp "
        "đã lưu, kèm manifest.json (mã SHA-256, số dòng từng bảng) vào một thư mục mới."
    )

    # Runs on a broken deployment too: a restore is what repairs it.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, type=Path, help="Thư mục mới chứa bản sao lưu.")
        parser.add_argument("--database", default="default", help="Cơ sở dữ liệu cần sao lưu (mặc định: default).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            take_backup(options["output"], using=options["database"], log=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
