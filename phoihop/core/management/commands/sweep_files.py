"""python manage.py sweep_files [--older-than-hours 24] [--delete]: the stored files no row refers to
(phoihop/core/storage.py ``strays``), listed, and deleted with --delete."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.core.storage import describe, referenced_names, strays


class Command(BaseCommand):
    help = (
        "Liệt kê các tệp trong kho tệp lưu trữ (thư mục hoặc bucket S3) mà không dòng dữ liệu nào nhắc đến "
        "và đã ghi từ lâu hơn --older-than-hours giờ; thêm --delete để xóa chúng."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than-hours",
            type=int,
            default=24,
            help="Chỉ xét tệp ghi từ lâu hơn số giờ này (mặc định 24: không đụng tới tệp vừa tải lên).",
        )
        parser.add_argument("--delete", action="store_true", help="Xóa các tệp tìm thấy (mặc định: chỉ liệt kê).")

    def handle(self, *args: Any, **options: Any) -> None:
        hours = max(1, int(options["older_than_hours"]))
        with connection.cursor() as cursor:
            referenced = referenced_names(cursor, connection.ops.quote_name)
        found = strays(referenced, older_than=timedelta(hours=hours))
        for stray in found:
            self.stdout.write(f"{stray.name}\t{stray.size}\t{timezone.localtime(stray.modified):%Y-%m-%d %H:%M}")
        total = filesizeformat(sum(s.size for s in found))
        where = describe()
        if not found:
            self.stdout.write(_("Không có tệp thừa nào trong %(where)s.") % {"where": where})
            return
        if not options["delete"]:
            self.stdout.write(
                _(
                    "%(n)d tệp thừa (%(size)s) trong %(where)s, không dòng dữ liệu nào nhắc đến; "
                    "chạy lại với --delete để xóa."
                )
                % {"n": len(found), "size": total, "where": where}
            )
            return
        for stray in found:
            default_storage.delete(stray.name)
        self.stdout.write(
            _("Đã xóa %(n)d tệp thừa (%(size)s) trong %(where)s.") % {"n": len(found), "size": total, "where": where}
        )
