"""Encryption at rest of the key material (PKCS#12 files and their passphrases).

Fernet (AES-128-CBC with HMAC-SHA256) under a key derived with HKDF-SHA256 from the setting
``PHOIHOP_CERT_KEY`` (environment variable of the same name), or, when it is empty, from
``SECRET_KEY``. Set ``PHOIHOP_CERT_KEY`` in production: then rotating ``SECRET_KEY`` (sessions,
tokens) does not make the stored certificates unreadable.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

# Fixed, so that the same setting always gives the same key; "v1" leaves room for a change.
HKDF_INFO = b"phoihop.esign.certificate-store.v1"


class UnreadableSecret(Exception):
    """The stored bytes cannot be decrypted with the current key (the key setting changed)."""


def _fernet() -> Fernet:
    material = (getattr(settings, "PHOIHOP_CERT_KEY", "") or settings.SECRET_KEY).encode("utf-8")
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO).derive(material)
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def decrypt(token: bytes) -> bytes:
    try:
        return _fernet().decrypt(bytes(token))
    except InvalidToken as exc:
        raise UnreadableSecret from exc
