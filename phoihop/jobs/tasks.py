"""Running a job: in the worker (``manage.py run_huey``), or inline in immediate mode (demo, tests).

The worker reads the job's own row, then builds its output AS the job's creator: every read
of the build goes through the gate with the creator's scope, re-applied when the job runs (a
role withdrawn meanwhile narrows the file, an account closed meanwhile gets no file).
"""

from __future__ import annotations

import logging
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import DatabaseError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from phoihop.core.outages import database_down
from phoihop.jobs.kinds import KINDS, JobFailed
from phoihop.jobs.models import Job, JobStatus

logger = logging.getLogger("phoihop.jobs")

# The worker reads the row of the job it runs (nothing else without the creator's scope).
RUNS_THE_JOB = "the worker reads the job it runs; what the job builds is read with its creator's scope"

# Finished jobs (and their files) are kept this many days, then purged.
KEEP_DAYS = 7

# The progress is written at most this often (in percentage points): at most ~20 writes a job,
# whatever its size.
STEP = 5


def _update(job_id: int, **fields: object) -> None:
    Job.objects.filter(pk=job_id).update(**fields)


# A job whose database went away mid-build (a primary died; a standby is promoted) is tried again
# this many times, this many seconds apart, by the worker (huey's retries).
RETRIES, RETRY_DELAY = 3, 15


@db_task(retries=RETRIES, retry_delay=RETRY_DELAY, context=True)
def run_job_task(job_id: int, task: Any = None) -> None:
    tries_left = task.retries if task is not None else 0
    # In immediate mode (no worker) huey runs no retry: this try is the last.
    last = tries_left == 0 or bool(settings.HUEY.get("immediate"))
    run(job_id, retry=task is not None and tries_left < RETRIES, last_try=last)


def run(job_id: int, *, retry: bool = False, last_try: bool = True) -> None:
    """Build job ``job_id``'s file. When the database goes away mid-build, the job is tried again
    (``last_try`` False: the error goes to the worker, which retries) or, on the last try, marked
    failed with a message that says to start it again: never left "running"."""
    try:
        _run(job_id, retry=retry)
    except Exception as exc:
        if not database_down(exc) or not last_try:
            raise
        logger.warning("job %s: database unavailable on the last try", job_id, exc_info=exc)
        message = _("Cơ sở dữ liệu tạm thời không phản hồi nên chưa tạo được tệp; hãy tạo lại sau ít phút.")
        try:
            _update(job_id, status=JobStatus.FAILED, message=message, finished_at=timezone.now())
        except DatabaseError:
            logger.exception("job %s: could not be marked failed; the purge ends it", job_id)


def _run(job_id: int, *, retry: bool) -> None:
    # Claim the job: a job runs once, even when its task was queued twice. A retry of this job's
    # own task (after the database went away) takes it back from "running".
    claimable = [JobStatus.PENDING, JobStatus.RUNNING] if retry else [JobStatus.PENDING]
    claimed = Job.objects.filter(pk=job_id, status__in=claimable).update(
        status=JobStatus.RUNNING, progress=1, started_at=timezone.now()
    )
    if not claimed:
        return
    job = Job.objects.unrestricted(RUNS_THE_JOB).select_related("created_by").get(pk=job_id)
    shown = [1]

    def progress(percent: int) -> None:
        percent = max(1, min(99, int(percent)))
        if percent - shown[0] >= STEP:
            shown[0] = percent
            try:
                _update(job_id, progress=percent)
            except DatabaseError:
                # A progress mark is only shown; one that cannot be written now (SQLite refuses a
                # write on a connection still reading the rows, once another has written since)
                # is skipped, and the next one or the job's end says where it stands.
                logger.info("job %s: progress %s%% not written this time", job_id, percent)

    language = str(job.parameters.get("language") or settings.LANGUAGE_CODE)
    with translation.override(language):
        try:
            kind = KINDS.get(job.kind)
            if kind is None:
                raise JobFailed(_("Loại việc này không còn được hỗ trợ."))
            if not job.created_by.is_active:
                raise JobFailed(_("Tài khoản yêu cầu đã bị khóa; không tạo tệp."))
            with tempfile.TemporaryDirectory(prefix="phoihop-job-") as folder:
                dest = Path(folder) / "output"
                output = kind.build(job, job.created_by, progress, dest)
                with dest.open("rb") as handle:
                    job.file.save("output", File(handle), save=False)
        except JobFailed as exc:
            _update(job_id, status=JobStatus.FAILED, message=str(exc)[:500], finished_at=timezone.now())
            return
        except Exception as exc:
            if database_down(exc):
                # The database went away: the job is tried again (RETRIES), from the start.
                logger.warning("job %s (%s): database unavailable", job_id, job.kind)
                raise
            logger.exception("job %s (%s) failed", job_id, job.kind)
            message = _("Tạo tệp không thành công do lỗi hệ thống; lỗi đã được ghi lại để quản trị xử lý.")
            _update(job_id, status=JobStatus.FAILED, message=message, finished_at=timezone.now())
            return
    try:
        _update(
            job_id,
            file=job.file.name,
            filename=output.filename,
            content_type=output.content_type,
            status=JobStatus.DONE,
            progress=100,
            finished_at=timezone.now(),
        )
    except DatabaseError:
        job.file.delete(save=False)  # the retry builds it again; no stray file
        raise


# A job still "running" this long after it started was cut off (its worker killed, its last
# try unable to write its end): the purge marks it failed, so its page says to start it again.
STALE_AFTER = timedelta(hours=24)


def purge(*, days: int = KEEP_DAYS) -> int:
    """Delete the jobs finished (done or failed) more than ``days`` ago, and their files; mark
    failed the jobs cut off while running."""
    now = timezone.now()
    Job.objects.unrestricted("the purge of old jobs: system housekeeping").filter(
        status=JobStatus.RUNNING, started_at__lt=now - STALE_AFTER
    ).update(
        status=JobStatus.FAILED,
        message=_("Việc bị gián đoạn và không hoàn thành; hãy tạo lại."),
        finished_at=now,
    )
    old = Job.objects.unrestricted("the purge of old jobs: system housekeeping").filter(
        status__in=(JobStatus.DONE, JobStatus.FAILED), finished_at__lt=now - timedelta(days=days)
    )
    count = 0
    for job in old.iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    return count


@db_periodic_task(crontab(hour="3", minute="17"))
def purge_jobs_task() -> None:
    purge()
