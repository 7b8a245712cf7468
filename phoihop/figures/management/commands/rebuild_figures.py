"""python manage.py rebuild_figures: recompute every roll-up row from the raw values."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from phoihop.core.gate import system_job
from phoihop.figures.rebuild import rebuild_rollups


class Command(BaseCommand):
    help = "Tính lại toàn bộ bảng số liệu cộng dồn từ số liệu gốc (SQL theo tập, trong một giao dịch)."

    def handle(self, *args: Any, **options: Any) -> None:
        verbose = options["verbosity"] > 1
        with system_job("rebuild_figures: every roll-up row from the raw values"):
            stats = rebuild_rollups(progress=(lambda step: self.stdout.write(f"  {step}")) if verbose else None)
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tính lại {stats['rows']:,} dòng cộng dồn và {stats['terms']:,} thành phần cây hiện hành "
                f"trong {stats['seconds']:.1f} giây.".replace(",", ".")
            )
        )
