"""The text of an article from a file: plain text (UTF-8, with or without BOM) or Word (.docx,
read by python-docx, which parses the package's XML without running anything in it)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from django.utils.translation import gettext as _


class UnreadableArticle(ValueError):
    pass


def article_text(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".txt", ".text", ""):
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise UnreadableArticle(_("Tệp văn bản phải được lưu ở mã UTF-8.")) from e
    elif suffix == ".docx":
        import docx

        try:
            document = docx.Document(str(path))
        except Exception as e:  # a broken or foreign package
            raise UnreadableArticle(_("Không đọc được tệp Word này.")) from e
        text = "\n\n".join(p.text for p in document.paragraphs if p.text.strip())
    else:
        raise UnreadableArticle(_("Chỉ đọc được tệp .txt hoặc .docx."))
    return unicodedata.normalize("NFC", text)
