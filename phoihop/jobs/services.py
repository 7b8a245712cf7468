"""Starting a job: a quick write in the request; the build runs after the commit."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import translation

from phoihop.jobs.kinds import KINDS
from phoihop.jobs.models import Job


@transaction.atomic
def job_start(*, kind: str, parameters: dict[str, Any], acting_user: Any) -> Job:
    """Queue a job for ``acting_user``; the caller has checked that the user may read what it
    builds (the build checks again, as the user). In immediate mode (no worker) it has run when
    the transaction commits."""
    from phoihop.jobs.tasks import run_job_task

    if kind not in KINDS:
        raise ValueError(kind)
    job = Job.objects.create(
        kind=kind,
        parameters={**parameters, "language": translation.get_language() or ""},
        created_by=acting_user,
    )
    transaction.on_commit(lambda: run_job_task(job.pk))
    return job
