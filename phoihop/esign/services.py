"""Writes of the electronic signature app: certificates and trusted roots (system administrators)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from phoihop.core.gate import INTEGRITY
from phoihop.core.permissions import require
from phoihop.core.services import audited_save
from phoihop.esign import certificates, vault
from phoihop.esign.models import BodyCertificate, CertificateKind, TrustedRoot
from phoihop.orgunits.models import OrgUnit


@transaction.atomic
def certificate_upload(
    *,
    unit: OrgUnit,
    kind: str,
    p12_bytes: bytes,
    passphrase: str,
    acting_user: Any,
    person_name: str = "",
    person_title: str = "",
    image: bytes = b"",
) -> BodyCertificate:
    """Keep a body's certificate (PKCS#12) encrypted, after checking it opens with the
    passphrase, holds its private key and is in force today."""
    require(acting_user, BodyCertificate(unit=unit, kind=kind), "change")
    if kind not in CertificateKind.values:
        raise ValidationError(_("Loại chứng thư không hợp lệ."), code="bad_kind")
    facts, _certificate = certificates.read_pkcs12(p12_bytes, passphrase)
    if kind == CertificateKind.SIGNER and not person_name.strip():
        raise ValidationError({"person_name": _("Ghi họ tên người ký của chứng thư này.")})
    taken = BodyCertificate.objects.unrestricted(INTEGRITY).filter(unit=unit, fingerprint=facts.fingerprint)
    if taken.exists():
        raise ValidationError(_("Chứng thư số này đã được tải lên cho cơ quan."), code="duplicate")
    certificate = BodyCertificate(
        unit=unit,
        kind=kind,
        person_name=person_name.strip() if kind == CertificateKind.SIGNER else "",
        person_title=person_title.strip() if kind == CertificateKind.SIGNER else "",
        p12_encrypted=vault.encrypt(p12_bytes),
        passphrase_encrypted=vault.encrypt(passphrase.encode("utf-8")),
        subject_cn=facts.subject_cn[:255],
        subject_o=facts.subject_o[:255],
        issuer=facts.issuer[:500],
        serial=facts.serial[:80],
        valid_from=facts.valid_from,
        valid_to=facts.valid_to,
        fingerprint=facts.fingerprint,
        image=certificates.check_png(image) if image else b"",
        uploaded_by=acting_user,
    )
    return audited_save(certificate, acting_user=acting_user, action="certificate.upload")


@transaction.atomic
def certificate_set_active(*, certificate: BodyCertificate, active: bool, acting_user: Any) -> BodyCertificate:
    require(acting_user, certificate, "change")
    certificate.is_active = active
    return audited_save(certificate, acting_user=acting_user, action="certificate.set_active")


@transaction.atomic
def trusted_root_add(*, data: bytes, acting_user: Any, note: str = "") -> TrustedRoot:
    """Trust the chains that end at this root certificate when checking signatures."""
    require(acting_user, TrustedRoot(), "change")
    facts, der = certificates.read_root(data)
    if TrustedRoot.objects.unrestricted(INTEGRITY).filter(fingerprint=facts.fingerprint).exists():
        raise ValidationError(_("Chứng thư gốc này đã có trong danh sách tin cậy."), code="duplicate")
    subject = facts.subject_cn or facts.issuer
    root = TrustedRoot(
        der=der,
        subject=subject[:500],
        fingerprint=facts.fingerprint,
        valid_to=facts.valid_to,
        note=note,
        uploaded_by=acting_user,
    )
    return audited_save(root, acting_user=acting_user, action="trusted_root.add")


@transaction.atomic
def trusted_root_set_active(*, root: TrustedRoot, active: bool, acting_user: Any) -> TrustedRoot:
    require(acting_user, root, "change")
    root.is_active = active
    return audited_save(root, acting_user=acting_user, action="trusted_root.set_active")
