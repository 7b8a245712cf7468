"""The notices' background jobs (huey; inline in immediate mode)."""

from __future__ import annotations

from typing import Any

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from phoihop.core.gate import system_job
from phoihop.notices import services


@db_task()
def send_outbox_task(message_id: int) -> bool:
    """Send one outbox message (a failure waits for the periodic job, with backoff)."""
    with system_job("notices: sending an outbox message"):
        return services.send_message(message_id)


@db_periodic_task(crontab(minute="*/5"))
def notices_tick_task() -> dict[str, Any]:
    """Reminders of report requests, the daily digests, and mail due again."""
    with system_job("notices: the periodic job"):
        return services.tick()
