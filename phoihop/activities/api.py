"""The API of joint activities with their indicator values.

Reads start from ``restrict(user, "view")``; every write is a service of
``phoihop.activities.services`` (they keep the roll-ups exact in the same transaction).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from phoihop.activities import filtersets as activity_filtersets
from phoihop.activities.models import Activity
from phoihop.activities.services import (
    activity_approve,
    activity_create,
    activity_delete,
    activity_return,
    activity_submit,
    activity_update,
    activity_withdraw,
)
from phoihop.api.base import DELETION_REASON, ApiViewMixin, deletion_reason, location
from phoihop.api.concurrency import VersionedDetailMixin
from phoihop.api.fields import (
    ID_PATTERN,
    PhaseField,
    UnitCodeField,
    ValueSerializer,
    resolve_indicators,
)
from phoihop.entry.models import IndicatorValue
from phoihop.orgunits.models import AdminArea, OrgUnit


class ActivityFilterSet(activity_filtersets.ActivityFilterSet):
    """The activity list's filters (the HTML list's), with the field named by its code: the API
    shows fields by code, never by id."""

    field = django_filters.CharFilter(
        method="filter_field_code", label=gettext_lazy("Lĩnh vực (mã): có số liệu của lĩnh vực này")
    )

    class Meta(activity_filtersets.ActivityFilterSet.Meta):
        pass

    def filter_field_code(self, queryset: QuerySet[Activity], name: str, value: str) -> QuerySet[Activity]:
        with_field = IndicatorValue.objects.filter(activity__isnull=False, indicator__field__code=value)
        return queryset.filter(pk__in=with_field.values("activity"))


def values_prefetch() -> Prefetch:
    return Prefetch(
        "values",
        queryset=IndicatorValue.objects.select_related("indicator__field").order_by(
            "indicator__field__order", "indicator__order", "indicator__code"
        ),
    )


class ActivitySerializer(serializers.ModelSerializer):
    phase = PhaseField(label=gettext_lazy("Giai đoạn (id); không đổi được sau khi tạo"))
    programme = serializers.CharField(
        source="phase.programme.code", read_only=True, label=gettext_lazy("Chương trình (mã)")
    )
    area = serializers.SlugRelatedField(
        slug_field="code",
        queryset=AdminArea.objects.all(),
        required=False,
        allow_null=True,
        label=gettext_lazy("Địa bàn: mã xã, phường, đặc khu trong danh mục hành chính"),
        error_messages={"does_not_exist": gettext_lazy("Không tìm thấy địa bàn có mã “{value}”.")},
    )
    lead_unit = UnitCodeField(label=gettext_lazy("Đơn vị chủ trì (mã)"))
    partners = UnitCodeField(many=True, required=False, label=gettext_lazy("Đơn vị phối hợp (mã)"))
    values = ValueSerializer(
        many=True,
        required=False,
        label=gettext_lazy("Số liệu theo chỉ tiêu; khi sửa, danh sách gửi lên thay cả danh sách cũ"),
    )
    # A string, not an enum in the schema: the name "status" is the phases' enum already, and two
    # enums of one name need a project setting (ENUM_NAME_OVERRIDES) to tell them apart.
    status = serializers.CharField(
        read_only=True,
        label=gettext_lazy("Trạng thái"),
        help_text=gettext_lazy(
            "plan (kế hoạch: ngày kết thúc chưa đến, chưa tính số liệu), draft (nháp), submitted (đã gửi), "
            "approved (đã duyệt), returned (bị trả lại)"
        ),
    )
    status_label = serializers.CharField(
        source="get_status_display", read_only=True, label=gettext_lazy("Tên trạng thái")
    )
    submit = serializers.BooleanField(
        write_only=True,
        required=False,
        label=gettext_lazy("Gửi luôn khi tạo (số liệu được tính ngay); mặc định: lưu nháp"),
    )
    confirm_outliers = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        label=gettext_lazy("Xác nhận số liệu lớn bất thường"),
        help_text=gettext_lazy(
            "Số liệu lớn bất thường so với trước đây của đơn vị và các đơn vị cùng cấp được trả lời 400, "
            "lỗi ở trường của số liệu và ở confirm_outliers; gửi lại với confirm_outliers: true để xác nhận "
            "(lời xác nhận được ghi vào lịch sử). Số liệu vượt mức tối đa của chỉ tiêu luôn bị từ chối."
        ),
    )
    url = serializers.HyperlinkedIdentityField(view_name="api:activity-detail")

    class Meta:
        model = Activity
        fields = [
            "id",
            "version",
            "phase",
            "programme",
            "title",
            "start_date",
            "end_date",
            "area",
            "place",
            "lead_unit",
            "partners",
            "participants_lead",
            "participants_partner",
            "description",
            "values",
            "status",
            "status_label",
            "submit",
            "confirm_outliers",
            "return_reason",
            "submitted_at",
            "decided_at",
            "created_at",
            "url",
        ]
        read_only_fields = ["return_reason", "submitted_at", "decided_at", "created_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        phase = attrs.get("phase")
        if self.instance is not None:
            if "submit" in attrs:
                raise serializers.ValidationError(
                    {
                        "submit": _(
                            "Chỉ dùng khi tạo mới; để gửi hoạt động đã có, dùng POST /api/v1/activities/<id>/submit/."
                        )
                    }
                )
            if phase is not None and phase.pk != self.instance.phase_id:
                raise serializers.ValidationError({"phase": _("Không đổi được giai đoạn của hoạt động đã tạo.")})
            phase = self.instance.phase
        if "values" in attrs and phase is not None:
            try:
                attrs["values"] = resolve_indicators(phase.programme, attrs["values"])
            except serializers.ValidationError as exc:
                raise serializers.ValidationError({"values": exc.detail}) from exc
        return attrs


class ReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(label=gettext_lazy("Lý do trả lại"))


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(
        label=gettext_lazy("Lý do rút lại (không bắt buộc)"), required=False, allow_blank=True, max_length=1000
    )


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Danh sách hoạt động phối hợp trong phạm vi của người dùng")),
    retrieve=extend_schema(summary=gettext_lazy("Một hoạt động phối hợp, với số liệu theo chỉ tiêu")),
    create=extend_schema(
        summary=gettext_lazy("Thêm hoạt động phối hợp (ở trạng thái nháp)"),
        description=gettext_lazy(
            "Giai đoạn theo id (xem /api/v1/phases/); đơn vị chủ trì và đơn vị phối hợp theo mã; "
            "chỉ tiêu theo mã trong chương trình của giai đoạn."
        ),
    ),
    partial_update=extend_schema(
        summary=gettext_lazy("Sửa hoạt động ở trạng thái kế hoạch, nháp hoặc bị trả lại"),
        description=gettext_lazy("Hoạt động đã gửi phải rút lại trước (POST /api/v1/activities/<id>/withdraw/)."),
    ),
    destroy=extend_schema(
        summary=gettext_lazy("Xóa hoạt động ở trạng thái kế hoạch, nháp hoặc bị trả lại"),
        parameters=[DELETION_REASON],
    ),
)
@extend_schema(tags=["activities"])
class ActivityViewSet(
    VersionedDetailMixin,
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilterSet
    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[Activity]:
        return (
            Activity.objects.restrict(self.request.user, "view")
            .select_related("phase__programme", "lead_unit", "area")
            .prefetch_related(Prefetch("partners", queryset=OrgUnit.objects.order_by("code")), values_prefetch())
        )

    def _answer(self, activity: Activity, code: int = status.HTTP_200_OK) -> Response:
        # Read back through the scoped queryset, so the answer shows what a reader sees.
        fresh = self.get_queryset().get(pk=activity.pk)
        data = self.get_serializer(fresh).data
        headers = location(data, code)
        return Response(data, status=code, headers=headers)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        activity = activity_create(
            acting_user=request.user,
            values=data.pop("values", {}),
            partners=data.pop("partners", []),
            **data,
        )
        return self._answer(activity, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        activity = self.get_object()
        serializer = self.get_serializer(activity, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("phase", None)
        confirm = data.pop("confirm_outliers", False)
        activity = activity_update(
            confirm_outliers=confirm,
            activity=activity,
            acting_user=request.user,
            values=data.pop("values", None),
            partners=data.pop("partners", None),
            data=data,
            expected_version=self.expected_version,
        )
        return self._answer(activity)

    def perform_destroy(self, instance: Activity) -> None:
        activity_delete(activity=instance, acting_user=self.request.user, reason=deletion_reason(self.request))

    @extend_schema(
        summary=gettext_lazy("Gửi hoạt động lên cấp trên (số liệu bắt đầu được tính)"),
        request=None,
        responses=ActivitySerializer,
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        return self._answer(activity_submit(activity=self.get_object(), acting_user=request.user))

    @extend_schema(
        summary=gettext_lazy("Rút lại hoạt động đã gửi để sửa (về nháp; được ghi lại)"),
        request=WithdrawSerializer,
        responses=ActivitySerializer,
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        activity = self.get_object()
        serializer = WithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reason = serializer.validated_data.get("reason", "")
        return self._answer(activity_withdraw(activity=activity, acting_user=request.user, reason=reason))

    @extend_schema(
        summary=gettext_lazy("Duyệt hoạt động (người duyệt của cấp trên đơn vị chủ trì)"),
        request=None,
        responses=ActivitySerializer,
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        return self._answer(activity_approve(activity=self.get_object(), acting_user=request.user))

    @extend_schema(
        summary=gettext_lazy("Trả lại hoạt động kèm lý do (người duyệt của cấp trên đơn vị chủ trì)"),
        request=ReturnSerializer,
        responses=ActivitySerializer,
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: str) -> Response:
        activity = self.get_object()
        serializer = ReturnSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._answer(
            activity_return(activity=activity, acting_user=request.user, reason=serializer.validated_data["reason"])
        )


ROUTES = [("activities", "activity", ActivityViewSet)]
