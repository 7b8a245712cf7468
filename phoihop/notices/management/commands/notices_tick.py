"""``manage.py notices_tick``: what the periodic job does, for cron or by hand (idempotent)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from phoihop.core.gate import system_job
from phoihop.notices import services


class Command(BaseCommand):
    help = "Reminders of report requests (due in 3 days, late), daily digests, and sending pending mail."

    def handle(self, *args: Any, **options: Any) -> None:
        with system_job("notices_tick: the periodic job run by hand or by cron"):
            done = services.tick()
        self.stdout.write(json.dumps(done))
