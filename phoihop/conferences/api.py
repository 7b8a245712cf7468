"""API of conferences: ``/api/v1/conferences/`` with co-chairs, delegates, papers, signing (read-only, scoped)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from phoihop.activities.models import Proposal
from phoihop.api.base import ApiViewMixin
from phoihop.conferences import services
from phoihop.conferences.models import CoChair, Conference, Delegate, Paper
from phoihop.conferences.selectors import conferences_for, news_summary
from phoihop.programmes.models import Indicator, Signing


class ConferenceCoChairSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.full_name")
    rank = serializers.CharField(source="rank_at_event")
    rank_label = serializers.CharField(source="rank_at_event_label")
    positions = serializers.ListField(source="positions_at_event", child=serializers.CharField())

    class Meta:
        model = CoChair
        fields = ["name", "rank", "rank_label", "positions"]


class ConferenceDelegateSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name")
    rank = serializers.CharField(source="rank_at_event")
    rank_label = serializers.CharField(source="rank_at_event_label")
    positions = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Delegate
        fields = ["name", "rank", "rank_label", "positions", "organisation", "is_guest_of_honour"]


class ConferencePaperSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author_display")
    unit = serializers.CharField(source="unit.code", default=None)
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = Paper
        fields = ["title", "author", "unit", "has_file"]

    def get_has_file(self, paper: Paper) -> bool:
        return bool(paper.file)


class ConferenceSigningSerializer(serializers.ModelSerializer):
    phase = serializers.CharField(source="phase.code")
    phase_name = serializers.CharField(source="phase.name")
    bodies = serializers.SerializerMethodField()

    class Meta:
        model = Signing
        fields = ["phase", "phase_name", "signed_on", "place", "document_number", "bodies"]

    def get_bodies(self, signing: Signing) -> list[str]:
        return [u.code for u in signing.bodies.all()]


class ConferenceSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:conference-detail")
    programme = serializers.CharField(source="programme.code")
    phase = serializers.CharField(source="phase.code")
    date = serializers.DateField(source="held_on")
    organisers = serializers.SerializerMethodField()
    cochairs = ConferenceCoChairSerializer(many=True)
    delegates = ConferenceDelegateSerializer(many=True)
    guests = serializers.SerializerMethodField()
    papers = ConferencePaperSerializer(many=True)
    report = serializers.IntegerField(source="report_id", allow_null=True)
    signing = ConferenceSigningSerializer(allow_null=True)
    summary = serializers.SerializerMethodField()

    class Meta:
        model = Conference
        fields = [
            "url",
            "id",
            "programme",
            "phase",
            "kind",
            "title",
            "date",
            "place",
            "agenda",
            "organisers",
            "cochairs",
            "delegates",
            "guests",
            "papers",
            "report",
            "signing",
            "summary",
        ]

    def get_organisers(self, conference: Conference) -> list[dict[str, str]]:
        return [{"code": u.code, "name": u.name} for u in conference.organisers.all()]

    def get_guests(self, conference: Conference) -> list[str]:
        return [d.display_name for d in conference.delegates.all() if d.is_guest_of_honour]

    def get_summary(self, conference: Conference) -> str:
        return news_summary(conference).text


class SignNextPhaseSerializer(serializers.Serializer):
    code = serializers.RegexField(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$", label=_("Mã giai đoạn mới"))
    name = serializers.CharField(max_length=100, label=_("Tên hiển thị"))
    start = serializers.DateField(label=_("Bắt đầu"))
    end = serializers.DateField(label=_("Kết thúc"))
    document_number = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    retired_indicators = serializers.ListField(
        child=serializers.CharField(), required=False, default=list, label=_("Mã các chỉ tiêu thôi áp dụng")
    )
    proposals = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list, label=_("Các đề xuất được tiếp thu (id)")
    )


@extend_schema_view(
    list=extend_schema(summary=_("Danh sách hội nghị (lọc theo ?programme=mã, ?phase=mã giai đoạn, ?kind=)")),
    retrieve=extend_schema(summary=_("Một hội nghị: đồng chủ trì, đại biểu, tham luận, ký kết")),
)
@extend_schema(tags=["conferences"])
class ConferenceViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ConferenceSerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Conference]:
        qs = conferences_for(self.request.user)
        params: Any = self.request.query_params
        if params.get("programme"):
            qs = qs.filter(programme__code=params["programme"])
        if params.get("phase"):
            qs = qs.filter(phase__code=params["phase"])
        if params.get("kind"):
            qs = qs.filter(kind=params["kind"])
        return qs

    @extend_schema(
        summary=_("Ký kết giai đoạn mới tại hội nghị"),
        request=SignNextPhaseSerializer,
        responses={201: ConferenceSerializer},
    )
    @action(detail=True, methods=["post"], url_path="sign")
    def sign(self, request: Request, pk: str | None = None) -> Response:
        conference = self.get_object()
        serializer = SignNextPhaseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        indicators = list(Indicator.objects.filter(programme=conference.programme, code__in=data["retired_indicators"]))
        missing = set(data["retired_indicators"]) - {i.code for i in indicators}
        proposals = list(
            Proposal.objects.restrict(request.user, "view").filter(pk__in=data["proposals"], phase=conference.phase)
        )
        if missing or len(proposals) != len(set(data["proposals"])):
            raise serializers.ValidationError(
                {"detail": _("Không tìm thấy chỉ tiêu hoặc đề xuất của giai đoạn được tổng kết.")}
            )
        services.next_phase_sign(
            conference=conference,
            acting_user=request.user,
            code=data["code"],
            name=data["name"],
            start=data["start"],
            end=data["end"],
            document_number=data["document_number"],
            retired_indicators=indicators,
            proposals=proposals,
        )
        fresh = self.get_queryset().get(pk=conference.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)


ROUTES: list[tuple[str, str, type[viewsets.GenericViewSet]]] = [
    ("conferences", "conference", ConferenceViewSet),
]
