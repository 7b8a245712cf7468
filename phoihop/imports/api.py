"""The API of imports: send a file to check or import (a background job), follow the run, get the
template and an export of each kind.

* ``POST /api/v1/imports/`` (multipart: ``kind``, ``file``, ``programme`` code, ``dry_run``) → 202
  and the run: ``id``, ``status``, ``total_rows``, ``created``, ``updated``, ``errors``
  (``[{row, column, value, message}]``); in immediate mode (no worker) it has already run.
* ``GET /api/v1/imports/{id}/``: the run (its creator's alone, and system administrators').
* ``POST /api/v1/imports/{id}/confirm/``: import for real the file of a check that found nothing wrong.
* ``GET /api/v1/imports/kinds/?programme=CODE``: the kinds and their columns (keys, headers, choices).
* ``GET /api/v1/imports/templates/{kind}/?programme=CODE``: the XLSX template.
* ``POST /api/v1/imports/exports/`` (``kind``, ``programme``): an export in the template's columns,
  as a job (202, then ``/api/v1/jobs/{id}/download/``).

Unit administrators and system administrators import; anyone else gets 403.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from phoihop.api.base import ApiViewMixin, created
from phoihop.api.fields import ID_PATTERN, ProgrammeCodeField, code_ref
from phoihop.imports import registry, runs
from phoihop.imports.models import ImportRun
from phoihop.imports.permissions import require_import
from phoihop.imports.templates import template_bytes, template_filename
from phoihop.jobs.kinds import XLSX

KIND_HELP = gettext_lazy(
    "Loại dữ liệu: units (đơn vị), people (cán bộ, hội viên), users (tài khoản và vai trò), "
    "targets (chỉ tiêu giao), activities (hoạt động và số liệu), figures (số liệu theo kỳ)."
)
KIND_PATTERN = "[a-z_]+"


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(label=gettext_lazy("Dòng (như trong Excel; 0: cả tệp)"))
    column = serializers.CharField(label=gettext_lazy("Cột"))
    value = serializers.CharField(label=gettext_lazy("Giá trị"))
    message = serializers.CharField(label=gettext_lazy("Lý do"))


@extend_schema_field(RowErrorSerializer(many=True))
class ErrorsField(serializers.JSONField):
    pass


class ImportRunSerializer(serializers.ModelSerializer):
    kind_label = serializers.SerializerMethodField(label=gettext_lazy("Tên loại dữ liệu"))
    programme = code_ref(gettext_lazy("Chương trình (mã)"), allow_null=True)
    status = serializers.CharField(
        read_only=True,
        label=gettext_lazy("Trạng thái"),
        help_text=gettext_lazy("pending (đang chờ), running (đang xử lý), done (xong), failed (không thực hiện được)"),
    )
    status_label = serializers.CharField(
        source="get_status_display", read_only=True, label=gettext_lazy("Tên trạng thái")
    )
    errors = ErrorsField(  # type: ignore[assignment]
        read_only=True, label=gettext_lazy("Các lỗi: dòng, cột, giá trị, lý do")
    )
    page_url = serializers.SerializerMethodField(label=gettext_lazy("Trang theo dõi lần nhập"))
    url = serializers.HyperlinkedIdentityField(view_name="api:import-detail")

    class Meta:
        model = ImportRun
        fields = [
            "id",
            "kind",
            "kind_label",
            "programme",
            "filename",
            "dry_run",
            "status",
            "status_label",
            "progress",
            "total_rows",
            "created",
            "updated",
            "unchanged",
            "error_count",
            "errors",
            "note",
            "message",
            "created_at",
            "finished_at",
            "page_url",
            "url",
        ]
        read_only_fields = fields

    def get_kind_label(self, run: ImportRun) -> str:
        return registry.kind_label(run.kind)

    @extend_schema_field(serializers.URLField())
    def get_page_url(self, run: ImportRun) -> str:
        return reverse("imports:run", kwargs={"pk": run.pk}, request=self.context.get("request"))


def _required(message: Any) -> dict[str, Any]:
    return {"required": message, "null": message, "blank": message}


class ImportStartSerializer(serializers.Serializer):
    kind = serializers.CharField(
        max_length=20,
        label=gettext_lazy("Loại dữ liệu"),
        help_text=KIND_HELP,
        error_messages=_required(gettext_lazy("Hãy chọn loại dữ liệu cần nhập.")),
    )
    file = serializers.FileField(
        label=gettext_lazy("Tệp Excel (.xlsx) hoặc CSV"),
        help_text=gettext_lazy("Tối đa 50 MB và 200.000 dòng."),
        allow_empty_file=True,  # refused by the service with its own message
        use_url=False,
        error_messages={
            **_required(gettext_lazy("Hãy chọn tệp cần nhập.")),
            "invalid": gettext_lazy("Không nhận được tệp: hãy gửi tệp theo kiểu multipart/form-data."),
            "no_name": gettext_lazy("Không nhận được tên tệp."),
            "max_length": gettext_lazy("Tên tệp dài quá {max_length} ký tự."),
        },
    )
    programme = ProgrammeCodeField(
        required=False,
        allow_null=True,
        label=gettext_lazy("Chương trình (mã)"),
        help_text=gettext_lazy("Bắt buộc với chỉ tiêu, hoạt động và số liệu."),
    )
    dry_run = serializers.BooleanField(
        default=False,
        label=gettext_lazy("Chỉ kiểm tra"),
        help_text=gettext_lazy("true: chỉ kiểm tra và liệt kê lỗi từng dòng, không ghi gì."),
        error_messages={"invalid": gettext_lazy("Hãy ghi true hoặc false.")},
    )

    def validate_kind(self, value: str) -> str:
        if registry.get_kind(value) is None:
            raise ValidationError(
                _("Không có loại dữ liệu “%(kind)s”; chọn một trong: %(known)s.")
                % {"kind": value[:40], "known": ", ".join(registry.all_kinds())}
            )
        return value


class ExportStartSerializer(serializers.Serializer):
    kind = serializers.CharField(
        max_length=20,
        label=gettext_lazy("Loại dữ liệu"),
        help_text=KIND_HELP,
        error_messages=_required(gettext_lazy("Hãy chọn loại dữ liệu cần xuất.")),
    )
    programme = ProgrammeCodeField(required=False, allow_null=True, label=gettext_lazy("Chương trình (mã)"))

    validate_kind = ImportStartSerializer.validate_kind

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        kind = registry.get_kind(attrs["kind"])
        if kind is not None and kind.needs_programme and not attrs.get("programme"):
            raise ValidationError({"programme": [_("Xuất %(label)s cần chọn chương trình.") % {"label": kind.label}]})
        return attrs


class ImportColumnSerializer(serializers.Serializer):
    key = serializers.CharField(label=gettext_lazy("Khóa (dùng làm tên cột được)"))
    header = serializers.CharField(label=gettext_lazy("Tên cột tiếng Việt"))
    required = serializers.BooleanField(label=gettext_lazy("Bắt buộc"))  # type: ignore[assignment]
    help = serializers.CharField(label=gettext_lazy("Giải thích"))
    example = serializers.CharField(label=gettext_lazy("Ví dụ"))
    choices = serializers.ListField(child=serializers.CharField(), label=gettext_lazy("Giá trị chọn được"))


class ImportKindSerializer(serializers.Serializer):
    name = serializers.CharField(label=gettext_lazy("Loại dữ liệu (kind)"))
    label = serializers.CharField(label=gettext_lazy("Tên loại dữ liệu"))  # type: ignore[assignment]
    needs_programme = serializers.BooleanField(label=gettext_lazy("Cần chương trình"))
    columns = ImportColumnSerializer(many=True, label=gettext_lazy("Các cột (khi cần chương trình: ghi ?programme=MÃ)"))


def _example(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return f"{value.day}/{value.month}/{value.year}"
    return str(value)


PROGRAMME_PARAMETER = OpenApiParameter(
    "programme",
    str,
    OpenApiParameter.QUERY,
    required=False,
    description=gettext_lazy("Mã chương trình: bắt buộc với chỉ tiêu, hoạt động và số liệu (các cột chỉ tiêu)."),
)


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Các lần nhập dữ liệu của tôi (mới nhất trước)")),
    retrieve=extend_schema(summary=gettext_lazy("Một lần nhập dữ liệu: trạng thái, số dòng, các lỗi")),
    create=extend_schema(
        summary=gettext_lazy("Gửi tệp Excel hoặc CSV để kiểm tra hoặc nhập (quản trị đơn vị, quản trị hệ thống)"),
        description=gettext_lazy(
            "Trả về 202 và lần nhập (chạy nền); theo dõi ở url của nó. Kiểm tra (dry_run) liệt kê lỗi từng dòng "
            "và không ghi gì; nhập thật ghi tất cả các dòng hoặc không dòng nào khi còn một dòng lỗi."
        ),
        request={"multipart/form-data": ImportStartSerializer},
        responses={202: ImportRunSerializer},
    ),
)
@extend_schema(tags=["imports"])
class ImportRunViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ImportRunSerializer
    lookup_value_regex = ID_PATTERN
    filterset_class = None
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self) -> QuerySet[ImportRun]:
        runs_: QuerySet[ImportRun] = ImportRun.objects.restrict(self.request.user, "view").select_related("programme")
        if self.action == "list":  # one's own, also for a system administrator
            runs_ = runs_.filter(created_by=self.request.user.pk)
        return runs_

    def _answer(self, run: ImportRun) -> Response:
        run = self.get_queryset().get(pk=run.pk)
        return created(ImportRunSerializer(run, context=self.get_serializer_context()).data, status.HTTP_202_ACCEPTED)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require_import(request.user)
        start = ImportStartSerializer(data=request.data, context=self.get_serializer_context())
        start.is_valid(raise_exception=True)
        data = start.validated_data
        run = runs.run_start(
            acting_user=request.user,
            kind=data["kind"],
            upload=data["file"],
            programme=data.get("programme"),
            dry_run=data["dry_run"],
        )
        return self._answer(run)

    @extend_schema(
        summary=gettext_lazy("Nhập thật tệp của một lần kiểm tra không có lỗi"),
        description=gettext_lazy("Tạo lần nhập mới với cùng tệp; 400 khi lần kiểm tra chưa xong hoặc còn lỗi."),
        request=None,
        responses={202: ImportRunSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def confirm(self, request: Request, pk: str) -> Response:
        run = self.get_object()
        return self._answer(runs.run_confirm(acting_user=request.user, run=run))

    @extend_schema(
        summary=gettext_lazy("Các loại dữ liệu nhập được và các cột của mỗi loại"),
        description=gettext_lazy(
            "Mỗi cột: khóa (dùng làm tên cột được), tên tiếng Việt, bắt buộc hay không, giải thích, ví dụ và các "
            "giá trị chọn được; với ?programme=MÃ, các cột chỉ tiêu và giai đoạn của chương trình."
        ),
        parameters=[PROGRAMME_PARAMETER],
        responses=ImportKindSerializer(many=True),
    )
    @action(
        detail=False, methods=["get"], url_path="kinds", url_name="kinds", filterset_class=None, pagination_class=None
    )
    def kinds(self, request: Request) -> Response:
        require_import(request.user)
        programme = self._programme(request.query_params.get("programme"), required=False)
        rows = []
        for name, kind in registry.all_kinds().items():
            columns = list(kind.columns(programme)) if programme is not None or not kind.needs_programme else []
            rows.append(
                {
                    "name": name,
                    "label": str(kind.label),
                    "needs_programme": kind.needs_programme,
                    "columns": [
                        {
                            "key": column.key,
                            "header": str(column.header),
                            "required": column.required,
                            "help": str(column.help or ""),
                            "example": _example(column.example),
                            "choices": [str(c) for c in column.choices(programme)] if column.choices else [],
                        }
                        for column in columns
                    ],
                }
            )
        return Response(ImportKindSerializer(rows, many=True).data)

    @extend_schema(
        summary=gettext_lazy("Tải mẫu Excel để nhập một loại dữ liệu"),
        description=gettext_lazy(
            "Tên cột tiếng Việt, danh sách chọn cho các cột có giá trị cố định, một dòng ví dụ và trang “Hướng dẫn”."
        ),
        parameters=[PROGRAMME_PARAMETER],
        responses={(200, XLSX): OpenApiTypes.BINARY, 400: OpenApiTypes.OBJECT},
    )
    @action(
        detail=False,
        methods=["get"],
        url_path=f"templates/(?P<kind>{KIND_PATTERN})",
        url_name="template",
        filterset_class=None,
        pagination_class=None,
    )
    def template(self, request: Request, kind: str) -> HttpResponse:
        require_import(request.user)
        found = registry.get_kind(kind)
        if found is None:
            raise NotFound()
        programme = self._programme(request.query_params.get("programme"), required=found.needs_programme)
        response = HttpResponse(template_bytes(found, programme), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{template_filename(found, programme)}"'
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response

    def _programme(self, code: str | None, *, required: bool) -> Any:
        from phoihop.programmes.models import Programme

        if not code:
            if required:
                raise ValidationError({"programme": [_("Loại dữ liệu này cần mã chương trình (?programme=MÃ).")]})
            return None
        found = Programme.objects.restrict(self.request.user, "view").filter(code=str(code)[:40]).first()
        if found is None:
            raise ValidationError(
                {"programme": [_("Không tìm thấy chương trình có mã “%(code)s”.") % {"code": code[:40]}]}
            )
        return found

    @extend_schema(
        summary=gettext_lazy("Xuất dữ liệu một loại theo các cột của mẫu nhập (việc chạy nền)"),
        description=gettext_lazy(
            "Trả về 202 và việc chạy nền; tải tệp ở download_url của việc khi xong. Chỉ gồm dữ liệu bạn được xem; "
            "sửa tệp rồi nhập lại được ngay."
        ),
        request=ExportStartSerializer,
        responses={202: OpenApiTypes.OBJECT},
    )
    @action(detail=False, methods=["post"], url_path="exports", url_name="export", filterset_class=None)
    def export(self, request: Request) -> Response:
        from phoihop.jobs import services as jobs
        from phoihop.jobs.api import JobSerializer
        from phoihop.jobs.kinds import IMPORT_EXPORT
        from phoihop.jobs.models import Job

        require_import(request.user)
        start = ExportStartSerializer(data=request.data, context=self.get_serializer_context())
        start.is_valid(raise_exception=True)
        programme = start.validated_data.get("programme")
        job = jobs.job_start(
            kind=IMPORT_EXPORT,
            parameters={"kind": start.validated_data["kind"], "programme": programme.pk if programme else None},
            acting_user=request.user,
        )
        job = Job.objects.restrict(request.user, "view").get(pk=job.pk)
        return created(JobSerializer(job, context=self.get_serializer_context()).data, status.HTTP_202_ACCEPTED)


ROUTES: list[tuple[str, str, type[viewsets.GenericViewSet]]] = [("imports", "import", ImportRunViewSet)]
