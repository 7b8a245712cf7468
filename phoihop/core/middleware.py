"""Render the Vietnamese 404 page even with DEBUG on (the demo runs with DEBUG), so a user who
opens a unit outside their scope sees the same friendly page as in production; and the 503 page
(or JSON) while the database or the file store cannot be reached, never a trace."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from phoihop.core import replicas
from phoihop.core.views import error_404, unavailable


class FriendlyNotFoundMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Http404):
            return error_404(request, exception)
        return unavailable(request, exception)


class VietnameseFirstMiddleware:
    """Vietnamese unless the user chose another language with the switcher (its cookie).

    The browser's Accept-Language is ignored: staff on government networks often run browsers
    in English, and they must still get the Vietnamese interface (ARCHITECTURE.md rule 7).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class PrivateAnswersMiddleware:
    """What a signed-in user is shown is never kept by a browser's or a proxy's cache
    (``Cache-Control: no-store, private``): pages, API answers and downloads name people and
    hold figures of units the next user of a shared office computer may not see (ASVS 8.1.1)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if getattr(user, "is_authenticated", False) and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response


class ReadYourWritesMiddleware:
    """With read replicas: a safe request reads from a replica that holds the user's own writes,
    and a request that wrote marks the user (phoihop/core/replicas.py, ADR 0025). Without replicas
    it does nothing. It stands after authentication: the session is read from the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replicas.replica_aliases():
            return self.get_response(request)
        state, answered = replicas.enter(request), False
        try:
            response = self.get_response(request)
            answered = True
        finally:
            replicas.leave(request, state, answered=answered)
        return response
