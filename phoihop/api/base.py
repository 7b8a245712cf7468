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
from rest_framework import exceptions
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from phoihop.core.services import Conflict, Unavailable

if TYPE_CHECKING:
    from rest_framework.permissions import _PermissionClass


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus: a service's ValidationError is a 400 with field errors, a write on a
    record someone saved meanwhile a 409 with the version now stored, a missing server tool
    (LibreOffice) a 503, and every 404 says only "not found" (a record out of scope answers
    exactly like a missing one)."""
    if isinstance(exc, Conflict):
        return Response({"detail": " ".join(exc.messages), "version": exc.current_version}, status=409)
    if isinstance(exc, Unavailable):
        return Response({"detail": str(exc)}, status=503)
    if isinstance(exc, Http404):
        # Django's message names the model ("No OrgUnit matches the given query."): drop it.
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=_validation_detail(exc))
    return drf_exception_handler(exc, context)


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

    def get_authenticate_header(self, request: Request) -> str:
        # DRF asks only the first authenticator; session auth has no header, which turns
        # "not signed in" into a 403. Asking them all gives a 401 with "WWW-Authenticate: Token".
        for authenticator in self.get_authenticators():
            header = authenticator.authenticate_header(request)
            if header:
                return str(header)
        return ""
