"""Housekeeping of the drafts read from news reports (issue 16): a draft is a working copy, kept
while its reader may still check it; the conference recorded from it keeps the article itself
(``Conference.source_text``), so nothing is lost with the draft."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from phoihop.conferences.models import KEEP_DRAFT_DAYS, ArticleDraft


def purge_drafts(*, days: int = KEEP_DRAFT_DAYS) -> int:
    """Delete the drafts uploaded more than ``days`` ago; the number deleted."""
    old = ArticleDraft.objects.unrestricted("the purge of old article drafts: system housekeeping").filter(
        created_at__lt=timezone.now() - timedelta(days=days)
    )
    deleted, _by_model = old.delete()
    return deleted


@db_periodic_task(crontab(hour="3", minute="37"))
def purge_drafts_task() -> None:
    purge_drafts()
