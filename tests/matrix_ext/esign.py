"""Scoping-matrix specs for electronic signatures (see tests/matrix_ext/__init__.py).

The bodies' certificates are system configuration: only the system administrator reads the
page or writes (others get 404). The signature check is open to every signed-in user and keeps
nothing.
"""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives import serialization
from django.core.files.uploadedfile import SimpleUploadedFile

from phoihop.demo.esign import make_ca, make_p12
from phoihop.esign import services
from phoihop.esign.models import BodyCertificate, CertificateKind, TrustedRoot

ADMINS_ONLY = {"hanoi.ccb": 404, "tuhoi": 404, "admin": 200, "hanoi.admin": 404}
ADMIN_WRITES: dict[str, Any] = {
    "writers": {"admin": 302},
    "denied": {"hanoi.ccb": 404, "tuhoi": 404, "hanoi.admin": 404},
    "refused": {"approver": 404, "unit_admin": 404},
}


def extend(w: Any, m: Any) -> None:
    ca_key, ca_cert = make_ca(cn="CA của ma trận")
    w.extra["esign.ca"] = {m.HN: (ca_key, ca_cert), m.CM: (ca_key, ca_cert)}
    certificates = {}
    for side in (m.HN, m.CM):
        certificates[side] = services.certificate_upload(
            unit=w.province[side],
            kind=CertificateKind.SEAL,
            p12_bytes=make_p12(ca_key, ca_cert, cn=f"Con dấu {side}", org="Ma trận", passphrase="p"),
            passphrase="p",
            acting_user=w.users["admin"],
        )
    w.extra["esign.certificate"] = certificates


def _upload(w: Any, side: str) -> dict[str, Any]:
    ca_key, ca_cert = w.extra["esign.ca"][side]
    p12 = make_p12(ca_key, ca_cert, cn=f"Người ký {side}", org="Ma trận", passphrase="p")
    return {
        "unit": w.province[side].code,
        "kind": "signer",
        "person_name": "Người Ký Thử",
        "passphrase": "p",
        "file": SimpleUploadedFile("a.p12", p12),
    }


def _root(w: Any, side: str) -> dict[str, Any]:
    _key, cert = make_ca(cn=f"Gốc mới {side}")
    return {"file": SimpleUploadedFile("goc.pem", cert.public_bytes(serialization.Encoding.PEM)), "note": "thử"}


def routes(m: Any) -> dict[str, Any]:
    Route = m.Route
    return {
        "esign:verify": Route(m.OPEN, shows=lambda w, s: "Kiểm tra chữ ký số"),
        "esign:certificate-list": Route(m.OPEN, readers=ADMINS_ONLY),
        "esign:certificate-upload": Route(
            m.CREATE,
            get=False,
            method="post",
            payload=_upload,
            state=lambda w, s: BodyCertificate.objects.count(),
            **ADMIN_WRITES,
        ),
        "esign:certificate-toggle": Route(
            m.CREATE,
            kwargs=lambda w, s: {"pk": w.extra["esign.certificate"][s].pk},
            get=False,
            method="post",
            payload=lambda w, s: {},
            state=lambda w, s: BodyCertificate.objects.get(pk=w.extra["esign.certificate"][s].pk).is_active,
            **ADMIN_WRITES,
        ),
        "esign:root-add": Route(
            m.CREATE,
            get=False,
            method="post",
            payload=_root,
            state=lambda w, s: TrustedRoot.objects.count(),
            **ADMIN_WRITES,
        ),
        # The check keeps nothing and reads no record: every signed-in user may post. The
        # matrix posts JSON, which has no file: 400 for everyone (uploads: tests/test_esign.py).
        "api:signature-verify": Route(
            m.CREATE,
            get=False,
            method="post",
            payload=lambda w, s: {"file": ""},
            state=lambda w, s: TrustedRoot.objects.count(),
            writers={},
            denied={"hanoi.ccb": 400, "tuhoi": 400, "admin": 400, "hanoi.admin": 400},
            refused={"approver": 400, "unit_admin": 400},
        ),
    }


def probes(m: Any) -> list[Any]:
    return []
