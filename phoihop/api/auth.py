"""Obtaining an API token with a username and password."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.request import Request
from rest_framework.response import Response

from phoihop.api.base import ApiViewMixin


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("Tên đăng nhập"), write_only=True)
    password = serializers.CharField(
        label=_("Mật khẩu"), write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        user = authenticate(request=self.context.get("request"), username=attrs["username"], password=attrs["password"])
        # ModelBackend already refuses inactive users; check again so a backend that lets them
        # through (AllowAllUsersModelBackend) cannot hand out a token. One message for both, so
        # the answer does not tell which accounts exist.
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                _("Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đã bị khoá."), code="authorization"
            )
        attrs["user"] = user
        return attrs


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(label=_("Mã truy cập (token)"), read_only=True)


class TokenView(ApiViewMixin, ObtainAuthToken):
    """POST a username and password; get the token to send as ``Authorization: Token <token>``."""

    # Signing in needs no prior authentication (and so no CSRF token from a session).
    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []
    serializer_class = TokenRequestSerializer

    @extend_schema(
        operation_id="auth_token_create",
        summary=_("Lấy mã truy cập (token)"),
        description=_(
            "Gửi tên đăng nhập và mật khẩu; nhận mã truy cập để gửi kèm mỗi yêu cầu "
            "trong tiêu đề “Authorization: Token <mã>”."
        ),
        request=TokenRequestSerializer,
        responses={200: TokenResponseSerializer},
        tags=["auth"],
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # ObtainAuthToken creates the user's token on first use (DRF's own model, not domain data).
        return super().post(request, *args, **kwargs)
