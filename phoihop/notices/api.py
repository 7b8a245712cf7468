"""``/api/v1/notices/``: the user's own notices, and marking them read."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from phoihop.api.base import ApiViewMixin
from phoihop.api.fields import ID_PATTERN
from phoihop.notices.models import Notice
from phoihop.notices.services import absolute, mark_read


class NoticeSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True, label=gettext_lazy("Loại"))
    link = serializers.SerializerMethodField(label=gettext_lazy("Đường dẫn tới việc"))
    is_read = serializers.BooleanField(read_only=True, label=gettext_lazy("Đã đọc"))

    class Meta:
        model = Notice
        fields = ["id", "kind", "kind_label", "title", "body", "link", "created_at", "read_at", "is_read"]
        read_only_fields = fields

    def get_link(self, notice: Notice) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(notice.url) if request is not None and notice.url else absolute(notice.url)


class NoticeFilterSet(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", label=gettext_lazy("Chỉ thông báo chưa đọc (true)")
    )

    class Meta:
        model = Notice
        fields = ["kind"]


class ReadAllResultSerializer(serializers.Serializer):
    marked = serializers.IntegerField(label=gettext_lazy("Số thông báo vừa đánh dấu đã đọc"))


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Thông báo của người dùng, mới nhất trước")),
    retrieve=extend_schema(summary=gettext_lazy("Một thông báo")),
)
@extend_schema(tags=["notices"])
class NoticeViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = NoticeSerializer
    filterset_class = NoticeFilterSet
    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[Notice]:
        return Notice.objects.restrict(self.request.user, "view").order_by("-created_at", "-pk")

    @extend_schema(summary=gettext_lazy("Đánh dấu đã đọc"), request=None, responses=NoticeSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        notice = self.get_object()
        mark_read(user=request.user, notice_ids=[notice.pk])
        return Response(self.get_serializer(self.get_queryset().get(pk=notice.pk)).data)

    @extend_schema(summary=gettext_lazy("Đánh dấu tất cả đã đọc"), request=None, responses=ReadAllResultSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response({"marked": mark_read(user=request.user)})


ROUTES = [("notices", "notice", NoticeViewSet)]
