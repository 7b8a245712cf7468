"""The API's entry point: a link to every list of every app."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from phoihop.api.base import ApiViewMixin
from phoihop.api.routes import OTHER_LINKS, ROUTES


def _lists(viewset: Any) -> bool:
    return hasattr(viewset, "list")


class ApiRootView(ApiViewMixin):
    """The entry point of v1: a link to every list."""

    @extend_schema(
        operation_id="api_root",
        summary=_("Danh mục các tài nguyên của API"),
        description=_("Đường dẫn tới từng danh sách của API phiên bản 1."),
        responses=inline_serializer(
            name="ApiRoot",
            fields={
                **{prefix: serializers.URLField() for prefix, _basename, viewset in ROUTES if _lists(viewset)},
                **{key: serializers.URLField() for key in OTHER_LINKS},
            },
        ),
        tags=["root"],
    )
    def get(self, request: Request) -> Response:
        links = {
            prefix: reverse(f"api:{basename}-list", request=request)
            for prefix, basename, viewset in ROUTES
            if _lists(viewset)
        }
        links.update({key: reverse(name, request=request) for key, name in OTHER_LINKS.items()})
        return Response(links)
