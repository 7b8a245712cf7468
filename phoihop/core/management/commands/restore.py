"""python manage.py restore DIR: check a backup's checksums, restore it into an empty database
and the stored files (MEDIA_ROOT or the S3 bucket), and compare the row counts with its manifest
(phoihop/core/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from phoihop.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Khôi phục một bản sao lưu của manage.py backup vào cơ sở dữ liệu trống: kiểm tra mã SHA-256, khôi phục "
        "cơ sở dữ liệu và tệp, rồi so số dòng từng bảng với manifest (thoát với mã khác 0 nếu khác)."
    )

    # Runs on a broken deployment too: a restore is what repairs it.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="Thư mục bản sao lưu (có manifest.json).")
        parser.add_argument("--database", default="default", help="Cơ sở dữ liệu đích (mặc định: default).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Xóa hết dữ liệu hiện có của cơ sở dữ liệu đích trước khi khôi phục.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            restore_backup(
                options["directory"], using=options["database"], force=options["force"], log=self.stdout.write
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
