"""Many news reports at once (issue 16): a ZIP or several files become one draft each, read in
the background with a progress bar, then reviewed and confirmed one by one on the article page.

The request only unpacks the texts (``articles_of_uploads``: the uploads' checks, zip bombs
refused from the directory); the job (``build_drafts``) reads each article into its draft."""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from phoihop.conferences.extract.sources import ARTICLE_SUFFIXES, UNSUPPORTED, UnreadableArticle, article_text_of
from phoihop.core.files import check_archive

MAX_ARTICLES = 200


@dataclass(frozen=True)
class Article:
    name: str
    text: str
    error: str = ""


def _article(name: str, content: bytes) -> Article:
    try:
        text = article_text_of(name, [content])
    except UnreadableArticle as e:
        return Article(name, "", str(e))
    if not text.strip():
        return Article(name, "", _("Tệp không có chữ để đọc."))
    return Article(name, text)


def _members(upload: Any) -> list[Article]:
    """The articles of a ZIP: its .txt, .docx and .pdf files (folders inside it too), in name order."""
    try:
        with zipfile.ZipFile(upload) as archive:
            members = check_archive(archive, "ZIP")
            found = []
            for info in sorted(members, key=lambda i: i.filename):
                path = PurePosixPath(info.filename)
                if info.is_dir() or path.name.startswith(".") or "__MACOSX" in path.parts:
                    continue
                if path.suffix.lower() not in ARTICLE_SUFFIXES:
                    found.append(Article(info.filename, "", str(UNSUPPORTED)))
                    continue
                if info.file_size > settings.ATTACHMENT_MAX_BYTES:
                    found.append(Article(info.filename, "", _("Tệp quá lớn.")))
                    continue
                found.append(_article(info.filename, archive.read(info)))
            return found
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError) as e:
        raise ValidationError(_("Tệp ZIP bị hỏng hoặc được mã hóa: không đọc được.")) from e


def articles_of_uploads(uploads: list[Any]) -> list[Article]:
    """The articles of the uploaded files: each .txt, .docx or .pdf, and those inside each .zip. A file
    that cannot be read is kept with its reason, so the list says what became of every file."""
    articles: list[Article] = []
    for upload in uploads:
        name = str(upload.name or "")
        if name.lower().endswith(".zip"):
            articles.extend(_members(upload))
        elif upload.size > settings.ATTACHMENT_MAX_BYTES:
            articles.append(Article(name, "", _("Tệp quá lớn.")))
        else:
            articles.append(_article(name, upload.read()))
    if not articles:
        raise ValidationError(_("Không có bài viết nào (.txt, .docx, .pdf) trong các tệp đã chọn."))
    if len(articles) > MAX_ARTICLES:
        raise ValidationError(
            _("Mỗi lần đọc tối đa %(limit)s bài; đã chọn %(count)s.") % {"limit": MAX_ARTICLES, "count": len(articles)}
        )
    return articles


def build_drafts(job: Any, user: Any, progress: Any, dest: Path) -> Any:
    """The job: read each article of the batch into its draft, as the user who uploaded them; the
    output is the drafts' records as JSON (what the API would return for each)."""
    from phoihop.conferences.from_article import gazetteer
    from phoihop.conferences.models import ArticleDraft
    from phoihop.conferences.services import article_draft_read
    from phoihop.jobs.kinds import JobFailed, Output

    drafts = list(ArticleDraft.objects.restrict(user, "change").filter(batch=str(job.parameters.get("batch", ""))))
    if not drafts:
        raise JobFailed(_("Không còn bài viết nào của đợt này."))
    from phoihop.conferences.extract.record import extract

    known = gazetteer(user)
    records = []
    for n, draft in enumerate(drafts, start=1):
        if draft.text and draft.record is None:
            article_draft_read(draft=draft, record=extract(draft.text, known=known), acting_user=user)
        records.append({"name": draft.name, "error": draft.error, "record": draft.record})
        progress(100 * n // len(drafts))
    dest.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    return Output("ban-nhap-hoi-nghi.json", "application/json")
