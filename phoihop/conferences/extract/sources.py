"""The text of an article from a file: plain text (UTF-8, with or without BOM) or Word (.docx).
A Word file passes the uploads' checks first (``core.files.check_upload``: size, zip bombs, DTDs,
macros), then python-docx reads its paragraphs."""

from __future__ import annotations

import re
import tempfile
import unicodedata
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.core.files import DOCX, PDF, FileKind, check_upload

# The files an article is read from, and what is said of any other.
ARTICLE_SUFFIXES = (".txt", ".docx", ".pdf")
UNSUPPORTED = gettext_lazy("Chỉ đọc được tệp .txt, .docx hoặc .pdf có lớp chữ.")


class UnreadableArticle(ValueError):
    pass


def article_text(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".txt", ".text", ""):
        limit = settings.ATTACHMENT_MAX_BYTES  # as for every uploaded file
        if path.stat().st_size > limit:
            raise UnreadableArticle(
                _("Tệp quá lớn (%(size)s); giới hạn là %(limit)s.")
                % {"size": filesizeformat(path.stat().st_size), "limit": filesizeformat(limit)}
            )
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise UnreadableArticle(_("Tệp văn bản phải được lưu ở mã UTF-8.")) from e
    elif suffix == ".docx":
        import docx

        _check(path, DOCX, _("Không đọc được tệp Word này."))
        with path.open("rb") as stream:
            document = docx.Document(stream)
        text = "\n\n".join(p.text for p in document.paragraphs if p.text.strip())
    elif suffix == ".pdf":
        text = _pdf_text(path)
    else:
        raise UnreadableArticle(str(UNSUPPORTED))
    return unicodedata.normalize("NFC", text)


def article_text_of(name: str, chunks: Iterable[bytes]) -> str:
    """The text of an article given as the bytes of a file called ``name`` (an upload's chunks, a
    ZIP's member): written to a temporary file, then read as ``article_text`` reads it."""
    with tempfile.TemporaryDirectory(prefix="phoihop-article-") as folder:
        path = Path(folder) / f"article{PurePosixPath(name).suffix.lower()}"
        with path.open("wb") as out:
            for chunk in chunks:
                out.write(chunk)
        return article_text(path)


def _check(path: Path, expected: FileKind, unreadable: str) -> None:
    """The uploads' checks (``core.files.check_upload``: size, zip bombs, DTDs, macros, a PDF's
    shape) before a parser opens the file; ``unreadable`` says what could not be read."""
    with path.open("rb") as stream:
        try:
            kind = check_upload(stream, path.stat().st_size)
        except ValidationError as e:
            raise UnreadableArticle(" ".join([unreadable, *e.messages])) from e
    if kind != expected:
        raise UnreadableArticle(unreadable)


PDF_MAX_PAGES = 30


def _pdf_text(path: Path) -> str:
    """The text layer of a PDF (pdfminer, a parser of untrusted PDFs; the uploads' checks first,
    at most ``PDF_MAX_PAGES`` pages): paragraphs kept, lines of a paragraph joined. A scan has no
    text layer: it is refused with a way out."""
    from pdfminer.high_level import extract_text
    from pdfminer.pdfparser import PDFSyntaxError

    _check(path, PDF, _("Không đọc được tệp PDF này."))
    try:
        raw = extract_text(str(path), maxpages=PDF_MAX_PAGES)
    except (PDFSyntaxError, ValueError, KeyError, TypeError, OSError) as e:
        raise UnreadableArticle(_("Không đọc được tệp PDF này.")) from e
    paragraphs = [" ".join(block.split()) for block in re.split(r"\n\s*\n", raw.replace("\x0c", "\n\n"))]
    text = "\n\n".join(p for p in paragraphs if p)
    if not text.strip():
        raise UnreadableArticle(
            _("Tệp PDF không có lớp chữ (có thể là bản quét): hãy dùng bản Word hoặc dán nội dung bài viết.")
        )
    return text
