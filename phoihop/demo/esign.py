"""Demo certificates: a test CA made at load time, and for the two bodies of the seed's programme
(TCCT and the Veterans' Association's Central Committee) a seal certificate and their signers'
certificates, uploaded through the service by the demo's system administrator.

Nothing with a private key is checked in: the keys (EC P-256, fast) are made afresh each time the
demo is loaded. The CA is trusted by the signature check (``TrustedRoot``). Idempotent: skipped
when the CA is already there.
"""

from __future__ import annotations

import io
import math
from datetime import timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.utils import timezone

CA_NAME = "phoihop CA thử nghiệm (chỉ dùng cho bản minh họa)"
DEMO_P12_PASSPHRASE = "phoihop-demo"
# (unit code, body's name on the certificate, signer's name and title when the body has no profile)
BODIES = (
    ("TCCT", "Tổng cục Chính trị", "Nguyễn Văn Gấu", "Phó Chủ nhiệm"),
    ("CCB-TW", "Trung ương Hội Cựu chiến binh Việt Nam", "Khuất Việt Dũng", "Phó Chủ tịch"),
)


def _name(cn: str, org: str = "") -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if org:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(parts)


def make_ca(*, cn: str = CA_NAME, days: int = 3650) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = timezone.now()
    name = _name(cn, "phoihop")
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=30))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def make_p12(
    ca_key: Any,
    ca_cert: x509.Certificate,
    *,
    cn: str,
    org: str,
    passphrase: str = DEMO_P12_PASSPHRASE,
    days: int = 730,
    valid_from: Any = None,
) -> bytes:
    """A signing certificate issued by the CA, with its key, as PKCS#12 (with the CA certificate)."""
    key = ec.generate_private_key(ec.SECP256R1())
    start = valid_from or timezone.now() - timedelta(days=30)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(cn, org))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    encryption = (
        serialization.BestAvailableEncryption(passphrase.encode("utf-8"))
        if passphrase
        else serialization.NoEncryption()
    )
    return pkcs12.serialize_key_and_certificates(cn.encode("utf-8"), key, cert, [ca_cert], encryption)


def signature_png(width: int = 360, height: int = 140) -> bytes:
    """A blue handwritten-like stroke on a transparent background."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    points = [
        (20 + i * 3.2, height / 2 + math.sin(i / 6) * 35 * math.cos(i / 23) - i * 0.15)
        for i in range(int((width - 40) / 3.2))
    ]
    draw.line(points, fill=(20, 40, 160, 255), width=5, joint="curve")
    draw.line([(60, height - 30), (width - 50, height - 40)], fill=(20, 40, 160, 255), width=3)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def seal_png(size: int = 240) -> bytes:
    """A red round seal (two rings and a star) on a transparent background."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    red = (200, 20, 30, 230)
    draw.ellipse((4, 4, size - 4, size - 4), outline=red, width=8)
    draw.ellipse((40, 40, size - 40, size - 40), outline=red, width=4)
    c, r = size / 2, size / 6
    star = [
        (c + r * math.cos(math.pi / 2 + k * 4 * math.pi / 5), c - r * math.sin(math.pi / 2 + k * 4 * math.pi / 5))
        for k in range(5)
    ]
    draw.polygon(star, fill=red)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def load_esign_demo(stdout: Any = None) -> dict[str, int]:
    from phoihop.accounts.models import User
    from phoihop.esign import services
    from phoihop.esign.models import CertificateKind, TrustedRoot
    from phoihop.orgunits.models import OrgUnit
    from phoihop.reporting.models import BodyProfile

    if TrustedRoot.objects.unrestricted("demo loader: is the demo CA there").filter(subject=CA_NAME).exists():
        return {}
    admin = User.objects.get(username="admin")
    ca_key, ca_cert = make_ca()
    services.trusted_root_add(
        data=ca_cert.public_bytes(serialization.Encoding.PEM),
        acting_user=admin,
        note="Chứng thư gốc thử nghiệm của bản minh họa: không dùng cho văn bản thật.",
    )
    created = 0
    for code, body_name, default_name, default_title in BODIES:
        unit = OrgUnit.objects.unrestricted("demo loader: the seed's bodies").filter(code=code).first()
        if unit is None:
            continue
        profile = BodyProfile.objects.unrestricted("demo loader: the body's signer").filter(unit=unit).first()
        name = (profile.signer_name if profile else "") or default_name
        title = (profile.signer_title.capitalize() if profile and profile.signer_title else "") or default_title
        services.certificate_upload(
            unit=unit,
            kind=CertificateKind.SEAL,
            p12_bytes=make_p12(ca_key, ca_cert, cn=body_name, org=body_name),
            passphrase=DEMO_P12_PASSPHRASE,
            acting_user=admin,
            image=seal_png(),
        )
        services.certificate_upload(
            unit=unit,
            kind=CertificateKind.SIGNER,
            p12_bytes=make_p12(ca_key, ca_cert, cn=name, org=body_name),
            passphrase=DEMO_P12_PASSPHRASE,
            acting_user=admin,
            person_name=name,
            person_title=title,
            image=signature_png(),
        )
        created += 2
    if stdout is not None:
        stdout.write(f"Chữ ký số minh họa: {created} chứng thư của {created // 2} cơ quan.")
    return {"certificates": created, "trusted_roots": 1}
