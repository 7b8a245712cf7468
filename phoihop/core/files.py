"""Uploaded files: the type is read from the content, never trusted from the name or browser,
and the file is checked before anything keeps it.

- PDF: starts with ``%PDF-``, ends with ``%%EOF`` (trailing blanks allowed) and has no HTML in
  its first kilobyte (an HTML page named ``.pdf`` is refused).
- Word (.docx) and Excel (.xlsx) are zips: the limits (``UPLOAD_ZIP_*`` settings: total
  uncompressed size, compression ratio per large member, number of members) are read from the
  zip's directory without unpacking anything, so a zip bomb is refused at once; macros are
  refused; ``[Content_Types].xml`` and the main part are parsed with defusedxml, and every XML
  part's prolog is read, so a DTD (billion laughs, external entities) is refused.

``check_upload`` is the one door: every service that keeps an upload calls it first.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import IO, Any
from xml.parsers import expat

import defusedxml.ElementTree as safe_xml
from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden
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
XLSX = FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "Excel (.xlsx)")

ALLOWED_LABEL = "JPEG, PNG, WebP, PDF, Word (.docx, .doc), Excel (.xlsx)"

# The main part of each zip-based kind (OOXML), parsed in full besides [Content_Types].xml.
OOXML_MAIN_PART = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml"}


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
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        finally:
            stream.seek(0)
        if "[Content_Types].xml" in names:
            for kind, main in OOXML_MAIN_PART.items():
                if main in names:
                    return kind
    return None


def _refused(message: str) -> ValidationError:
    return ValidationError(message, code="unsafe_file")


_HTML = re.compile(rb"<\s*(!doctype|html|head|body|script|iframe|svg|meta)\b", re.IGNORECASE)


def _check_pdf(stream: IO[bytes], size: int) -> None:
    stream.seek(0)
    head = stream.read(1024)
    stream.seek(max(size - 2048, 0))
    tail = stream.read(2048)
    stream.seek(0)
    if _HTML.search(head):
        raise _refused(_("Tệp không phải PDF thật: phần đầu tệp là trang HTML."))
    if b"%%EOF" not in tail.rstrip(b"\x00\r\n\t\f ")[-1024:]:
        raise _refused(_("Tệp không phải PDF hợp lệ: thiếu dấu kết thúc tệp PDF; tệp có thể bị cắt dở hoặc giả mạo."))


PROLOG_BYTES = 64 * 1024  # a DTD stands before the root element, so in the first bytes of a part


_ROOT_START = re.compile(rb"<[A-Za-z_]")


def prolog_has_dtd(data: bytes) -> bool:
    """Whether the first PROLOG_BYTES of a part (of an Office file's zip) declare a DTD or
    entities, or, for XML, hold no root element (a prolog padded to hide a DTD further on)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:2] in (b"<\x00", b"\x00<"):
        data = data.decode("utf-16", errors="ignore").encode("utf-8")
    upper = data.upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        return True
    looks_xml = data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
    return looks_xml and len(data) >= PROLOG_BYTES and not _ROOT_START.search(data)


def _forbid_dtd(*args: Any) -> None:
    raise DTDForbidden(None, None, None)


def _forbid_entity(*args: Any) -> int:
    raise EntitiesForbidden(*([None] * 6))


def _parse_without_dtd(part: IO[bytes]) -> None:
    """Parse a (possibly large) XML part as defusedxml would, with no DTD, entity or external
    reference, streamed and without building a tree, so at expat's own speed."""
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _forbid_dtd
    parser.EntityDeclHandler = _forbid_entity
    parser.UnparsedEntityDeclHandler = _forbid_entity
    parser.ExternalEntityRefHandler = _forbid_entity
    while chunk := part.read(1 << 20):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)


def check_archive(
    archive: zipfile.ZipFile, label: str, *, max_total: int | None = None, max_members: int | None = None
) -> list[zipfile.ZipInfo]:
    """Refuse a zip bomb from the zip's directory, unpacking nothing: too many members, too much
    once unpacked, a member packed beyond the allowed ratio. Returns the members. The limits are
    the uploads' (settings) unless a caller with bigger files (imports) gives its own."""
    max_total = max_total or settings.UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES
    max_ratio = settings.UPLOAD_ZIP_MAX_RATIO
    ratio_from = settings.UPLOAD_ZIP_RATIO_MIN_BYTES
    max_members = max_members or settings.UPLOAD_ZIP_MAX_MEMBERS
    members = archive.infolist()
    if len(members) > max_members:
        raise _refused(
            _("Tệp %(kind)s có quá nhiều thành phần (%(count)s; giới hạn %(limit)s).")
            % {"kind": label, "count": len(members), "limit": max_members}
        )
    total = sum(info.file_size for info in members)
    if total > max_total:
        raise _refused(
            _(
                "Tệp %(kind)s khi giải nén lớn tới %(size)s, vượt giới hạn %(limit)s: tệp bị từ chối "
                "(có thể là tệp nén độc hại)."
            )
            % {"kind": label, "size": filesizeformat(total), "limit": filesizeformat(max_total)}
        )
    for info in members:
        if info.file_size > ratio_from and info.file_size > max_ratio * max(info.compress_size, 1):
            raise _refused(
                _(
                    "Tệp %(kind)s có thành phần «%(name)s» nén bất thường (tỉ lệ trên %(ratio)s:1): tệp bị từ "
                    "chối (có thể là tệp nén độc hại)."
                )
                % {"kind": label, "name": info.filename[:80], "ratio": max_ratio}
            )
    return members


def _check_ooxml(stream: IO[bytes], kind: FileKind) -> None:
    """Refuse a zip bomb (``check_archive``) and XML with a DTD."""
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            for info in check_archive(archive, kind.label):
                lowered = info.filename.lower()
                if lowered.endswith("vbaproject.bin"):
                    raise _refused(_("Tệp %(kind)s có chứa macro: không nhận tệp có macro.") % {"kind": kind.label})
                if lowered.endswith((".xml", ".rels")):
                    with archive.open(info) as part:
                        if prolog_has_dtd(part.read(PROLOG_BYTES)):
                            raise _refused(
                                _(
                                    "Tệp %(kind)s có khai báo DTD/thực thể XML ở phần «%(name)s»: tệp bị từ chối "
                                    "(có thể là tệp XML độc hại)."
                                )
                                % {"kind": kind.label, "name": info.filename[:80]}
                            )
            safe_xml.fromstring(archive.read("[Content_Types].xml"), forbid_dtd=True)
            with archive.open(OOXML_MAIN_PART[kind]) as part:
                _parse_without_dtd(part)
    except ValidationError:
        raise
    except (DefusedXmlException, safe_xml.ParseError, expat.ExpatError) as exc:
        raise _refused(
            _("Tệp %(kind)s có nội dung XML không hợp lệ hoặc không an toàn: tệp bị từ chối.") % {"kind": kind.label}
        ) from exc
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, ValueError, OSError) as exc:
        raise _refused(_("Tệp %(kind)s bị hỏng hoặc được mã hóa: không đọc được.") % {"kind": kind.label}) from exc
    finally:
        stream.seek(0)


def check_upload(stream: IO[bytes], size: int) -> FileKind:
    """The file's kind, or a ValidationError in Vietnamese saying what is wrong."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if size > limit:
        raise ValidationError(
            _("Tệp quá lớn (%(size)s); giới hạn là %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if size == 0:
        raise ValidationError(_("Tệp rỗng."), code="empty")
    kind = sniff(stream)
    if kind is None:
        raise ValidationError(
            _("Nội dung tệp không thuộc loại được phép (%(allowed)s).") % {"allowed": ALLOWED_LABEL},
            code="unknown_type",
        )
    if kind == PDF:
        _check_pdf(stream, size)
    elif kind in OOXML_MAIN_PART:
        _check_ooxml(stream, kind)
    return kind


def check_bytes(content: bytes) -> FileKind:
    """``check_upload`` for a file already read into memory."""
    return check_upload(io.BytesIO(content), len(content))


def delete_on_commit(storage: Any, name: str | None) -> None:
    """Remove a stored file once the current transaction commits (a rollback keeps the row and
    its file); nothing when there is no file."""
    if name:
        # robust: the write has committed; a store out of reach leaves a stray file (logged), never
        # an error telling the user their saved work failed.
        transaction.on_commit(lambda: storage.delete(name), robust=True)
