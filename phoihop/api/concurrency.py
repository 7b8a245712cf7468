"""No lost update through the API: the version of a record travels as its ETag.

A detail read answers ``ETag: "<version>"`` (a strong validator: the version changes with every
save of the row, ``phoihop.core.models.Versioned``). A PUT or PATCH must send it back in
``If-Match``:

- without ``If-Match``: 428 Precondition Required, nothing written;
- with a version that is no longer the stored one: 412 Precondition Failed, with the version now
  stored (``{"detail": ..., "version": N}``) and its ETag, nothing written.

``W/"3"``, ``"3"`` and ``3`` are read alike; ``*`` is not accepted (it would overwrite blindly).
The compare-and-increment itself is the service's (``phoihop.core.services.check_version``):
the view passes ``self.expected_version`` on, so that two writers sending the same version
cannot both pass.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from phoihop.core.services import Conflict

UPDATE_METHODS = ("PUT", "PATCH")
_TAG = re.compile(r'^\s*(?:W/)?"?(\d{1,9})"?\s*$')

IF_MATCH = OpenApiParameter(
    name="If-Match",
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=True,
    description=_(
        'Phiên bản của bản ghi lúc đọc: giá trị ETag của lần đọc chi tiết (ví dụ "3"), cũng là trường '
        "version của bản ghi trong câu trả lời. "
        "Thiếu thì trả về 428; nếu người khác đã lưu sau đó thì trả về 412 kèm phiên bản hiện tại, "
        "không ghi gì."
    ),
)


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = _(
        "Thiếu tiêu đề If-Match. Hãy đọc bản ghi trước (GET) rồi gửi lại giá trị ETag của nó trong "
        "If-Match, để không ghi đè thay đổi của người khác."
    )
    default_code = "precondition_required"


def etag(version: int) -> str:
    return f'"{version}"'


def parse_if_match(header: str) -> int | None:
    """The version an If-Match names; None when it names none we know (it then matches nothing)."""
    first = header.split(",")[0]
    match = _TAG.match(first)
    return int(match.group(1)) if match else None


def api_stale_message(current: Any) -> str:
    from phoihop.core.services import last_change

    who, when = last_change(current)
    return str(
        _(
            "Bản ghi đã được %(who)s sửa lúc %(when)s, sau khi bạn đọc nó (phiên bản hiện tại: %(version)s). "
            "Không có gì được ghi: hãy đọc lại bản ghi rồi gửi lại thay đổi với If-Match mới."
        )
        % {"who": who, "when": when, "version": current.version}
    )


def stale_response(message: str, current_version: int | None) -> Response:
    response = Response({"detail": message, "version": current_version}, status=status.HTTP_412_PRECONDITION_FAILED)
    if current_version is not None:
        response["ETag"] = etag(current_version)
    return response


class VersionedDetailMixin(generics.GenericAPIView):
    # Mixed into every API viewset whose detail route takes PUT or PATCH, before ApiViewMixin.
    # The schema: the If-Match parameter is added to those operations by ``IF_MATCH`` (see
    # ``if_match_schema``); a comment, not a docstring, for drf-spectacular's sake.

    expected_version: int | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Declare the If-Match header on the update operations of every viewset using this.
        methods = {
            name: extend_schema(parameters=[IF_MATCH]) for name in ("update", "partial_update") if hasattr(cls, name)
        }
        if methods:
            extend_schema_view(**methods)(cls)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if request.method in UPDATE_METHODS:
            header = request.headers.get("If-Match")
            if not header or not header.strip():
                raise PreconditionRequired()
            self.expected_version = parse_if_match(header)

    def get_object(self) -> Any:
        obj = super().get_object()
        # The record itself (a nested row's PATCH checks the row's version in its service).
        if (
            self.request.method in UPDATE_METHODS
            and getattr(self, "action", None) in ("update", "partial_update")
            and self.expected_version != obj.version
        ):
            raise Conflict(api_stale_message(obj), current_version=obj.version, current=obj)
        return obj

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, Conflict) and self.request.method in UPDATE_METHODS:
            message = api_stale_message(exc.current) if exc.current is not None else " ".join(exc.messages)
            return stale_response(message, exc.current_version)
        return super().handle_exception(exc)

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if (
            200 <= response.status_code < 300
            and isinstance(data, dict)
            and isinstance(data.get("version"), int)
            and not response.has_header("ETag")
        ):
            response["ETag"] = etag(data["version"])
        return response
