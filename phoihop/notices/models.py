"""Notices a user receives, their delivery preferences, and the outbox of e-mail to send."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from phoihop.core.models import RestrictedQuerySet
from phoihop.notices.kinds import Delivery, Kind


class NoticeQuerySet(RestrictedQuerySet):
    def unread(self) -> NoticeQuerySet:
        return self.filter(read_at__isnull=True)


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi không được")


class OutboxQuerySet(RestrictedQuerySet):
    pass


class OutboxMessage(models.Model):
    """One e-mail to send: written in the transaction of the notice(s) it carries, sent by a job.

    ``key`` is unique ("notice:<id>", "digest:<user>:<day>"), so the same notice or digest is
    queued once; a conditional update of ``status`` lets one sender at a time claim it."""

    key = models.CharField(max_length=100, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("người nhận")
    )
    address = models.EmailField(_("địa chỉ"))
    subject = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"))
    status = models.CharField(_("trạng thái"), max_length=8, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    next_attempt_at = models.DateTimeField(_("thử lại lúc"))
    last_error = models.CharField(_("lỗi lần gần nhất"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    sent_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        verbose_name = _("thư chờ gửi")
        verbose_name_plural = _("thư chờ gửi")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.address}: {self.subject}"


class Notice(models.Model):
    """Something a user is told: by the bell, on the notices page, and by e-mail as they chose.

    A reminder carries a ``key`` ("request:<id>:request_due"): one per recipient and key, so a
    periodic job run twice reminds once."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices", verbose_name=_("người nhận")
    )
    kind = models.CharField(_("loại"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung, lý do"), blank=True)
    url = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    action = models.CharField(_("thao tác"), max_length=40, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    key = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    # Waiting for the recipient's daily digest (cleared when a digest carries it).
    awaiting_digest = models.BooleanField(default=False)
    mail = models.ForeignKey(
        OutboxMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="notices", verbose_name=_("thư")
    )

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notice_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notice_latest"),
            models.Index(fields=["recipient"], condition=Q(awaiting_digest=True), name="notice_awaiting_digest"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], condition=~Q(key=""), name="notice_once_per_key")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NoticePreferenceQuerySet(RestrictedQuerySet):
    pass


class NoticePreference(models.Model):
    """How a user wants one kind of notice by e-mail (a kind without a row: its default)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notice_preferences",
        verbose_name=_("người dùng"),
    )
    kind = models.CharField(_("loại"), max_length=24, choices=Kind.choices)
    delivery = models.CharField(_("cách nhận thư"), max_length=10, choices=Delivery.choices)

    objects = NoticePreferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("cách nhận thông báo")
        verbose_name_plural = _("cách nhận thông báo")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="noticepreference_once")]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind} · {self.delivery}"
