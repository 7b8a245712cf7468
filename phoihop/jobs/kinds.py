"""The kinds of job: what each builds, with the scope of the user who asked for it.

A kind's ``build`` runs in the worker (``tasks.run``), reads through the gate as the job's
creator (``restrict(user, ...)``: never a system job), writes its output to ``dest`` and
returns the file's name and type. It reports progress (0–100) through ``progress`` and refuses
with ``JobFailed`` and a Vietnamese message when the output cannot be built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

Progress = Callable[[int], None]


class JobFailed(Exception):
    """The output cannot be built; the message (Vietnamese) is shown to the user."""


@dataclass(frozen=True)
class Output:
    filename: str
    content_type: str


@dataclass(frozen=True)
class Kind:
    name: str
    label: Any  # lazy Vietnamese text: what the job builds
    build: Callable[[Any, Any, Progress, Path], Output]  # (job, user, progress, dest)
    back: Callable[[Any], str] | None = None  # the page the job was started from
    on_download: Callable[[Any, Any], None] | None = None  # (job, user): e.g. the personal-data access log


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.name] = kind
    return kind


# --- the activity list as Excel ----------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"

ACTIVITY_EXPORT = "activities.export"


def query_of(job: Any) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in job.parameters.get("query", []):
        query.setlist(key, [str(v) for v in values])
    return query


def activity_queryset(user: Any, query: QueryDict) -> Any:
    """The activities of the list page for these filters, as ``user`` may read them."""
    from phoihop.activities.filtersets import ActivityFilterSet
    from phoihop.activities.models import Activity

    visible = Activity.objects.restrict(user, "view")
    request = SimpleNamespace(user=user, GET=query)
    return ActivityFilterSet(query or None, queryset=visible, request=request).qs


def build_activity_export(job: Any, user: Any, progress: Progress, dest: Path) -> Output:
    from phoihop.activities.exports import export_filename, indicator_columns, stream_rows, write_activities_xlsx

    activities = activity_queryset(user, query_of(job))
    total = activities.count()
    columns = indicator_columns(activities)
    progress(5)

    def counted() -> Any:
        for n, row in enumerate(stream_rows(activities), start=1):
            progress(5 + 90 * n // max(total, 1))
            yield row

    write_activities_xlsx(dest, rows=counted(), indicators=columns, title=_("Hoạt động phối hợp"))
    return Output(export_filename(timezone.localdate()), XLSX)


def _activity_list(job: Any) -> str:
    query = query_of(job).urlencode()
    return reverse("activities:list") + (f"?{query}" if query else "")


register(
    Kind(
        ACTIVITY_EXPORT,
        gettext_lazy("Danh sách hoạt động phối hợp (Excel)"),
        build_activity_export,
        back=_activity_list,
    )
)


# --- a commendation decision: Word, its list in Excel, or PDF (LibreOffice) ----------------------

DECISION_DOCUMENT = "commendations.decision"
DECISION_FORMATS = {"docx": DOCX, "xlsx": XLSX, "pdf": PDF}


def _decision(job: Any, user: Any) -> Any:
    from phoihop.commendations.models import Decision

    decision = (
        Decision.objects.restrict(user)  # type: ignore[attr-defined]
        .select_related("issuing_unit", "awarding_unit", "conference")
        .filter(pk=job.parameters.get("decision"))
        .first()
    )
    if decision is None:
        raise JobFailed(_("Không còn xem được quyết định này (đã xoá hoặc đã hết quyền)."))
    return decision


def build_decision_document(job: Any, user: Any, progress: Progress, dest: Path) -> Output:
    from phoihop.commendations.documents import decision_docx, decision_xlsx
    from phoihop.documents.builders import PdfFailed, PdfUnavailable, TemplateFailed
    from phoihop.documents.pdf import docx_to_pdf

    fmt = str(job.parameters.get("format", "docx"))
    if fmt not in DECISION_FORMATS:
        raise JobFailed(_("Định dạng không hợp lệ."))
    decision = _decision(job, user)
    progress(10)
    try:
        if fmt == "xlsx":
            content = decision_xlsx(decision)
        else:
            content = decision_docx(decision)
            if fmt == "pdf":
                progress(40)
                content = docx_to_pdf(content)
    except (PdfUnavailable, PdfFailed, TemplateFailed) as exc:
        raise JobFailed(str(exc)) from exc
    dest.write_bytes(content)
    name = f"quyet-dinh-khen-thuong-{decision.number or 'chua-so'}-{decision.issued_on:%Y}.{fmt}"
    return Output(name, DECISION_FORMATS[fmt])


def _log_decision_download(job: Any, user: Any) -> None:
    """The access log of personal data, at each download of the file (ADR 0011)."""
    from phoihop.audit.access import log_people_export

    decision = _decision(job, user)
    log_people_export(
        actor=user,
        target=decision,
        people=[award.person_id for award in decision.awards.all()],
        what=str(decision),
        file_format=str(job.parameters.get("format", "docx")),
        unit=decision.issuing_unit,
    )


register(
    Kind(
        DECISION_DOCUMENT,
        gettext_lazy("Quyết định khen thưởng"),
        build_decision_document,
        back=lambda job: reverse("commendations:decision-detail", kwargs={"pk": job.parameters.get("decision")}),
        on_download=_log_decision_download,
    )
)


# --- imports: running an import run, exporting a kind's rows in its template's columns ------------

IMPORT_RUN = "imports.run"
IMPORT_EXPORT = "imports.export"


def _build_import_run(job: Any, user: Any, progress: Progress, dest: Path) -> Output:
    from phoihop.imports.jobs import build_import_run

    return build_import_run(job, user, progress, dest)


def _build_import_export(job: Any, user: Any, progress: Progress, dest: Path) -> Output:
    from phoihop.imports.jobs import build_export

    return build_export(job, user, progress, dest)


def _import_run_page(job: Any) -> str:
    from phoihop.imports.jobs import import_run_page

    return import_run_page(job)


register(
    Kind(
        IMPORT_RUN,
        gettext_lazy("Danh sách lỗi của lần nhập dữ liệu từ tệp"),
        _build_import_run,
        back=_import_run_page,
    )
)
register(
    Kind(
        IMPORT_EXPORT,
        gettext_lazy("Dữ liệu xuất theo mẫu nhập (Excel)"),
        _build_import_export,
        back=lambda job: reverse("imports:home"),
    )
)


# --- many news reports read into drafts of conferences ---------------------------------------------

ARTICLE_DRAFTS = "conferences.article_drafts"


def _build_article_drafts(job: Any, user: Any, progress: Progress, dest: Path) -> Output:
    from phoihop.conferences.batch import build_drafts

    return build_drafts(job, user, progress, dest)  # type: ignore[no-any-return]


register(
    Kind(
        ARTICLE_DRAFTS,
        gettext_lazy("Bản nháp hội nghị đọc từ các bài viết"),
        _build_article_drafts,
        back=lambda job: reverse("conferences:article-drafts") + f"?batch={job.parameters.get('batch', '')}",
    )
)
