"""API of conferences: ``/api/v1/conferences/`` with co-chairs, delegates, papers and the signing (scoped).

Readers of a conference read it and its rows; its writers (reporters and approvers of an
organiser's subtree or above) create and change it and its rows, all through the services.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from phoihop.api.base import ApiViewMixin, location
from phoihop.api.concurrency import IF_MATCH, VersionedDetailMixin
from phoihop.api.documents import file_response
from phoihop.api.fields import ProgrammeCodeField, ScopedPkField, UnitCodeField
from phoihop.audit.access import log_people_export
from phoihop.conferences import documents, services
from phoihop.conferences.models import (
    AgendaItem,
    CoChair,
    Conference,
    ConferenceKind,
    Delegate,
    Paper,
    ProposalAdoption,
    Speech,
    SpeechKind,
)
from phoihop.conferences.permissions import NOT_AN_ORGANISER, can_hold_conferences
from phoihop.conferences.selectors import conferences_for, news_summary
from phoihop.core.permissions import perms
from phoihop.orgunits.models import Person, Rank
from phoihop.programmes.models import Indicator, Phase, Signatory, Signing
from phoihop.records.models import Proposal
from phoihop.reporting.models import Report

SPEECH_KINDS_HELP = _(
    "khai-mac (phát biểu khai mạc), bao-cao (trình bày báo cáo), chi-dao (phát biểu chỉ đạo), "
    "phat-bieu (phát biểu), be-mac (phát biểu kết luận, bế mạc)"
)


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


class AgendaItemRowSerializer(serializers.ModelSerializer):
    time = serializers.TimeField(source="at", allow_null=True, format="%H:%M", label=_("Thời gian"))

    class Meta:
        model = AgendaItem
        fields = ["id", "version", "order", "time", "item", "presenter"]


class AgendaItemInputSerializer(serializers.Serializer):
    time = serializers.TimeField(source="at", required=False, allow_null=True, label=_("Thời gian (HH:MM)"))
    item = serializers.CharField(max_length=500, allow_blank=True, label=_("Nội dung"))
    presenter = serializers.CharField(max_length=255, required=False, allow_blank=True, label=_("Người trình bày"))
    order = serializers.IntegerField(min_value=0, max_value=999, required=False, label=_("Thứ tự"))


class SpeechRowSerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(
        source="person_id", allow_null=True, label=_("Người (id; null với người ghi tên)")
    )
    speaker = serializers.CharField(source="speaker_display", label=_("Người phát biểu"))
    rank = serializers.CharField(source="rank_at_event")
    rank_label = serializers.CharField(source="rank_at_event_label")
    positions = serializers.ListField(source="speaker_positions", child=serializers.CharField())
    kind = serializers.CharField(label=_("Loại"), help_text=SPEECH_KINDS_HELP)
    file = serializers.SerializerMethodField(label=_("Tải tệp (null khi chưa có)"))

    class Meta:
        model = Speech
        fields = [
            "id",
            "version",
            "order",
            "kind",
            "person",
            "speaker",
            "speaker_name",
            "speaker_title",
            "rank",
            "rank_label",
            "positions",
            "title",
            "summary",
            "original_name",
            "file",
        ]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_file(self, speech: Speech) -> str | None:
        if not speech.file:
            return None
        path = reverse("api:conference-speech-file", kwargs={"pk": speech.conference_id, "row_id": speech.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


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
    start_time = serializers.TimeField(source="starts_at", allow_null=True, format="%H:%M")
    end_time = serializers.TimeField(source="ends_at", allow_null=True, format="%H:%M")
    agenda = AgendaItemRowSerializer(source="agenda_items", many=True)
    speeches = SpeechRowSerializer(many=True)
    conclusions = serializers.ListField(source="conclusion_points", child=serializers.CharField())
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
            "version",
            "programme",
            "phase",
            "kind",
            "title",
            "date",
            "start_time",
            "end_time",
            "place",
            "venue",
            "venue_address",
            "agenda",
            "speeches",
            "conclusions_intro",
            "conclusions",
            "organisers",
            "cochairs",
            "delegates",
            "guests",
            "papers",
            "report",
            "signing",
            "summary",
            "source_name",
            "source_text",
        ]
        read_only_fields = ["source_name", "source_text"]

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


# --- writes: scoped look-ups --------------------------------------------------------------------


def _user(field: serializers.Field) -> Any:
    return field.context["request"].user


PERSON_NOT_FOUND = _("Không tìm thấy người có id {pk_value}.")


# Field names of the API where they differ from the model's (errors of the services name the model's).
_FIELD_NAMES = {"held_on": "date", "starts_at": "start_time", "ends_at": "end_time"}


class ConferenceWriteSerializer(serializers.Serializer):
    programme = ProgrammeCodeField(label=_("Chương trình (mã)"))
    phase = serializers.CharField(label=_("Giai đoạn được sơ kết, tổng kết (mã, ví dụ 2017-2022)"))
    # A string, not an enum in the schema: another enum is named "kind" already (see phoihop/api/activities.py).
    kind = serializers.CharField(
        label=_("Loại hội nghị"), help_text=_("so-ket (sơ kết), tong-ket (tổng kết), giao-ban (giao ban), khac (khác)")
    )
    title = serializers.CharField(max_length=500, label=_("Tên hội nghị"))
    date = serializers.DateField(source="held_on", label=_("Ngày tổ chức"))
    start_time = serializers.TimeField(source="starts_at", required=False, allow_null=True, label=_("Giờ khai mạc"))
    end_time = serializers.TimeField(source="ends_at", required=False, allow_null=True, label=_("Giờ bế mạc"))
    place = serializers.CharField(max_length=255, label=_("Địa danh (tỉnh, thành phố của dòng ngày tháng)"))
    venue = serializers.CharField(max_length=255, required=False, allow_blank=True, label=_("Hội trường, phòng họp"))
    venue_address = serializers.CharField(max_length=255, required=False, allow_blank=True, label=_("Địa chỉ"))
    conclusions_intro = serializers.CharField(required=False, allow_blank=True, label=_("Mở đầu phần kết luận"))
    conclusions = serializers.ListField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        label=_("Các điểm kết luận, theo thứ tự"),
    )

    def validate_conclusions(self, value: list[str]) -> str:
        if any("\n" in point or "\r" in point for point in value):
            raise serializers.ValidationError(_("Mỗi điểm kết luận là một đoạn, không xuống dòng."))
        return "\n".join(" ".join(point.split()) for point in value if point.strip())

    organisers = UnitCodeField(many=True, label=_("Đơn vị tổ chức (các mã)"))
    report = ScopedPkField(
        Report,
        _("Không tìm thấy báo cáo số {pk_value}."),
        required=False,
        allow_null=True,
        label=_("Báo cáo sơ kết, tổng kết (id)"),
    )

    def validate_kind(self, value: str) -> str:
        if value not in ConferenceKind.values:
            raise serializers.ValidationError(_("Loại hội nghị không hợp lệ."))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        conference: Conference | None = self.context.get("conference")
        programme = attrs.get("programme") or (conference.programme if conference else None)
        code = attrs.pop("phase", None)
        if code is None and "programme" in attrs and conference is not None:
            code = conference.phase.code  # the same phase code in the other programme, or an error
        if code is not None:
            phase = Phase.objects.restrict(_user(self), "view").filter(programme=programme, code=code).first()
            if phase is None:
                raise serializers.ValidationError({"phase": [_("Không tìm thấy giai đoạn này của chương trình.")]})
            attrs["phase"] = phase
        return attrs


def _renamed(data: dict[str, Any]) -> dict[str, Any]:
    """API names of the day's rank and positions → the model's."""
    names = {"rank": "rank_at_event", "positions": "positions_at_event"}
    return {names.get(k, k): v for k, v in data.items()}


RANK_HELP = _("Cấp bậc khi đó (không gửi: theo hồ sơ; chuỗi rỗng: không có cấp bậc)")
POSITIONS_HELP = _("Chức vụ khi đó (không gửi: theo hồ sơ)")


class CoChairRowSerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="person_id", label=_("Người (id)"))
    name = serializers.CharField(source="person.full_name")
    rank = serializers.CharField(source="rank_at_event")
    rank_label = serializers.CharField(source="rank_at_event_label")
    positions = serializers.ListField(source="positions_at_event", child=serializers.CharField())

    class Meta:
        model = CoChair
        fields = ["id", "version", "person", "name", "rank", "rank_label", "positions", "order"]


class CoChairPatchSerializer(serializers.Serializer):
    rank = serializers.ChoiceField(choices=Rank.choices, allow_blank=True, required=False, label=RANK_HELP)
    positions = serializers.ListField(
        child=serializers.CharField(allow_blank=True), required=False, label=POSITIONS_HELP
    )
    order = serializers.IntegerField(min_value=0, max_value=999, required=False, label=_("Thứ tự"))


class CoChairInputSerializer(CoChairPatchSerializer):
    person = ScopedPkField(Person, PERSON_NOT_FOUND, allow_null=True, label=_("Người (id)"))


class DelegateRowSerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(
        source="person_id", allow_null=True, label=_("Người (id; null với khách ghi tên)")
    )
    name = serializers.CharField(source="display_name")
    rank = serializers.CharField(source="rank_at_event")
    rank_label = serializers.CharField(source="rank_at_event_label")
    positions = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Delegate
        fields = [
            "id",
            "version",
            "person",
            "name",
            "rank",
            "rank_label",
            "positions",
            "organisation",
            "title",
            "is_guest_of_honour",
            "order",
        ]


class DelegatePatchSerializer(CoChairPatchSerializer):
    person = ScopedPkField(
        Person, PERSON_NOT_FOUND, allow_null=True, required=False, label=_("Người (id); null: khách ghi tên")
    )
    name = serializers.CharField(max_length=128, required=False, allow_blank=True, label=_("Họ và tên khách mời"))
    organisation = serializers.CharField(max_length=255, required=False, allow_blank=True, label=_("Cơ quan"))
    title = serializers.CharField(max_length=255, required=False, allow_blank=True, label=_("Chức vụ (khách mời)"))
    is_guest_of_honour = serializers.BooleanField(required=False, label=_("Khách mời danh dự"))


class DelegateInputSerializer(DelegatePatchSerializer):
    pass


class PaperRowSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author_display", label=_("Tác giả"))
    author_person = serializers.IntegerField(source="author_id", allow_null=True, label=_("Tác giả (id người)"))
    unit = serializers.CharField(source="unit.code", default=None, allow_null=True)
    file = serializers.SerializerMethodField(label=_("Tải tệp (null khi chưa có)"))

    class Meta:
        model = Paper
        fields = [
            "id",
            "version",
            "title",
            "author",
            "author_person",
            "author_name",
            "unit",
            "order",
            "original_name",
            "file",
        ]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_file(self, paper: Paper) -> str | None:
        if not paper.file:
            return None
        path = reverse("api:conference-paper-file", kwargs={"pk": paper.conference_id, "row_id": paper.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class PaperInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=500, allow_blank=True, label=_("Tên tham luận"))
    author = ScopedPkField(Person, PERSON_NOT_FOUND, allow_null=True, required=False, label=_("Tác giả (id người)"))
    author_name = serializers.CharField(
        max_length=128, required=False, allow_blank=True, label=_("Tác giả (ghi tên, nếu không chọn người)")
    )
    unit = UnitCodeField(allow_null=True, required=False, label=_("Đơn vị (mã)"))
    order = serializers.IntegerField(min_value=0, max_value=999, required=False, label=_("Thứ tự"))
    file = serializers.FileField(required=False, label=_("Tệp (PDF, Word, Excel, ảnh; xác định theo nội dung)"))


class SpeechPatchSerializer(serializers.Serializer):
    # A string, not an enum in the schema: another enum is named "kind" already.
    kind = serializers.CharField(required=False, label=_("Loại"), help_text=SPEECH_KINDS_HELP)

    def validate_kind(self, value: str) -> str:
        if value not in SpeechKind.values:
            raise serializers.ValidationError(_("Loại bài phát biểu không hợp lệ."))
        return value

    person = ScopedPkField(
        Person, PERSON_NOT_FOUND, allow_null=True, required=False, label=_("Người phát biểu (id); null: ghi tên")
    )
    speaker_name = serializers.CharField(
        max_length=128, required=False, allow_blank=True, label=_("Họ và tên người phát biểu (nếu không chọn người)")
    )
    speaker_title = serializers.CharField(
        max_length=255, required=False, allow_blank=True, label=_("Chức vụ, cơ quan (người ghi tên)")
    )
    rank = serializers.ChoiceField(choices=Rank.choices, allow_blank=True, required=False, label=RANK_HELP)
    positions = serializers.ListField(
        child=serializers.CharField(allow_blank=True), required=False, label=POSITIONS_HELP
    )
    title = serializers.CharField(max_length=500, required=False, allow_blank=True, label=_("Tiêu đề bài phát biểu"))
    summary = serializers.CharField(required=False, allow_blank=True, label=_("Tóm tắt nội dung"))
    order = serializers.IntegerField(min_value=0, max_value=999, required=False, label=_("Thứ tự"))
    file = serializers.FileField(required=False, label=_("Tệp toàn văn (PDF, Word; xác định theo nội dung)"))


class SpeechInputSerializer(SpeechPatchSerializer):
    title = serializers.CharField(max_length=500, allow_blank=True, label=_("Tiêu đề bài phát biểu"))


class SignatorySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.full_name")
    rank = serializers.CharField(source="rank_at_event")
    rank_label = serializers.CharField(source="rank_at_event_label")
    positions = serializers.ListField(source="positions_at_event", child=serializers.CharField())
    body = serializers.CharField(source="body.code", label=_("Thay mặt cơ quan (mã)"))

    class Meta:
        model = Signatory
        fields = ["name", "rank", "rank_label", "positions", "body", "capacity"]


class SigningFullSerializer(ConferenceSigningSerializer):
    signatories = SignatorySerializer(many=True)

    class Meta(ConferenceSigningSerializer.Meta):
        fields = [*ConferenceSigningSerializer.Meta.fields, "signatories"]


class AdoptionSerializer(serializers.ModelSerializer):
    proposal = serializers.IntegerField(source="proposal_id", label=_("Đề xuất (id)"))
    title = serializers.CharField(source="proposal.title")
    unit = serializers.CharField(source="proposal.unit.code")
    phase = serializers.CharField(source="phase.code", label=_("Nhiệm vụ của giai đoạn (mã)"))

    class Meta:
        model = ProposalAdoption
        fields = ["proposal", "title", "unit", "phase", "adopted_on"]


class ConferenceSigningDetailSerializer(serializers.Serializer):
    signing = SigningFullSerializer(allow_null=True, label=_("Ký kết giai đoạn mới (null khi không có)"))
    adopted_proposals = AdoptionSerializer(many=True, label=_("Đề xuất được tiếp thu làm nhiệm vụ giai đoạn mới"))


class ArticleExtractSerializer(serializers.Serializer):
    text = serializers.CharField(
        required=False, allow_blank=True, max_length=200_000, help_text=_("Nội dung bài viết (hoặc gửi tệp).")
    )
    file = serializers.FileField(required=False, help_text=_("Tệp bài viết: .txt (UTF-8), .docx hoặc .pdf có lớp chữ."))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "\x00" in attrs.get("text", ""):
            raise serializers.ValidationError({"text": _("Nội dung có ký tự không hợp lệ.")})
        if not attrs.get("text", "").strip() and not attrs.get("file"):
            raise serializers.ValidationError(_("Hãy gửi nội dung bài viết (text) hoặc một tệp (file)."))
        return attrs


def _matched(proposal: Any) -> dict[str, Any]:
    """What the draft was found to be in the database, as the caller may see it."""
    return {
        "programme": proposal.programme.code if proposal.programme else None,
        "kind": proposal.kind,
        "phase": proposal.phase.code if proposal.phase else None,
        "organisers": [u.code for u in proposal.organisers],
        "parties": [{"text": p.text, "unit": p.unit.code if p.unit else None} for p in proposal.parties],
        "people": [
            {
                "name": p.name,
                "role": p.role,
                "rank": p.rank or None,
                "positions": p.positions,
                "candidates": [c.pk for c in p.candidates],
            }
            for p in proposal.people
        ],
        "title": proposal.title,
        "existing_conference": proposal.duplicate.pk if proposal.duplicate else None,
        "notes": proposal.notes,
    }


@extend_schema_view(
    list=extend_schema(summary=_("Danh sách hội nghị (lọc theo ?programme=mã, ?phase=mã giai đoạn, ?kind=)")),
    retrieve=extend_schema(summary=_("Một hội nghị: đồng chủ trì, đại biểu, tham luận, ký kết")),
    create=extend_schema(
        summary=_("Thêm hội nghị (người báo cáo, người duyệt của một đơn vị tổ chức hoặc cấp trên)"),
        request=ConferenceWriteSerializer,
        responses={201: ConferenceSerializer},
    ),
    partial_update=extend_schema(
        summary=_("Sửa hội nghị (các trường không gửi thì giữ nguyên)"),
        request=ConferenceWriteSerializer,
        responses={200: ConferenceSerializer},
    ),
)
@extend_schema(tags=["conferences"])
class ConferenceViewSet(
    VersionedDetailMixin, ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = ConferenceSerializer
    lookup_value_regex = r"[0-9]+"
    parser_classes = [JSONParser, MultiPartParser, FormParser]

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
        summary=_("Đọc bài viết thành bản nháp hồ sơ hội nghị (không lưu gì)"),
        description=_(
            "Đọc bài tin về hội nghị (nội dung hoặc tệp .txt, .docx, .pdf có lớp chữ) và trả về bản nháp: "
            "loại sự kiện, ngày, địa danh, các bên, giai đoạn, người chủ trì, đại biểu, kèm vị trí trong bài "
            "của từng giá trị (evidence), và phần đối chiếu với dữ liệu (matched). Không lưu gì."
        ),
        request=ArticleExtractSerializer,
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=False, methods=["post"], url_path="extract", url_name="extract")
    def extract(self, request: Request) -> Response:
        from django.core.exceptions import ValidationError as DjangoValidationError

        from phoihop.conferences.from_article import extracted, match, read_article

        if not can_hold_conferences(perms(request.user)):
            raise PermissionDenied(NOT_AN_ORGANISER)
        serializer = ArticleExtractSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        text = serializer.validated_data.get("text", "")
        upload = serializer.validated_data.get("file")
        if upload is not None:
            try:
                text = read_article(upload)
            except DjangoValidationError as exc:
                raise serializers.ValidationError({"file": exc.messages}) from exc
        if not text.strip():
            raise serializers.ValidationError({"file": [_("Tệp không có chữ để đọc.")]})
        record = extracted(text, request.user)
        return Response({**record, "matched": _matched(match(record, request.user))})

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
        indicators = list(
            Indicator.objects.restrict(request.user, "view").filter(
                programme=conference.programme, code__in=data["retired_indicators"]
            )
        )
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

    # --- the conference itself ---------------------------------------------------------------

    def _answer(self, conference: Conference, code: int = status.HTTP_200_OK) -> Response:
        data = ConferenceSerializer(
            conferences_for(self.request.user).get(pk=conference.pk), context=self.get_serializer_context()
        ).data
        headers = location(data, code)
        return Response(data, status=code, headers=headers)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not can_hold_conferences(perms(request.user)):
            raise PermissionDenied(NOT_AN_ORGANISER)
        serializer = ConferenceWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organisers = data.pop("organisers", None)
        if not organisers:
            raise serializers.ValidationError({"organisers": [_("Hãy ghi ít nhất một đơn vị tổ chức.")]})
        for name in ("programme", "phase", "kind", "title", "held_on", "place"):
            if name not in data:
                raise serializers.ValidationError({_FIELD_NAMES.get(name, name): [_("Trường này là bắt buộc.")]})
        conference = services.conference_save(acting_user=request.user, data=data, organisers=organisers)
        return self._answer(conference, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        conference = self._writable()
        serializer = ConferenceWriteSerializer(
            data=request.data, partial=True, context={"request": request, "conference": conference}
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organisers = data.pop("organisers", None) or list(conference.organisers.all())
        conference = services.conference_save(
            acting_user=request.user,
            data=data,
            organisers=organisers,
            conference=conference,
            expected_version=self.expected_version,
        )
        return self._answer(conference)

    # --- co-chairs ------------------------------------------------------------------------------

    def _of(self, model: Any, conference: Conference) -> Any:
        """The rows of ``model`` (co-chairs, delegates, papers) of the conference, as the user reads them."""
        return model.objects.restrict(self.request.user, "view").filter(conference=conference)

    def _rows(self, queryset: QuerySet[Any], row_serializer: type[serializers.Serializer]) -> Response:

        return Response(row_serializer(queryset, many=True, context=self.get_serializer_context()).data)

    def _writable(self) -> Conference:
        """The conference, once the user may change it (a reader who may not: 403)."""
        conference = self.get_object()
        verdict = perms(self.request.user).for_(conference).check("change")
        if not verdict:
            raise PermissionDenied(verdict.reason)
        return conference

    def _row(self, model: Any, row_id: str | None, *, write: bool = True) -> tuple[Conference, Any]:
        conference = self._writable() if write else self.get_object()
        rows = model.objects.restrict(self.request.user, "change" if write else "view").select_related("conference")
        return conference, get_object_or_404(rows, pk=row_id, conference=conference)

    def _input(self, serializer_class: type[serializers.Serializer], partial: bool = False) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data, partial=partial, context={"request": self.request})
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(
        methods=["GET"], summary=_("Đồng chủ trì của hội nghị"), responses={200: CoChairRowSerializer(many=True)}
    )
    @extend_schema(
        methods=["POST"],
        summary=_("Thêm đồng chủ trì (cấp bậc, chức vụ khi đó lấy theo hồ sơ nếu không gửi)"),
        request=CoChairInputSerializer,
        responses={201: CoChairRowSerializer},
    )
    @action(detail=True, methods=["get", "post"], url_path="cochairs", url_name="cochairs")
    def cochairs(self, request: Request, pk: str | None = None) -> Response:
        conference = self.get_object() if request.method == "GET" else self._writable()
        if request.method == "GET":
            return self._rows(self._of(CoChair, conference).select_related("person"), CoChairRowSerializer)
        data = self._input(CoChairInputSerializer)
        row = services.cochair_add(
            conference=conference,
            person=data["person"],
            acting_user=request.user,
            rank=data.get("rank"),
            positions=data.get("positions"),
            order=data.get("order", 0),
        )
        return Response(CoChairRowSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["PATCH"],
        summary=_("Sửa cấp bậc, chức vụ khi đó hoặc thứ tự của một đồng chủ trì"),
        parameters=[IF_MATCH],
        request=CoChairPatchSerializer,
        responses={200: CoChairRowSerializer},
    )
    @extend_schema(methods=["DELETE"], summary=_("Bỏ một đồng chủ trì"), responses={204: None})
    @action(detail=True, methods=["patch", "delete"], url_path=r"cochairs/(?P<row_id>[0-9]+)", url_name="cochair")
    def cochair(self, request: Request, pk: str | None = None, row_id: str | None = None) -> Response:
        _conference, row = self._row(CoChair, row_id)
        if request.method == "DELETE":
            services.cochair_remove(row=row, acting_user=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = _renamed(self._input(CoChairPatchSerializer, partial=True))
        row = services.cochair_update(
            row=row, acting_user=request.user, data=data, expected_version=self.expected_version
        )
        return Response(CoChairRowSerializer(row).data)

    # --- delegates ------------------------------------------------------------------------------

    @extend_schema(
        methods=["GET"],
        summary=_("Đại biểu, khách mời của hội nghị"),
        responses={200: DelegateRowSerializer(many=True)},
    )
    @extend_schema(
        methods=["POST"],
        summary=_("Thêm đại biểu: một người (person) hoặc khách mời ghi tên (name, organisation, title)"),
        request=DelegateInputSerializer,
        responses={201: DelegateRowSerializer},
    )
    @action(detail=True, methods=["get", "post"], url_path="delegates", url_name="delegates")
    def delegates(self, request: Request, pk: str | None = None) -> Response:
        conference = self.get_object() if request.method == "GET" else self._writable()
        if request.method == "GET":
            return self._rows(self._of(Delegate, conference).select_related("person"), DelegateRowSerializer)
        data = self._input(DelegateInputSerializer)
        row = services.delegate_add(
            conference=conference,
            acting_user=request.user,
            person=data.get("person"),
            name=data.get("name", ""),
            organisation=data.get("organisation", ""),
            title=data.get("title", ""),
            is_guest_of_honour=data.get("is_guest_of_honour", False),
            rank=data.get("rank"),
            positions=data.get("positions"),
            order=data.get("order", 0),
        )
        return Response(DelegateRowSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["PATCH"],
        summary=_("Sửa một đại biểu (đổi người thì lấy cấp bậc, chức vụ theo hồ sơ nếu không gửi)"),
        parameters=[IF_MATCH],
        request=DelegatePatchSerializer,
        responses={200: DelegateRowSerializer},
    )
    @extend_schema(methods=["DELETE"], summary=_("Bỏ một đại biểu"), responses={204: None})
    @action(detail=True, methods=["patch", "delete"], url_path=r"delegates/(?P<row_id>[0-9]+)", url_name="delegate")
    def delegate(self, request: Request, pk: str | None = None, row_id: str | None = None) -> Response:
        _conference, row = self._row(Delegate, row_id)
        if request.method == "DELETE":
            services.delegate_remove(row=row, acting_user=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = _renamed(self._input(DelegatePatchSerializer, partial=True))
        row = services.delegate_update(
            row=row, acting_user=request.user, data=data, expected_version=self.expected_version
        )
        return Response(DelegateRowSerializer(row).data)

    # --- papers ---------------------------------------------------------------------------------

    @extend_schema(methods=["GET"], summary=_("Tham luận của hội nghị"), responses={200: PaperRowSerializer(many=True)})
    @extend_schema(
        methods=["POST"],
        summary=_("Thêm tham luận (multipart/form-data khi kèm tệp; loại tệp xác định theo nội dung)"),
        request={"multipart/form-data": PaperInputSerializer, "application/json": PaperInputSerializer},
        responses={201: PaperRowSerializer},
    )
    @action(detail=True, methods=["get", "post"], url_path="papers", url_name="papers")
    def papers(self, request: Request, pk: str | None = None) -> Response:
        conference = self.get_object() if request.method == "GET" else self._writable()
        if request.method == "GET":
            return self._rows(self._of(Paper, conference).select_related("author", "unit"), PaperRowSerializer)
        data = self._input(PaperInputSerializer)
        upload = data.pop("file", None)
        paper = services.paper_add(conference=conference, acting_user=request.user, upload=upload, **data)
        return Response(PaperRowSerializer(paper, context=self.get_serializer_context()).data, status=201)

    @extend_schema(
        methods=["PATCH"],
        summary=_("Sửa tham luận; gửi tệp mới thì thay tệp cũ"),
        parameters=[IF_MATCH],
        request={"multipart/form-data": PaperInputSerializer, "application/json": PaperInputSerializer},
        responses={200: PaperRowSerializer},
    )
    @extend_schema(methods=["DELETE"], summary=_("Xóa tham luận cùng tệp của nó"), responses={204: None})
    @action(detail=True, methods=["patch", "delete"], url_path=r"papers/(?P<row_id>[0-9]+)", url_name="paper")
    def paper(self, request: Request, pk: str | None = None, row_id: str | None = None) -> Response:
        _conference, paper = self._row(Paper, row_id)
        if request.method == "DELETE":
            services.paper_remove(paper=paper, acting_user=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = self._input(PaperInputSerializer, partial=True)
        upload = data.pop("file", None)
        paper = services.paper_update(
            paper=paper, acting_user=request.user, data=data, upload=upload, expected_version=self.expected_version
        )
        return Response(PaperRowSerializer(paper, context=self.get_serializer_context()).data)

    @extend_schema(
        summary=_("Tải tệp tham luận (người xem được hội nghị)"),
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    @action(detail=True, methods=["get"], url_path=r"papers/(?P<row_id>[0-9]+)/file", url_name="paper-file")
    def paper_file(self, request: Request, pk: str | None = None, row_id: str | None = None) -> FileResponse:
        _conference, paper = self._row(Paper, row_id, write=False)
        if not paper.file:
            raise Http404
        try:
            handle = paper.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(
            handle, as_attachment=True, filename=paper.original_name or "tham-luan", content_type=paper.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response

    # --- the programme (agenda items) -----------------------------------------------------------

    @extend_schema(
        methods=["GET"], summary=_("Chương trình hội nghị"), responses={200: AgendaItemRowSerializer(many=True)}
    )
    @extend_schema(
        methods=["POST"],
        summary=_("Thêm mục chương trình hội nghị (thời gian, nội dung, người trình bày)"),
        request=AgendaItemInputSerializer,
        responses={201: AgendaItemRowSerializer},
    )
    @action(detail=True, methods=["get", "post"], url_path="agenda", url_name="agenda")
    def agenda(self, request: Request, pk: str | None = None) -> Response:
        conference = self.get_object() if request.method == "GET" else self._writable()
        if request.method == "GET":
            return self._rows(self._of(AgendaItem, conference), AgendaItemRowSerializer)
        data = self._input(AgendaItemInputSerializer)
        row = services.agenda_item_add(conference=conference, acting_user=request.user, **data)
        return Response(AgendaItemRowSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["PATCH"],
        summary=_("Sửa một mục chương trình hội nghị"),
        parameters=[IF_MATCH],
        request=AgendaItemInputSerializer,
        responses={200: AgendaItemRowSerializer},
    )
    @extend_schema(methods=["DELETE"], summary=_("Bỏ một mục chương trình hội nghị"), responses={204: None})
    @action(detail=True, methods=["patch", "delete"], url_path=r"agenda/(?P<row_id>[0-9]+)", url_name="agenda-item")
    def agenda_item(self, request: Request, pk: str | None = None, row_id: str | None = None) -> Response:
        _conference, row = self._row(AgendaItem, row_id)
        if request.method == "DELETE":
            services.agenda_item_remove(row=row, acting_user=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = self._input(AgendaItemInputSerializer, partial=True)
        row = services.agenda_item_update(
            row=row, acting_user=request.user, data=data, expected_version=self.expected_version
        )
        return Response(AgendaItemRowSerializer(row).data)

    # --- speeches -------------------------------------------------------------------------------

    @extend_schema(
        methods=["GET"], summary=_("Bài phát biểu tại hội nghị"), responses={200: SpeechRowSerializer(many=True)}
    )
    @extend_schema(
        methods=["POST"],
        summary=_(
            "Thêm bài phát biểu: người phát biểu (person, cấp bậc và chức vụ khi đó lấy theo hồ sơ nếu không gửi) "
            "hoặc ghi tên (speaker_name, speaker_title); multipart/form-data khi kèm tệp"
        ),
        request={"multipart/form-data": SpeechInputSerializer, "application/json": SpeechInputSerializer},
        responses={201: SpeechRowSerializer},
    )
    @action(detail=True, methods=["get", "post"], url_path="speeches", url_name="speeches")
    def speeches(self, request: Request, pk: str | None = None) -> Response:
        conference = self.get_object() if request.method == "GET" else self._writable()
        if request.method == "GET":
            return self._rows(self._of(Speech, conference).select_related("person"), SpeechRowSerializer)
        data = self._input(SpeechInputSerializer)
        upload = data.pop("file", None)
        row = services.speech_add(
            conference=conference,
            acting_user=request.user,
            upload=upload,
            kind=data.get("kind", SpeechKind.SPEECH),
            title=data["title"],
            summary=data.get("summary", ""),
            person=data.get("person"),
            speaker_name=data.get("speaker_name", ""),
            speaker_title=data.get("speaker_title", ""),
            rank=data.get("rank"),
            positions=data.get("positions"),
            order=data.get("order", 0),
        )
        return Response(SpeechRowSerializer(row, context=self.get_serializer_context()).data, status=201)

    @extend_schema(
        methods=["PATCH"],
        summary=_("Sửa bài phát biểu; gửi tệp mới thì thay tệp cũ"),
        parameters=[IF_MATCH],
        request={"multipart/form-data": SpeechPatchSerializer, "application/json": SpeechPatchSerializer},
        responses={200: SpeechRowSerializer},
    )
    @extend_schema(methods=["DELETE"], summary=_("Xóa bài phát biểu cùng tệp của nó"), responses={204: None})
    @action(detail=True, methods=["patch", "delete"], url_path=r"speeches/(?P<row_id>[0-9]+)", url_name="speech")
    def speech(self, request: Request, pk: str | None = None, row_id: str | None = None) -> Response:
        _conference, row = self._row(Speech, row_id)
        if request.method == "DELETE":
            services.speech_remove(row=row, acting_user=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = _renamed(self._input(SpeechPatchSerializer, partial=True))
        upload = data.pop("file", None)
        row = services.speech_update(
            row=row, acting_user=request.user, data=data, upload=upload, expected_version=self.expected_version
        )
        return Response(SpeechRowSerializer(row, context=self.get_serializer_context()).data)

    @extend_schema(
        summary=_("Tải tệp toàn văn bài phát biểu (người xem được hội nghị)"),
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    @action(detail=True, methods=["get"], url_path=r"speeches/(?P<row_id>[0-9]+)/file", url_name="speech-file")
    def speech_file(self, request: Request, pk: str | None = None, row_id: str | None = None) -> FileResponse:
        _conference, speech = self._row(Speech, row_id, write=False)
        if not speech.file:
            raise Http404
        try:
            handle = speech.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(
            handle, as_attachment=True, filename=speech.original_name or "phat-bieu", content_type=speech.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response

    # --- the documents: invitation, notice of conclusions, plan -----------------------------------

    @extend_schema(
        summary=_("Tải giấy mời, thông báo kết luận hoặc kế hoạch tổ chức hội nghị (Word hoặc PDF)"),
        description=_(
            "invitation.docx|pdf (giấy mời), notice.docx|pdf (thông báo kết luận), plan.docx|pdf (kế hoạch tổ "
            "chức hội nghị), theo thể thức Nghị định 30/2020/NĐ-CP; hội nghị của hai bên ban hành liên tịch. "
            "Loại hoặc định dạng khác trả về 404. Hồ sơ hội nghị thiếu điều văn bản phải ghi (giờ, hội trường; "
            "các điểm kết luận) trả về 400 kèm lời nhắn. Máy chủ chưa cài LibreOffice thì PDF trả về 503."
        ),
        responses={
            (200, documents.DOCX_TYPE): OpenApiTypes.BINARY,
            (200, documents.PDF_TYPE): OpenApiTypes.BINARY,
            400: OpenApiTypes.OBJECT,
            503: OpenApiTypes.OBJECT,
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"(?P<kind>invitation|notice|plan)\.(?P<fmt>[a-z0-9]{1,8})",
        url_name="document-file",
    )
    def document_file(self, request: Request, kind: str, fmt: str, pk: str | None = None) -> HttpResponse:
        conference = self.get_object()
        if fmt not in documents.FORMATS:
            raise Http404
        built = documents.build_document(conference, kind, fmt)
        log_people_export(
            actor=request.user,
            target=conference,
            people=[c.person_id for c in conference.cochairs.all()],
            what=built.filename,
            file_format=fmt,
        )
        return file_response(built.content, built.filename, built.content_type)

    # --- the signing ----------------------------------------------------------------------------

    @extend_schema(
        summary=_("Ký kết giai đoạn mới của hội nghị: giai đoạn, người ký, đề xuất được tiếp thu"),
        responses={200: ConferenceSigningDetailSerializer},
    )
    @action(detail=True, methods=["get"], url_path="signing", url_name="signing")
    def signing(self, request: Request, pk: str | None = None) -> Response:
        conference = self.get_object()
        signing = (
            Signing.objects.restrict(request.user, "view")
            .select_related("phase")
            .prefetch_related("bodies")
            .get(pk=conference.signing_id)
            if conference.signing_id
            else None
        )
        adoptions = conference.adoptions.select_related("proposal__unit", "phase")
        data = {"signing": signing, "adopted_proposals": list(adoptions)}
        return Response(ConferenceSigningDetailSerializer(data, context=self.get_serializer_context()).data)


ROUTES: list[tuple[str, str, type[viewsets.GenericViewSet]]] = [
    ("conferences", "conference", ConferenceViewSet),
]
