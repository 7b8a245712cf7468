"""The API of programmes and their phases (read only): parties, fields, indicators, signings."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets

from phoihop.api.base import ApiViewMixin
from phoihop.api.fields import CODE_PATTERN, ID_PATTERN, code_ref
from phoihop.orgunits.api import UnitRefSerializer
from phoihop.programmes.models import Field, Indicator, Party, Phase, PhaseStatus, Programme, Signing


class PartySerializer(serializers.ModelSerializer):
    organisation = code_ref(_("Tổ chức (mã)"))
    organisation_name = serializers.CharField(source="organisation.name", read_only=True, label=_("Tên tổ chức"))
    representative_unit = UnitRefSerializer(read_only=True, label=_("Cơ quan đại diện"))
    root_unit = UnitRefSerializer(read_only=True, label=_("Phạm vi (đơn vị gốc)"))

    class Meta:
        model = Party
        fields = ["organisation", "organisation_name", "representative_unit", "root_unit", "order"]


class FieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = Field
        fields = ["code", "name", "order"]


class IndicatorSerializer(serializers.ModelSerializer):
    field = code_ref(_("Lĩnh vực (mã)"))
    introduced_in = code_ref(_("Áp dụng từ giai đoạn (mã)"), allow_null=True)
    retired_in = code_ref(_("Thôi áp dụng từ giai đoạn (mã)"), allow_null=True)

    class Meta:
        model = Indicator
        fields = ["code", "name", "field", "unit_of_measure", "aggregation", "introduced_in", "retired_in", "order"]


class SigningSerializer(serializers.ModelSerializer):
    class Meta:
        model = Signing
        fields = ["signed_on", "place", "document_number"]


class PhaseSerializer(serializers.ModelSerializer):
    programme = code_ref(_("Chương trình (mã)"))
    status_label = serializers.CharField(source="get_status_display", read_only=True, label=_("Tên trạng thái"))
    signing = serializers.SerializerMethodField(label=_("Ký kết"))
    url = serializers.HyperlinkedIdentityField(view_name="api:phase-detail")

    class Meta:
        model = Phase
        fields = ["id", "programme", "code", "name", "start", "end", "status", "status_label", "signing", "url"]

    @extend_schema_field(SigningSerializer(allow_null=True))
    def get_signing(self, phase: Phase) -> dict[str, Any] | None:
        try:
            signing = phase.signing
        except Signing.DoesNotExist:
            return None
        return dict(SigningSerializer(signing).data)


class PhaseBriefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:phase-detail")

    class Meta:
        model = Phase
        fields = ["id", "code", "name", "start", "end", "status", "url"]


class ProgrammeSerializer(serializers.ModelSerializer):
    parent = code_ref(_("Chương trình cấp trên (mã)"), allow_null=True)  # type: ignore[assignment]
    parties = PartySerializer(many=True, read_only=True)
    fields = FieldSerializer(many=True, read_only=True)  # type: ignore[assignment]
    indicators = IndicatorSerializer(many=True, read_only=True)
    phases = PhaseBriefSerializer(many=True, read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:programme-detail", lookup_field="code")

    class Meta:
        model = Programme
        fields = [
            "code",
            "title",
            "summary",
            "legal_basis",
            "parent",
            "parties",
            "fields",
            "indicators",
            "phases",
            "url",
        ]


class PhaseFilterSet(django_filters.FilterSet):
    programme = django_filters.CharFilter(field_name="programme__code", label=_("Chương trình (mã)"))
    status = django_filters.ChoiceFilter(choices=PhaseStatus.choices, label=_("Trạng thái"))

    class Meta:
        model = Phase
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary=_("Danh sách chương trình phối hợp")),
    retrieve=extend_schema(summary=_("Một chương trình: các bên, lĩnh vực, chỉ tiêu, giai đoạn")),
)
@extend_schema(tags=["programmes"])
class ProgrammeViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ProgrammeSerializer
    lookup_field = "code"
    lookup_value_regex = CODE_PATTERN

    def get_queryset(self) -> QuerySet[Programme]:
        return (
            Programme.objects.restrict(self.request.user, "view")
            .select_related("parent")
            .prefetch_related(
                Prefetch(
                    "parties",
                    queryset=Party.objects.select_related("organisation", "representative_unit", "root_unit"),
                ),
                "fields",
                Prefetch(
                    "indicators", queryset=Indicator.objects.select_related("field", "introduced_in", "retired_in")
                ),
                "phases",
            )
        )


@extend_schema_view(
    list=extend_schema(summary=_("Danh sách giai đoạn")),
    retrieve=extend_schema(summary=_("Một giai đoạn")),
)
@extend_schema(tags=["phases"])
class PhaseViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PhaseSerializer
    filterset_class = PhaseFilterSet
    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[Phase]:
        return (
            Phase.objects.restrict(self.request.user, "view")
            .select_related("programme", "signing")
            .order_by("programme__code", "start")
        )


ROUTES = [
    ("programmes", "programme", ProgrammeViewSet),
    ("phases", "phase", PhaseViewSet),
]
