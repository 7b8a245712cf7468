"""The API of programmes and their phases: parties, fields, indicators, signings.

Reads start from ``restrict(user, "view")``. Set-up writes (issue 15: a programme with its
parties, phases, fields, indicators) go through ``phoihop.programmes.services``: a programme by a
system administrator or a unit administrator of one of its parties' units, the rest by the
programme's managers (``ProgrammePolicy.can_manage``)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.request import Request

from phoihop.api.base import ApiViewMixin, ServiceCreateMixin
from phoihop.api.fields import CODE_PATTERN, ID_PATTERN, ProgrammeCodeField, UnitCodeField, code_ref
from phoihop.core.gate import PROGRAMME_DATA
from phoihop.core.permissions import perms
from phoihop.core.text import fold
from phoihop.orgunits.api import UnitRefSerializer
from phoihop.programmes.models import Aggregation, Field, Indicator, Party, Phase, PhaseStatus, Programme, Signing
from phoihop.programmes.services import field_create, indicator_create, phase_create, programme_create


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


# --- set-up writes ------------------------------------------------------------------------------


def require_managers(request: Request) -> None:
    """Set-up writes are for unit administrators and system administrators: anyone else gets a
    403 before their input is read (the service then checks the programme or the units)."""
    perms(request.user).require_units("manage")


class ProgrammeCreateSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=40, label=_("Mã chương trình (chữ không dấu, số, dấu gạch)"))
    title = serializers.CharField(max_length=500, label=_("Tên chương trình"))
    parties = serializers.ListField(
        child=UnitCodeField(),
        label=_("Các bên ký kết: mã đơn vị đại diện của mỗi bên (ít nhất hai, mỗi bên một tổ chức)"),
    )


class PhaseCreateSerializer(serializers.Serializer):
    programme = ProgrammeCodeField(label=_("Chương trình (mã)"))
    code = serializers.CharField(max_length=40, label=_("Mã giai đoạn, ví dụ 2022-2027"))
    name = serializers.CharField(max_length=100, label=_("Tên hiển thị, ví dụ 2022–2027"))
    start = serializers.DateField(label=_("Ngày bắt đầu (YYYY-MM-DD)"))
    end = serializers.DateField(label=_("Ngày kết thúc (YYYY-MM-DD)"))
    status = serializers.ChoiceField(
        choices=PhaseStatus.choices,
        default=PhaseStatus.DRAFT,
        label=_("Trạng thái"),
        error_messages={"invalid_choice": _("Trạng thái “{input}” không hợp lệ.")},
    )


class FieldCreateSerializer(serializers.Serializer):
    programme = ProgrammeCodeField(label=_("Chương trình (mã)"))
    name = serializers.CharField(max_length=500, label=_("Tên lĩnh vực (không trùng trong chương trình)"))
    order = serializers.IntegerField(min_value=0, max_value=32767, default=0, label=_("Thứ tự"))
    code = serializers.SlugField(
        max_length=40, required=False, allow_blank=True, label=_("Mã (không bắt buộc; mặc định: tạo từ tên)")
    )


class FieldWrittenSerializer(serializers.ModelSerializer):
    programme = code_ref(_("Chương trình (mã)"))

    class Meta:
        model = Field
        fields = ["programme", "code", "name", "order"]


def resolve_field_by_name(programme: Programme, name: str) -> Field:
    """A field of ``programme`` by its name (with or without diacritics), or by its code."""
    fields = list(Field.objects.unrestricted(PROGRAMME_DATA).filter(programme=programme))
    wanted = fold(name)
    found = [f for f in fields if fold(f.name) == wanted] or [f for f in fields if f.code == name]
    if len(found) == 1:
        return found[0]
    if found:
        raise serializers.ValidationError(
            gettext("Có nhiều lĩnh vực tên “%(name)s”: %(codes)s; hãy ghi mã lĩnh vực.")
            % {"name": name, "codes": ", ".join(f.code for f in found)}
        )
    raise serializers.ValidationError(
        gettext("Không tìm thấy lĩnh vực “%(name)s” trong chương trình %(programme)s.")
        % {"name": name, "programme": programme.code}
    )


class IndicatorCreateSerializer(serializers.Serializer):
    programme = ProgrammeCodeField(label=_("Chương trình (mã)"))
    field = serializers.CharField(
        max_length=500,
        label=_("Lĩnh vực: tên lĩnh vực trong chương trình (như khi tạo; có dấu hoặc không), hoặc mã của nó"),
    )
    code = serializers.SlugField(max_length=40, label=_("Mã chỉ tiêu (không trùng trong chương trình)"))
    name = serializers.CharField(max_length=500, label=_("Tên chỉ tiêu"))
    unit_of_measure = serializers.CharField(max_length=64, label=_("Đơn vị tính"))
    aggregation = serializers.ChoiceField(
        choices=Aggregation.choices,
        default=Aggregation.SUM,
        label=_("Cách tổng hợp"),
        error_messages={"invalid_choice": _("Cách tổng hợp “{input}” không có; chỉ nhận sum (cộng dồn).")},
    )
    order = serializers.IntegerField(min_value=0, max_value=32767, default=0, label=_("Thứ tự"))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            attrs["field"] = resolve_field_by_name(attrs["programme"], attrs["field"])
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({"field": exc.detail}) from exc
        return attrs


class IndicatorWrittenSerializer(IndicatorSerializer):
    programme = code_ref(_("Chương trình (mã)"))

    class Meta(IndicatorSerializer.Meta):
        fields = ["programme", *IndicatorSerializer.Meta.fields]


class PhaseFilterSet(django_filters.FilterSet):
    programme = django_filters.CharFilter(field_name="programme__code", label=_("Chương trình (mã)"))
    status = django_filters.ChoiceFilter(choices=PhaseStatus.choices, label=_("Trạng thái"))

    class Meta:
        model = Phase
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary=_("Danh sách chương trình phối hợp")),
    retrieve=extend_schema(summary=_("Một chương trình: các bên, lĩnh vực, chỉ tiêu, giai đoạn")),
    create=extend_schema(
        summary=_("Tạo chương trình phối hợp giữa các bên (quản trị hệ thống, quản trị đơn vị của một bên)"),
        description=_(
            "Các bên theo mã đơn vị: ít nhất hai, mỗi bên một tổ chức; đơn vị vừa là cơ quan đại diện vừa "
            "là gốc phạm vi của bên đó. Người tạo phải quản trị đơn vị của một bên (hoặc là quản trị hệ thống)."
        ),
        request=ProgrammeCreateSerializer,
        responses={201: ProgrammeSerializer},
    ),
)
@extend_schema(tags=["programmes"])
class ProgrammeViewSet(ServiceCreateMixin, ApiViewMixin, viewsets.ReadOnlyModelViewSet):
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

    create_serializer_class = ProgrammeCreateSerializer
    create_service = programme_create
    check_create = staticmethod(require_managers)

    def created_data(self, obj: Programme) -> Any:
        return self.get_serializer(self.get_queryset().get(pk=obj.pk)).data


@extend_schema_view(
    list=extend_schema(summary=_("Danh sách giai đoạn")),
    retrieve=extend_schema(summary=_("Một giai đoạn")),
    create=extend_schema(
        summary=_("Thêm giai đoạn của chương trình (người quản lý chương trình)"),
        description=_(
            "Chương trình theo mã. Không được trùng thời gian với giai đoạn khác của chương trình "
            "(hai giai đoạn được chung ngày chuyển giao). Nhận mọi trạng thái khi thiết lập."
        ),
        request=PhaseCreateSerializer,
        responses={201: PhaseSerializer},
    ),
)
@extend_schema(tags=["phases"])
class PhaseViewSet(ServiceCreateMixin, ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PhaseSerializer
    filterset_class = PhaseFilterSet
    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[Phase]:
        return (
            Phase.objects.restrict(self.request.user, "view")
            .select_related("programme", "signing")
            .order_by("programme__code", "start")
        )

    create_serializer_class = PhaseCreateSerializer
    create_service = phase_create
    check_create = staticmethod(require_managers)

    def created_data(self, obj: Phase) -> Any:
        return self.get_serializer(self.get_queryset().get(pk=obj.pk)).data


@extend_schema_view(
    create=extend_schema(
        summary=_("Thêm lĩnh vực phối hợp của chương trình (người quản lý chương trình)"),
        description=_("Chương trình theo mã; mã lĩnh vực, nếu không ghi, được tạo từ tên."),
        request=FieldCreateSerializer,
        responses={201: FieldWrittenSerializer},
    ),
)
@extend_schema(tags=["fields"])
class FieldViewSet(ServiceCreateMixin, ApiViewMixin, viewsets.GenericViewSet):
    # Fields are read with their programme (GET /api/v1/programmes/{code}/); this route only adds.
    serializer_class = FieldWrittenSerializer
    queryset = Field.objects.none()

    create_serializer_class = FieldCreateSerializer
    create_service = field_create
    check_create = staticmethod(require_managers)


@extend_schema_view(
    create=extend_schema(
        summary=_("Thêm chỉ tiêu của chương trình (người quản lý chương trình)"),
        description=_(
            "Chương trình theo mã; lĩnh vực theo tên (như khi tạo lĩnh vực, có dấu hoặc không) hoặc theo mã. "
            "Mã chỉ tiêu không được trùng trong chương trình."
        ),
        request=IndicatorCreateSerializer,
        responses={201: IndicatorWrittenSerializer},
    ),
)
@extend_schema(tags=["indicators"])
class IndicatorViewSet(ServiceCreateMixin, ApiViewMixin, viewsets.GenericViewSet):
    # Indicators are read with their programme (GET /api/v1/programmes/{code}/); this route only adds.
    serializer_class = IndicatorWrittenSerializer
    queryset = Indicator.objects.none()

    create_serializer_class = IndicatorCreateSerializer
    create_service = indicator_create
    check_create = staticmethod(require_managers)


ROUTES = [
    ("programmes", "programme", ProgrammeViewSet),
    ("phases", "phase", PhaseViewSet),
    ("fields", "field", FieldViewSet),
    ("indicators", "indicator", IndicatorViewSet),
]
