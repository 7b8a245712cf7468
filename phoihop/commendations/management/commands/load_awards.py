"""Seed the award forms and emulation titles from phoihop/commendations/data/awards.json."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from phoihop.commendations.services import awards_load
from phoihop.core.gate import system_job


class Command(BaseCommand):
    help = "Nạp danh mục hình thức khen thưởng và danh hiệu thi đua (chạy lại không tạo trùng)."

    def handle(self, *args: Any, **options: Any) -> None:
        with system_job("load_awards: the catalogue of award forms and titles"):
            made = awards_load()
        self.stdout.write(f"Đã thêm {made} hình thức khen thưởng, danh hiệu thi đua.")
