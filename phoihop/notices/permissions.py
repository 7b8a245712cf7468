"""Who sees which notices: each user their own, system administrators included."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from phoihop.core.permissions import Policy, register
from phoihop.notices.models import Notice, NoticePreference, OutboxMessage


@register(Notice)
class NoticePolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        return Q(recipient=user)


@register(NoticePreference)
class NoticePreferencePolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        return Q(user=user)


@register(OutboxMessage)
class OutboxMessagePolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        """The outbox is the system's: read by its jobs (system_job) and by nobody's pages."""
        return Q(recipient=user) if action == "view" else Q(pk__in=[])
