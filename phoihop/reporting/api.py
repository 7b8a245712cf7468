"""The reporting cycle through the API: periods, report requests, reports and their documents.

Reads start from ``restrict(user, "view")`` (a record outside the reader's scope answers 404,
like a missing one); every write is a service of ``phoihop.reporting.services`` (a service's
``OutOfScope`` is a 403 about a record the user does see but may not change, as elsewhere in
the API). Saving a report is checked against the version the writer opened: a stale version
answers 409 Conflict and nothing is overwritten.

Documents: ``GET /api/v1/reports/<id>/document/?file_format=docx|xlsx|pdf`` builds the file in
the request (the parameter is not called ``format``: DRF reads ``?format=`` as the choice of
renderer); ``POST /api/v1/reports/<id>/jobs/`` builds it in the background and
``/api/v1/document-jobs/<id>/`` follows it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import HttpResponse, HttpResponseBase
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from phoihop.api.base import DELETION_REASON, ApiViewMixin, created, deletion_reason, location
from phoihop.api.concurrency import VersionedDetailMixin
from phoihop.api.documents import (
    BINARY,
    FILE_FORMAT,
    FORMAT_NAMES,
    file_response,
    requested_format,
    stored_file_response,
)
from phoihop.api.fields import (
    ID_PATTERN,
    MAX_ID,
    ProgrammeCodeField,
    ScopedPkField,
    UnitBriefSerializer,
    UnitCodeField,
    choices_text,
    phase_field,
    unit_dict,
)
from phoihop.api.filtersets import IdFilter, SubtreeFilterSet, YearFilter, subtree_path
from phoihop.core.gate import OFFICIAL_TEXT
from phoihop.figures.periods import REPORTING_KIND_CHOICES, REPORTING_KIND_VALUES
from phoihop.orgunits.models import OrgUnit, OrgUnitLevel
from phoihop.programmes.selectors import joint_partners
from phoihop.reporting import content as report_contents
from phoihop.reporting import letters, selectors, services, tasks
from phoihop.reporting.documents import FORMATS, build
from phoihop.reporting.models import (
    KIND_ALIASES,
    NARRATIVE_SECTIONS,
    DocumentJob,
    JobStatus,
    NumberStatus,
    RegisteredNumber,
    Report,
    ReportingPeriod,
    ReportRequest,
    ReportStatus,
    ReportType,
)

REQUEST_STATUSES = [(selectors.NOT_STARTED, "Chưa soạn"), *ReportStatus.choices]


# --- shared pieces ---------------------------------------------------------------------------


def parse_kind(value: str) -> str:
    """A period kind, by its value ("end_phase") or its command-line alias ("tong-ket")."""
    kind = KIND_ALIASES.get(value, value)
    if kind not in REPORTING_KIND_VALUES:
        raise serializers.ValidationError(
            _("Loại kỳ “%(value)s” không hợp lệ; nhận: %(kinds)s (hoặc %(aliases)s).")
            % {"value": value, "kinds": ", ".join(REPORTING_KIND_VALUES), "aliases": ", ".join(KIND_ALIASES)}
        )
    return str(kind)


def period_field(**kwargs: Any) -> ScopedPkField:
    return ScopedPkField(ReportingPeriod, gettext_lazy("Không tìm thấy kỳ báo cáo số {pk_value}."), **kwargs)


class PeriodBriefSerializer(serializers.ModelSerializer):
    programme = serializers.CharField(source="programme.code", read_only=True, label=gettext_lazy("Chương trình (mã)"))
    phase = serializers.CharField(
        source="phase.code", read_only=True, allow_null=True, default=None, label=gettext_lazy("Giai đoạn (mã)")
    )
    kind = serializers.CharField(read_only=True, label=gettext_lazy("Loại kỳ"))
    url = serializers.HyperlinkedIdentityField(view_name="api:reporting-period-detail")

    class Meta:
        model = ReportingPeriod
        fields = ["id", "programme", "phase", "kind", "name", "start", "end", "due_date", "url"]
        read_only_fields = fields


# --- reporting periods -------------------------------------------------------------------------


class LetterIssueSerializer(serializers.Serializer):
    """Who issues a period's letter, on what day, signed by whom."""

    unit = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=64, label=gettext_lazy("Đơn vị ban hành (mã)")
    )
    on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        label=gettext_lazy("Ngày ban hành, ngày tính quá hạn (mặc định hôm nay)"),
    )
    signer = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=128,
        label=gettext_lazy("Họ tên người ký (mặc định người đứng đầu cơ quan)"),
    )


LETTER_UNIT = OpenApiParameter(
    "unit", str, description=gettext_lazy("Đơn vị ban hành (mã); mặc định đơn vị cao nhất của người dùng")
)
LETTER_ON = OpenApiParameter(
    "on", OpenApiTypes.DATE, description=gettext_lazy("Ngày ban hành, ngày tính quá hạn (mặc định hôm nay)")
)
LETTER_SIGNER = OpenApiParameter(
    "signer", str, description=gettext_lazy("Họ tên người ký (mặc định người đứng đầu cơ quan)")
)
LETTER_PATH = [
    OpenApiParameter(
        "kind",
        str,
        OpenApiParameter.PATH,
        enum=["request", "reminder"],
        description=gettext_lazy("request: công văn yêu cầu báo cáo; reminder: công văn đôn đốc"),
    ),
    OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=["docx", "pdf"], description=gettext_lazy("Định dạng")),
]
LETTER_FILES = {(200, FORMATS[fmt]): OpenApiTypes.BINARY for fmt in ("docx", "pdf")}


class PeriodFilterSet(django_filters.FilterSet):
    programme = django_filters.CharFilter(field_name="programme__code", label=gettext_lazy("Chương trình (mã)"))
    phase = django_filters.CharFilter(field_name="phase__code", label=gettext_lazy("Giai đoạn (mã), ví dụ 2017-2022"))
    kind = django_filters.ChoiceFilter(
        choices=[*REPORTING_KIND_CHOICES, *((alias, alias) for alias in KIND_ALIASES)],
        method="filter_kind",
        label=gettext_lazy(
            "Loại kỳ (giá trị hoặc tên ngắn: thang, quy, 6-thang, 9-thang, nam, so-ket, tong-ket, khac)"
        ),
    )
    report_type = django_filters.ChoiceFilter(choices=ReportType.choices, label=gettext_lazy("Loại báo cáo"))
    year = YearFilter(
        field_name="end",
        lookup_expr="year",
        label=gettext_lazy("Năm (của ngày cuối kỳ)"),
        min_value=1900,
        max_value=2100,
    )

    class Meta:
        model = ReportingPeriod
        fields: list[str] = []

    def filter_kind(self, queryset: QuerySet[ReportingPeriod], name: str, value: str) -> QuerySet[ReportingPeriod]:
        return queryset.filter(kind=KIND_ALIASES.get(value, value))


class ReportingPeriodSerializer(serializers.ModelSerializer):
    programme = ProgrammeCodeField(label=gettext_lazy("Chương trình (mã); không đổi được sau khi tạo"))
    phase = phase_field(required=False, allow_null=True, label=gettext_lazy("Giai đoạn (id) của chương trình"))
    phase_code = serializers.CharField(
        source="phase.code", read_only=True, allow_null=True, default=None, label=gettext_lazy("Giai đoạn (mã)")
    )
    # Strings, not enums in the schema: "kind" names another enum already (exchanges).
    kind = serializers.CharField(
        max_length=20,
        label=gettext_lazy("Loại kỳ"),
        help_text=gettext_lazy(
            "month, quarter, half, nine, year, mid_phase, end_phase, other; hoặc tên ngắn: "
            "thang, quy, 6-thang, 9-thang, nam, so-ket, tong-ket, khac"
        ),
    )
    kind_label = serializers.CharField(source="get_kind_display", read_only=True, label=gettext_lazy("Tên loại kỳ"))
    report_type = serializers.CharField(
        max_length=10,
        required=False,
        label=gettext_lazy("Loại báo cáo"),
        help_text=choices_text(ReportType.choices),
    )
    report_type_label = serializers.CharField(
        source="get_report_type_display", read_only=True, label=gettext_lazy("Tên loại báo cáo")
    )
    due_date = serializers.DateField(
        required=False, label=gettext_lazy("Hạn gửi; bỏ trống: tính theo loại kỳ từ ngày cuối kỳ")
    )
    url = serializers.HyperlinkedIdentityField(view_name="api:reporting-period-detail")

    class Meta:
        model = ReportingPeriod
        fields = [
            "id",
            "version",
            "programme",
            "phase",
            "phase_code",
            "kind",
            "kind_label",
            "report_type",
            "report_type_label",
            "name",
            "label",
            "start",
            "end",
            "due_date",
            "url",
        ]
        read_only_fields = ["label"]

    def validate_kind(self, value: str) -> str:
        return parse_kind(value)

    def validate_report_type(self, value: str) -> str:
        if value not in ReportType.values:
            raise serializers.ValidationError(
                _("Loại báo cáo “%(value)s” không hợp lệ; nhận: %(types)s.")
                % {"value": value, "types": ", ".join(ReportType.values)}
            )
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None and "programme" in attrs and attrs["programme"].pk != self.instance.programme_id:
            raise serializers.ValidationError({"programme": _("Không đổi được chương trình của kỳ báo cáo đã tạo.")})
        return attrs


class PeriodGenerateSerializer(serializers.Serializer):
    phase = phase_field(label=gettext_lazy("Giai đoạn (id)"))
    kinds = serializers.ListField(
        child=serializers.CharField(max_length=20),
        required=False,
        allow_empty=False,
        label=gettext_lazy("Chỉ tạo các loại kỳ này (mặc định: mọi loại trừ “khác”)"),
    )

    def validate_kinds(self, value: list[str]) -> list[str]:
        return [parse_kind(v) for v in value]


class PeriodGeneratedSerializer(serializers.Serializer):
    created = serializers.IntegerField(label=gettext_lazy("Số kỳ đã tạo"))
    periods = PeriodBriefSerializer(many=True, label=gettext_lazy("Các kỳ đã tạo"))


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Danh sách kỳ báo cáo của các chương trình người dùng tham gia")),
    retrieve=extend_schema(summary=gettext_lazy("Một kỳ báo cáo")),
    create=extend_schema(
        summary=gettext_lazy("Thêm kỳ báo cáo (người quản lý chương trình)"),
        description=gettext_lazy("Hạn gửi bỏ trống thì tính từ ngày cuối kỳ theo loại kỳ."),
    ),
    partial_update=extend_schema(
        summary=gettext_lazy("Sửa tên, ngày, hạn gửi của kỳ báo cáo (người quản lý chương trình)")
    ),
)
@extend_schema(tags=["reporting-periods"])
class ReportingPeriodViewSet(
    VersionedDetailMixin,
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ReportingPeriodSerializer
    filterset_class = PeriodFilterSet
    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[ReportingPeriod]:
        return ReportingPeriod.objects.restrict(self.request.user, "view").select_related("programme", "phase")

    def _answer(self, period: ReportingPeriod, code: int = status.HTTP_200_OK) -> Response:
        data = self.get_serializer(self.get_queryset().get(pk=period.pk)).data
        headers = location(data, code)
        return Response(data, status=code, headers=headers)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        programme = data.pop("programme")
        period = services.period_save(programme=programme, data=data, acting_user=request.user)
        return self._answer(period, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        period = self.get_object()
        serializer = self.get_serializer(period, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("programme", None)
        period = services.period_save(
            programme=period.programme,
            period=period,
            data=data,
            acting_user=request.user,
            expected_version=self.expected_version,
        )
        return self._answer(period)

    @extend_schema(
        summary=gettext_lazy("Tạo các kỳ báo cáo mặc định của một giai đoạn (người quản lý chương trình)"),
        description=gettext_lazy(
            "Tháng, quý, 6 tháng, 9 tháng, năm theo mốc Nghị định 09/2019/NĐ-CP (từ ngày 15 tháng trước), "
            "sơ kết giữa giai đoạn và tổng kết giai đoạn; kỳ đã có thì bỏ qua. 201 khi có kỳ mới, 200 khi không."
        ),
        request=PeriodGenerateSerializer,
        responses={201: PeriodGeneratedSerializer, 200: PeriodGeneratedSerializer},
    )
    @action(detail=False, methods=["post"], filterset_class=None, pagination_class=None)
    def generate(self, request: Request) -> Response:
        serializer = PeriodGenerateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        created = services.periods_generate(phase=data["phase"], kinds=data.get("kinds"), acting_user=request.user)
        periods = PeriodBriefSerializer(created, many=True, context=self.get_serializer_context()).data
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response({"created": len(created), "periods": periods}, status=code)

    @extend_schema(
        methods=["GET"],
        summary=gettext_lazy("Tải công văn yêu cầu báo cáo hoặc đôn đốc báo cáo của kỳ (bản xem trước, chưa có số)"),
        description=gettext_lazy(
            "letters/request.docx|pdf: công văn đề nghị các đơn vị dưới cơ quan ban hành đã được yêu cầu báo cáo "
            "gửi báo cáo của kỳ; letters/reminder.docx|pdf: công văn đôn đốc các đơn vị quá hạn (chưa gửi, hoặc bị "
            "trả lại chưa gửi lại) tính đến ngày on. Thể thức Nghị định 30/2020/NĐ-CP, số để trống cho văn thư. "
            "unit: mã đơn vị ban hành mà người dùng được gửi công văn (bỏ trống: đơn vị cao nhất của người dùng); "
            "đơn vị ngoài phạm vi trả về 404. 400 khi không có đơn vị nào để gửi; 503 khi máy chủ chưa cài "
            "LibreOffice (PDF)."
        ),
        operation_id="reporting_period_letter_preview",
        parameters=[*LETTER_PATH, LETTER_UNIT, LETTER_ON, LETTER_SIGNER],
        responses={**LETTER_FILES, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT, 503: OpenApiTypes.OBJECT},
    )
    @extend_schema(
        methods=["POST"],
        summary=gettext_lazy("Lấy số và tải công văn yêu cầu báo cáo hoặc đôn đốc báo cáo của kỳ"),
        description=gettext_lazy(
            "Cấp số tiếp theo trong sổ văn bản đi của cơ quan ban hành (chỉ khi cơ quan có người ký có tên vào "
            "ngày ban hành) rồi trả về văn bản có số. Gửi lại cùng công văn (công văn yêu cầu của kỳ; công văn đôn "
            "đốc của cùng ngày) giữ nguyên số đã cấp."
        ),
        operation_id="reporting_period_letter_issue",
        parameters=LETTER_PATH,
        request=LetterIssueSerializer,
        responses={**LETTER_FILES, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path=r"letters/(?P<kind>request|reminder)\.(?P<fmt>docx|pdf)",
        url_name="letter",
        filterset_class=None,
        pagination_class=None,
    )
    def letter(self, request: Request, pk: str, kind: str, fmt: str) -> HttpResponse:
        period = self.get_object()
        serializer = LetterIssueSerializer(data=request.data if request.method == "POST" else request.query_params)
        serializer.is_valid(raise_exception=True)
        source = serializer.validated_data
        issuer = letters.issuer_for(request.user, period, source.get("unit") or "")
        if issuer is None:
            raise NotFound(_("Không có đơn vị ban hành này trong phạm vi của bạn."))
        options = {"on_date": source.get("on"), "signer_name": source.get("signer") or ""}
        if request.method == "POST":
            letter = letters.letter_issue(kind, period, issuer, request.user, **options)
        else:
            letter = letters.letter_preview(kind, period, issuer, request.user, **options)
        built = letters.build(letter, fmt)
        return file_response(built.content, built.filename, built.content_type)


# --- report requests -----------------------------------------------------------------------------


class RequestFilterSet(SubtreeFilterSet):
    period = IdFilter(field_name="period", label=gettext_lazy("Kỳ báo cáo (id)"), min_value=1, max_value=MAX_ID)
    programme = django_filters.CharFilter(field_name="period__programme__code", label=gettext_lazy("Chương trình (mã)"))
    unit = django_filters.CharFilter(
        field_name="unit", method="filter_subtree", label=gettext_lazy("Đơn vị (mã), cả cấp dưới")
    )
    status = django_filters.ChoiceFilter(
        choices=REQUEST_STATUSES, method="filter_status", label=gettext_lazy("Trạng thái báo cáo")
    )
    late = django_filters.BooleanFilter(
        method="filter_late", label=gettext_lazy("Chậm (quá hạn mà chưa gửi, hoặc gửi sau hạn)")
    )
    due_soon = django_filters.BooleanFilter(
        method="filter_due_soon",
        label=gettext_lazy("true: chỉ yêu cầu của đơn vị bạn, chưa gửi, đến hạn trong 7 ngày hoặc chậm (Việc cần làm)"),
    )

    class Meta:
        model = ReportRequest
        fields: list[str] = []

    def filter_due_soon(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if not value:
            return queryset
        from phoihop.inbox.selectors import requests_due

        return queryset.filter(pk__in=requests_due(self.request.user).values("pk"))

    def filter_status(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == selectors.NOT_STARTED:
            return queryset.filter(report_id__isnull=True)
        return queryset.filter(report_status=value)

    def filter_late(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return queryset
        return queryset.filter(late=value)  # annotated by selectors.with_report


class ReportRequestSerializer(serializers.ModelSerializer):
    period = PeriodBriefSerializer(read_only=True)
    unit = serializers.SerializerMethodField(label=gettext_lazy("Đơn vị phải báo cáo"))
    level = serializers.CharField(source="unit.level.code", read_only=True, label=gettext_lazy("Cấp (mã)"))
    status = serializers.SerializerMethodField(
        label=gettext_lazy("Trạng thái"), help_text=choices_text(REQUEST_STATUSES)
    )
    status_label = serializers.SerializerMethodField(label=gettext_lazy("Tên trạng thái"))
    late = serializers.SerializerMethodField(label=gettext_lazy("Chậm"))
    sent_on = serializers.SerializerMethodField(label=gettext_lazy("Ngày gửi lần đầu"))
    report = serializers.SerializerMethodField(label=gettext_lazy("Báo cáo (id), null khi chưa soạn"))
    report_url = serializers.SerializerMethodField(label=gettext_lazy("Đường dẫn báo cáo"))
    url = serializers.HyperlinkedIdentityField(view_name="api:report-request-detail")

    class Meta:
        model = ReportRequest
        fields = [
            "id",
            "period",
            "unit",
            "level",
            "due_date",
            "status",
            "status_label",
            "late",
            "sent_on",
            "report",
            "report_url",
            "requested_at",
            "url",
        ]
        read_only_fields = fields

    def _row(self, request: ReportRequest) -> selectors.RequestRow:
        cache = self.context.setdefault("request_rows", {})
        if request.pk not in cache:
            cache[request.pk] = selectors.row_of(request)
        return cache[request.pk]

    @extend_schema_field(UnitBriefSerializer)
    def get_unit(self, request: ReportRequest) -> dict[str, Any] | None:
        return unit_dict(request.unit)

    def get_status(self, request: ReportRequest) -> str:
        return self._row(request).status

    def get_status_label(self, request: ReportRequest) -> str:
        return self._row(request).status_label

    def get_late(self, request: ReportRequest) -> bool:
        return self._row(request).late

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_sent_on(self, request: ReportRequest) -> date | None:
        return self._row(request).sent_on

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_report(self, request: ReportRequest) -> int | None:
        return self._row(request).report_id

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_report_url(self, request: ReportRequest) -> str | None:
        report_id = self._row(request).report_id
        if report_id is None:
            return None
        return reverse("api:report-detail", kwargs={"pk": report_id}, request=self.context.get("request"))


class RequestsCreateSerializer(serializers.Serializer):
    period = period_field(label=gettext_lazy("Kỳ báo cáo (id)"))
    levels = serializers.ListField(
        child=serializers.CharField(max_length=32),
        allow_empty=False,
        label=gettext_lazy("Các cấp phải báo cáo: mã cấp (province, commune...; áp dụng cho cả hai bên) hoặc id"),
    )
    due_date = serializers.DateField(required=False, label=gettext_lazy("Hạn gửi; bỏ trống: hạn của kỳ"))
    under = UnitCodeField(
        required=False, allow_null=True, label=gettext_lazy("Chỉ các đơn vị thuộc đơn vị này (mã), cả cấp dưới")
    )

    def validate_levels(self, value: list[str]) -> list[OrgUnitLevel]:
        found: list[OrgUnitLevel] = []
        missing = []
        for item in value:
            levels = (
                OrgUnitLevel.objects.filter(pk=int(item))
                if item.isascii() and item.isdigit() and int(item) <= MAX_ID
                else OrgUnitLevel.objects.filter(code=item)
            )
            if not levels:
                missing.append(item)
            found.extend(levels)
        if missing:
            raise serializers.ValidationError(
                _("Không tìm thấy cấp: %(levels)s.") % {"levels": ", ".join(f"“{m}”" for m in missing)}
            )
        return found


class RequestsCreatedSerializer(serializers.Serializer):
    created = serializers.IntegerField(label=gettext_lazy("Số yêu cầu mới (đơn vị đã có yêu cầu thì bỏ qua)"))


class LevelRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    organisation = serializers.CharField(label=gettext_lazy("Tổ chức (mã)"))


class MissingUnitSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    due_date = serializers.DateField()
    status = serializers.CharField(help_text=choices_text(REQUEST_STATUSES))
    status_label = serializers.CharField()
    late = serializers.BooleanField()
    report = serializers.IntegerField(allow_null=True)


class LevelRateSerializer(serializers.Serializer):
    level = LevelRefSerializer()
    expected = serializers.IntegerField(label=gettext_lazy("Số đơn vị phải báo cáo"))
    submitted = serializers.IntegerField(label=gettext_lazy("Số đơn vị đã gửi"))
    on_time = serializers.IntegerField(label=gettext_lazy("Số đơn vị gửi đúng hạn"))
    share_submitted = serializers.FloatField(label=gettext_lazy("Tỷ lệ đã gửi (0–1)"))
    share_on_time = serializers.FloatField(label=gettext_lazy("Tỷ lệ gửi đúng hạn (0–1)"))
    missing = MissingUnitSerializer(many=True, label=gettext_lazy("Các đơn vị chưa gửi"))


class CompletenessSerializer(serializers.Serializer):
    period = PeriodBriefSerializer()
    under = UnitBriefSerializer(allow_null=True)
    levels = LevelRateSerializer(many=True)


class CompletenessQuerySerializer(serializers.Serializer):
    period = serializers.IntegerField(
        label=gettext_lazy("Kỳ báo cáo (id)"),
        min_value=1,
        max_value=MAX_ID,
        error_messages={
            "required": gettext_lazy("Hãy cho biết kỳ báo cáo (tham số period: id của kỳ)."),
            "invalid": gettext_lazy("Kỳ báo cáo phải là một số (id của kỳ)."),
        },
    )
    under = serializers.CharField(required=False, label=gettext_lazy("Chỉ tính các đơn vị thuộc đơn vị này (mã)"))


def _missing_row(row: selectors.RequestRow) -> dict[str, Any]:
    unit = row.request.unit
    return {
        "code": unit.code,
        "name": unit.name,
        "due_date": row.request.due_date,
        "status": row.status,
        "status_label": row.status_label,
        "late": row.late,
        "report": row.report_id,
    }


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Các đơn vị phải báo cáo, với trạng thái báo cáo của từng đơn vị"),
        description=gettext_lazy(
            "Trạng thái: not_started (chưa soạn), draft, submitted, returned, approved. Chậm: quá hạn mà chưa "
            "gửi, hoặc lần gửi đầu tiên sau hạn."
        ),
    ),
    retrieve=extend_schema(summary=gettext_lazy("Một yêu cầu báo cáo")),
    create=extend_schema(
        summary=gettext_lazy("Yêu cầu các đơn vị ở những cấp đã chọn báo cáo cho một kỳ"),
        description=gettext_lazy(
            "Người quản lý chương trình yêu cầu được mọi đơn vị của các bên; người duyệt yêu cầu được các "
            "đơn vị cấp dưới của mình. Đơn vị đã có yêu cầu thì bỏ qua. 201 khi có yêu cầu mới, 200 khi không."
        ),
        request=RequestsCreateSerializer,
        responses={201: RequestsCreatedSerializer, 200: RequestsCreatedSerializer},
    ),
    destroy=extend_schema(summary=gettext_lazy("Bỏ một yêu cầu báo cáo"), parameters=[DELETION_REASON]),
)
@extend_schema(tags=["report-requests"])
class ReportRequestViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ReportRequestSerializer
    filterset_class = RequestFilterSet
    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[ReportRequest]:
        requests = ReportRequest.objects.restrict(self.request.user, "view").select_related(
            "unit__level", "period__programme", "period__phase"
        )
        return selectors.with_report(requests).order_by("period__start", "period__pk", "unit__path")

    def get_serializer_context(self) -> dict[str, Any]:
        return super().get_serializer_context()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = RequestsCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        created = services.requests_create(
            period=data["period"],
            levels=data["levels"],
            due_date=data.get("due_date"),
            under=data.get("under"),
            acting_user=request.user,
        )
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response({"created": created}, status=code)

    def perform_destroy(self, instance: ReportRequest) -> None:
        services.request_delete(request=instance, acting_user=self.request.user, reason=deletion_reason(self.request))

    @extend_schema(
        summary=gettext_lazy("Tỷ lệ gửi báo cáo và gửi đúng hạn theo cấp, với các đơn vị chưa gửi"),
        description=gettext_lazy(
            "Tính trên các yêu cầu báo cáo trong phạm vi của người dùng (hoặc thuộc đơn vị under). "
            "Kỳ hoặc đơn vị ngoài phạm vi trả về 404."
        ),
        parameters=[CompletenessQuerySerializer],
        responses=CompletenessSerializer,
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def completeness(self, request: Request) -> Response:
        params = CompletenessQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        user = request.user
        period = ReportingPeriod.objects.restrict(user, "view").filter(pk=params.validated_data["period"]).first()
        if period is None:
            raise NotFound()
        under = None
        if params.validated_data.get("under"):
            under = OrgUnit.objects.restrict(user, "view").filter(code=params.validated_data["under"]).first()
            if under is None:
                raise NotFound()
        rates = selectors.completeness(period=period, user=user, under=under)
        levels = [
            {
                "level": {"code": r.level.code, "name": r.level.name, "organisation": r.level.organisation.code},
                "expected": r.expected,
                "submitted": r.submitted,
                "on_time": r.on_time,
                "share_submitted": r.share_submitted,
                "share_on_time": r.share_on_time,
                "missing": [_missing_row(row) for row in r.missing],
            }
            for r in rates
        ]
        context = self.get_serializer_context()
        data = {
            "period": PeriodBriefSerializer(period, context=context).data,
            "under": unit_dict(under),
            "levels": LevelRateSerializer(levels, many=True).data,
        }
        return Response(data)


# --- reports -------------------------------------------------------------------------------------


class ReportFilterSet(django_filters.FilterSet):
    period = IdFilter(field_name="period", label=gettext_lazy("Kỳ báo cáo (id)"), min_value=1, max_value=MAX_ID)
    unit = django_filters.CharFilter(
        method="filter_unit", label=gettext_lazy("Đơn vị (mã), cả cấp dưới; tính cả đơn vị cùng báo cáo")
    )
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices, label=gettext_lazy("Trạng thái"))
    programme = django_filters.CharFilter(field_name="period__programme__code", label=gettext_lazy("Chương trình (mã)"))
    phase = django_filters.CharFilter(field_name="period__phase__code", label=gettext_lazy("Giai đoạn (mã)"))
    kind = django_filters.ChoiceFilter(
        choices=[*REPORTING_KIND_CHOICES, *((alias, alias) for alias in KIND_ALIASES)],
        method="filter_kind",
        label=gettext_lazy("Loại kỳ (giá trị hoặc tên ngắn như tong-ket)"),
    )
    # The inbox's groups (phoihop/inbox/selectors.py): the same rows as the page's filters.
    to_approve = django_filters.BooleanFilter(
        method="filter_inbox", label=gettext_lazy("true: chỉ báo cáo chờ bạn duyệt")
    )
    returned_to_me = django_filters.BooleanFilter(
        method="filter_inbox", label=gettext_lazy("true: chỉ báo cáo của bạn bị trả lại")
    )

    class Meta:
        model = Report
        fields: list[str] = []

    def filter_inbox(self, queryset: QuerySet[Report], name: str, value: bool | None) -> QuerySet[Report]:
        from phoihop.reporting.filtersets import inbox_filter

        return inbox_filter(queryset, name, value, self.request.user)

    def filter_unit(self, queryset: QuerySet[Report], name: str, value: str) -> QuerySet[Report]:
        path = subtree_path(value)
        if path is None:
            return queryset.none()
        return queryset.filter(Q(unit__path__startswith=path) | Q(partner_unit__path__startswith=path))

    def filter_kind(self, queryset: QuerySet[Report], name: str, value: str) -> QuerySet[Report]:
        return queryset.filter(period__kind=KIND_ALIASES.get(value, value))


class SignerSerializer(serializers.Serializer):
    capacity = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=8,
        label=gettext_lazy("Thẩm quyền ký: TM., KT., TL., TUQ. hoặc trống"),
    )
    collective = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=128,
        label=gettext_lazy("Tập thể hoặc người đứng đầu (sau TM./KT.)"),
    )
    title = serializers.CharField(
        required=False, allow_blank=True, max_length=128, label=gettext_lazy("Chức vụ người ký")
    )
    rank = serializers.CharField(required=False, allow_blank=True, max_length=128, label=gettext_lazy("Cấp bậc"))
    name = serializers.CharField(required=False, allow_blank=True, max_length=128, label=gettext_lazy("Họ tên"))


class ApprovalSerializer(serializers.Serializer):
    unit = serializers.CharField(label=gettext_lazy("Đơn vị được duyệt phần (mã)"))
    by = serializers.CharField(label=gettext_lazy("Người duyệt"))
    at = serializers.DateTimeField(label=gettext_lazy("Duyệt lúc"))


def _person_name(user: Any) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


class ReportSerializer(serializers.ModelSerializer):
    period = PeriodBriefSerializer(read_only=True)
    unit = UnitBriefSerializer(read_only=True, label=gettext_lazy("Đơn vị báo cáo"))
    partner_unit = UnitBriefSerializer(
        read_only=True, allow_null=True, label=gettext_lazy("Đơn vị cùng báo cáo (báo cáo liên tịch)")
    )
    status = serializers.CharField(
        read_only=True, label=gettext_lazy("Trạng thái"), help_text=choices_text(ReportStatus.choices)
    )
    status_label = serializers.CharField(
        source="get_status_display", read_only=True, label=gettext_lazy("Tên trạng thái")
    )
    approvals = serializers.SerializerMethodField(
        label=gettext_lazy("Các lượt duyệt (báo cáo liên tịch: mỗi bên một lượt)")
    )
    signed_scan = serializers.SerializerMethodField(label=gettext_lazy("Tải bản ký đã quét (null khi chưa có)"))
    url = serializers.HyperlinkedIdentityField(view_name="api:report-detail")

    class Meta:
        model = Report
        fields = [
            "id",
            "period",
            "unit",
            "partner_unit",
            "status",
            "status_label",
            "version",
            "number",
            "issued_on",
            "submitted_at",
            "first_submitted_at",
            "decided_at",
            "return_reason",
            "approvals",
            "signed_scan",
            "created_at",
            "updated_at",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(ApprovalSerializer(many=True))
    def get_approvals(self, report: Report) -> list[dict[str, Any]]:
        if not report.approvals:
            return []
        units = {u.pk: u.code for u in report.units}
        # Approvers are few: their names are looked up once per answer, not once per report.
        users = self.context.setdefault("approvers", {})
        wanted = {a["by"] for a in report.approvals if a.get("by")} - set(users)
        if wanted:
            users.update(get_user_model().objects.unrestricted(OFFICIAL_TEXT).in_bulk(list(wanted)))
        return [
            {"unit": units.get(a["unit"], ""), "by": _person_name(users.get(a.get("by"))), "at": a["at"]}
            for a in report.approvals
        ]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_signed_scan(self, report: Report) -> str | None:
        if not report.signed_scan:
            return None
        return reverse("api:report-signed-scan", kwargs={"pk": report.pk}, request=self.context.get("request"))


class SectionSerializer(serializers.Serializer):
    key = serializers.CharField(label=gettext_lazy("Khóa trong narrative"))
    title = serializers.CharField(label=gettext_lazy("Tên mục"))


class ChildReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    unit = serializers.CharField(label=gettext_lazy("Đơn vị (mã)"))
    unit_name = serializers.CharField()
    status = serializers.CharField()
    url = serializers.URLField()


class DifferenceSerializer(serializers.Serializer):
    name = serializers.CharField(label=gettext_lazy("Chỉ tiêu"))
    unit_of_measure = serializers.CharField()
    frozen = serializers.IntegerField(label=gettext_lazy("Số đã chốt khi gửi"))
    live = serializers.IntegerField(label=gettext_lazy("Số hiện nay"))


class ReportDetailSerializer(ReportSerializer):
    narrative = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        read_only=True,
        label=gettext_lazy(
            "Nội dung theo mục (intro, field:<mã lĩnh vực>, strengths, limitations, lessons, directions, proposals)"
        ),
    )
    signers = SignerSerializer(
        many=True, read_only=True, label=gettext_lazy("Người ký, mỗi cơ quan ban hành một người")
    )
    sections = serializers.SerializerMethodField(label=gettext_lazy("Các mục soạn được, theo thứ tự trong văn bản"))
    content = serializers.SerializerMethodField(
        label=gettext_lazy("Số liệu và nội dung tổng hợp"),
        help_text=gettext_lazy(
            "Báo cáo đã gửi: số liệu đã chốt khi gửi. Báo cáo đang soạn: null, trừ khi hỏi ?content=1 "
            "(tính theo số liệu hiện nay)."
        ),
    )
    live_differences = serializers.SerializerMethodField(
        label=gettext_lazy("Chỉ tiêu có số hiện nay khác số đã chốt (báo cáo đã gửi)")
    )
    child_reports = serializers.SerializerMethodField(label=gettext_lazy("Báo cáo đã gửi của các đơn vị cấp dưới"))
    documents = serializers.SerializerMethodField(label=gettext_lazy("Tải văn bản theo định dạng"))

    class Meta(ReportSerializer.Meta):
        fields = [
            *ReportSerializer.Meta.fields,
            "narrative",
            "sections",
            "signers",
            "recipients",
            "place",
            "frozen_at",
            "content",
            "live_differences",
            "child_reports",
            "documents",
        ]
        read_only_fields = fields

    @extend_schema_field(SectionSerializer(many=True))
    def get_sections(self, report: Report) -> list[dict[str, str]]:
        sections = [{"key": "intro", "title": _("Mở đầu")}]
        for code, name in report.period.programme.fields.order_by("order", "pk").values_list("code", "name"):
            sections.append({"key": f"field:{code}", "title": name})
        sections += [{"key": key, "title": str(label)} for key, label in NARRATIVE_SECTIONS]
        return sections

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_content(self, report: Report) -> dict[str, Any] | None:
        if report.is_sent and report.frozen is not None:
            return report.frozen
        if self.context.get("with_content"):
            return report_contents.content_for(report)
        return None

    @extend_schema_field(DifferenceSerializer(many=True))
    def get_live_differences(self, report: Report) -> list[dict[str, Any]]:
        if not report.is_sent:
            return []
        return report_contents.live_differences(report)

    @extend_schema_field(ChildReportSerializer(many=True))
    def get_child_reports(self, report: Report) -> list[dict[str, Any]]:
        request = self.context.get("request")
        children = report_contents.child_reports(report)
        # A joint report's reader may not see the other side's children.
        visible = set(
            Report.objects.restrict(request.user if request else None, "view")
            .filter(pk__in=[c.pk for c in children])
            .values_list("pk", flat=True)
        )
        return [
            {
                "id": c.pk,
                "unit": c.unit.code,
                "unit_name": c.unit.name,
                "status": c.status,
                "url": reverse("api:report-detail", kwargs={"pk": c.pk}, request=request),
            }
            for c in children
            if c.pk in visible
        ]

    @extend_schema_field(serializers.DictField(child=serializers.URLField()))
    def get_documents(self, report: Report) -> dict[str, str]:
        base = reverse("api:report-document", kwargs={"pk": report.pk}, request=self.context.get("request"))
        return {fmt: f"{base}?file_format={fmt}" for fmt in FORMATS}


class ReportOpenSerializer(serializers.Serializer):
    period = period_field(label=gettext_lazy("Kỳ báo cáo (id)"))
    unit = UnitCodeField(label=gettext_lazy("Đơn vị báo cáo (mã)"))
    partner_unit = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=40,
        label=gettext_lazy("Đơn vị cùng báo cáo (mã): đơn vị đối ứng của đơn vị báo cáo (báo cáo liên tịch)"),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        code = attrs.pop("partner_unit", None)
        attrs["partner_unit"] = None
        if code:
            # The counterpart may lie outside what the user reads (the other side's unit): it is
            # looked up among the unit's counterparts as well as among the units the user sees.
            request = self.context["request"]
            unit: OrgUnit = attrs["unit"]
            partner = next((u for u in joint_partners(unit, attrs["period"].end) if u.code == code), None)
            if partner is None:
                partner = OrgUnit.objects.restrict(request.user, "view").filter(code=code).first()
            if partner is None:
                raise serializers.ValidationError(
                    {"partner_unit": [_("Không tìm thấy đơn vị có mã “%(code)s”.") % {"code": code}]}
                )
            attrs["partner_unit"] = partner
        return attrs


class ReportSaveSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        label=gettext_lazy(
            "Phiên bản của báo cáo lúc mở ra (trường version; không gửi thì lấy theo tiêu đề If-Match, bắt buộc)"
        ),
    )
    narrative = serializers.DictField(
        child=serializers.CharField(allow_blank=True, trim_whitespace=False),
        required=False,
        label=gettext_lazy("Nội dung các mục cần sửa (mục không gửi thì giữ nguyên)"),
    )
    signers = SignerSerializer(many=True, required=False, label=gettext_lazy("Người ký (thay cả danh sách)"))
    recipients = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, label=gettext_lazy("Nơi nhận, mỗi dòng một nơi")
    )
    place = serializers.CharField(required=False, allow_blank=True, max_length=100, label=gettext_lazy("Địa danh"))
    number = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, label=gettext_lazy("Số văn bản (trống: lấy số khi gửi)")
    )


class ReportSubmitSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        label=gettext_lazy("Phiên bản lúc mở (nếu gửi, bản đã bị người khác sửa thì bị từ chối)"),
    )
    take_number = serializers.BooleanField(
        default=True, label=gettext_lazy("Lấy số từ sổ văn bản đi của cơ quan (khi chưa ghi số)")
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000,
        label=gettext_lazy("Lý do"),
        error_messages={
            "required": gettext_lazy("Hãy ghi lý do."),
            "blank": gettext_lazy("Hãy ghi lý do."),
        },
    )


class ScanUploadSerializer(serializers.Serializer):
    file = serializers.FileField(label=gettext_lazy("Bản ký đã quét: PDF, JPEG hoặc PNG"))


class DocumentJobSerializer(serializers.ModelSerializer):
    report = serializers.IntegerField(source="report_id", read_only=True, label=gettext_lazy("Báo cáo (id)"))
    unit = serializers.CharField(source="report.unit.code", read_only=True, label=gettext_lazy("Đơn vị báo cáo (mã)"))
    report_url: serializers.HyperlinkedRelatedField[Report] = serializers.HyperlinkedRelatedField(
        source="report", view_name="api:report-detail", read_only=True, label=gettext_lazy("Đường dẫn báo cáo")
    )
    format = serializers.CharField(read_only=True, label=gettext_lazy("Định dạng"), help_text=FORMAT_NAMES)
    status = serializers.CharField(
        read_only=True, label=gettext_lazy("Trạng thái"), help_text=choices_text(JobStatus.choices)
    )
    status_label = serializers.CharField(
        source="get_status_display", read_only=True, label=gettext_lazy("Tên trạng thái")
    )
    download_url = serializers.SerializerMethodField(label=gettext_lazy("Tải văn bản (khi đã xong)"))
    url = serializers.HyperlinkedIdentityField(view_name="api:document-job-detail")

    class Meta:
        model = DocumentJob
        fields = [
            "id",
            "report",
            "unit",
            "report_url",
            "format",
            "status",
            "status_label",
            "progress",
            "message",
            "filename",
            "created_at",
            "finished_at",
            "download_url",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download_url(self, job: DocumentJob) -> str | None:
        if job.status != JobStatus.DONE:
            return None
        return reverse("api:document-job-download", kwargs={"pk": job.pk}, request=self.context.get("request"))


class JobStartSerializer(serializers.Serializer):
    format = serializers.CharField(max_length=4, label=gettext_lazy("Định dạng"), help_text=FORMAT_NAMES)

    def validate_format(self, value: str) -> str:
        if value not in FORMATS:
            raise serializers.ValidationError(
                _("Định dạng “%(value)s” không hợp lệ; nhận: %(formats)s.") % {"value": value, "formats": FORMAT_NAMES}
            )
        return value


CONTENT = OpenApiParameter(
    "content",
    str,
    enum=["0", "1"],
    default="0",
    description=gettext_lazy("1: kèm số liệu tính theo hiện nay cho báo cáo đang soạn (chậm hơn)"),
)


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Danh sách báo cáo trong phạm vi của người dùng")),
    retrieve=extend_schema(
        summary=gettext_lazy("Một báo cáo: nội dung, người ký, nơi nhận, số liệu, các lượt duyệt"),
        parameters=[CONTENT],
    ),
    create=extend_schema(
        summary=gettext_lazy("Mở báo cáo của một đơn vị cho một kỳ (tạo bản nháp nếu chưa có)"),
        description=gettext_lazy(
            "201 khi tạo bản nháp mới, 200 khi đơn vị đã có báo cáo của kỳ (trả về báo cáo đó). "
            "Báo cáo liên tịch: ghi thêm đơn vị cùng báo cáo (đơn vị đối ứng)."
        ),
        request=ReportOpenSerializer,
        responses={201: ReportDetailSerializer, 200: ReportDetailSerializer},
    ),
    partial_update=extend_schema(
        summary=gettext_lazy("Lưu bản nháp (nội dung, người ký, nơi nhận, địa danh, số)"),
        description=gettext_lazy(
            "Bắt buộc gửi tiêu đề If-Match: phiên bản lúc mở báo cáo (ETag của lần đọc). Nếu người khác đã "
            "lưu sau đó, trả về 412 kèm phiên bản hiện tại và không ghi gì; tải lại báo cáo rồi sửa tiếp."
        ),
        request=ReportSaveSerializer,
        responses={200: ReportDetailSerializer, 412: OpenApiTypes.OBJECT},
    ),
    destroy=extend_schema(
        summary=gettext_lazy("Xóa báo cáo đang soạn, chưa gửi lần nào"), parameters=[DELETION_REASON]
    ),
)
@extend_schema(tags=["reports"])
class ReportViewSet(
    VersionedDetailMixin,
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ReportSerializer
    filterset_class = ReportFilterSet
    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[Report]:
        return Report.objects.restrict(self.request.user, "view").select_related(
            "period__programme", "period__phase", "unit", "partner_unit"
        )

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return ReportSerializer if self.action == "list" else ReportDetailSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["with_content"] = self.request.query_params.get("content") == "1" if self.request else False
        return context

    def _answer(self, report: Report, code: int = status.HTTP_200_OK) -> Response:
        # Read back through the scoped queryset, so the answer shows what a reader sees.
        fresh = self.get_queryset().get(pk=report.pk)
        data = ReportDetailSerializer(fresh, context=self.get_serializer_context()).data
        headers = location(data, code)
        return Response(data, status=code, headers=headers)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = ReportOpenSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        existed = (
            Report.objects.restrict(request.user, "view").filter(period=data["period"], unit=data["unit"]).exists()
        )
        report = services.report_open(
            period=data["period"], unit=data["unit"], partner_unit=data["partner_unit"], acting_user=request.user
        )
        return self._answer(report, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        report = self.get_object()
        serializer = ReportSaveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        if version is None:
            version = self.expected_version
        if "signers" in data:
            data["signers"] = [dict(s) for s in data["signers"]]
        report = services.report_save(report=report, data=data, expected_version=version, acting_user=request.user)
        return self._answer(report)

    def perform_destroy(self, instance: Report) -> None:
        services.report_delete(report=instance, acting_user=self.request.user, reason=deletion_reason(self.request))

    @extend_schema(
        summary=gettext_lazy("Gửi báo cáo lên cấp trên (số liệu được chốt vào báo cáo)"),
        request=ReportSubmitSerializer,
        responses={200: ReportDetailSerializer, 409: OpenApiTypes.OBJECT},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        report = self.get_object()
        serializer = ReportSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report = services.report_submit(
            report=report,
            expected_version=data.get("version"),
            take_number=data["take_number"],
            acting_user=request.user,
        )
        return self._answer(report)

    @extend_schema(
        summary=gettext_lazy("Duyệt báo cáo (người duyệt của cấp trên; báo cáo toàn quốc: người duyệt của đơn vị gốc)"),
        description=gettext_lazy(
            "Duyệt khóa việc nhập số liệu của đơn vị và cấp dưới trong kỳ. Báo cáo liên tịch được mỗi bên duyệt "
            "phần của mình; báo cáo được duyệt khi mọi bên đã duyệt."
        ),
        request=None,
        responses=ReportDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        return self._answer(services.report_approve(report=self.get_object(), acting_user=request.user))

    @extend_schema(
        summary=gettext_lazy("Trả lại báo cáo kèm lý do (người duyệt của cấp trên)"),
        request=ReasonSerializer,
        responses=ReportDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: str) -> Response:
        report = self.get_object()
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reason = serializer.validated_data["reason"]
        return self._answer(services.report_return(report=report, reason=reason, acting_user=request.user))

    @extend_schema(
        summary=gettext_lazy("Mở lại báo cáo đã duyệt kèm lý do (mở khóa số liệu; được ghi lại)"),
        request=ReasonSerializer,
        responses=ReportDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str) -> Response:
        report = self.get_object()
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reason = serializer.validated_data["reason"]
        return self._answer(services.report_reopen(report=report, reason=reason, acting_user=request.user))

    @extend_schema(
        summary=gettext_lazy("Tải văn bản báo cáo: Word (thể thức Nghị định 30), Excel hoặc PDF"),
        description=gettext_lazy(
            "Tham số file_format: docx (mặc định), xlsx, pdf. Báo cáo đã gửi dùng số liệu đã chốt; bản nháp dùng "
            "số liệu hiện nay. Máy chủ chưa cài LibreOffice thì PDF trả về 503 kèm thông báo. Văn bản lớn nên "
            "tạo nền qua POST /api/v1/reports/<id>/jobs/."
        ),
        parameters=[FILE_FORMAT],
        responses={**BINARY, 400: OpenApiTypes.OBJECT, 503: OpenApiTypes.OBJECT},
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def document(self, request: Request, pk: str) -> HttpResponse:
        report = self.get_object()
        fmt = requested_format(request)
        built = build(report, fmt)
        return file_response(built.content, built.filename, built.content_type)

    @extend_schema(
        methods=["GET"],
        summary=gettext_lazy("Tải bản ký đã quét của báo cáo"),
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "image/jpeg"): OpenApiTypes.BINARY,
            (200, "image/png"): OpenApiTypes.BINARY,
        },
    )
    @extend_schema(
        methods=["POST"],
        summary=gettext_lazy("Lưu bản ký đã quét (PDF, JPEG, PNG) của báo cáo đã gửi"),
        request={"multipart/form-data": ScanUploadSerializer},
        responses=ReportDetailSerializer,
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="signed-scan",
        url_name="signed-scan",
        parser_classes=[MultiPartParser, FormParser],
        filterset_class=None,
    )
    def signed_scan(self, request: Request, pk: str) -> HttpResponseBase:
        report = self.get_object()
        if request.method == "GET":
            if not report.signed_scan:
                raise NotFound(_("Báo cáo chưa có bản ký đã quét."))
            return stored_file_response(
                report.signed_scan, report.signed_scan_name or "ban-ky", report.signed_scan_type or "application/pdf"
            )
        serializer = ScanUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.signed_scan_upload(
            report=report, upload=serializer.validated_data["file"], acting_user=request.user
        )
        return self._answer(report)

    @extend_schema(
        methods=["GET"],
        summary=gettext_lazy("Các lần tạo văn bản nền của báo cáo (mới nhất trước)"),
        responses=DocumentJobSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary=gettext_lazy("Tạo văn bản nền (cho văn bản lớn); theo dõi tiến độ ở /api/v1/document-jobs/<id>/"),
        request=JobStartSerializer,
        responses={202: DocumentJobSerializer},
    )
    @action(detail=True, methods=["get", "post"], filterset_class=None, pagination_class=None)
    def jobs(self, request: Request, pk: str) -> Response:
        report = self.get_object()
        context = self.get_serializer_context()
        if request.method == "GET":
            rows = (
                DocumentJob.objects.restrict(request.user, "view").filter(report=report).select_related("report__unit")
            )
            return Response(DocumentJobSerializer(rows[:50], many=True, context=context).data)
        serializer = JobStartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = tasks.job_start(report=report, fmt=serializer.validated_data["format"], acting_user=request.user)
        job = DocumentJob.objects.restrict(request.user, "view").select_related("report__unit").get(pk=job.pk)

        data = DocumentJobSerializer(job, context=context).data
        return created(data, status.HTTP_202_ACCEPTED)


# --- document jobs ---------------------------------------------------------------------------------


@extend_schema_view(retrieve=extend_schema(summary=gettext_lazy("Tiến độ một lần tạo văn bản nền")))
@extend_schema(tags=["reports"])
class DocumentJobViewSet(ApiViewMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = DocumentJobSerializer
    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[DocumentJob]:
        return DocumentJob.objects.restrict(self.request.user, "view").select_related("report__unit")

    @extend_schema(
        summary=gettext_lazy("Tải văn bản đã tạo xong"),
        description=gettext_lazy("409 khi văn bản chưa tạo xong hoặc tạo không thành công (kèm thông báo)."),
        responses={**BINARY, 409: OpenApiTypes.OBJECT},
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str) -> HttpResponseBase:
        job = self.get_object()
        if job.status == JobStatus.FAILED:
            return Response(
                {"detail": job.message or _("Tạo văn bản không thành công.")}, status=status.HTTP_409_CONFLICT
            )
        if job.status != JobStatus.DONE or not job.file:
            return Response(
                {"detail": _("Văn bản chưa tạo xong (%(progress)s%%); hãy thử lại sau.") % {"progress": job.progress}},
                status=status.HTTP_409_CONFLICT,
            )
        content_type = FORMATS.get(job.format, "application/octet-stream")
        return stored_file_response(job.file, job.filename or f"van-ban.{job.format}", content_type)


# --- the register of outgoing documents --------------------------------------------------------


class RegisterFilterSet(django_filters.FilterSet):
    unit = django_filters.CharFilter(field_name="unit__code", label=gettext_lazy("Cơ quan ban hành (mã)"))
    year = YearFilter(field_name="year", label=gettext_lazy("Năm"))
    status = django_filters.ChoiceFilter(choices=NumberStatus.choices, label=gettext_lazy("Tình trạng"))

    class Meta:
        model = RegisteredNumber
        fields: list[str] = []


class RegisteredNumberSerializer(serializers.ModelSerializer):
    unit = UnitBriefSerializer(read_only=True, label=gettext_lazy("Cơ quan ban hành"))
    number_label = serializers.CharField(source="label", read_only=True, label=gettext_lazy("Số, ký hiệu (15/BC-HCCB)"))
    kind_label = serializers.CharField(source="get_kind_display", read_only=True, label=gettext_lazy("Loại văn bản"))
    document = serializers.SerializerMethodField(label=gettext_lazy("Văn bản (loại và id)"))
    # Plain text, not an enum: "status" names other choice sets in the schema already.
    status = serializers.CharField(
        read_only=True, label=gettext_lazy("Tình trạng: issued (đã cấp), cancelled (đã hủy)")
    )

    class Meta:
        model = RegisteredNumber
        fields = [
            "id",
            "unit",
            "year",
            "number",
            "symbol",
            "number_label",
            "kind",
            "kind_label",
            "issued_on",
            "subject",
            "document",
            "status",
            "cancel_reason",
            "cancelled_at",
            "taken_at",
        ]
        read_only_fields = fields

    @extend_schema_field(
        {"type": "object", "nullable": True, "properties": {"type": {"type": "string"}, "id": {"type": "integer"}}}
    )
    def get_document(self, entry: RegisteredNumber) -> dict[str, Any] | None:
        if entry.content_type is None or entry.object_id is None:
            return None
        return {"type": f"{entry.content_type.app_label}.{entry.content_type.model}", "id": entry.object_id}


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Sổ đăng ký văn bản đi: các số đã cấp và đã hủy của cơ quan ban hành, theo năm"),
        description=gettext_lazy(
            "Chỉ đọc. Lọc theo ?unit=<mã cơ quan>&year=<năm>. Người dùng xem sổ của các cơ quan trong phạm vi "
            "của mình; số đã hủy vẫn có trong sổ (status=cancelled, kèm lý do)."
        ),
    )
)
@extend_schema(tags=["reports"])
class RegisteredNumberViewSet(ApiViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = RegisteredNumberSerializer
    filterset_class = RegisterFilterSet

    def get_queryset(self) -> QuerySet[RegisteredNumber]:
        return (
            RegisteredNumber.objects.restrict(self.request.user, "view")
            .select_related("unit", "content_type")
            .order_by("unit__path", "-year", "number")
        )


# The route prefixes of the reporting cycle and their base names (registered in urls.py).
ROUTES: list[tuple[str, str, type[viewsets.GenericViewSet]]] = [
    ("reporting-periods", "reporting-period", ReportingPeriodViewSet),
    ("report-requests", "report-request", ReportRequestViewSet),
    ("reports", "report", ReportViewSet),
    ("document-jobs", "document-job", DocumentJobViewSet),
    ("registers", "register", RegisteredNumberViewSet),
]
