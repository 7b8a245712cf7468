"""Certificates of the issuing bodies (PKCS#12, encrypted at rest) and the trusted roots.

A body (an ``OrgUnit`` that issues documents, see ``reporting.BodyProfile``) has certificates
of two kinds: its head's signing certificate ("signer", with the person's name and title)
and its own seal certificate ("seal"). The newest active, unexpired one of each kind signs.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from phoihop.core.models import RestrictedQuerySet
from phoihop.orgunits.models import OrgUnit


class CertificateKind(models.TextChoices):
    SIGNER = "signer", _("Chữ ký số của người ký")
    SEAL = "seal", _("Chữ ký số của cơ quan (con dấu)")


class BodyCertificate(models.Model):
    """A certificate and its private key (PKCS#12) of an issuing body, stored encrypted.

    ``p12_encrypted`` and ``passphrase_encrypted`` are Fernet tokens (``esign.vault``); the
    other fields are read from the certificate when it is uploaded and are public.
    """

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan ban hành"))
    kind = models.CharField(_("loại"), max_length=8, choices=CertificateKind.choices)
    person_name = models.CharField(_("họ tên người ký"), max_length=128, blank=True)
    person_title = models.CharField(_("chức vụ người ký"), max_length=128, blank=True)
    p12_encrypted = models.BinaryField(_("tệp PKCS#12 (đã mã hóa)"), editable=False)
    passphrase_encrypted = models.BinaryField(_("mật khẩu tệp (đã mã hóa)"), editable=False)
    subject_cn = models.CharField(_("tên trên chứng thư (CN)"), max_length=255)
    subject_o = models.CharField(_("tổ chức trên chứng thư (O)"), max_length=255, blank=True)
    issuer = models.CharField(_("tổ chức cấp chứng thư"), max_length=500)
    serial = models.CharField(_("số hiệu chứng thư"), max_length=80)
    valid_from = models.DateTimeField(_("hiệu lực từ"))
    valid_to = models.DateTimeField(_("hiệu lực đến"))
    fingerprint = models.CharField(_("dấu vân tay SHA-256"), max_length=64)
    image = models.BinaryField(
        _("ảnh chữ ký hoặc con dấu (PNG nền trong suốt)"), blank=True, default=b"", editable=False
    )
    is_active = models.BooleanField(_("đang dùng"), default=True)
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tải lên"),
    )
    # The key material stays out of the history table: one encrypted copy, not one per change.
    history = HistoricalRecords(excluded_fields=["p12_encrypted", "passphrase_encrypted", "image"])

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("chứng thư số của cơ quan")
        verbose_name_plural = _("chứng thư số của cơ quan")
        ordering = ["unit", "kind", "-valid_to", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "fingerprint"], name="esign_certificate_unique_per_unit"),
            models.CheckConstraint(condition=models.Q(kind__in=["signer", "seal"]), name="esign_certificate_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_cn} ({self.get_kind_display()})"

    @property
    def is_current(self) -> bool:
        now = timezone.now()
        return self.is_active and self.valid_from <= now <= self.valid_to


class TrustedRoot(models.Model):
    """A root certificate whose chains the signature check trusts (public data: no key)."""

    der = models.BinaryField(_("chứng thư gốc (DER)"), editable=False)
    subject = models.CharField(_("tên chứng thư gốc"), max_length=500)
    fingerprint = models.CharField(_("dấu vân tay SHA-256"), max_length=64, unique=True)
    valid_to = models.DateTimeField(_("hiệu lực đến"))
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    is_active = models.BooleanField(_("đang tin cậy"), default=True)
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tải lên"),
    )
    history = HistoricalRecords(excluded_fields=["der"])

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("chứng thư gốc tin cậy")
        verbose_name_plural = _("chứng thư gốc tin cậy")
        ordering = ["subject"]

    def __str__(self) -> str:
        return self.subject
