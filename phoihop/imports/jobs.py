"""The background jobs of imports (registered in ``phoihop/jobs/kinds.py``): running an import
run, and exporting a kind's rows in its template's columns. Both run as the job's creator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from phoihop.jobs.kinds import XLSX, JobFailed, Output, Progress


def build_import_run(job: Any, user: Any, progress: Progress, dest: Path) -> Output:
    """Run the import run of the job; its output is the list of the problems found (a workbook)."""
    from phoihop.imports.exports import write_problems
    from phoihop.imports.runs import execute

    run = execute(int(job.parameters.get("run") or 0), progress)
    write_problems(dest, run)
    return Output(f"loi-nhap-du-lieu-{run.pk}.xlsx", XLSX)


def import_run_page(job: Any) -> str:
    from phoihop.imports.models import ImportRun

    run = ImportRun.objects.unrestricted("the run of the job being shown to its creator").filter(job=job.pk).first()
    return reverse("imports:run", kwargs={"pk": run.pk}) if run else reverse("imports:home")


def build_export(job: Any, user: Any, progress: Progress, dest: Path) -> Output:
    """The rows of one kind the user may read, in the columns of its template."""
    from phoihop.audit.actions import record
    from phoihop.imports import registry
    from phoihop.imports.exports import write_export
    from phoihop.imports.permissions import may_import
    from phoihop.imports.templates import export_filename
    from phoihop.programmes.models import Programme

    if not may_import(user):
        raise JobFailed(_("Chỉ quản trị đơn vị và quản trị hệ thống mới xuất được dữ liệu để nhập lại."))
    kind = registry.get_kind(str(job.parameters.get("kind") or ""))
    if kind is None:
        raise JobFailed(_("Loại dữ liệu này không còn được hỗ trợ."))
    programme = None
    if job.parameters.get("programme"):
        programme = Programme.objects.restrict(user, "view").filter(pk=job.parameters["programme"]).first()
        if programme is None:
            raise JobFailed(_("Không còn xem được chương trình này."))
    if kind.needs_programme and programme is None:
        raise JobFailed(_("Xuất %(label)s cần chọn chương trình.") % {"label": kind.label})
    progress(5)
    count = write_export(
        dest, kind=kind, user=user, programme=programme, progress=lambda n: progress(min(95, 5 + n // 500))
    )
    record(
        "import.export",
        actor=user,
        target=programme,
        count=count,
        details={"kind": kind.name, "programme": getattr(programme, "code", "")},
    )
    return Output(export_filename(kind, programme), XLSX)
