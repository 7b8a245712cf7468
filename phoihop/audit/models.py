"""The action log: one row for a write that changes many rows at once (a lock approving a
subtree's figures, a reading marking deliveries), where one history row per changed row
would say nothing a person did. Every other write leaves a history row
(django-simple-history) whose change reason names the action (``audit.actions``)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ActionLog(models.Model):
    """One action of one person (or of the system) on one record, with what it changed."""

    at = models.DateTimeField(_("lúc"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    action = models.CharField(_("thao tác"), max_length=64)
    reason = models.TextField(_("lý do"), blank=True)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("loại bản ghi")
    )
    target_id = models.CharField(_("mã bản ghi"), max_length=64, blank=True)
    target_label = models.CharField(_("bản ghi"), max_length=255, blank=True)
    unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("đơn vị"),
    )
    count = models.PositiveIntegerField(_("số bản ghi thay đổi"), default=0)
    details = models.JSONField(_("chi tiết"), default=dict, blank=True)

    class Meta:
        verbose_name = _("nhật ký thao tác")
        verbose_name_plural = _("nhật ký thao tác")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="actionlog_target"),
            models.Index(fields=["unit", "at"], name="actionlog_unit_at"),
        ]

    def __str__(self) -> str:
        return f"{self.action} · {self.target_label}"


class ExportedPerson(models.Model):
    """A person named in a downloaded file (the access log of personal data: one
    ``personal_data.export`` row of the action log per download, one of these per person)."""

    log = models.ForeignKey(ActionLog, on_delete=models.CASCADE, related_name="people", verbose_name=_("lần tải"))
    person_id = models.PositiveIntegerField(_("mã người"), db_index=True)

    class Meta:
        verbose_name = _("người có tên trong tệp tải xuống")
        verbose_name_plural = _("người có tên trong tệp tải xuống")
        constraints = [models.UniqueConstraint(fields=["log", "person_id"], name="exportedperson_unique")]

    def __str__(self) -> str:
        return f"{self.log_id} · {self.person_id}"
