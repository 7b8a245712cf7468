"""python manage.py check_figures: compare the roll-ups with brute-force sums of the raw values."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from phoihop.core.gate import system_job
from phoihop.figures.rebuild import check_rollups


class Command(BaseCommand):
    help = (
        "So sánh bảng số liệu cộng dồn với tổng cộng trực tiếp từ số liệu gốc; "
        "thoát với mã khác 0 và nêu chỗ sai đầu tiên (đơn vị, chỉ tiêu, kỳ)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with system_job("check_figures: every roll-up row against the raw values"):
            mismatch = check_rollups()
        if mismatch is not None:
            raise CommandError(f"Số liệu cộng dồn sai: {mismatch.describe()}")
        self.stdout.write(self.style.SUCCESS("Số liệu cộng dồn khớp với số liệu gốc."))
