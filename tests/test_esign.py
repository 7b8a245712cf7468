"""Electronic signatures (issue 14, item 7): certificates kept encrypted, PAdES signing with a
visible signature, the document locked, and the signature check page and API."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from pyhanko.pdf_utils import generic, writer
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from phoihop.demo.esign import CA_NAME, make_ca, make_p12
from phoihop.documents.pdf import pdf_available
from phoihop.esign import services, vault
from phoihop.esign.models import BodyCertificate, CertificateKind, TrustedRoot
from phoihop.esign.signing import SigningUnavailable, sign_pdf
from phoihop.esign.verify import verify_pdf
from phoihop.orgunits.models import OrgUnit

pytestmark = pytest.mark.django_db

SIGNER = "Nguyen Van Test"


def small_pdf(pages: int = 2) -> bytes:
    """A PDF with a signature block on its last page ("CHU TICH" above the signer's name)."""
    w = writer.PdfFileWriter()
    font = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Font"),
            generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
            generic.NameObject("/BaseFont"): generic.NameObject("/Times-Roman"),
        }
    )
    resources = generic.DictionaryObject(
        {generic.NameObject("/Font"): generic.DictionaryObject({generic.NameObject("/F1"): w.add_object(font)})}
    )
    for number in range(pages):
        text = b"BT /F1 13 Tf 90 760 Td (BAO CAO trang %d) Tj ET" % (number + 1)
        if number == pages - 1:
            text += (
                b" BT /F1 13 Tf 380 260 Td (CHU TICH) Tj ET BT /F1 13 Tf 360 150 Td (" + SIGNER.encode() + b") Tj ET"
            )
        stream = w.add_object(generic.StreamObject(stream_data=text))
        w.insert_page(writer.PageObject(contents=stream, media_box=[0, 0, 595, 842], resources=resources))
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


@pytest.fixture
def body(demo_user: Any) -> OrgUnit:
    """CCB-HANOI with a signer and a seal certificate from a CA of this test (trusted)."""
    admin = demo_user("admin")
    ca_key, ca_cert = make_ca(cn="CA của phép thử")
    from cryptography.hazmat.primitives import serialization

    services.trusted_root_add(data=ca_cert.public_bytes(serialization.Encoding.DER), acting_user=admin)
    unit = OrgUnit.objects.get(code="CCB-HANOI")
    for kind, cn in ((CertificateKind.SEAL, "Hội CCB thành phố Hà Nội"), (CertificateKind.SIGNER, SIGNER)):
        services.certificate_upload(
            unit=unit,
            kind=kind,
            p12_bytes=make_p12(ca_key, ca_cert, cn=cn, org="Hội CCB thành phố Hà Nội", passphrase="mat-khau-1"),
            passphrase="mat-khau-1",
            person_name=SIGNER if kind == CertificateKind.SIGNER else "",
            acting_user=admin,
        )
    return unit


def _pyhanko_statuses(data: bytes) -> list[Any]:
    roots = [
        __import__("asn1crypto.x509", fromlist=["Certificate"]).Certificate.load(bytes(r.der))
        for r in TrustedRoot.objects.all()
    ]
    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
    reader = PdfFileReader(io.BytesIO(data))
    return [validate_pdf_signature(sig, signer_validation_context=context) for sig in reader.embedded_signatures]


def _pdfsig(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "signed.pdf"
    path.write_bytes(data)
    done = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60, check=False)
    return done.stdout + done.stderr


def _flip_inside_first_revision(data: bytes) -> bytes:
    """One byte of the signed content changed: a letter of the page's text."""
    at = data.index(b"BAO CAO trang 1")
    return data[:at] + b"X" + data[at + 1 :]


# --- certificates ------------------------------------------------------------------------


def test_it_refuses_a_wrong_passphrase_in_vietnamese(demo_user: Any) -> None:
    ca_key, ca_cert = make_ca(cn="CA thử")
    p12 = make_p12(ca_key, ca_cert, cn="Người ký", org="Cơ quan", passphrase="dung")
    with pytest.raises(ValidationError) as caught:
        services.certificate_upload(
            unit=OrgUnit.objects.get(code="CCB-HANOI"),
            kind=CertificateKind.SEAL,
            p12_bytes=p12,
            passphrase="sai",
            acting_user=demo_user("admin"),
        )
    assert "Mật khẩu" in " ".join(caught.value.messages)
    assert not BodyCertificate.objects.filter(unit__code="CCB-HANOI").exists()


def test_it_refuses_a_file_that_is_not_pkcs12(demo_user: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.certificate_upload(
            unit=OrgUnit.objects.get(code="CCB-HANOI"),
            kind=CertificateKind.SEAL,
            p12_bytes=b"%PDF-1.7 not a key",
            passphrase="x",
            acting_user=demo_user("admin"),
        )
    assert "PKCS#12" in " ".join(caught.value.messages)


def test_it_refuses_an_expired_certificate(demo_user: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    ca_key, ca_cert = make_ca(cn="CA thử")
    p12 = make_p12(
        ca_key, ca_cert, cn="Cũ", org="Cơ quan", passphrase="p", valid_from=timezone.now() - timedelta(days=800)
    )
    with pytest.raises(ValidationError) as caught:
        services.certificate_upload(
            unit=OrgUnit.objects.get(code="CCB-HANOI"),
            kind=CertificateKind.SEAL,
            p12_bytes=p12,
            passphrase="p",
            acting_user=demo_user("admin"),
        )
    assert "hết hạn" in " ".join(caught.value.messages)


def test_it_stores_the_key_encrypted(body: OrgUnit) -> None:
    row = BodyCertificate.objects.filter(unit=body, kind=CertificateKind.SEAL).get()
    stored = bytes(row.p12_encrypted)
    assert not stored.startswith(b"\x30")  # not DER (the PKCS#12 file itself)
    plain = vault.decrypt(stored)
    assert plain.startswith(b"\x30") and plain not in stored
    assert vault.decrypt(bytes(row.passphrase_encrypted)) == b"mat-khau-1"
    assert b"mat-khau-1" not in bytes(row.passphrase_encrypted)


def test_a_non_admin_cannot_upload(demo_user: Any, client_as: Any) -> None:
    ca_key, ca_cert = make_ca(cn="CA thử")
    p12 = make_p12(ca_key, ca_cert, cn="Người ký", org="Cơ quan", passphrase="p")
    with pytest.raises(PermissionDenied):
        services.certificate_upload(
            unit=OrgUnit.objects.get(code="CCB-HANOI"),
            kind=CertificateKind.SEAL,
            p12_bytes=p12,
            passphrase="p",
            acting_user=demo_user("hanoi.ccb"),
        )
    client = client_as("hanoi.ccb")
    page = client.post(
        reverse("esign:certificate-upload"),
        {"unit": "CCB-HANOI", "kind": "seal", "passphrase": "p", "file": SimpleUploadedFile("a.p12", p12)},
    )
    assert page.status_code == 404
    assert client.get(reverse("esign:certificate-list")).status_code == 404
    assert not BodyCertificate.objects.filter(unit__code="CCB-HANOI").exists()


def test_the_admin_uploads_on_the_page_and_no_secret_is_shown(client_as: Any) -> None:
    ca_key, ca_cert = make_ca(cn="CA thử")
    p12 = make_p12(ca_key, ca_cert, cn="Hội CCB Hà Nội", org="Hội CCB Hà Nội", passphrase="bi-mat-123")
    client = client_as("admin")
    wrong = client.post(
        reverse("esign:certificate-upload"),
        {"unit": "CCB-HANOI", "kind": "seal", "passphrase": "sai", "file": SimpleUploadedFile("a.p12", p12)},
    )
    assert "Mật khẩu của tệp chứng thư số không đúng" in wrong.content.decode()
    done = client.post(
        reverse("esign:certificate-upload"),
        {
            "unit": "CCB-HANOI",
            "kind": "seal",
            "passphrase": "bi-mat-123",
            "file": SimpleUploadedFile("a.p12", p12),
        },
    )
    assert done.status_code == 302
    page = client.get(reverse("esign:certificate-list")).content.decode()
    assert "Hội CCB Hà Nội" in page
    assert "bi-mat-123" not in page


# --- signing and checking ----------------------------------------------------------------


def test_a_signed_pdf_validates_and_is_locked(body: OrgUnit, tmp_path: Path) -> None:
    signed = sign_pdf(small_pdf(), unit=body, reason="Ký ban hành", location="Hà Nội")
    statuses = _pyhanko_statuses(signed)
    assert len(statuses) == 2  # the signer's, then the body's seal
    assert all(s.intact and s.valid and s.trusted and s.docmdp_ok is not False for s in statuses)
    result = verify_pdf(signed)
    assert result.status == "valid"
    assert [s.signer_cn for s in result.signatures] == [SIGNER, "Hội CCB thành phố Hà Nội"]
    assert result.signatures[0].certified
    if shutil.which("pdfsig"):
        out = _pdfsig(signed, tmp_path)
        assert out.count("Signature is Valid") == 2, out


def test_the_signature_lies_over_the_signers_name_and_the_seal_over_its_left_third(body: OrgUnit) -> None:
    signed = sign_pdf(small_pdf(), unit=body)
    reader = PdfFileReader(io.BytesIO(signed))
    boxes = {}
    for sig in reader.embedded_signatures:
        field = sig.sig_field
        widget = field if "/Rect" in field else field["/Kids"][0].get_object()
        boxes[sig.field_name] = [float(v) for v in widget["/Rect"]]
    signer = next(v for k, v in boxes.items() if k.startswith("ChuKyNguoiKy"))
    seal = next(v for k, v in boxes.items() if k.startswith("ChuKyCoQuan"))
    # Between the title (y 260) and the name (y 150, 13 pt), centred near the name (x 360..)
    assert 150 < signer[1] < 175 and signer[3] <= 262
    assert signer[0] < 400 < signer[2]
    # The seal (DOMAIN.md): its actual size, over the left third of the signer's image, on its left.
    third = signer[0] + (signer[2] - signer[0]) / 3
    assert abs(seal[2] - third) <= 1 and seal[0] < signer[0]
    assert 95 <= seal[2] - seal[0] <= 110 and 95 <= seal[3] - seal[1] <= 110
    assert seal[1] < (signer[1] + signer[3]) / 2 < seal[3]
    pages = {
        sig.field_name: sig.sig_field.get("/P") or sig.sig_field["/Kids"][0].get("/P")
        for sig in reader.embedded_signatures
    }
    assert len({str(p) for p in pages.values()}) == 1  # on the signer's page


def test_one_changed_byte_makes_it_modified(body: OrgUnit, tmp_path: Path, client_as: Any) -> None:
    signed = sign_pdf(small_pdf(), unit=body)
    tampered = _flip_inside_first_revision(signed)
    assert any(not s.intact for s in _pyhanko_statuses(tampered))
    assert verify_pdf(tampered).status == "modified"
    if shutil.which("pdfsig"):
        assert "Signature is Valid" not in _pdfsig(tampered, tmp_path).split("Signature #1")[1].split("Signature #2")[0]
    client = client_as("hanoi.ccb")
    page = client.post(reverse("esign:verify"), {"file": SimpleUploadedFile("x.pdf", tampered)}).content.decode()
    assert "đã bị sửa đổi" in page
    page = client.post(reverse("esign:verify"), {"file": SimpleUploadedFile("x.pdf", signed)}).content.decode()
    assert "hợp lệ" in page and "đã bị sửa đổi" not in page


def test_a_change_appended_after_signing_breaks_the_lock(body: OrgUnit) -> None:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    signed = sign_pdf(small_pdf(), unit=body)
    w = IncrementalPdfFileWriter(io.BytesIO(signed))
    page_ref, _res = w.find_page_for_modification(0)
    extra = w.add_object(generic.StreamObject(stream_data=b"BT /F1 20 Tf 100 400 Td (SUA) Tj ET"))
    page = page_ref.get_object()
    page["/Contents"] = generic.ArrayObject([page["/Contents"], extra])
    w.update_container(page)
    out = io.BytesIO()
    w.write(out)
    assert verify_pdf(out.getvalue()).status == "modified"


def test_the_api_checks_an_upload(body: OrgUnit, api_client_as: Any) -> None:
    signed = sign_pdf(small_pdf(), unit=body)
    client = api_client_as("hanoi.ccb")
    url = reverse("api:signature-verify")
    answer = client.post(url, {"file": SimpleUploadedFile("a.pdf", signed)}, format="multipart")
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "valid"
    assert answer.json()["signatures"][0]["signer_cn"] == SIGNER
    answer = client.post(
        url, {"file": SimpleUploadedFile("a.pdf", _flip_inside_first_revision(signed))}, format="multipart"
    )
    assert answer.json()["status"] == "modified"
    assert answer.json()["status_label"] == "đã bị sửa đổi"
    refused = client.post(url, {"file": SimpleUploadedFile("a.pdf", b"<html>no</html>")}, format="multipart")
    assert refused.status_code == 400


def test_the_check_page_refuses_a_non_pdf(client_as: Any) -> None:
    client = client_as("hanoi.ccb")
    page = client.post(reverse("esign:verify"), {"file": SimpleUploadedFile("a.pdf", b"PK\x03\x04 zip")})
    assert "không phải là tệp PDF" in page.content.decode()
    assert 'data-testid="verify-result"' not in page.content.decode()
    assert client.get(reverse("esign:verify")).status_code == 200


def test_an_unsigned_pdf_says_so() -> None:
    assert verify_pdf(small_pdf()).status == "unsigned"


def test_a_body_without_certificate_cannot_sign() -> None:
    with pytest.raises(SigningUnavailable) as caught:
        sign_pdf(small_pdf(), unit=OrgUnit.objects.get(code="CCB-CAMAU"))
    assert "chưa có chứng thư số" in str(caught.value)


def test_the_demo_has_its_ca_and_the_bodies_certificates() -> None:
    assert TrustedRoot.objects.filter(subject=CA_NAME).exists()
    for code in ("TCCT", "CCB-TW"):
        kinds = set(BodyCertificate.objects.filter(unit__code=code, is_active=True).values_list("kind", flat=True))
        assert kinds == {"signer", "seal"}


# --- build_report --sign -----------------------------------------------------------------


def test_build_report_sign_needs_pdf(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as caught:
        call_command(
            "build_report", "--programme", "QDND-CCB", "--phase", "2017-2022", "--format", "docx", "--sign",
            "--output", str(tmp_path / "r.docx"), stdout=io.StringIO(),
        )  # fmt: skip
    assert "PDF" in str(caught.value)


@pytest.mark.skipif(not pdf_available(), reason="LibreOffice is not installed")
def test_build_report_signs_the_national_report(tmp_path: Path) -> None:
    output = tmp_path / "bao-cao.pdf"
    call_command(
        "build_report", "--programme", "QDND-CCB", "--phase", "2017-2022", "--format", "pdf", "--sign",
        "--output", str(output), stdout=io.StringIO(),
    )  # fmt: skip
    data = output.read_bytes()
    result = verify_pdf(data)
    assert result.status == "valid", result
    assert len(result.signatures) == 4  # both bodies' signers, then both seals
    assert all(s.trusted for s in result.signatures)
    if shutil.which("pdfsig"):
        assert _pdfsig(data, tmp_path).count("Signature is Valid") == 4
    at = data.index(b"stream", 200) + 20
    assert verify_pdf(data[:at] + bytes([data[at] ^ 1]) + data[at + 1 :]).status == "modified"
