"""Reading what an administrator uploads: PKCS#12 files, root certificates, PNG images.

Pure functions: bytes in, facts out, a Vietnamese ``ValidationError`` when the file is not
what it should be. Nothing here stores anything.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import pkcs12 as asn1_pkcs12
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

MAX_P12_BYTES = 64 * 1024
MAX_IMAGE_BYTES = 512 * 1024
MAX_IMAGE_SIDE = 2000
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class CertificateFacts:
    subject_cn: str
    subject_o: str
    issuer: str
    serial: str
    valid_from: datetime
    valid_to: datetime
    fingerprint: str


def _name_part(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def facts_of(certificate: x509.Certificate) -> CertificateFacts:
    return CertificateFacts(
        subject_cn=_name_part(certificate.subject, NameOID.COMMON_NAME),
        subject_o=_name_part(certificate.subject, NameOID.ORGANIZATION_NAME),
        issuer=_name_part(certificate.issuer, NameOID.COMMON_NAME) or certificate.issuer.rfc4514_string(),
        serial=format(certificate.serial_number, "X"),
        valid_from=certificate.not_valid_before_utc,
        valid_to=certificate.not_valid_after_utc,
        fingerprint=hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest(),
    )


def _looks_like_pkcs12(data: bytes) -> bool:
    """Whether the bytes are a PKCS#12 (PFX) structure at all, whatever its passphrase."""
    if not data.startswith(b"\x30"):
        return False
    try:
        pfx = asn1_pkcs12.Pfx.load(data, strict=True)
        return pfx["version"].native == "v3" and pfx["auth_safe"]["content_type"].native in {"data", "signed_data"}
    except Exception:  # any parse failure: not PKCS#12
        return False


def read_pkcs12(data: bytes, passphrase: str) -> tuple[CertificateFacts, x509.Certificate]:
    """Open a PKCS#12 file and check it can sign today: a certificate, its private key, in force."""
    if not data or len(data) > MAX_P12_BYTES or not _looks_like_pkcs12(data):
        raise ValidationError(_("Tệp không phải là tệp chứng thư số PKCS#12 (.p12, .pfx)."), code="not_pkcs12")
    try:
        key, certificate, _others = pkcs12.load_key_and_certificates(data, passphrase.encode("utf-8") or None)
    except ValueError as exc:
        raise ValidationError(
            _("Mật khẩu của tệp chứng thư số không đúng (hoặc tệp bị hỏng)."), code="wrong_passphrase"
        ) from exc
    if certificate is None:
        raise ValidationError(_("Tệp PKCS#12 không chứa chứng thư số."), code="no_certificate")
    if key is None:
        raise ValidationError(
            _("Tệp PKCS#12 không chứa khóa bí mật: không ký được bằng tệp này."), code="no_private_key"
        )
    if key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ) != certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ):
        raise ValidationError(_("Khóa bí mật trong tệp không khớp với chứng thư số."), code="key_mismatch")
    facts = facts_of(certificate)
    now = timezone.now()
    if facts.valid_to < now:
        raise ValidationError(
            _("Chứng thư số đã hết hạn từ %(date)s.")
            % {"date": timezone.localtime(facts.valid_to).strftime("%d/%m/%Y")},
            code="expired",
        )
    if facts.valid_from > now:
        raise ValidationError(
            _("Chứng thư số chưa có hiệu lực (từ %(date)s).")
            % {"date": timezone.localtime(facts.valid_from).strftime("%d/%m/%Y")},
            code="not_yet_valid",
        )
    return facts, certificate


def read_root(data: bytes) -> tuple[CertificateFacts, bytes]:
    """A root certificate in PEM or DER: its facts and its DER bytes."""
    if not data or len(data) > MAX_P12_BYTES:
        raise ValidationError(_("Tệp chứng thư gốc không hợp lệ."), code="bad_root")
    try:
        certificate = (
            x509.load_pem_x509_certificate(data)
            if data.lstrip().startswith(b"-----")
            else x509.load_der_x509_certificate(data)
        )
    except ValueError as exc:
        raise ValidationError(_("Tệp không phải là chứng thư số (PEM hoặc DER)."), code="bad_root") from exc
    if certificate.issuer != certificate.subject:
        raise ValidationError(_("Chứng thư này không phải chứng thư gốc (tự ký)."), code="not_root")
    return facts_of(certificate), certificate.public_bytes(serialization.Encoding.DER)


def check_png(data: bytes) -> bytes:
    """Accept a PNG image (a signature or a seal, transparent background) of sensible size."""
    from PIL import Image, UnidentifiedImageError

    if not data.startswith(PNG_MAGIC) or len(data) > MAX_IMAGE_BYTES:
        raise ValidationError(_("Ảnh phải là tệp PNG, không quá 512 KB."), code="bad_image")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG" or max(image.size) > MAX_IMAGE_SIDE:
                raise ValidationError(_("Ảnh phải là tệp PNG, mỗi chiều không quá 2000 điểm ảnh."), code="bad_image")
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("Không đọc được ảnh PNG."), code="bad_image") from exc
    return data
