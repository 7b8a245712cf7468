"""The API of good-practice models and their replications, exchanges, lessons and proposals.

Reads start from ``restrict(user, "view")``; every write is a service of ``phoihop.records.services``.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from phoihop.api.base import ApiViewMixin, created, location
from phoihop.api.concurrency import VersionedDetailMixin
from phoihop.api.fields import ID_PATTERN, UNIT_NOT_FOUND, CodeOf, PhaseField, UnitCodeField, resolve_field
from phoihop.api.filtersets import IdFilter, SearchFilterSet, subtree_path
from phoihop.core.permissions import perms
from phoihop.orgunits.models import OrgUnit
from phoihop.records.models import (
    Exchange,
    ExchangeKind,
    ExchangeRecipient,
    Lesson,
    PracticeModel,
    PracticeModelQuerySet,
    Proposal,
    ProposalHorizon,
    Replication,
)
from phoihop.records.permissions import visible_deliveries
from phoihop.records.services import (
    allowed_recipients,
    exchange_mark_read,
    exchange_send,
    lesson_save,
    practice_model_save,
    proposal_save,
    replication_add,
)


class PracticeModelFilterSet(SearchFilterSet):
    phase = IdFilter(field_name="phase", label=_("Giai đoạn (id)"))
    field = django_filters.CharFilter(field_name="field__code", label=_("Lĩnh vực (mã)"))
    unit = django_filters.CharFilter(
        method="filter_unit", label=_("Đơn vị (mã): mô hình xây dựng hoặc nhân rộng ở đơn vị và cấp dưới")
    )

    class Meta:
        model = PracticeModel
        fields: list[str] = []

    def filter_unit(self, queryset: PracticeModelQuerySet, name: str, value: str) -> QuerySet[Any]:
        path = subtree_path(value)
        return queryset.none() if path is None else queryset.in_subtree(path)


class ExchangeFilterSet(SearchFilterSet):
    phase = IdFilter(field_name="phase", label=_("Giai đoạn (id)"))
    kind = django_filters.ChoiceFilter(choices=ExchangeKind.choices, label=_("Loại"))
    sender = django_filters.CharFilter(
        field_name="sender", method="filter_subtree", label=_("Đơn vị gửi (mã), cả cấp dưới")
    )
    unread = django_filters.BooleanFilter(
        method="filter_unread", label=_("true: chỉ trao đổi đơn vị bạn nhận mà chưa ai đọc (Việc cần làm)")
    )

    class Meta:
        model = Exchange
        fields: list[str] = []

    def filter_unread(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if not value:
            return queryset
        from phoihop.inbox.selectors import exchanges_unread

        return queryset.filter(pk__in=exchanges_unread(self.request.user).values("pk"))


class LessonFilterSet(SearchFilterSet):
    phase = IdFilter(field_name="phase", label=_("Giai đoạn (id)"))
    field = django_filters.CharFilter(field_name="field__code", label=_("Lĩnh vực (mã)"))
    unit = django_filters.CharFilter(field_name="unit", method="filter_subtree", label=_("Đơn vị (mã), cả cấp dưới"))

    class Meta:
        model = Lesson
        fields: list[str] = []


class ProposalFilterSet(LessonFilterSet):
    horizon = django_filters.ChoiceFilter(choices=ProposalHorizon.choices, label=_("Đề xuất cho"))

    class Meta:
        model = Proposal
        fields: list[str] = []


class _FieldOfPhaseMixin(serializers.Serializer):
    # A record of a phase with a field: the field's code is looked up in the phase's programme.

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        phase = attrs.get("phase") or getattr(self.instance, "phase", None)
        code = attrs.get("field")
        if code and phase is not None:
            try:
                attrs["field"] = resolve_field(phase.programme, code)
            except serializers.ValidationError as exc:
                raise serializers.ValidationError({"field": exc.detail}) from exc
        elif "field" in attrs:
            attrs["field"] = None
        return attrs


class _SavedThroughService(VersionedDetailMixin, ApiViewMixin, viewsets.GenericViewSet):
    # create and partial_update through one ``save(acting_user=..., data=..., <record>=...)`` service.

    record_name = ""

    def save(self, *, acting_user: Any, data: dict[str, Any], record: Any, expected_version: int | None = None) -> Any:
        raise NotImplementedError

    def _answer(self, record: Any, code: int = status.HTTP_200_OK) -> Response:
        data = self.get_serializer(self.get_queryset().get(pk=record.pk)).data
        headers = location(data, code)
        return Response(data, status=code, headers=headers)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = self.save(acting_user=request.user, data=dict(serializer.validated_data), record=None)
        return self._answer(record, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.get_object()
        serializer = self.get_serializer(record, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        record = self.save(
            acting_user=request.user,
            data=dict(serializer.validated_data),
            record=record,
            expected_version=self.expected_version,
        )
        return self._answer(record)


class ReplicationSerializer(serializers.ModelSerializer):
    unit = UnitCodeField(label=gettext_lazy("Đơn vị nhân rộng (mã)"))
    unit_name = serializers.CharField(source="unit.display_name", read_only=True, label=gettext_lazy("Tên đơn vị"))

    class Meta:
        model = Replication
        fields = ["id", "unit", "unit_name", "replicated_on", "note"]


class PracticeModelSerializer(_FieldOfPhaseMixin, serializers.ModelSerializer):
    phase = PhaseField(label=gettext_lazy("Giai đoạn (id)"))
    programme = serializers.CharField(
        source="phase.programme.code", read_only=True, label=gettext_lazy("Chương trình (mã)")
    )
    field = CodeOf(max_length=40, label=gettext_lazy("Lĩnh vực (mã) trong chương trình của giai đoạn"))
    origin_unit = UnitCodeField(label=gettext_lazy("Đơn vị xây dựng (mã)"))
    replication_count = serializers.IntegerField(
        read_only=True, label=gettext_lazy("Số đơn vị đã nhân rộng (tất cả, kể cả ngoài phạm vi của người dùng)")
    )
    replications = ReplicationSerializer(
        many=True, read_only=True, source="visible_replications", label=gettext_lazy("Các đơn vị nhân rộng")
    )
    url = serializers.HyperlinkedIdentityField(view_name="api:practice-model-detail")

    class Meta:
        model = PracticeModel
        fields = [
            "id",
            "version",
            "phase",
            "programme",
            "name",
            "field",
            "origin_unit",
            "started_on",
            "description",
            "results",
            "replication_count",
            "replications",
            "url",
        ]


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Danh sách mô hình trong phạm vi của người dùng")),
    retrieve=extend_schema(summary=gettext_lazy("Một mô hình và các đơn vị nhân rộng")),
    create=extend_schema(summary=gettext_lazy("Thêm mô hình")),
    partial_update=extend_schema(summary=gettext_lazy("Sửa mô hình")),
)
@extend_schema(tags=["practice-models"])
class PracticeModelViewSet(
    _SavedThroughService, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = PracticeModelSerializer
    filterset_class = PracticeModelFilterSet
    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[PracticeModel]:
        user = self.request.user
        visible = Replication.objects.restrict(user, "view").select_related("unit").order_by("replicated_on", "pk")
        return (
            PracticeModel.objects.restrict(user, "view")
            .select_related("phase__programme", "field", "origin_unit")
            .annotate(replication_count=Count("replications"))
            .order_by("-started_on", "pk")  # a GROUP BY drops the model's ordering
            .prefetch_related(Prefetch("replications", queryset=visible, to_attr="visible_replications"))
        )

    def save(self, *, acting_user: Any, data: dict[str, Any], record: Any, expected_version: int | None = None) -> Any:
        return practice_model_save(acting_user=acting_user, data=data, model=record, expected_version=expected_version)

    @extend_schema(
        methods=["GET"],
        summary=gettext_lazy("Các đơn vị nhân rộng mô hình (trong phạm vi của người dùng)"),
        responses=ReplicationSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary=gettext_lazy("Ghi nhận một đơn vị nhân rộng mô hình"),
        request=ReplicationSerializer,
        responses={201: ReplicationSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def replications(self, request: Request, pk: str) -> Response:
        model = self.get_object()
        if request.method == "GET":
            rows = Replication.objects.restrict(request.user, "view").filter(model=model).select_related("unit")
            return Response(ReplicationSerializer(rows, many=True, context=self.get_serializer_context()).data)
        serializer = ReplicationSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        replication = replication_add(
            acting_user=request.user,
            model=model,
            unit=data["unit"],
            replicated_on=data["replicated_on"],
            note=data.get("note", ""),
        )
        return Response(ReplicationSerializer(replication).data, status=status.HTTP_201_CREATED)


class ReadingSerializer(serializers.Serializer):
    unit = serializers.CharField(label=gettext_lazy("Đơn vị nhận (mã)"))
    read_at = serializers.DateTimeField(label=gettext_lazy("Đã đọc lúc"))
    reader = serializers.CharField(label=gettext_lazy("Người đọc"))


class ExchangeSerializer(serializers.ModelSerializer):
    sender = UnitCodeField(label=gettext_lazy("Đơn vị gửi (mã)"))
    phase = PhaseField(required=False, allow_null=True, label=gettext_lazy("Giai đoạn (id)"))
    kind = serializers.ChoiceField(
        choices=ExchangeKind.choices, default=ExchangeKind.NOTICE, label=gettext_lazy("Loại")
    )
    kind_label = serializers.CharField(source="get_kind_display", read_only=True, label=gettext_lazy("Tên loại"))
    recipients = serializers.SerializerMethodField(label=gettext_lazy("Nơi nhận (mã)"))
    recipient_codes = serializers.ListField(
        child=serializers.CharField(max_length=64),
        write_only=True,
        allow_empty=False,
        label=gettext_lazy("Nơi nhận (mã): đơn vị cấp dưới hoặc đơn vị phối hợp và cấp dưới của họ"),
    )
    read_by = serializers.SerializerMethodField(label=gettext_lazy("Nơi nhận đã đọc"))
    url = serializers.HyperlinkedIdentityField(view_name="api:exchange-detail")

    class Meta:
        model = Exchange
        fields = [
            "id",
            "sender",
            "phase",
            "kind",
            "kind_label",
            "subject",
            "body",
            "sent_at",
            "recipients",
            "recipient_codes",
            "read_by",
            "url",
        ]
        read_only_fields = ["sent_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        user = self.context["request"].user
        sender: OrgUnit = attrs["sender"]
        codes = list(dict.fromkeys(attrs.pop("recipient_codes")))
        # Units the sender may write to are found even where the user cannot read them (a
        # counterpart's lower units); only for a sender the user may write for.
        pool = OrgUnit.objects.restrict(user, "view").filter(code__in=codes)
        if perms(user).reaches(sender, "change"):
            pool = pool | allowed_recipients(sender).filter(code__in=codes)
        found = {u.code: u for u in pool.distinct()}
        missing = [code for code in codes if code not in found]
        if missing:
            raise serializers.ValidationError(
                {"recipient_codes": [str(UNIT_NOT_FOUND).format(value=code) for code in missing]}
            )
        attrs["recipients"] = [found[code] for code in codes]
        return attrs

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_recipients(self, exchange: Exchange) -> list[str]:
        return [d.unit.code for d in visible_deliveries(perms(self.context["request"].user), exchange)]

    @extend_schema_field(ReadingSerializer(many=True))
    def get_read_by(self, exchange: Exchange) -> list[dict[str, Any]]:
        return [
            {
                "unit": d.unit.code,
                "read_at": serializers.DateTimeField().to_representation(d.read_at),
                "reader": (d.read_by.get_full_name() or d.read_by.username) if d.read_by else "",
            }
            for d in visible_deliveries(perms(self.context["request"].user), exchange)
            if d.read_at is not None
        ]


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Trao đổi thông tin đã gửi hoặc đã nhận trong phạm vi của người dùng")),
    retrieve=extend_schema(summary=gettext_lazy("Một trao đổi thông tin, với nơi nhận và nơi đã đọc")),
    create=extend_schema(summary=gettext_lazy("Gửi trao đổi thông tin")),
)
@extend_schema(tags=["exchanges"])
class ExchangeViewSet(
    ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = ExchangeSerializer
    filterset_class = ExchangeFilterSet
    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[Exchange]:
        deliveries = ExchangeRecipient.objects.select_related("unit", "read_by").order_by("unit__path")
        return (
            Exchange.objects.restrict(self.request.user, "view")
            .select_related("sender", "phase")
            .prefetch_related(Prefetch("deliveries", queryset=deliveries))
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        exchange = exchange_send(acting_user=request.user, **serializer.validated_data)
        data = self.get_serializer(self.get_queryset().get(pk=exchange.pk)).data
        return created(data)

    @extend_schema(
        summary=gettext_lazy("Đánh dấu đã đọc (cho các nơi nhận thuộc đơn vị của người dùng)"),
        request=None,
        responses=ExchangeSerializer,
    )
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        exchange = self.get_object()
        exchange_mark_read(exchange=exchange, acting_user=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=exchange.pk)).data)


class LessonSerializer(_FieldOfPhaseMixin, serializers.ModelSerializer):
    unit = UnitCodeField(label=gettext_lazy("Đơn vị (mã)"))
    phase = PhaseField(label=gettext_lazy("Giai đoạn (id)"))
    programme = serializers.CharField(
        source="phase.programme.code", read_only=True, label=gettext_lazy("Chương trình (mã)")
    )
    field = CodeOf(
        max_length=40,
        required=False,
        allow_null=True,
        allow_blank=True,
        label=gettext_lazy("Lĩnh vực (mã) trong chương trình của giai đoạn"),
    )
    url = serializers.HyperlinkedIdentityField(view_name="api:lesson-detail")

    class Meta:
        model = Lesson
        fields = ["id", "version", "unit", "phase", "programme", "field", "title", "content", "recorded_on", "url"]


class ProposalSerializer(LessonSerializer):
    horizon = serializers.ChoiceField(
        choices=ProposalHorizon.choices, required=False, label=gettext_lazy("Đề xuất cho")
    )
    horizon_label = serializers.CharField(
        source="get_horizon_display", read_only=True, label=gettext_lazy("Đề xuất cho (tên)")
    )
    url = serializers.HyperlinkedIdentityField(view_name="api:proposal-detail")

    class Meta:
        model = Proposal
        fields = [
            "id",
            "version",
            "unit",
            "phase",
            "programme",
            "horizon",
            "horizon_label",
            "field",
            "title",
            "content",
            "recorded_on",
            "url",
        ]


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Bài học kinh nghiệm trong phạm vi của người dùng")),
    retrieve=extend_schema(summary=gettext_lazy("Một bài học kinh nghiệm")),
    create=extend_schema(summary=gettext_lazy("Ghi bài học kinh nghiệm")),
    partial_update=extend_schema(summary=gettext_lazy("Sửa bài học kinh nghiệm")),
)
@extend_schema(tags=["lessons"])
class LessonViewSet(_SavedThroughService, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = LessonSerializer
    filterset_class = LessonFilterSet
    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[Lesson]:
        return Lesson.objects.restrict(self.request.user, "view").select_related("unit", "phase__programme", "field")

    def save(self, *, acting_user: Any, data: dict[str, Any], record: Any, expected_version: int | None = None) -> Any:
        return lesson_save(acting_user=acting_user, data=data, lesson=record, expected_version=expected_version)


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Đề xuất phương hướng, nhiệm vụ trong phạm vi của người dùng")),
    retrieve=extend_schema(summary=gettext_lazy("Một đề xuất phương hướng, nhiệm vụ")),
    create=extend_schema(summary=gettext_lazy("Ghi đề xuất phương hướng, nhiệm vụ")),
    partial_update=extend_schema(summary=gettext_lazy("Sửa đề xuất phương hướng, nhiệm vụ")),
)
@extend_schema(tags=["proposals"])
class ProposalViewSet(_SavedThroughService, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ProposalSerializer
    filterset_class = ProposalFilterSet
    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[Proposal]:
        return Proposal.objects.restrict(self.request.user, "view").select_related("unit", "phase__programme", "field")

    def save(self, *, acting_user: Any, data: dict[str, Any], record: Any, expected_version: int | None = None) -> Any:
        return proposal_save(acting_user=acting_user, data=data, proposal=record, expected_version=expected_version)


ROUTES = [
    ("practice-models", "practice-model", PracticeModelViewSet),
    ("exchanges", "exchange", ExchangeViewSet),
    ("lessons", "lesson", LessonViewSet),
    ("proposals", "proposal", ProposalViewSet),
]
