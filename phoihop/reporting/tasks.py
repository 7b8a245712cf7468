"""Documents built outside the request, with visible progress (huey; inline in immediate mode)."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from huey.contrib.djhuey import db_task

from phoihop.core.gate import system_job
from phoihop.core.services import require_in_scope
from phoihop.reporting.models import DocumentJob, JobStatus, Report


def _update(job_id: int, **fields: Any) -> None:
    DocumentJob.objects.filter(pk=job_id).update(**fields)


@db_task()
def build_document_task(job_id: int) -> None:
    # A background job: the user's scope was checked when the job was queued (job_start); the
    # document is the report's official full text, every figure of its subtree.
    with system_job("a report's document, queued by a user who may read the report"):
        _build_document(job_id)


def _build_document(job_id: int) -> None:
    from phoihop.documents.builders import PdfFailed, PdfUnavailable, TemplateFailed
    from phoihop.reporting.documents import build

    job = DocumentJob.objects.select_related("report").get(pk=job_id)
    _update(job_id, status=JobStatus.RUNNING, progress=1)
    try:
        built = build(job.report, job.format, progress=lambda p: _update(job_id, progress=p))
    except (PdfUnavailable, PdfFailed, TemplateFailed) as exc:
        _update(job_id, status=JobStatus.FAILED, message=str(exc)[:500], finished_at=timezone.now())
        return
    except Exception:
        _update(
            job_id,
            status=JobStatus.FAILED,
            message=_("Tạo văn bản không thành công do lỗi hệ thống; quản trị đã được ghi nhận lỗi."),
            finished_at=timezone.now(),
        )
        raise
    job.file.save("document", ContentFile(built.content), save=False)
    _update(
        job_id,
        file=job.file.name,
        filename=built.filename,
        status=JobStatus.DONE,
        progress=100,
        finished_at=timezone.now(),
    )


def job_start(*, report: Report, fmt: str, acting_user: Any) -> DocumentJob:
    """Queue a document build; with no worker (immediate mode) it has finished on return."""
    from phoihop.documents.formats import FORMATS

    require_in_scope(report, user=acting_user, action="view")
    if fmt not in FORMATS:
        raise ValueError(fmt)
    job = DocumentJob.objects.create(report=report, format=fmt, created_by=acting_user)
    transaction.on_commit(lambda: build_document_task(job.pk))
    return job
