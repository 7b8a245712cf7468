"""The home page (the user's units, programmes and reminders) and the global search."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from phoihop.core.permissions import perms
from phoihop.home import rows
from phoihop.inbox.cards import group_cards
from phoihop.inbox.views import groups_for
from phoihop.orgunits.selectors import person_list, unit_search
from phoihop.reporting.selectors import owed

OWED_LIMIT = 20


@login_required
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    user = request.user
    # What waits for the user (the inbox's groups that are not empty) ...
    inbox_groups = [g for g in groups_for(request) if g.count]
    return render(
        request,
        "home/home.html",
        {
            "assignments": rows.roles(user, today),
            "programmes": rows.programmes(user, today),
            "roots": rows.roots(user, today),
            "inbox_groups": inbox_groups,
            "inbox_cards": group_cards(inbox_groups),
            # ... the work a role starts from here ...
            "can_write": perms(user).has_units("change"),
            # ... and every report the user's units still owe (the inbox holds those due within 7 days).
            "owed": owed(user, today, OWED_LIMIT),
            "owed_limit": OWED_LIMIT,
        },
    )


@login_required
def search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    units: Any = []
    people: Any = []
    if q:
        units = unit_search(user=request.user, text=q)[:50]
        people = person_list(user=request.user, filters={"q": q})[:50]
    return render(request, "home/search.html", {"q": q, "units": units, "people": people})
