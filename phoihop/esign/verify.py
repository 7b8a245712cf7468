"""Checking the signatures of an uploaded PDF: valid, invalid or modified, who signed, when, with
which certificate, and whether its chain ends at one of the project's trusted roots.

The file is never trusted: it is parsed by pyHanko with its decoding limits, any failure to
read it is "unreadable", and no network is used (no fetching of certificates or revocation
information: chains are built from the signature's own certificates and the trusted roots).
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from asn1crypto import x509 as asn1_x509
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from phoihop.esign.models import TrustedRoot

logger = logging.getLogger("phoihop.esign")

VALID, INVALID, MODIFIED, UNSIGNED, UNREADABLE = "valid", "invalid", "modified", "unsigned", "unreadable"


@dataclass
class SignatureReport:
    field: str
    status: str  # valid, invalid, modified
    signer_cn: str = ""
    signer_o: str = ""
    signing_time: datetime | None = None
    serial: str = ""
    issuer: str = ""
    trusted: bool = False
    certified: bool = False
    covers_whole_file: bool = False
    problem: str = ""

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass
class VerifyResult:
    status: str
    signatures: list[SignatureReport] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def message(self) -> str:
        if self.status == VALID:
            if all(s.trusted for s in self.signatures):
                return _("Chữ ký số hợp lệ; văn bản không bị thay đổi sau khi ký; chứng thư thuộc nguồn tin cậy.")
            return _(
                "Chữ ký số hợp lệ và văn bản không bị thay đổi sau khi ký, nhưng chứng thư ký không thuộc "
                "chứng thư gốc tin cậy của hệ thống."
            )
        if self.status == MODIFIED:
            return _("Văn bản đã bị sửa đổi sau khi ký: chữ ký không còn giá trị với nội dung hiện tại.")
        if self.status == INVALID:
            return _("Chữ ký số không hợp lệ.")
        if self.status == UNSIGNED:
            return _("Tệp PDF không có chữ ký số.")
        return _("Không đọc được tệp PDF.")


STATUS_LABELS = {
    VALID: gettext_lazy("hợp lệ"),
    INVALID: gettext_lazy("không hợp lệ"),
    MODIFIED: gettext_lazy("đã bị sửa đổi"),
    UNSIGNED: gettext_lazy("chưa ký"),
    UNREADABLE: gettext_lazy("không đọc được"),
}


def trust_roots() -> list[asn1_x509.Certificate]:
    """The roots the check trusts: those an administrator added (the demo adds its test CA)."""
    rows = TrustedRoot.objects.unrestricted("public root certificates: the trust list of every signature check")
    return [asn1_x509.Certificate.load(bytes(row.der)) for row in rows.filter(is_active=True)]


def _name_part(name: Any, key: str) -> str:
    try:
        return str(name.native.get(key, "") or "")
    except Exception:
        return ""


def _report(embedded: Any, context: ValidationContext) -> SignatureReport:
    report = SignatureReport(field=str(embedded.field_name or ""), status=INVALID)
    try:
        cert = embedded.signer_cert
        report.signer_cn = _name_part(cert.subject, "common_name")
        report.signer_o = _name_part(cert.subject, "organization_name")
        report.issuer = _name_part(cert.issuer, "common_name") or _name_part(cert.issuer, "organization_name")
        report.serial = format(cert.serial_number, "X")
        report.signing_time = embedded.self_reported_timestamp
        report.certified = embedded.docmdp_level is not None
    except Exception:  # a signature without a readable certificate
        report.problem = _("Không đọc được chứng thư trong chữ ký.")
        return report
    try:
        status = validate_pdf_signature(embedded, signer_validation_context=context)
    except (SignatureValidationError, ValueError, KeyError, TypeError) as exc:
        logger.info("signature check failed: %s", exc)
        report.problem = _("Không kiểm tra được chữ ký.")
        return report
    report.trusted = bool(status.trusted)
    report.covers_whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    if not status.intact:
        report.status = MODIFIED
        report.problem = _("Nội dung đã ký bị thay đổi (mã băm không khớp).")
    elif not status.valid:
        report.status = INVALID
        report.problem = _("Chữ ký không khớp với chứng thư.")
    elif status.coverage is None or status.coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        report.status = INVALID
        report.problem = _("Chữ ký không bao trùm toàn bộ văn bản.")
    elif status.docmdp_ok is False:
        report.status = MODIFIED
        report.problem = _("Văn bản bị thêm, sửa sau khi ký, vượt quá điều chữ ký cho phép.")
    else:
        report.status = VALID
    return report


def verify_pdf(data: bytes) -> VerifyResult:
    """Check every signature of the PDF (``data`` comes from anyone: never trusted)."""
    if not data.lstrip()[:5] == b"%PDF-":
        return VerifyResult(UNREADABLE)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as exc:  # whatever a hostile file raises in the parser
        logger.info("unreadable PDF: %s", exc)
        return VerifyResult(UNREADABLE)
    if not embedded:
        return VerifyResult(UNSIGNED)
    context = ValidationContext(trust_roots=trust_roots(), allow_fetching=False, revocation_mode="soft-fail")
    reports = []
    for sig in embedded:
        try:
            reports.append(_report(sig, context))
        except Exception as exc:  # a malformed signature dictionary
            logger.info("unreadable signature: %s", exc)
            reports.append(SignatureReport(field="", status=INVALID, problem=_("Không đọc được chữ ký.")))
    statuses = {r.status for r in reports}
    overall = MODIFIED if MODIFIED in statuses else INVALID if INVALID in statuses else VALID
    return VerifyResult(overall, reports)
