"""What every API view shares: the one error mapping, the password-change guard, the 401 header.

The error mapping is set per view (``get_exception_handler``) so the API does not depend on
a project setting; ``REST_FRAMEWORK["EXCEPTION_HANDLER"]`` points at it as well.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from phoihop.api import idempotency
from phoihop.core.services import Conflict, Unavailable

if TYPE_CHECKING:
    from rest_framework.permissions import _PermissionClass


CSRF_FAILED = _("Thiếu hoặc sai mã chống giả mạo yêu cầu (CSRF). Hãy tải lại trang rồi gửi lại.")


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus: a service's ValidationError is a 400 with field errors, a write on a
    record someone saved meanwhile a 409 with the version now stored, a missing server tool
    (LibreOffice) a 503, and every 404 says only "not found" (a record out of scope answers
    exactly like a missing one)."""
    if isinstance(exc, Conflict):
        return Response({"detail": " ".join(exc.messages), "version": exc.current_version}, status=409)
    if isinstance(exc, Unavailable):
        return Response({"detail": str(exc)}, status=503)
    if isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF Failed"):
        # DRF's session authentication says it in English, with Django's reason appended.
        exc = exceptions.PermissionDenied(CSRF_FAILED, code="csrf_failed")
    elif isinstance(exc, Http404):
        # Django's message names the model ("No OrgUnit matches the given query."): drop it.
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=_validation_detail(exc))
    return drf_exception_handler(exc, context)


def location(data: Any, code: int = 201) -> dict[str, str] | None:
    """The ``Location`` header of an answer that made something (201, or 202 for a job), else None.

    A plain ``str``: the serializer's ``url`` is DRF's ``Hyperlink`` (a ``str`` subclass),
    which WSGI servers that check types (wsgiref, so ``runserver``) refuse with a 500 after
    the row is saved.
    """
    if code not in (201, 202):
        return None
    return {"Location": str(data["url"])}


def created(data: Any, code: int = 201) -> Response:
    """The answer of a create: the new record, ``code`` (201, or 202 for a job) and its ``Location``."""
    return Response(data, status=code, headers=location(data, code))


class ServiceCreateMixin:
    # POST through a service: the request is checked (``check_create``), read by
    # ``create_serializer_class``, handed to ``create_service`` with the acting user, and the new
    # record answered as ``created_data`` gives it (201 with its Location, or 201 alone when the
    # record has no page of its own).

    create_serializer_class: type[serializers.Serializer]
    create_service: Callable[..., Any]

    def check_create(self, request: Request) -> None:
        """Refuse (403) before the input is read; the service checks the objects."""

    def created_data(self, obj: Any) -> Any:
        return self.get_serializer(obj).data  # type: ignore[attr-defined]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.check_create(request)
        serializer = self.create_serializer_class(data=request.data, context=self.get_serializer_context())  # type: ignore[attr-defined]
        serializer.is_valid(raise_exception=True)
        obj = type(self).create_service(acting_user=request.user, **serializer.validated_data)
        data = self.created_data(obj)
        if "url" in data:
            return created(data)
        return Response(data, status=201)


REASON_MAX_LENGTH = 1000

# The query parameter of a DELETE that says why (kept in the record's tombstone in history).
DELETION_REASON = OpenApiParameter(
    "reason",
    str,
    OpenApiParameter.QUERY,
    required=False,
    description=_("Lý do xóa (không bắt buộc, tối đa 1.000 ký tự); được ghi vào lịch sử cùng người xóa."),
)


def deletion_reason(request: Request) -> str:
    """Why a DELETE is made: its ``reason`` query parameter (or body field), bounded."""
    reason = request.query_params.get("reason")
    if reason is None and hasattr(request.data, "get"):
        reason = request.data.get("reason")
    reason = str(reason or "").strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise exceptions.ValidationError({"reason": [_("Lý do xóa dài quá 1.000 ký tự.")]})
    return reason


def _validation_detail(exc: DjangoValidationError) -> Any:
    detail = as_serializer_error(exc)
    if NON_FIELD_ERRORS in detail:
        detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
    return detail


class PasswordChanged(BasePermission):
    """A user told to change their password may not use the API until they have.

    The HTML middleware guards session users; this guards token users too, whom Django's
    middleware does not see (DRF authenticates them later, in the view).
    """

    message = _("Bạn phải đổi mật khẩu trước khi tiếp tục.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return not getattr(request.user, "must_change_password", False)


class ApiViewMixin(APIView):
    # Mixed into every API view of phoihop, before DRF's view classes (an APIView itself, so
    # it sits before them in the MRO). A comment, not a docstring: drf-spectacular would show
    # a docstring as the description of every operation.

    permission_classes: Sequence[_PermissionClass] = [IsAuthenticated, PasswordChanged]

    def get_exception_handler(self) -> Callable[[Exception, dict[str, Any]], Response | None]:
        return exception_handler

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        # A POST with an Idempotency-Key runs at most once per user and key (phoihop/api/idempotency.py).
        # The handler is wrapped, not the dispatch: it runs after authentication and permissions.
        if idempotency.wants(request) and hasattr(self, "post"):
            setattr(self, "post", idempotency.guard(self.post))  # noqa: B010
        return super().dispatch(request, *args, **kwargs)

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        # WSGI wants every header value a plain str (wsgiref asserts it): a str subclass such as
        # DRF's Hyperlink in a Location header would turn a saved write into a 500.
        for name, value in list(response.items()):
            if type(value) is not str:
                response[name] = str(value)
        return response

    def get_authenticate_header(self, request: Request) -> str:
        # DRF asks only the first authenticator; session auth has no header, which turns
        # "not signed in" into a 403. Asking them all gives a 401 with "WWW-Authenticate: Token".
        for authenticator in self.get_authenticators():
            header = authenticator.authenticate_header(request)
            if header:
                return str(header)
        return ""
