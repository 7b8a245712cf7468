"""Home page, global search and the Vietnamese error pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from phoihop.accounts.models import RoleAssignment
from phoihop.commendations.selectors import nominations_to_decide
from phoihop.orgunits.selectors import person_list, unit_roots_for, unit_search
from phoihop.programmes.selectors import programme_list
from phoihop.reporting.selectors import owed

OWED_LIMIT = 20


@login_required
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    assignments = RoleAssignment.objects.active_on(today).filter(user=request.user)
    assignments = assignments.select_related("unit", "unit__organisation", "unit__level")
    return render(
        request,
        "core/home.html",
        {
            "assignments": assignments,
            "programmes": programme_list(user=request.user),
            "roots": unit_roots_for(user=request.user),
            # Reminders: the reports the user's units still owe, the most urgent first.
            "owed": owed(request.user, limit=OWED_LIMIT),
            "owed_limit": OWED_LIMIT,
            "nominations_to_decide": nominations_to_decide(request.user).count(),
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
    return render(request, "core/search.html", {"q": q, "units": units, "people": people})


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
