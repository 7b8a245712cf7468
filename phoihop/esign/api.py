"""``POST /api/v1/signatures/verify/``: check the signatures of an uploaded PDF (multipart)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from phoihop.api.base import ApiViewMixin
from phoihop.esign.forms import VerifyForm
from phoihop.esign.verify import VerifyResult, verify_pdf


class VerifyRequestSerializer(serializers.Serializer):
    file = serializers.FileField(label=gettext_lazy("Tệp PDF đã ký"))


class SignatureSerializer(serializers.Serializer):
    field = serializers.CharField(label=gettext_lazy("Trường chữ ký"))
    status = serializers.CharField(label=gettext_lazy("Kết quả: valid, invalid hoặc modified"))
    status_label = serializers.CharField(source="label", label=gettext_lazy("Kết quả (tiếng Việt)"))
    signer_cn = serializers.CharField(label=gettext_lazy("Người, cơ quan ký (CN)"))
    signer_o = serializers.CharField(label=gettext_lazy("Tổ chức (O)"))
    signing_time = serializers.DateTimeField(allow_null=True, label=gettext_lazy("Thời điểm ký"))
    serial = serializers.CharField(label=gettext_lazy("Số hiệu chứng thư"))
    issuer = serializers.CharField(label=gettext_lazy("Tổ chức cấp chứng thư"))
    trusted = serializers.BooleanField(label=gettext_lazy("Chứng thư thuộc nguồn tin cậy"))
    certified = serializers.BooleanField(label=gettext_lazy("Chữ ký chứng nhận, khóa văn bản (DocMDP)"))
    problem = serializers.CharField(label=gettext_lazy("Vấn đề"))


class VerifyResultSerializer(serializers.Serializer):
    status = serializers.CharField(
        label=gettext_lazy("Kết quả: valid, invalid, modified, unsigned (chưa ký) hoặc unreadable (không đọc được)")
    )
    status_label = serializers.CharField(source="label", label=gettext_lazy("Kết quả (tiếng Việt)"))
    message = serializers.CharField(label=gettext_lazy("Kết luận"))
    signatures = SignatureSerializer(many=True)


@extend_schema(tags=["signatures"])
class SignatureViewSet(ApiViewMixin, viewsets.GenericViewSet):
    # JSON is understood only to answer 400 ("send the file") rather than 415.
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    serializer_class = VerifyRequestSerializer

    @extend_schema(
        summary=gettext_lazy("Kiểm tra chữ ký số của một tệp PDF"),
        request={"multipart/form-data": VerifyRequestSerializer},
        responses={200: VerifyResultSerializer},
    )
    @action(detail=False, methods=["post"])
    def verify(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        form = VerifyForm(files=request.FILES)
        if not form.is_valid():
            return Response(form.errors.get_json_data(), status=status.HTTP_400_BAD_REQUEST)
        result: VerifyResult = verify_pdf(form.cleaned_data["file"])
        return Response(VerifyResultSerializer(result).data)


ROUTES = [("signatures", "signature", SignatureViewSet)]
