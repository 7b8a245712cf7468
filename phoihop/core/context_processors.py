"""Values every page needs: the user's main unit and role for the header."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def phoihop(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    assignment = user.primary_assignment()
    return {"current_assignment": assignment}
