"""The Vietnamese error pages."""

from __future__ import annotations

import logging
import sys

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from phoihop.core.outages import database_down, file_store_down

logger = logging.getLogger("phoihop.unavailable")


def is_api_request(request: HttpRequest) -> bool:
    """Whether ``request`` is the API's (its answers are JSON, not pages)."""
    return request.path.startswith("/api/")


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    exception = sys.exc_info()[1]
    if exception is not None and (answer := unavailable(request, exception)) is not None:
        return answer
    return render(request, "500.html", status=500)


# A server phoihop needs cannot be reached: the database (its primary died and a standby is being
# promoted, a network cut) or the file store (the bucket's server, issue 17). The request fails
# in Vietnamese with a 503 and Retry-After, never a 500 page with a trace; the next request
# connects again (to the new primary, through HAProxy). Nothing half-done stays: every write goes
# through a service's transaction, rolled back with the error (a file is stored inside it).
RETRY_AFTER_SECONDS = 15


def unavailable(request: HttpRequest, exception: BaseException) -> HttpResponse | None:
    """The 503 answer when ``exception`` says a server phoihop needs is out of reach, else None.
    JSON for the API, a page otherwise. A broken database connection is closed by Django at the
    end of the request (it checks every connection that saw an error), so the next request opens
    a new one."""
    if database_down(exception):
        code = "database_unavailable"
        message = _(
            "Cơ sở dữ liệu tạm thời không phản hồi (có thể đang chuyển sang máy chủ dự phòng). Yêu cầu này "
            "chưa được thực hiện; hãy thử lại sau ít giây."
        )
    elif file_store_down(exception):
        code = "file_store_unavailable"
        message = _(
            "Kho tệp lưu trữ tạm thời không phản hồi. Yêu cầu này chưa được thực hiện; hãy thử lại sau ít giây."
        )
    else:
        return None
    logger.warning("%s during %s %s", code, request.method, request.path, exc_info=exception)
    if is_api_request(request):
        response: HttpResponse = JsonResponse(
            {"detail": message, "code": code}, status=503, json_dumps_params={"ensure_ascii": False}
        )
    else:
        # No request context: its processors (the inbox badge) would ask the database again.
        response = HttpResponse(render_to_string("503.html", {"message": message}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
