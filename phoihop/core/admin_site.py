"""The Django admin is for system administrators only (superusers), never for unit staff."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest


def superuser_only(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_superuser)


admin.site.has_permission = superuser_only  # type: ignore[method-assign]
