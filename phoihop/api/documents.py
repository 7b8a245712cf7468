"""Document downloads through the API: the format asked for, and the file answered."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.request import Request

from phoihop.documents.formats import FORMATS

FORMAT_NAMES = ", ".join(FORMATS)
FILE_FORMAT = OpenApiParameter(
    "file_format",
    str,
    enum=list(FORMATS),
    default="docx",
    description=gettext_lazy("Định dạng văn bản: docx (Word), xlsx (Excel), pdf"),
)
BINARY = {(200, media_type): OpenApiTypes.BINARY for media_type in FORMATS.values()}


def requested_format(request: Request) -> str:
    """The ``file_format`` a document download asks for (docx by default), or a 400."""
    fmt = str(request.query_params.get("file_format", "docx"))
    if fmt not in FORMATS:
        raise serializers.ValidationError(
            {
                "file_format": [
                    _("Định dạng “%(value)s” không hợp lệ; nhận: %(formats)s.")
                    % {"value": fmt, "formats": FORMAT_NAMES}
                ]
            }
        )
    return fmt


def file_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["Content-Length"] = str(len(content))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def stored_file_response(field: Any, filename: str, content_type: str) -> FileResponse:
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
