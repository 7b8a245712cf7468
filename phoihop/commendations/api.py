"""API of commendations: award forms and titles, nominations (with their transitions), decisions."""

from __future__ import annotations

from typing import Any

# (prefix, basename, viewset), registered in phoihop/api/urls.py under /api/v1/.
ROUTES: list[tuple[str, str, Any]] = []
