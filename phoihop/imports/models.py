"""An import run: one file of units, people, users, targets, activities or figures, checked (a dry
run) or imported for real as a background job of the user who sent it.

Only its creator (and system administrators) may see a run: the file and the problems found in
it hold what the creator sent (``permissions.py``). The file is kept under a random name in the
private media folder and reached only through the run.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.core.models import RestrictedQuerySet


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ")
    RUNNING = "running", _("Đang xử lý")
    DONE = "done", _("Xong")
    FAILED = "failed", _("Không thực hiện được")


# At most this many problems are kept on a run (the count of all of them is kept too): a file of
# 200,000 bad rows must not make a row of hundreds of megabytes.
MAX_KEPT_ERRORS = 5000


def import_file_path(instance: ImportRun, filename: str) -> str:
    # A random name: the file is reached only through its run, never by its path.
    return f"imports/{timezone.localdate():%Y/%m}/{secrets.token_hex(16)}"


class ImportRun(models.Model):
    kind = models.CharField(_("loại dữ liệu"), max_length=20)
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chương trình"),
    )
    filename = models.CharField(_("tên tệp"), max_length=255)
    file = models.FileField(upload_to=import_file_path, max_length=200, blank=True)
    dry_run = models.BooleanField(_("chỉ kiểm tra"), default=True)
    status = models.CharField(_("trạng thái"), max_length=8, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    total_rows = models.PositiveIntegerField(_("số dòng"), default=0)
    created = models.PositiveIntegerField(_("số bản ghi tạo mới"), default=0)
    updated = models.PositiveIntegerField(_("số bản ghi cập nhật"), default=0)
    unchanged = models.PositiveIntegerField(_("số bản ghi không đổi"), default=0)
    error_count = models.PositiveIntegerField(_("số lỗi"), default=0)
    errors = models.JSONField(_("các lỗi"), default=list, blank=True)  # [{row, column, value, message}]
    note = models.TextField(_("ghi chú"), blank=True)
    message = models.CharField(_("thông báo"), max_length=500, blank=True)
    source = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lần kiểm tra trước"),
        help_text=_("Lần kiểm tra mà lần nhập này dùng lại tệp."),
    )
    job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("việc chạy nền")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("người gửi")
    )
    created_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("lần nhập dữ liệu")
        verbose_name_plural = _("các lần nhập dữ liệu")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["created_by", "created_at"], name="import_creator_created")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} · {self.filename}"

    @property
    def is_active(self) -> bool:
        return self.status in (ImportStatus.PENDING, ImportStatus.RUNNING)

    @property
    def has_problems(self) -> bool:
        return self.error_count > 0 or self.status == ImportStatus.FAILED

    @property
    def kind_label(self) -> Any:
        from phoihop.imports.registry import kind_label

        return kind_label(self.kind)
