"""Load the demo data: both sides' trees for the whole country and the seed's programme."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from phoihop.core.gate import system_job
from phoihop.demo.base import DEMO_PASSWORD, DemoLoader
from phoihop.demo.esign import load_esign_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu minh họa (chạy lại nhiều lần không tạo trùng)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Cho phép nạp khi DEBUG tắt. Dữ liệu minh họa có mật khẩu công khai: không dùng trên hệ thống thật.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "Từ chối nạp dữ liệu minh họa vì DEBUG đang tắt (cấu hình vận hành thật): "
                f"tài khoản minh họa có mật khẩu công khai “{DEMO_PASSWORD}”. "
                "Nếu thật sự muốn, hãy chạy lại với --allow-production."
            )
        started = time.monotonic()
        with system_job("load_demo: the demo data set"):
            created = DemoLoader(stdout=self.stdout).run()
            created.update(load_esign_demo(stdout=self.stdout))
        elapsed = time.monotonic() - started
        if any(created.values()):
            summary = ", ".join(f"{k}: {v}" for k, v in sorted(created.items()) if v)
            self.stdout.write(self.style.SUCCESS(f"Đã nạp dữ liệu minh họa ({summary}) trong {elapsed:.1f} giây."))
        if not any(created.values()):
            self.stdout.write("Dữ liệu minh họa đã có sẵn, không thêm gì.")
