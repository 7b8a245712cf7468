"""The text of an article from a file: plain text (UTF-8, with or without BOM) or Word (.docx).
A Word file passes the uploads' checks first (``core.files.check_upload``: size, zip bombs, DTDs,
macros), then python-docx reads its paragraphs."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from phoihop.core.files import DOCX, check_upload


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

        with path.open("rb") as stream:
            try:
                kind = check_upload(stream, path.stat().st_size)
            except ValidationError as e:
                raise UnreadableArticle(" ".join([_("Không đọc được tệp Word này."), *e.messages])) from e
            if kind != DOCX:
                raise UnreadableArticle(_("Không đọc được tệp Word này."))
            document = docx.Document(stream)
        text = "\n\n".join(p.text for p in document.paragraphs if p.text.strip())
    else:
        raise UnreadableArticle(_("Chỉ đọc được tệp .txt hoặc .docx."))
    return unicodedata.normalize("NFC", text)
