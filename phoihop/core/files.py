"""Uploaded files: the type is read from the content, never trusted from the name or browser."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str
    label: str


JPEG = FileKind("image/jpeg", "jpg", "ảnh JPEG")
PNG = FileKind("image/png", "png", "ảnh PNG")
WEBP = FileKind("image/webp", "webp", "ảnh WebP")
PDF = FileKind("application/pdf", "pdf", "PDF")
DOCX = FileKind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "Word (.docx)")
DOC = FileKind("application/msword", "doc", "Word 97–2003 (.doc)")

ALLOWED_LABEL = "JPEG, PNG, WebP, PDF, Word (.docx, .doc)"


def sniff(stream: IO[bytes]) -> FileKind | None:
    """The kind of file ``stream`` holds, from its first bytes (and, for .docx, its zip entries)."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return DOC
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(stream) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            stream.seek(0)
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return DOCX
    return None


def check_upload(stream: IO[bytes], size: int) -> FileKind:
    """The file's kind, or a ValidationError in Vietnamese saying what is wrong."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if size > limit:
        raise ValidationError(
            _("Tệp quá lớn (%(size)s); giới hạn là %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    if size == 0:
        raise ValidationError(_("Tệp rỗng."))
    kind = sniff(stream)
    if kind is None:
        raise ValidationError(_("Nội dung tệp không thuộc loại được phép (%(allowed)s).") % {"allowed": ALLOWED_LABEL})
    return kind


def delete_on_commit(storage: Any, name: str | None) -> None:
    """Remove a stored file once the current transaction commits (a rollback keeps the row and
    its file); nothing when there is no file."""
    if name:
        transaction.on_commit(lambda: storage.delete(name))
