"""The inbox page (Việc cần làm) and what the menu's badge reads."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from phoihop.inbox.cards import group_cards
from phoihop.inbox.selectors import Group, inbox


def groups_for(request: HttpRequest) -> list[Group]:
    """The user's inbox, read once per request (the page, the home page and the badge share it)."""
    found: list[Group] | None = getattr(request, "_phoihop_inbox", None)
    if found is None:
        found = inbox(request.user)
        request._phoihop_inbox = found  # type: ignore[attr-defined]
    return found


@login_required
@require_GET
def inbox_page(request: HttpRequest) -> HttpResponse:
    groups = groups_for(request)
    context: dict[str, Any] = {"groups": groups, "cards": group_cards(groups), "total": sum(g.count for g in groups)}
    return render(request, "inbox/inbox.html", context)
