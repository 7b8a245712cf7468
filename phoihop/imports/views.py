"""The pages of "Nhập dữ liệu": send a file to check first (a dry run) or to import, follow a run
(its progress polled by htmx every second, then the problems or the counts), import for real the
file of a clean check, and download each kind's template and export.

For unit administrators and system administrators (403 for anyone else); a run is its
creator's alone (404 for anyone else but a system administrator).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phoihop.imports import registry, runs
from phoihop.imports.forms import ImportForm, KindProgrammeForm
from phoihop.imports.models import ImportRun
from phoihop.imports.permissions import require_import
from phoihop.imports.templates import template_bytes, template_filename
from phoihop.jobs.kinds import XLSX
from phoihop.programmes.models import Programme

SHOWN_ERRORS = 500  # the page lists this many problems; the workbook of the run has them all
RECENT_RUNS = 30


def _selected_programme(request: HttpRequest, programmes: list[Programme]) -> Programme | None:
    code = request.GET.get("programme")
    for programme in programmes:
        if programme.code == code:
            return programme
    return programmes[0] if programmes else None


def _kind_rows(programme: Programme | None) -> list[dict[str, Any]]:
    rows = []
    for name, kind in registry.all_kinds().items():
        usable = programme is not None or not kind.needs_programme
        query = f"?programme={programme.code}" if programme is not None and kind.needs_programme else ""
        rows.append(
            {
                "name": name,
                "label": kind.label,
                "needs_programme": kind.needs_programme,
                "usable": usable,
                "template_url": reverse("imports:template", kwargs={"kind": name}) + query if usable else "",
                "programme": programme if kind.needs_programme else None,
            }
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    require_import(request.user)
    programmes = list(Programme.objects.restrict(request.user, "view").order_by("code"))
    selected = _selected_programme(request, programmes)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                run = runs.run_start(
                    acting_user=request.user,
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                    programme=form.cleaned_data["programme"],
                    dry_run=request.POST.get("action") != "import",
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                return redirect("imports:run", pk=run.pk)
    else:
        form = ImportForm(user=request.user, initial={"programme": selected.code if selected else None})
    recent = list(
        ImportRun.objects.restrict(request.user, "view")
        .filter(created_by=request.user)
        .select_related("programme")[:RECENT_RUNS]
    )
    context = {
        "form": form,
        "programmes": programmes,
        "selected": selected,
        "kinds": _kind_rows(selected),
        "runs": recent,
    }
    return render(request, "imports/home.html", context, status=400 if form.errors else 200)


def run_or_404(request: HttpRequest, pk: int) -> ImportRun:
    return get_object_or_404(ImportRun.objects.restrict(request.user, "view").select_related("programme", "job"), pk=pk)


def status_context(run: ImportRun) -> dict[str, Any]:
    job = run.job
    return {
        "run": run,
        "polling": run.is_active,
        "status_url": reverse("imports:run", kwargs={"pk": run.pk}),
        "errors": (run.errors or [])[:SHOWN_ERRORS],
        "more_errors": max(run.error_count - SHOWN_ERRORS, 0),
        "problems_url": (
            reverse("jobs:download", kwargs={"pk": job.pk})
            if job is not None and job.status == "done" and run.error_count
            else ""
        ),
        "may_confirm": run.dry_run and run.status == "done" and not run.error_count and run.total_rows > 0,
    }


@login_required
@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = run_or_404(request, pk)
    context = status_context(run)
    if getattr(request, "htmx", False):
        return render(request, "imports/_run_status.html", context)
    return render(request, "imports/run_detail.html", context)


@login_required
@require_POST
def run_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    run = run_or_404(request, pk)
    try:
        real = runs.run_confirm(acting_user=request.user, run=run)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("imports:run", pk=run.pk)
    return redirect("imports:run", pk=real.pk)


@login_required
@require_GET
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    require_import(request.user)
    found = registry.get_kind(kind)
    if found is None:
        raise Http404
    programme = None
    code = request.GET.get("programme")
    if code:
        programme = get_object_or_404(Programme.objects.restrict(request.user, "view"), code=code[:40])
    elif found.needs_programme:
        messages.error(request, _("Hãy chọn chương trình trước khi tải mẫu %(label)s.") % {"label": found.label})
        return redirect("imports:home")
    response = HttpResponse(template_bytes(found, programme), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{template_filename(found, programme)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def export_start(request: HttpRequest) -> HttpResponse:
    """An export of one kind in its template's columns, as a job of the user (its page follows)."""
    from phoihop.jobs import services as jobs
    from phoihop.jobs.kinds import IMPORT_EXPORT

    require_import(request.user)
    form = KindProgrammeForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("imports:home")
    programme = form.cleaned_data["programme"]
    job = jobs.job_start(
        kind=IMPORT_EXPORT,
        parameters={"kind": form.cleaned_data["kind"], "programme": programme.pk if programme else None},
        acting_user=request.user,
    )
    return redirect("jobs:job", pk=job.pk)
