"""The menu's inbox badge: how many things wait for the user, read lazily once per request."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from phoihop.inbox.selectors import inbox_total


def _total(request: HttpRequest) -> int:
    groups = getattr(request, "_phoihop_inbox", None)
    if groups is not None:  # the page already read the inbox: no second read
        return sum(g.count for g in groups)
    return inbox_total(request.user)


def inbox(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: counted only when the menu is drawn, in one statement.
    return {"inbox_count": SimpleLazyObject(lambda: _total(request))}
