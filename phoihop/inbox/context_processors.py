"""The menu's inbox badge: how many things wait for the user, read lazily once per request from
the per-user cache (``phoihop.inbox.badge``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from phoihop.inbox import badge


def _total(request: HttpRequest) -> int:
    groups = getattr(request, "_phoihop_inbox", None)
    if groups is not None:  # the page already read the inbox: no second read, and it is fresh
        count = sum(g.count for g in groups)
        badge.remember(request.user, count)
        return count
    return badge.total(request.user)


def inbox(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: read only when the menu is drawn; counted (one statement) when not cached.
    return {"inbox_count": SimpleLazyObject(lambda: _total(request))}
