"""API of commendations: award forms and emulation titles (read only, kept apart), nominations
with their transitions and dossier files, decisions with their documents, and the awards
(commendation history).

Reads start from the selectors and ``restrict(user, "view")`` (a record outside the reader's
scope answers 404, like a missing one); every write is a service of
``phoihop.commendations.services`` (a service's ``OutOfScope`` is a 403 about a record the user
sees but may not change; a rule refused is a 400 with its Vietnamese message).

Phases are given as in the rest of the API: by id (``phase: 12``), or by code within a
programme (``programme: "QDND-CCB", phase: "2022-2027"``); lists filter by codes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from phoihop.activities.models import Activity
from phoihop.api.base import DELETION_REASON, ApiViewMixin, created, deletion_reason, location
from phoihop.api.concurrency import VersionedDetailMixin
from phoihop.api.documents import BINARY, FILE_FORMAT, file_response, requested_format, stored_file_response
from phoihop.api.fields import ID_PATTERN, ScopedPkField, UnitCodeField, choices_text
from phoihop.api.filtersets import IdFilter, SubtreeFilterSet, YearFilter
from phoihop.audit.access import log_people_export
from phoihop.conferences.models import Conference
from phoihop.core.gate import STRUCTURE
from phoihop.documents.formats import FORMATS
from phoihop.jobs.api import decision_pdf_job
from phoihop.orgunits.models import OrgUnit, Person, Rank
from phoihop.programmes.models import Phase

from . import achievement, selectors, services
from .documents import decision_document, decision_docx, decision_xlsx
from .models import (
    Award,
    AwardCategory,
    AwardRequirement,
    AwardType,
    Decision,
    DossierKind,
    Nomination,
    NominationFile,
    NominationStatus,
    NominationStep,
    Recipients,
)

# --- award forms and emulation titles ------------------------------------------------------------


class AwardRequirementSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="required.code", read_only=True, label=gettext_lazy("Danh hiệu (mã)"))
    name = serializers.CharField(source="required.name", read_only=True, label=gettext_lazy("Tên danh hiệu"))

    class Meta:
        model = AwardRequirement
        fields = ["title", "name", "times", "within_years"]
        read_only_fields = fields


class AwardFormSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:award-form-detail", lookup_field="code")
    category = serializers.CharField(
        read_only=True, label=gettext_lazy("Nhóm"), help_text=choices_text(AwardCategory.choices)
    )
    category_label = serializers.CharField(
        source="get_category_display", read_only=True, label=gettext_lazy("Tên nhóm")
    )
    recipients = serializers.CharField(
        read_only=True, label=gettext_lazy("Dành cho"), help_text=choices_text(Recipients.choices)
    )
    recipients_label = serializers.CharField(
        source="get_recipients_display", read_only=True, label=gettext_lazy("Dành cho (tên)")
    )
    organisation = serializers.CharField(
        source="awarding_organisation.code", read_only=True, label=gettext_lazy("Tổ chức khen thưởng (mã)")
    )
    level = serializers.CharField(
        source="awarding_level.code", read_only=True, label=gettext_lazy("Cấp khen thưởng (mã)")
    )
    level_name = serializers.CharField(
        source="awarding_level.name", read_only=True, label=gettext_lazy("Cấp khen thưởng (tên)")
    )
    requirements = AwardRequirementSerializer(many=True, read_only=True, label=gettext_lazy("Danh hiệu phải có trước"))

    class Meta:
        model = AwardType
        fields = [
            "code",
            "name",
            "category",
            "category_label",
            "recipients",
            "recipients_label",
            "organisation",
            "level",
            "level_name",
            "requirements",
            "note",
            "url",
        ]
        read_only_fields = fields


class EmulationTitleSerializer(AwardFormSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:emulation-title-detail", lookup_field="code")

    class Meta(AwardFormSerializer.Meta):
        pass


class AwardTypeFilterSet(django_filters.FilterSet):
    recipients = django_filters.ChoiceFilter(
        choices=[
            (Recipients.COLLECTIVE.value, Recipients.COLLECTIVE.label),
            (Recipients.INDIVIDUAL.value, Recipients.INDIVIDUAL.label),
        ],
        method="filter_recipients",
        label=gettext_lazy("Dành cho: collective (tập thể) hoặc individual (cá nhân)"),
    )
    organisation = django_filters.CharFilter(
        field_name="awarding_organisation__code", label=gettext_lazy("Tổ chức khen thưởng (mã): qdnd, ccb")
    )
    level = django_filters.CharFilter(field_name="awarding_level__code", label=gettext_lazy("Cấp khen thưởng (mã)"))

    class Meta:
        model = AwardType
        fields: list[str] = []

    def filter_recipients(self, queryset: QuerySet[AwardType], name: str, value: str) -> QuerySet[AwardType]:
        return queryset.filter(recipients__in=[value, Recipients.BOTH])


def _catalogue(rows: QuerySet[AwardType]) -> QuerySet[AwardType]:
    return rows.select_related("awarding_organisation", "awarding_level").prefetch_related(
        Prefetch("requirements", queryset=AwardRequirement.objects.select_related("required").order_by("pk"))
    )


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Các hình thức khen thưởng (Huân chương, Bằng khen, Giấy khen…)")),
    retrieve=extend_schema(summary=gettext_lazy("Một hình thức khen thưởng")),
)
@extend_schema(tags=["commendations"])
class AwardFormViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    # Read only: the catalogue is edited in the Django admin.
    serializer_class = AwardFormSerializer
    filterset_class = AwardTypeFilterSet
    lookup_field = "code"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    def get_queryset(self) -> QuerySet[AwardType]:
        return _catalogue(selectors.award_forms(self.request.user))


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Các danh hiệu thi đua (Chiến sĩ thi đua, Đơn vị quyết thắng…)")),
    retrieve=extend_schema(summary=gettext_lazy("Một danh hiệu thi đua, với các danh hiệu phải có trước")),
)
@extend_schema(tags=["commendations"])
class EmulationTitleViewSet(AwardFormViewSet):
    serializer_class = EmulationTitleSerializer

    def get_queryset(self) -> QuerySet[AwardType]:
        return _catalogue(selectors.emulation_titles(self.request.user))


# --- nominations -------------------------------------------------------------------------------


class NominationStepSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True, label=gettext_lazy("Đơn vị (mã)"))
    action_label = serializers.CharField(source="get_action_display", read_only=True, label=gettext_lazy("Thao tác"))
    to_unit = serializers.CharField(
        source="to_unit.code", read_only=True, default=None, allow_null=True, label=gettext_lazy("Chuyển đến (mã)")
    )
    by = serializers.CharField(
        source="by.username", read_only=True, default=None, allow_null=True, label=gettext_lazy("Người thực hiện")
    )
    action = serializers.CharField(read_only=True, label=gettext_lazy("Thao tác (mã)"))

    class Meta:
        model = NominationStep
        fields = ["unit", "action", "action_label", "to_unit", "by", "at", "reason"]
        read_only_fields = fields


class NominationFileSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(
        read_only=True, label=gettext_lazy("Loại giấy tờ"), help_text=choices_text(DossierKind.choices)
    )
    kind_label = serializers.CharField(
        source="get_kind_display", read_only=True, label=gettext_lazy("Tên loại giấy tờ")
    )
    name = serializers.CharField(source="original_name", read_only=True, label=gettext_lazy("Tên tệp"))
    url = serializers.SerializerMethodField(label=gettext_lazy("Tải tệp"))

    class Meta:
        model = NominationFile
        fields = ["id", "kind", "kind_label", "name", "content_type", "size", "uploaded_at", "url"]
        read_only_fields = fields

    def get_url(self, row: NominationFile) -> str:
        return reverse(
            "api:nomination-file",
            kwargs={"pk": row.nomination_id, "file_id": row.pk},
            request=self.context.get("request"),
        )


class NominationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:nomination-detail")
    nominee_kind = serializers.SerializerMethodField(
        label=gettext_lazy("collective (tập thể) hoặc individual (cá nhân)")
    )
    nominee_name = serializers.CharField(read_only=True, label=gettext_lazy("Tên tập thể, cá nhân"))
    nominee_unit = serializers.CharField(
        source="nominee_unit.code", read_only=True, default=None, allow_null=True, label=gettext_lazy("Tập thể (mã)")
    )
    person = serializers.IntegerField(
        source="person_id", read_only=True, allow_null=True, label=gettext_lazy("Cá nhân (id)")
    )
    rank_at_event = serializers.CharField(read_only=True, label=gettext_lazy("Cấp bậc khi đề nghị (mã)"))
    rank_at_event_label = serializers.CharField(read_only=True, label=gettext_lazy("Cấp bậc khi đề nghị"))
    positions_at_event = serializers.ListField(
        child=serializers.CharField(), read_only=True, label=gettext_lazy("Chức vụ khi đề nghị")
    )
    home_unit = serializers.CharField(
        source="home_unit.code", read_only=True, label=gettext_lazy("Đơn vị của đối tượng")
    )
    proposing_unit = serializers.CharField(
        source="proposing_unit.code", read_only=True, label=gettext_lazy("Đơn vị đề nghị")
    )
    proposing_unit_name = serializers.CharField(
        source="proposing_unit.name", read_only=True, label=gettext_lazy("Tên đơn vị đề nghị")
    )
    award = serializers.CharField(source="award.code", read_only=True, label=gettext_lazy("Khen thưởng (mã)"))
    award_name = serializers.CharField(source="award.name", read_only=True, label=gettext_lazy("Tên khen thưởng"))
    programme = serializers.CharField(
        source="phase.programme.code", read_only=True, label=gettext_lazy("Chương trình (mã)")
    )
    phase = serializers.CharField(source="phase.code", read_only=True, label=gettext_lazy("Giai đoạn (mã)"))
    phase_id = serializers.IntegerField(read_only=True, label=gettext_lazy("Giai đoạn (id)"))
    activities: serializers.PrimaryKeyRelatedField[Activity] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, label=gettext_lazy("Hoạt động minh chứng (id)")
    )
    status = serializers.CharField(
        read_only=True, label=gettext_lazy("Trạng thái"), help_text=choices_text(NominationStatus.choices)
    )
    status_label = serializers.CharField(
        source="get_status_display", read_only=True, label=gettext_lazy("Tên trạng thái")
    )
    holder = serializers.CharField(source="holder.code", read_only=True, label=gettext_lazy("Đang ở đơn vị (mã)"))
    awarding_unit = serializers.CharField(
        source="awarding_unit.code", read_only=True, label=gettext_lazy("Đơn vị khen thưởng (mã)")
    )
    route = serializers.SerializerMethodField(label=gettext_lazy("Lộ trình: mã các đơn vị sẽ đi qua"))
    steps = NominationStepSerializer(many=True, read_only=True, label=gettext_lazy("Các bước đã xét"))
    files = NominationFileSerializer(many=True, read_only=True, label=gettext_lazy("Tệp hồ sơ"))
    decision = serializers.IntegerField(
        source="decision_id", read_only=True, allow_null=True, label=gettext_lazy("Quyết định khen thưởng (id)")
    )

    class Meta:
        model = Nomination
        fields = [
            "id",
            "version",
            "nominee_kind",
            "nominee_name",
            "nominee_unit",
            "person",
            "rank_at_event",
            "rank_at_event_label",
            "positions_at_event",
            "home_unit",
            "proposing_unit",
            "proposing_unit_name",
            "award",
            "award_name",
            "programme",
            "phase",
            "phase_id",
            "year",
            "summary",
            "activities",
            "submission_text",
            "achievement_report",
            "council_minutes",
            "status",
            "status_label",
            "holder",
            "awarding_unit",
            "route",
            "steps",
            "files",
            "decision",
            "created_at",
            "url",
        ]
        read_only_fields = fields

    def get_nominee_kind(self, nomination: Nomination) -> str:
        return "collective" if nomination.is_collective else "individual"

    def get_route(self, nomination: Nomination) -> list[str]:
        codes = self.context.get("route_codes")
        if codes is None or not set(nomination.route) <= codes.keys():
            codes = route_codes([nomination])
        return [codes[pk] for pk in nomination.route if pk in codes]


def route_codes(nominations: Iterable[Nomination]) -> dict[int, str]:
    """The codes of the units on the nominations' routes, in one query."""
    pks = {pk for nomination in nominations for pk in nomination.route}
    return dict(OrgUnit.objects.unrestricted(STRUCTURE).filter(pk__in=pks).values_list("pk", "code"))


def _text_field(label: Any) -> serializers.CharField:
    return serializers.CharField(required=False, allow_blank=True, default="", label=label)


def _activities_field() -> Any:
    return ScopedPkField(
        Activity,
        gettext_lazy("Không tìm thấy hoạt động số {pk_value}."),
        many=True,
        required=False,
        label=gettext_lazy("Hoạt động minh chứng (id), cùng giai đoạn với đề nghị"),
    )


def resolve_phase(user: Any, programme: str, phase: str) -> Phase:
    """A phase by id, or by its code within the programme named by code; among the user's phases."""
    phases = Phase.objects.restrict(user, "view").select_related("programme")
    if programme:
        found = phases.filter(programme__code=programme, code=phase).first()
    elif phase.isdigit() and len(phase) < 10:
        found = phases.filter(pk=int(phase)).first()
    else:
        raise serializers.ValidationError(
            {"phase": [_("Hãy ghi id của giai đoạn, hoặc mã chương trình (programme) kèm mã giai đoạn.")]}
        )
    if found is None:
        raise serializers.ValidationError({"phase": [_("Không tìm thấy giai đoạn “%(phase)s”.") % {"phase": phase}]})
    return found


class NominationCreateSerializer(serializers.Serializer):
    proposing_unit = UnitCodeField(label=gettext_lazy("Đơn vị đề nghị (mã)"))
    nominee_unit = UnitCodeField(
        required=False, allow_null=True, label=gettext_lazy("Tập thể được đề nghị (mã đơn vị); hoặc person")
    )
    person = ScopedPkField(
        Person,
        gettext_lazy("Không tìm thấy người số {pk_value}."),
        required=False,
        allow_null=True,
        label=gettext_lazy("Cá nhân được đề nghị (id); hoặc nominee_unit"),
    )
    award = serializers.SlugRelatedField(
        slug_field="code",
        queryset=AwardType.objects.filter(is_active=True),
        label=gettext_lazy("Hình thức khen thưởng hoặc danh hiệu (mã)"),
        error_messages={"does_not_exist": gettext_lazy("Không tìm thấy hình thức khen thưởng, danh hiệu “{value}”.")},
    )
    programme = serializers.CharField(
        required=False, allow_blank=True, default="", label=gettext_lazy("Chương trình (mã), khi giai đoạn ghi theo mã")
    )
    phase = serializers.CharField(
        max_length=40, label=gettext_lazy("Giai đoạn: id, hoặc mã giai đoạn kèm mã chương trình (programme)")
    )
    year = serializers.IntegerField(min_value=1900, max_value=2200, label=gettext_lazy("Năm xét"))
    summary = _text_field(gettext_lazy("Tóm tắt thành tích"))
    activities = _activities_field()
    submission_text = _text_field(gettext_lazy("Tờ trình"))
    council_minutes = _text_field(gettext_lazy("Biên bản họp hội đồng thi đua, khen thưởng"))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if (attrs.get("nominee_unit") is None) == (attrs.get("person") is None):
            raise serializers.ValidationError(
                {"nominee_unit": [_("Hãy chọn một tập thể (nominee_unit) hoặc một cá nhân (person) được đề nghị.")]}
            )
        user = self.context["request"].user
        attrs["phase"] = resolve_phase(user, attrs.pop("programme", ""), attrs["phase"])
        return attrs


class NominationSaveSerializer(serializers.Serializer):
    summary = serializers.CharField(required=False, allow_blank=True, label=gettext_lazy("Tóm tắt thành tích"))
    year = serializers.IntegerField(required=False, min_value=1900, max_value=2200, label=gettext_lazy("Năm xét"))
    activities = _activities_field()
    submission_text = serializers.CharField(required=False, allow_blank=True, label=gettext_lazy("Tờ trình"))
    achievement_report = serializers.CharField(
        required=False, allow_blank=True, label=gettext_lazy("Báo cáo thành tích")
    )
    council_minutes = serializers.CharField(
        required=False, allow_blank=True, label=gettext_lazy("Biên bản họp hội đồng thi đua, khen thưởng")
    )


class NominationReasonSerializer(serializers.Serializer):
    # Blank is left to the service, which says which reason is missing.
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000, label=gettext_lazy("Lý do")
    )


def _signer_rank_field() -> serializers.CharField:
    return serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        label=gettext_lazy("Cấp bậc người ký (mã, ví dụ dai-tuong)"),
    )


def _check_rank(value: str) -> str:
    if value and value not in Rank.values:
        raise serializers.ValidationError(_("Cấp bậc “%(value)s” không hợp lệ.") % {"value": value})
    return value


class NominationDecideSerializer(serializers.Serializer):
    decision = ScopedPkField(
        Decision,
        gettext_lazy("Không tìm thấy quyết định số {pk_value}."),
        required=False,
        allow_null=True,
        label=gettext_lazy("Thêm vào quyết định đã có (id); bỏ trống: ra quyết định mới"),
    )
    issued_on = serializers.DateField(required=False, label=gettext_lazy("Ngày ký (quyết định mới); mặc định hôm nay"))
    subject = _text_field(gettext_lazy("Trích yếu (quyết định mới)"))
    signer_name = _text_field(gettext_lazy("Người ký (quyết định mới); bỏ trống cùng chức vụ: người đứng đầu"))
    signer_capacity = _text_field(gettext_lazy("Thẩm quyền ký: TM., KT., Q., TL., TUQ. (quyết định mới)"))
    signer_collective = _text_field(gettext_lazy("Tập thể hoặc người đứng đầu sau thẩm quyền (quyết định mới)"))
    signer_title = _text_field(gettext_lazy("Chức vụ người ký (quyết định mới)"))
    signer_rank = _signer_rank_field()
    conference = ScopedPkField(
        Conference,
        gettext_lazy("Không tìm thấy hội nghị số {pk_value}."),
        required=False,
        allow_null=True,
        label=gettext_lazy("Công bố tại hội nghị (id; quyết định mới)"),
    )

    def validate_signer_rank(self, value: str) -> str:
        return _check_rank(value)


class DossierUploadSerializer(serializers.Serializer):
    kind = serializers.CharField(label=gettext_lazy("Loại giấy tờ"), help_text=choices_text(DossierKind.choices))
    file = serializers.FileField(label=gettext_lazy("Tệp: PDF, JPEG, PNG, Word…"))


class NominationFilterSet(SubtreeFilterSet):
    status = django_filters.ChoiceFilter(choices=NominationStatus.choices, label=gettext_lazy("Trạng thái"))
    programme = django_filters.CharFilter(field_name="phase__programme__code", label=gettext_lazy("Chương trình (mã)"))
    phase = django_filters.CharFilter(field_name="phase__code", label=gettext_lazy("Giai đoạn (mã), ví dụ 2022-2027"))
    award = django_filters.CharFilter(field_name="award__code", label=gettext_lazy("Khen thưởng (mã)"))
    year = YearFilter(field_name="year", label=gettext_lazy("Năm xét"))
    proposing_unit = django_filters.CharFilter(
        field_name="proposing_unit", method="filter_subtree", label=gettext_lazy("Đơn vị đề nghị (mã), cả cấp dưới")
    )
    to_decide = django_filters.BooleanFilter(
        method="filter_to_decide", label=gettext_lazy("true: chỉ các đề nghị đang chờ người dùng xét")
    )

    class Meta:
        model = Nomination
        fields: list[str] = []

    def filter_to_decide(self, queryset: QuerySet[Nomination], name: str, value: bool | None) -> QuerySet[Nomination]:
        if not value:
            return queryset
        return queryset.filter(pk__in=selectors.nominations_to_decide(self.request.user).values("pk"))


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Danh sách đề nghị khen thưởng trong phạm vi của người dùng")),
    retrieve=extend_schema(summary=gettext_lazy("Một đề nghị khen thưởng: đối tượng, hồ sơ, lộ trình, các bước xét")),
    create=extend_schema(
        summary=gettext_lazy("Lập đề nghị khen thưởng (đang soạn)"),
        description=gettext_lazy(
            "Một tập thể (nominee_unit, mã đơn vị) hoặc một cá nhân (person, id) thuộc đơn vị đề nghị hoặc cấp dưới; "
            "giai đoạn theo id, hoặc mã giai đoạn kèm mã chương trình. Các quy định (không khen trùng, đúng phạm vi, "
            "danh hiệu phải có trước, chỉ tiêu) bị vi phạm trả về 400 kèm thông báo."
        ),
        request=NominationCreateSerializer,
        responses={201: NominationSerializer},
    ),
    partial_update=extend_schema(
        summary=gettext_lazy("Sửa đề nghị đang soạn hoặc bị trả lại"),
        request=NominationSaveSerializer,
        responses=NominationSerializer,
    ),
    destroy=extend_schema(
        summary=gettext_lazy("Xóa đề nghị đang soạn, chưa gửi lần nào"), parameters=[DELETION_REASON]
    ),
)
@extend_schema(tags=["commendations"])
class NominationViewSet(
    VersionedDetailMixin,
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = NominationSerializer
    filterset_class = NominationFilterSet
    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[Nomination]:
        return (
            selectors.nominations_visible(self.request.user)
            .select_related("phase__programme", "home_unit")
            .prefetch_related(
                "activities",
                Prefetch("steps", queryset=NominationStep.objects.select_related("unit", "to_unit", "by")),
                "files",
            )
        )

    def paginate_queryset(self, queryset: Any) -> list[Any] | None:
        page = super().paginate_queryset(queryset)
        if page is not None:
            self.route_codes = route_codes(page)  # one query for the page, not one per nomination
        return page

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "route_codes": getattr(self, "route_codes", None)}

    def _answer(self, nomination: Nomination, code: int = status.HTTP_200_OK) -> Response:
        # Read back through the scoped queryset, so the answer shows what a reader sees.
        fresh = self.get_queryset().filter(pk=nomination.pk).first() or nomination
        data = self.get_serializer(fresh).data
        headers = location(data, code)
        return Response(data, status=code, headers=headers)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = NominationCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        nomination = services.nomination_create(acting_user=request.user, **serializer.validated_data)
        return self._answer(nomination, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        nomination = self.get_object()
        serializer = NominationSaveSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        nomination = services.nomination_save(
            nomination=nomination,
            data=dict(serializer.validated_data),
            acting_user=request.user,
            expected_version=self.expected_version,
        )
        return self._answer(nomination)

    def perform_destroy(self, instance: Nomination) -> None:
        services.nomination_delete(
            nomination=instance, acting_user=self.request.user, reason=deletion_reason(self.request)
        )

    @extend_schema(
        summary=gettext_lazy("Gửi đề nghị lên cấp trên (đơn vị đề nghị)"), request=None, responses=NominationSerializer
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def submit(self, request: Request, pk: str) -> Response:
        return self._answer(services.nomination_submit(nomination=self.get_object(), acting_user=request.user))

    @extend_schema(
        summary=gettext_lazy("Đồng ý, trình cấp trên (người duyệt của đơn vị đang giữ đề nghị)"),
        description=gettext_lazy("Khi cấp trên thuộc tổ chức khen thưởng kia, đề nghị được chuyển sang tổ chức đó."),
        request=None,
        responses=NominationSerializer,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def endorse(self, request: Request, pk: str) -> Response:
        return self._answer(services.nomination_endorse(nomination=self.get_object(), acting_user=request.user))

    @extend_schema(
        summary=gettext_lazy("Trả lại đơn vị đề nghị kèm lý do (người duyệt của đơn vị đang giữ đề nghị)"),
        request=NominationReasonSerializer,
        responses=NominationSerializer,
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return", filterset_class=None)
    def return_(self, request: Request, pk: str) -> Response:
        nomination = self.get_object()
        serializer = NominationReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reason = serializer.validated_data["reason"]
        return self._answer(services.nomination_return(nomination=nomination, reason=reason, acting_user=request.user))

    @extend_schema(
        summary=gettext_lazy("Không đề nghị khen thưởng, kèm lý do (người duyệt của đơn vị đang giữ đề nghị)"),
        request=NominationReasonSerializer,
        responses=NominationSerializer,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def reject(self, request: Request, pk: str) -> Response:
        nomination = self.get_object()
        serializer = NominationReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reason = serializer.validated_data["reason"]
        return self._answer(services.nomination_reject(nomination=nomination, reason=reason, acting_user=request.user))

    @extend_schema(
        summary=gettext_lazy("Quyết định khen thưởng (người duyệt của đơn vị khen thưởng)"),
        description=gettext_lazy(
            "Thêm vào quyết định đã có (decision), hoặc ra quyết định mới, lấy số trong sổ của cơ quan ban hành. "
            "Các quy định được kiểm tra lại."
        ),
        request=NominationDecideSerializer,
        responses=NominationSerializer,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def decide(self, request: Request, pk: str) -> Response:
        nomination = self.get_object()
        serializer = NominationDecideSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        decision = data.pop("decision", None)
        fields = {} if decision is not None else {key: value for key, value in data.items() if value}
        services.nomination_decide(nomination=nomination, acting_user=request.user, decision=decision, **fields)
        return self._answer(nomination)

    @extend_schema(
        summary=gettext_lazy("Viết lại báo cáo thành tích từ dữ liệu (thay bản đã sửa)"),
        request=None,
        responses=NominationSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="achievement-report",
        url_name="achievement-report",
        filterset_class=None,
    )
    def achievement_report(self, request: Request, pk: str) -> Response:
        nomination = self.get_object()
        return self._answer(services.achievement_report_generate(nomination=nomination, acting_user=request.user))

    @extend_schema(
        summary=gettext_lazy("Tải báo cáo thành tích theo mẫu Nghị định 98/2023 (Word hoặc PDF)"),
        description=gettext_lazy(
            "achievement-report.docx hoặc achievement-report.pdf: báo cáo thành tích của tập thể (mẫu 01) hay "
            "cá nhân (mẫu 02), lập từ dữ liệu, có bảng các hình thức khen thưởng đã được ghi nhận và các khối "
            "ký, xác nhận. Định dạng khác trả về 404. Máy chủ chưa cài LibreOffice thì PDF trả về 503."
        ),
        responses={
            (200, achievement.DOCX_TYPE): OpenApiTypes.BINARY,
            (200, achievement.PDF_TYPE): OpenApiTypes.BINARY,
            503: OpenApiTypes.OBJECT,
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"achievement-report\.(?P<fmt>[a-z0-9]{1,8})",
        url_name="achievement-report-file",
        filterset_class=None,
    )
    def achievement_report_file(self, request: Request, pk: str, fmt: str) -> HttpResponse:
        nomination = self.get_object()
        if fmt not in achievement.FORMATS:
            raise Http404
        content, name, content_type = achievement.build(nomination, request.user, fmt)
        achievement.log_export(request, nomination, fmt)
        return file_response(content, name, content_type)

    @extend_schema(
        methods=["GET"],
        summary=gettext_lazy("Các tệp hồ sơ của đề nghị"),
        responses=NominationFileSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary=gettext_lazy("Thêm tệp hồ sơ (tờ trình, báo cáo thành tích, biên bản đã ký…)"),
        description=gettext_lazy("Loại tệp được đọc từ nội dung; tệp đổi đuôi bị từ chối."),
        request={"multipart/form-data": DossierUploadSerializer},
        responses={201: NominationFileSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser],
        filterset_class=None,
        pagination_class=None,
    )
    def files(self, request: Request, pk: str) -> Response:
        nomination = self.get_object()
        context = self.get_serializer_context()
        if request.method == "GET":
            return Response(NominationFileSerializer(nomination.files.all(), many=True, context=context).data)
        serializer = DossierUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = services.nomination_file_add(
            nomination=nomination,
            kind=serializer.validated_data["kind"],
            upload=serializer.validated_data["file"],
            acting_user=request.user,
        )
        return Response(NominationFileSerializer(row, context=context).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        summary=gettext_lazy("Tải một tệp hồ sơ của đề nghị"),
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @extend_schema(methods=["DELETE"], summary=gettext_lazy("Xóa một tệp hồ sơ của đề nghị"), responses={204: None})
    @action(
        detail=True,
        methods=["get", "delete"],
        url_path=r"files/(?P<file_id>[0-9]{1,9})",
        url_name="file",
        filterset_class=None,
    )
    def file(self, request: Request, pk: str, file_id: str) -> HttpResponseBase:
        nomination = self.get_object()
        row = get_object_or_404(NominationFile, nomination=nomination, pk=int(file_id))
        if request.method == "GET":
            return stored_file_response(row.file, row.original_name, row.content_type)
        services.nomination_file_remove(row=row, acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- decisions -------------------------------------------------------------------------------


class DecisionAwardSerializer(serializers.ModelSerializer):
    nominee = serializers.SerializerMethodField(label=gettext_lazy("Tập thể, cá nhân"))
    nominee_unit = serializers.CharField(
        source="nominee_unit.code", read_only=True, default=None, allow_null=True, label=gettext_lazy("Tập thể (mã)")
    )
    person = serializers.IntegerField(
        source="person_id", read_only=True, allow_null=True, label=gettext_lazy("Cá nhân (id)")
    )
    rank = serializers.CharField(source="rank_at_event", read_only=True, label=gettext_lazy("Cấp bậc khi khen (mã)"))
    rank_label = serializers.CharField(
        source="rank_at_event_label", read_only=True, label=gettext_lazy("Cấp bậc khi khen")
    )
    positions = serializers.ListField(
        source="positions_at_event",
        child=serializers.CharField(),
        read_only=True,
        label=gettext_lazy("Chức vụ khi khen"),
    )
    home_unit = serializers.CharField(
        source="home_unit.code", read_only=True, label=gettext_lazy("Đơn vị của đối tượng")
    )
    award = serializers.CharField(source="award.code", read_only=True, label=gettext_lazy("Khen thưởng (mã)"))
    award_name = serializers.CharField(source="award.name", read_only=True, label=gettext_lazy("Tên khen thưởng"))
    programme = serializers.CharField(
        source="phase.programme.code", read_only=True, label=gettext_lazy("Chương trình (mã)")
    )
    phase = serializers.CharField(source="phase.code", read_only=True, label=gettext_lazy("Giai đoạn (mã)"))

    class Meta:
        model = Award
        fields = [
            "id",
            "nominee",
            "nominee_unit",
            "person",
            "rank",
            "rank_label",
            "positions",
            "home_unit",
            "award",
            "award_name",
            "programme",
            "phase",
            "year",
        ]
        read_only_fields = fields

    def get_nominee(self, award: Award) -> str:
        if award.nominee_unit_id:
            return award.nominee_unit.name  # type: ignore[union-attr]
        return award.person.full_name  # type: ignore[union-attr]


class DecisionSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:decision-detail")
    title = serializers.CharField(source="__str__", read_only=True, label=gettext_lazy("Số, ngày"))
    signer_rank = serializers.CharField(read_only=True, label=gettext_lazy("Cấp bậc người ký (mã)"))
    signer_rank_label = serializers.SerializerMethodField(label=gettext_lazy("Cấp bậc người ký"))
    issuing_unit = serializers.CharField(
        source="issuing_unit.code", read_only=True, label=gettext_lazy("Cơ quan ban hành (mã)")
    )
    awarding_unit = serializers.CharField(
        source="awarding_unit.code", read_only=True, label=gettext_lazy("Đơn vị khen thưởng (mã)")
    )
    conference = serializers.IntegerField(
        source="conference_id", read_only=True, allow_null=True, label=gettext_lazy("Hội nghị (id)")
    )
    awards = DecisionAwardSerializer(
        source="visible_awards",
        many=True,
        read_only=True,
        label=gettext_lazy("Tập thể, cá nhân được khen (trong phạm vi của người dùng)"),
    )
    documents = serializers.SerializerMethodField(label=gettext_lazy("Tải văn bản: docx, xlsx, pdf"))

    class Meta:
        model = Decision
        fields = [
            "id",
            "number",
            "title",
            "issued_on",
            "subject",
            "signer_name",
            "signer_capacity",
            "signer_collective",
            "signer_title",
            "signer_rank",
            "signer_rank_label",
            "issuing_unit",
            "awarding_unit",
            "conference",
            "awards",
            "documents",
            "url",
        ]
        read_only_fields = fields

    def get_signer_rank_label(self, decision: Decision) -> str:
        return str(Rank(decision.signer_rank).label) if decision.signer_rank else ""

    def get_documents(self, decision: Decision) -> dict[str, str]:
        url = reverse("api:decision-document", kwargs={"pk": decision.pk}, request=self.context.get("request"))
        return {fmt: f"{url}?file_format={fmt}" for fmt in FORMATS}


class DecisionCreateSerializer(serializers.Serializer):
    awarding_unit = UnitCodeField(label=gettext_lazy("Đơn vị khen thưởng (mã)"))
    issued_on = serializers.DateField(required=False, label=gettext_lazy("Ngày ký; mặc định hôm nay"))
    subject = _text_field(gettext_lazy("Trích yếu"))
    signer_name = _text_field(gettext_lazy("Người ký; bỏ trống cùng chức vụ: người đứng đầu"))
    signer_capacity = _text_field(gettext_lazy("Thẩm quyền ký: TM., KT., Q., TL., TUQ."))
    signer_collective = _text_field(gettext_lazy("Tập thể hoặc người đứng đầu sau thẩm quyền"))
    signer_title = _text_field(gettext_lazy("Chức vụ người ký"))
    signer_rank = _signer_rank_field()
    conference = ScopedPkField(
        Conference,
        gettext_lazy("Không tìm thấy hội nghị số {pk_value}."),
        required=False,
        allow_null=True,
        label=gettext_lazy("Hội nghị (id)"),
    )

    def validate_signer_rank(self, value: str) -> str:
        return _check_rank(value)


class DecisionFilterSet(SubtreeFilterSet):
    awarding_unit = django_filters.CharFilter(
        field_name="awarding_unit", method="filter_subtree", label=gettext_lazy("Đơn vị khen thưởng (mã), cả cấp dưới")
    )
    issuing_unit = django_filters.CharFilter(
        field_name="issuing_unit__code", label=gettext_lazy("Cơ quan ban hành (mã)")
    )
    year = YearFilter(field_name="issued_on__year", label=gettext_lazy("Năm ký"))

    class Meta:
        model = Decision
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Danh sách quyết định khen thưởng trong phạm vi của người dùng")),
    retrieve=extend_schema(summary=gettext_lazy("Một quyết định khen thưởng, với danh sách được khen")),
    create=extend_schema(
        summary=gettext_lazy("Ra quyết định khen thưởng (người duyệt của đơn vị khen thưởng), lấy số trong sổ"),
        request=DecisionCreateSerializer,
        responses={201: DecisionSerializer},
    ),
)
@extend_schema(tags=["commendations"])
class DecisionViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = DecisionSerializer
    filterset_class = DecisionFilterSet
    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[Decision]:
        # The awards listed are those the reader may see (the nominee's side, the issuing side).
        awards = (
            Award.objects.restrict(self.request.user, "view")
            .select_related("award", "phase__programme", "nominee_unit", "person", "home_unit")
            .order_by("pk")
        )
        return (
            Decision.objects.restrict(self.request.user, "view")
            .select_related("issuing_unit", "awarding_unit")
            .prefetch_related(Prefetch("awards", queryset=awards, to_attr="visible_awards"))
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = DecisionCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        decision = services.decision_create(acting_user=request.user, **serializer.validated_data)
        fresh = self.get_queryset().get(pk=decision.pk)
        body = self.get_serializer(fresh).data
        return created(body)

    @extend_schema(
        summary=gettext_lazy("Tải quyết định: Word (thể thức Nghị định 30), danh sách Excel, hoặc PDF"),
        description=gettext_lazy(
            "Tham số file_format: docx (mặc định), xlsx (danh sách được khen), pdf. PDF do LibreOffice tạo mất vài "
            "giây nên chạy nền: trả về 202 và Location của việc (/api/v1/jobs/{id}/, tải ở download_url khi xong). "
            "Máy chủ chưa cài LibreOffice thì PDF trả về 503 kèm thông báo."
        ),
        parameters=[FILE_FORMAT],
        responses={**BINARY, 202: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 503: OpenApiTypes.OBJECT},
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def document(self, request: Request, pk: str) -> HttpResponse:
        decision = self.get_object()
        fmt = requested_format(request)
        from phoihop.documents import builders

        name = builders.filename(decision_document(decision), fmt)
        if fmt == "pdf":
            return decision_pdf_job(request, decision)
        if fmt == "xlsx":
            content = decision_xlsx(decision)
        else:
            content = decision_docx(decision)
        # The access log of personal data: the decision's list names its individuals (ADR 0011).
        log_people_export(
            actor=request.user,
            target=decision,
            people=[award.person_id for award in decision.awards.all()],
            what=str(decision),
            file_format=fmt,
            unit=decision.issuing_unit,
        )
        return file_response(content, name, FORMATS[fmt])


# --- awards: the commendation history --------------------------------------------------------


class AwardSerializer(DecisionAwardSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:award-detail")
    decision = serializers.IntegerField(source="decision_id", read_only=True, label=gettext_lazy("Quyết định (id)"))
    decision_title = serializers.CharField(source="decision.__str__", read_only=True, label=gettext_lazy("Quyết định"))
    issued_on = serializers.DateField(source="decision.issued_on", read_only=True, label=gettext_lazy("Ngày ký"))
    issuing_unit = serializers.CharField(
        source="decision.issuing_unit.code", read_only=True, label=gettext_lazy("Cơ quan ban hành (mã)")
    )

    class Meta(DecisionAwardSerializer.Meta):
        fields = [
            *DecisionAwardSerializer.Meta.fields,
            "summary",
            "decision",
            "decision_title",
            "issued_on",
            "issuing_unit",
            "url",
        ]
        read_only_fields = fields


class AwardFilterSet(django_filters.FilterSet):
    unit = django_filters.CharFilter(field_name="nominee_unit__code", label=gettext_lazy("Tập thể được khen (mã)"))
    person = IdFilter(field_name="person", label=gettext_lazy("Cá nhân được khen (id)"))
    award = django_filters.CharFilter(field_name="award__code", label=gettext_lazy("Khen thưởng (mã)"))
    phase = django_filters.CharFilter(field_name="phase__code", label=gettext_lazy("Giai đoạn (mã)"))
    year = YearFilter(field_name="year", label=gettext_lazy("Năm"))

    class Meta:
        model = Award
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Lịch sử khen thưởng: ?unit=mã (tập thể) hoặc ?person=id (cá nhân), mới nhất trước")
    ),
    retrieve=extend_schema(summary=gettext_lazy("Một lần được khen thưởng")),
)
@extend_schema(tags=["commendations"])
class AwardViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = AwardSerializer
    filterset_class = AwardFilterSet
    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[Award]:
        return (
            Award.objects.restrict(self.request.user, "view")
            .select_related(
                "award", "phase__programme", "nominee_unit", "person", "home_unit", "decision__issuing_unit"
            )
            .order_by("-decision__issued_on", "-pk")
        )


# (prefix, basename, viewset), registered in phoihop/api/urls.py under /api/v1/.
ROUTES: list[tuple[str, str, type[viewsets.GenericViewSet]]] = [
    ("award-forms", "award-form", AwardFormViewSet),
    ("emulation-titles", "emulation-title", EmulationTitleViewSet),
    ("nominations", "nomination", NominationViewSet),
    ("decisions", "decision", DecisionViewSet),
    ("awards", "award", AwardViewSet),
]
