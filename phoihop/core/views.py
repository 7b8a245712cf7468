"""The Vietnamese error pages."""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger("phoihop.database")


def is_api_request(request: HttpRequest) -> bool:
    """Whether ``request`` is the API's (its answers are JSON, not pages)."""
    return request.path.startswith("/api/")


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    exception = sys.exc_info()[1]
    if exception is not None and is_database_unavailable(exception):
        return database_unavailable(request)
    return render(request, "500.html", status=500)


# The database server cannot be reached (its primary died and a standby is being promoted, a
# network cut): the request fails in Vietnamese with a 503 and Retry-After, never a 500 page with
# a trace; the next request connects again (to the new primary, through HAProxy).
RETRY_AFTER_SECONDS = 15


def is_database_unavailable(exception: BaseException) -> bool:
    return isinstance(exception, OperationalError | InterfaceError)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """The answer while the database is unreachable: JSON for the API, a page otherwise. A broken
    connection is closed by Django at the end of the request (it checks every connection that
    saw an error), so the next request opens a new one."""
    logger.warning("database unavailable during %s %s", request.method, request.path)
    message = _(
        "Cơ sở dữ liệu tạm thời không phản hồi (có thể đang chuyển sang máy chủ dự phòng). Yêu cầu này "
        "chưa được thực hiện; hãy thử lại sau ít giây."
    )
    if is_api_request(request):
        response: HttpResponse = JsonResponse(
            {"detail": message, "code": "database_unavailable"}, status=503, json_dumps_params={"ensure_ascii": False}
        )
    else:
        # No request context: its processors (the inbox badge) would ask the database again.
        response = HttpResponse(render_to_string("503.html", {"message": message}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
