"""The job pages: one job's progress (polled by htmx every second) and its download, and the
list of the user's own jobs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from phoihop.jobs.kinds import KINDS
from phoihop.jobs.models import Job, JobStatus


def job_or_404(request: HttpRequest, pk: int) -> Job:
    return get_object_or_404(Job.objects.restrict(request.user, "view"), pk=pk)


def status_context(job: Job) -> dict[str, object]:
    """What the one job status fragment (jobs/_status.html) needs."""
    from django.urls import reverse

    return {
        "job": job,
        "polling": job.is_active,
        "status_url": reverse("jobs:job", kwargs={"pk": job.pk}),
        "download_url": reverse("jobs:download", kwargs={"pk": job.pk}),
    }


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_or_404(request, pk)
    context = status_context(job)
    if getattr(request, "htmx", False):
        return render(request, "jobs/_status.html", context)
    kind = KINDS.get(job.kind)
    context["label"] = kind.label if kind else job.kind
    context["back"] = kind.back(job) if kind and kind.back else None
    return render(request, "jobs/job_detail.html", context)


@login_required
@require_GET
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = job_or_404(request, pk)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    kind = KINDS.get(job.kind)
    if kind is not None and kind.on_download is not None:
        kind.on_download(job, request.user)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=job.filename or "tep",
        content_type=job.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    """The user's own jobs, newest first (a system administrator sees only their own here too)."""
    jobs = list(Job.objects.restrict(request.user, "view").filter(created_by=request.user)[:50])
    rows = [(job, KINDS[job.kind].label if job.kind in KINDS else job.kind) for job in jobs]
    return render(request, "jobs/job_list.html", {"rows": rows})


# --- starting jobs from the pages of their records -------------------------------------------------


def activity_export_start(request: HttpRequest) -> HttpResponse:
    """The activity list as Excel, with the list's filters (the query string): a POST starts the
    job and answers at once with its page; a GET (a link from elsewhere) asks to confirm."""
    from django.shortcuts import redirect

    from phoihop.jobs import services
    from phoihop.jobs.kinds import ACTIVITY_EXPORT

    if request.method == "POST":
        filters = [[key, values] for key, values in request.GET.lists() if key != "page"]
        job = services.job_start(kind=ACTIVITY_EXPORT, parameters={"query": filters}, acting_user=request.user)
        return redirect("jobs:job", pk=job.pk)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "jobs/start_activity_export.html", {"query": query.urlencode()})
