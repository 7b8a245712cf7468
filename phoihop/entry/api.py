"""The API of the figures units enter for a period, and of entry locks.

Reads start from ``restrict(user, "view")``; writes are services of ``phoihop.entry.services``.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from phoihop.api.base import ApiViewMixin
from phoihop.api.fields import (
    ID_PATTERN,
    UnitCodeField,
    ValueSerializer,
    code_ref,
    resolve_indicators,
    resolve_programme,
)
from phoihop.api.filtersets import SubtreeFilterSet
from phoihop.entry.models import EntryLock, IndicatorValue
from phoihop.entry.services import figures_enter, lock_reopen


class EnteredFigureFilterSet(SubtreeFilterSet):
    unit = django_filters.CharFilter(
        field_name="unit", method="filter_subtree", label=gettext_lazy("Đơn vị (mã), cả cấp dưới")
    )
    programme = django_filters.CharFilter(
        field_name="indicator__programme__code", label=gettext_lazy("Chương trình (mã)")
    )
    indicator = django_filters.CharFilter(field_name="indicator__code", label=gettext_lazy("Chỉ tiêu (mã)"))
    start = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=gettext_lazy("Cuối kỳ từ ngày"))
    end = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=gettext_lazy("Cuối kỳ đến ngày"))

    class Meta:
        model = IndicatorValue
        fields: list[str] = []


class LockFilterSet(SubtreeFilterSet):
    unit = django_filters.CharFilter(
        field_name="unit", method="filter_subtree", label=gettext_lazy("Đơn vị (mã), cả cấp dưới")
    )
    active = django_filters.BooleanFilter(
        field_name="reopened_at", lookup_expr="isnull", label=gettext_lazy("Còn khóa (chưa mở lại)")
    )

    class Meta:
        model = EntryLock
        fields: list[str] = []


class EnteredFigureSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True, label=gettext_lazy("Đơn vị (mã)"))
    unit_name = serializers.CharField(source="unit.display_name", read_only=True, label=gettext_lazy("Tên đơn vị"))
    programme = serializers.CharField(
        source="indicator.programme.code", read_only=True, label=gettext_lazy("Chương trình (mã)")
    )
    indicator = serializers.CharField(source="indicator.code", read_only=True, label=gettext_lazy("Chỉ tiêu (mã)"))
    indicator_name = serializers.CharField(source="indicator.name", read_only=True, label=gettext_lazy("Tên chỉ tiêu"))
    period_end = serializers.DateField(source="date", read_only=True, label=gettext_lazy("Cuối kỳ"))
    entered_by_unit = code_ref(gettext_lazy("Cấp trên nhập thay (mã)"), allow_null=True)

    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "unit",
            "unit_name",
            "programme",
            "indicator",
            "indicator_name",
            "period_start",
            "period_end",
            "value",
            "counted",
            "approved",
            "entered_by_unit",
            "note",
        ]
        read_only_fields = fields


class EnterFiguresSerializer(serializers.Serializer):
    unit = UnitCodeField(label=gettext_lazy("Đơn vị (mã)"))
    programme = serializers.CharField(
        required=False,
        label=gettext_lazy("Chương trình (mã); mặc định: chương trình đầu tiên có đơn vị tham gia"),
    )
    period_start = serializers.DateField(label=gettext_lazy("Đầu kỳ"))
    period_end = serializers.DateField(label=gettext_lazy("Cuối kỳ (số liệu tính vào ngày này)"))
    values = ValueSerializer(
        many=True, allow_empty=False, label=gettext_lazy("Số liệu theo chỉ tiêu; giá trị null xóa số đã nhập")
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, label=gettext_lazy("Ghi chú"))
    confirm_outliers = serializers.BooleanField(
        required=False,
        default=False,
        label=gettext_lazy("Xác nhận số liệu lớn bất thường"),
        help_text=gettext_lazy(
            "Số liệu lớn bất thường được trả lời 400 (lỗi ở values và confirm_outliers); gửi lại với "
            "confirm_outliers: true để xác nhận, lời xác nhận được ghi vào lịch sử."
        ),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["period_end"] < attrs["period_start"]:
            raise serializers.ValidationError({"period_end": _("Ngày cuối kỳ không được trước ngày đầu kỳ.")})
        programme = resolve_programme(attrs["unit"], self.context["request"].user, attrs.pop("programme", None))
        try:
            attrs["values"] = resolve_indicators(programme, attrs["values"])
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({"values": exc.detail}) from exc
        return attrs


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Số liệu các đơn vị nhập theo kỳ, trong phạm vi của người dùng")),
    create=extend_schema(
        summary=gettext_lazy("Nhập số liệu của một đơn vị cho một kỳ"),
        description=gettext_lazy(
            "Mỗi giá trị đặt số liệu của chỉ tiêu cho kỳ (ghi đè số đã nhập); null xóa số đã nhập. "
            "Số liệu tính vào ngày cuối kỳ. Cấp trên nhập thay cho đơn vị cấp dưới được ghi nhận. "
            "Trả về toàn bộ số liệu của đơn vị trong kỳ sau khi nhập."
        ),
        request=EnterFiguresSerializer,
        responses=EnteredFigureSerializer(many=True),
    ),
)
@extend_schema(tags=["entered-figures"])
class EnteredFigureViewSet(ApiViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = EnteredFigureSerializer
    filterset_class = EnteredFigureFilterSet

    def get_queryset(self) -> QuerySet[IndicatorValue]:
        return (
            IndicatorValue.objects.entered()
            .restrict(self.request.user, "view")
            .select_related("unit", "indicator__programme", "entered_by_unit")
            .order_by("-date", "unit__path", "indicator__field__order", "indicator__order", "pk")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = EnterFiguresSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        figures_enter(
            acting_user=request.user,
            unit=data["unit"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            values=data["values"],
            note=data.get("note", ""),
            confirm_outliers=data.get("confirm_outliers", False),
        )
        rows = self.get_queryset().filter(unit=data["unit"], period_start=data["period_start"], date=data["period_end"])
        return Response(self.get_serializer(rows, many=True).data)


class LockSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True, label=gettext_lazy("Đơn vị (mã)"))
    unit_name = serializers.CharField(source="unit.display_name", read_only=True, label=gettext_lazy("Tên đơn vị"))
    programme = code_ref(gettext_lazy("Chương trình (mã; trống: mọi chương trình)"), allow_null=True)
    programme_name = serializers.SerializerMethodField(label=gettext_lazy("Chương trình"))
    active = serializers.BooleanField(source="is_active", read_only=True, label=gettext_lazy("Còn khóa"))
    url = serializers.HyperlinkedIdentityField(view_name="api:lock-detail")

    class Meta:
        model = EntryLock
        fields = [
            "id",
            "unit",
            "unit_name",
            "programme",
            "programme_name",
            "start",
            "end",
            "reason",
            "active",
            "locked_at",
            "reopened_at",
            "reopen_reason",
            "url",
        ]
        read_only_fields = fields

    def get_programme_name(self, lock: EntryLock) -> str:
        return lock.programme.title if lock.programme is not None else _("Mọi chương trình")


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(label=gettext_lazy("Lý do mở khóa"))


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Các kỳ đã khóa nhập liệu trong phạm vi của người dùng")),
    retrieve=extend_schema(summary=gettext_lazy("Một kỳ đã khóa nhập liệu")),
)
@extend_schema(tags=["locks"])
class LockViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = LockSerializer
    filterset_class = LockFilterSet
    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[EntryLock]:
        return EntryLock.objects.restrict(self.request.user, "view").select_related("unit", "programme")

    @extend_schema(
        summary=gettext_lazy("Mở lại kỳ đã khóa (người duyệt của cấp trên, kèm lý do)"),
        request=ReopenSerializer,
        responses=LockSerializer,
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str) -> Response:
        lock = self.get_object()
        serializer = ReopenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        lock = lock_reopen(lock=lock, acting_user=request.user, reason=serializer.validated_data["reason"])
        return Response(self.get_serializer(self.get_queryset().get(pk=lock.pk)).data)


ROUTES = [
    ("entered-figures", "entered-figure", EnteredFigureViewSet),
    ("locks", "lock", LockViewSet),
]
