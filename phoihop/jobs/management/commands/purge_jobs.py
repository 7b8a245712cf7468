"""Delete finished jobs older than some days, and their files (the worker also does it daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from phoihop.jobs.tasks import KEEP_DAYS, purge


class Command(BaseCommand):
    help = "Xoá các việc chạy nền đã xong hoặc lỗi quá số ngày giữ lại, cùng tệp của chúng."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--days", type=int, default=KEEP_DAYS, help="Số ngày giữ lại (mặc định %(default)s).")

    def handle(self, *args: Any, days: int, **options: Any) -> None:
        count = purge(days=days)
        self.stdout.write(f"Đã xoá {count} việc chạy nền.")
