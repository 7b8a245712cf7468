"""The API of jobs: start an export (202 + Location), follow its progress, download its file.

``POST /api/v1/jobs/`` starts a job; ``GET /api/v1/jobs/{id}/`` gives its status, progress and,
when done, ``download_url``. A job is its creator's alone: anyone else gets 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponseBase
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from phoihop.api.base import ApiViewMixin, created
from phoihop.api.documents import stored_file_response
from phoihop.api.fields import ID_PATTERN
from phoihop.jobs import services
from phoihop.jobs.kinds import ACTIVITY_EXPORT, KINDS
from phoihop.jobs.models import Job, JobStatus

# The kinds a client may start here (the others start from their record's own route).
STARTABLE = {ACTIVITY_EXPORT: gettext_lazy("danh sách hoạt động phối hợp ra Excel")}
ACTIVITY_FILTERS = ("phase", "field", "unit", "start", "end", "status", "q")


class JobSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, label=gettext_lazy("Loại việc"))
    kind_label = serializers.SerializerMethodField(label=gettext_lazy("Tên loại việc"))
    status = serializers.CharField(read_only=True, label=gettext_lazy("Trạng thái"))
    status_label = serializers.CharField(
        source="get_status_display", read_only=True, label=gettext_lazy("Tên trạng thái")
    )
    download_url = serializers.SerializerMethodField(label=gettext_lazy("Tải tệp (khi đã xong)"))
    page_url = serializers.SerializerMethodField(label=gettext_lazy("Trang theo dõi việc"))
    url = serializers.HyperlinkedIdentityField(view_name="api:job-detail")

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "kind_label",
            "status",
            "status_label",
            "progress",
            "message",
            "filename",
            "created_at",
            "started_at",
            "finished_at",
            "download_url",
            "page_url",
            "url",
        ]
        read_only_fields = fields

    def get_kind_label(self, job: Job) -> str:
        kind = KINDS.get(job.kind)
        return str(kind.label) if kind else job.kind

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download_url(self, job: Job) -> str | None:
        if job.status != JobStatus.DONE:
            return None
        return reverse("api:job-download", kwargs={"pk": job.pk}, request=self.context.get("request"))

    @extend_schema_field(serializers.URLField())
    def get_page_url(self, job: Job) -> str:
        return reverse("jobs:job", kwargs={"pk": job.pk}, request=self.context.get("request"))


class ExportJobStartSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[(k, str(v)) for k, v in STARTABLE.items()], label=gettext_lazy("Loại việc"))
    filters = serializers.DictField(
        child=serializers.CharField(max_length=200, allow_blank=True),
        required=False,
        default=dict,
        label=gettext_lazy("Bộ lọc"),
        help_text=gettext_lazy(
            "Các bộ lọc của danh sách hoạt động: phase, field (id), unit (mã đơn vị, cả cấp dưới), "
            "start, end (ngày kết thúc, YYYY-MM-DD), status, q (tìm không cần dấu)."
        ),
    )

    def validate_filters(self, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(ACTIVITY_FILTERS))
        if unknown:
            raise serializers.ValidationError(
                _("Bộ lọc không có: %(names)s; nhận: %(known)s.")
                % {"names": ", ".join(unknown), "known": ", ".join(ACTIVITY_FILTERS)}
            )
        return value


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Các việc chạy nền của tôi (mới nhất trước)")),
    retrieve=extend_schema(summary=gettext_lazy("Tiến độ một việc chạy nền")),
    create=extend_schema(
        summary=gettext_lazy("Bắt đầu một việc chạy nền (xuất Excel danh sách hoạt động)"),
        description=gettext_lazy(
            "Trả về 202 và Location của việc; theo dõi tiến độ ở /api/v1/jobs/{id}/, tải tệp ở download_url khi xong."
        ),
        request=ExportJobStartSerializer,
        responses={202: JobSerializer},
    ),
)
@extend_schema(tags=["jobs"])
class JobViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = JobSerializer
    lookup_value_regex = ID_PATTERN
    filterset_class = None

    def get_queryset(self) -> QuerySet[Job]:
        jobs: QuerySet[Job] = Job.objects.restrict(self.request.user, "view")
        if self.action == "list":  # one's own, also for a system administrator
            jobs = jobs.filter(created_by=self.request.user.pk)
        return jobs

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        start = ExportJobStartSerializer(data=request.data)
        start.is_valid(raise_exception=True)
        filters = start.validated_data["filters"]
        job = services.job_start(
            kind=start.validated_data["kind"],
            parameters={"query": [[key, [value]] for key, value in sorted(filters.items())]},
            acting_user=request.user,
        )
        job = self.get_queryset().get(pk=job.pk)
        return created(JobSerializer(job, context=self.get_serializer_context()).data, status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary=gettext_lazy("Tải tệp của việc đã xong"),
        description=gettext_lazy("409 khi việc chưa xong hoặc không thành công (kèm thông báo)."),
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 409: OpenApiTypes.OBJECT},
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str) -> HttpResponseBase:
        job = self.get_object()
        if job.status == JobStatus.FAILED:
            return Response({"detail": job.message or _("Tạo tệp không thành công.")}, status=status.HTTP_409_CONFLICT)
        if job.status != JobStatus.DONE or not job.file:
            return Response(
                {"detail": _("Tệp chưa tạo xong (%(progress)s%%); hãy thử lại sau.") % {"progress": job.progress}},
                status=status.HTTP_409_CONFLICT,
            )
        kind = KINDS.get(job.kind)
        if kind is not None and kind.on_download is not None:
            kind.on_download(job, request.user)
        return stored_file_response(job.file, job.filename or "tep", job.content_type or "application/octet-stream")


def decision_pdf_job(request: Request, decision: Any) -> Response:
    """A decision's PDF (LibreOffice takes seconds): a job of the reader, 202 and its Location.
    The caller has read the decision through the gate; the job reads it again as the user."""
    from phoihop.documents.pdf import PdfUnavailable, pdf_available
    from phoihop.jobs.kinds import DECISION_DOCUMENT

    if not pdf_available():
        raise PdfUnavailable()
    job = services.job_start(
        kind=DECISION_DOCUMENT, parameters={"decision": decision.pk, "format": "pdf"}, acting_user=request.user
    )
    job = Job.objects.restrict(request.user, "view").get(pk=job.pk)
    return created(JobSerializer(job, context={"request": request}).data, status.HTTP_202_ACCEPTED)


ROUTES: list[tuple[str, str, type[viewsets.GenericViewSet]]] = [("jobs", "job", JobViewSet)]
