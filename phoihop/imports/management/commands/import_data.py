"""``manage.py import_data KIND FILE [--programme CODE] [--dry-run] [--user USERNAME]``

Check (``--dry-run``) or import one Excel or CSV file of units, people, users, targets, activities
or figures, as a user: every row is checked through the gate as that user, exactly as through the
pages and the API. Prints the summary and every problem (row, column, value, reason); exits 1 when
any row has a problem or the file is refused (nothing is written then), 0 otherwise.

Without ``--user``, the file is imported as the oldest active system administrator (the account
``createsuperuser`` made first), and the summary names it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from phoihop.imports import registry, runs
from phoihop.imports.permissions import may_import


class Command(BaseCommand):
    help = (
        "Kiểm tra (--dry-run) hoặc nhập một tệp Excel/CSV: units, people, users, targets, activities, figures. "
        "In tóm tắt và các lỗi; trả mã 1 khi có dòng lỗi hoặc tệp bị từ chối. Không có --user thì nhập với "
        "tài khoản quản trị hệ thống cũ nhất đang hoạt động."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="units, people, users, targets, activities, figures")
        parser.add_argument("file", help=".xlsx, .xlsm, .csv hoặc .txt")
        parser.add_argument("--programme", default="", help="mã chương trình (cần cho targets, activities, figures)")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi gì")
        parser.add_argument("--user", default="", help="tên đăng nhập của người nhập (mặc định: quản trị hệ thống)")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            code = self._run(options)
        if code:
            sys.exit(code)

    def _user(self, username: str) -> Any:
        # The operator at the server's console names the account the import acts as.
        users = get_user_model().objects.unrestricted("the console names the account an import acts as")
        users = users.filter(is_active=True)
        if username:
            user = users.filter(username=username).first()
            if user is None:
                raise CommandError(_("Không có tài khoản đang hoạt động “%(name)s”.") % {"name": username})
            return user
        user = users.filter(is_superuser=True).order_by("pk").first()
        if user is None:
            raise CommandError(_("Không có tài khoản quản trị hệ thống nào; hãy ghi --user."))
        return user

    def _run(self, options: dict[str, Any]) -> int:
        from phoihop.programmes.models import Programme

        user = self._user(options["user"])
        if not may_import(user):
            raise CommandError(
                _("Tài khoản “%(name)s” không được nhập dữ liệu (cần quản trị đơn vị hoặc quản trị hệ thống).")
                % {"name": user.username}
            )
        kind = registry.get_kind(options["kind"])
        if kind is None:
            raise CommandError(
                _("Không có loại dữ liệu “%(kind)s”; chọn một trong: %(known)s.")
                % {"kind": options["kind"], "known": ", ".join(registry.all_kinds())}
            )
        programme = None
        if options["programme"]:
            programme = Programme.objects.restrict(user, "view").filter(code=options["programme"]).first()
            if programme is None:
                raise CommandError(_("Không tìm thấy chương trình có mã “%(code)s”.") % {"code": options["programme"]})
        elif kind.needs_programme:
            raise CommandError(_("Nhập %(label)s cần --programme MÃ.") % {"label": kind.label})
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("Không có tệp “%(path)s”.") % {"path": path})
        dry_run = bool(options["dry_run"])
        self.stdout.write(
            _("%(mode)s %(label)s từ “%(file)s” với tài khoản %(user)s%(programme)s.")
            % {
                "mode": _("Kiểm tra (không ghi gì)") if dry_run else pgettext("import data", "Nhập"),
                "label": kind.label,
                "file": path.name,
                "user": user.username,
                "programme": (_(", chương trình %(code)s") % {"code": programme.code}) if programme else "",
            }
        )
        try:
            result = registry.import_file(
                acting_user=user,
                kind=kind.name,
                path=path,
                filename=path.name,
                programme=programme,
                dry_run=dry_run,
                progress=None,
            )
        except registry.refused_errors() as exc:
            self.stderr.write(_("Tệp bị từ chối: %(reason)s") % {"reason": exc})
            return 1
        errors = runs.error_dicts(getattr(result, "errors", []))
        if getattr(result, "note", ""):
            self.stdout.write(str(result.note))
        self.stdout.write(
            _(
                "Số dòng: %(total)s; tạo mới: %(created)s; cập nhật: %(updated)s; "
                "không đổi: %(unchanged)s; lỗi: %(errors)s."
            )
            % {
                "total": result.total_rows,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "errors": len(errors),
            }
        )
        for error in errors:
            where = _("Dòng %(row)s") % {"row": error["row"]} if error["row"] else _("Cả tệp")
            column = _(", cột “%(column)s”") % {"column": error["column"]} if error["column"] else ""
            value = _(", giá trị “%(value)s”") % {"value": error["value"]} if error["value"] else ""
            self.stdout.write(f"{where}{column}{value}: {error['message']}")
        if errors:
            if not dry_run:
                self.stderr.write(_("Tệp còn lỗi: không dòng nào được ghi."))
            return 1
        return 0
