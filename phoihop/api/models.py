"""What the API keeps for itself: the first answer to each ``Idempotency-Key`` (see idempotency.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotentRequest(models.Model):
    """The first answer to a POST sent with an ``Idempotency-Key``, replayed to its retries.

    Not domain data (like a session or a token): written by ``phoihop.api.idempotency`` in the
    same transaction as the write it answers, read only by its owner's retries, without history.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("khóa"), max_length=255)
    method = models.CharField(_("phương thức"), max_length=10)
    path = models.CharField(_("đường dẫn"), max_length=2000)
    fingerprint = models.CharField(_("dấu vân tay của yêu cầu"), max_length=64)
    status = models.PositiveSmallIntegerField(_("mã trả lời"))
    # The JSON text as answered (a text column keeps the keys' order on every database).
    body = models.TextField(_("nội dung trả lời"), blank=True)
    headers = models.JSONField(_("tiêu đề trả lời"), default=dict)
    created = models.DateTimeField(_("lúc tạo"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("yêu cầu có khóa lặp lại")
        verbose_name_plural = _("yêu cầu có khóa lặp lại")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="api_idempotent_request_user_key")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key})"
