"""Housekeeping of imports: the files sent are kept while they may be needed (a check confirmed
into an import), then deleted; the runs stay, with their counts and problems."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from phoihop.imports.models import ImportRun, ImportStatus

# The files of runs finished more than this many days ago are deleted.
KEEP_DAYS = 7


def purge_files(*, days: int = KEEP_DAYS) -> int:
    """Delete the files of the runs finished more than ``days`` ago; the number of files deleted."""
    old = (
        ImportRun.objects.unrestricted("the purge of old import files: system housekeeping")
        .filter(
            status__in=(ImportStatus.DONE, ImportStatus.FAILED), finished_at__lt=timezone.now() - timedelta(days=days)
        )
        .exclude(file="")
    )
    count = 0
    for run in old.iterator():
        run.file.delete(save=False)
        ImportRun.objects.unrestricted("the purge of old import files").filter(pk=run.pk).update(file="")
        count += 1
    return count


@db_periodic_task(crontab(hour="3", minute="27"))
def purge_import_files_task() -> None:
    purge_files()
