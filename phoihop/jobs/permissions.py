"""Who may see a job: its creator, and system administrators (phoihop/core/permissions.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from phoihop.core.permissions import Policy, register
from phoihop.core.scoping import get_scope, nothing
from phoihop.jobs.models import Job


@register(Job)
class JobPolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        """A job's file holds what its creator may read: nobody else sees it but a system
        administrator (who may read everything anyway)."""
        if user is None or not getattr(user, "is_authenticated", False):
            return nothing()
        if get_scope(user).is_system_admin:
            return Q()
        return Q(created_by=user)
