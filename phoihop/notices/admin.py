from __future__ import annotations

from django.contrib import admin

from phoihop.core.admin import ReadOnlyAdmin
from phoihop.notices.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    """The mail queue, for the system administrator: what is waiting, sent, or failed and why."""

    list_display = ["created_at", "address", "subject", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["address", "subject"]
