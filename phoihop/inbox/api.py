"""``GET /api/v1/inbox/``: the user's Việc cần làm, each group with its count and the lists
(API and page) that hold exactly its rows."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from phoihop.api.base import ApiViewMixin
from phoihop.inbox.selectors import inbox


class InboxGroupSerializer(serializers.Serializer):
    key = serializers.CharField(
        label=gettext_lazy("Mã nhóm"),
        help_text=gettext_lazy(
            "activities_to_approve, reports_to_approve, activities_returned, reports_returned, reports_due, "
            "nominations_to_decide, exchanges_unread"
        ),
    )
    title = serializers.CharField(label=gettext_lazy("Tên nhóm"))
    count = serializers.IntegerField(label=gettext_lazy("Số việc"))
    url = serializers.URLField(
        allow_null=True,
        label=gettext_lazy("Danh sách của API có đúng các dòng này (đã lọc); null nếu không có"),
    )
    page_url = serializers.URLField(label=gettext_lazy("Trang danh sách có đúng các dòng này"))


class InboxSerializer(serializers.Serializer):
    groups = InboxGroupSerializer(many=True, label=gettext_lazy("Các nhóm việc"))


class InboxViewSet(ApiViewMixin, viewsets.ViewSet):
    # A comment, not a docstring: drf-spectacular shows docstrings as descriptions.

    @extend_schema(
        operation_id="inbox_list",
        summary=gettext_lazy("Việc cần làm của người dùng"),
        description=gettext_lazy(
            "Hoạt động và báo cáo chờ duyệt, việc của bạn bị trả lại, báo cáo đến hạn trong 7 ngày hoặc chậm, "
            "đề nghị khen thưởng chờ xét, trao đổi chưa đọc. Số việc của mỗi nhóm bằng số dòng của danh sách "
            "mà url (API) và page_url (trang) dẫn tới."
        ),
        responses=InboxSerializer,
        tags=["inbox"],
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        groups = [
            {
                "key": g.key,
                "title": g.title,
                "count": g.count,
                "url": request.build_absolute_uri(g.api_url) if g.api_url else None,
                "page_url": request.build_absolute_uri(g.page_url),
            }
            for g in inbox(request.user, items=0)
        ]
        return Response(InboxSerializer({"groups": groups}).data)


ROUTES = [("inbox", "inbox", InboxViewSet)]
