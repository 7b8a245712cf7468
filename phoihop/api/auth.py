"""API tokens: obtained with a username and password (and a second factor where the account
needs one), listed and revoked by their owner. The rules live in ``phoihop.accounts.tokens``;
the token check in ``phoihop.api.authentication``."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any, cast

from django.contrib.auth import authenticate
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from knox.models import AuthToken
from rest_framework import serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from phoihop.accounts import tokens
from phoihop.accounts.models import User
from phoihop.api.authentication import TokenAuthentication
from phoihop.api.base import ApiViewMixin


class TokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """The schema's security scheme for knox tokens: ``Authorization: Token <token>``."""

    target_class = "phoihop.api.authentication.TokenAuthentication"
    name = "tokenAuth"
    priority = 1

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        scheme: dict[str, Any] = build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.authenticate_header(None)
        )
        scheme["description"] = str(
            _("Mã truy cập lấy từ /api/v1/auth/token/, gửi trong tiêu đề “Authorization: Token <mã>”.")
        )
        return scheme


def _second_factor() -> ModuleType | None:
    """``phoihop.accounts.twofactor`` (requires_second_factor, verify_second_factor), or None
    while the project has none. Any other import error is raised: a broken module must not
    switch the second factor off."""
    try:
        return importlib.import_module("phoihop.accounts.twofactor")
    except ModuleNotFoundError as exc:
        if exc.name != "phoihop.accounts.twofactor":
            raise
        return None


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("Tên đăng nhập"), write_only=True, max_length=150)
    password = serializers.CharField(
        label=_("Mật khẩu"),
        write_only=True,
        trim_whitespace=False,
        max_length=4096,
        style={"input_type": "password"},
    )
    otp = serializers.CharField(
        label=_("Mã xác thực hai lớp"),
        help_text=_(
            "Mã 6 chữ số của ứng dụng xác thực, hoặc một mã dự phòng; chỉ cần với tài khoản bắt buộc xác thực hai lớp."
        ),
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=64,
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
        twofactor = _second_factor()
        if twofactor is not None and twofactor.requires_second_factor(user):
            code = (attrs.get("otp") or "").strip()
            if not code:
                raise serializers.ValidationError(
                    {"otp": [_("Tài khoản này phải xác thực hai lớp: hãy gửi kèm mã xác thực trong trường “otp”.")]},
                    code="otp_required",
                )
            if not twofactor.verify_second_factor(user, code):
                raise serializers.ValidationError(
                    {"otp": [_("Mã xác thực hai lớp không đúng hoặc đã hết hạn.")]}, code="otp_invalid"
                )
        attrs["user"] = user
        return attrs


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(label=_("Mã truy cập (token)"), read_only=True)
    expiry = serializers.DateTimeField(label=_("Hết hạn lúc"), read_only=True, allow_null=True)


class TokenRowSerializer(serializers.Serializer):
    """One of the user's tokens as they may see it: never the token itself."""

    id = serializers.SerializerMethodField(label=_("Mã nhận diện"))
    created = serializers.DateTimeField(label=_("Cấp lúc"), read_only=True)
    expiry = serializers.DateTimeField(label=_("Hết hạn lúc"), read_only=True, allow_null=True)
    current = serializers.SerializerMethodField(label=_("Là mã đang dùng cho yêu cầu này"))

    def get_id(self, token: AuthToken) -> str:
        return tokens.public_id(token)

    def get_current(self, token: AuthToken) -> bool:
        request = self.context.get("request")
        auth = getattr(request, "auth", None)
        return isinstance(auth, AuthToken) and auth.digest == token.digest


DETAIL = inline_serializer(name="AuthDetail", fields={"detail": serializers.CharField()})
REVOKED = inline_serializer(name="TokensRevoked", fields={"revoked": serializers.IntegerField()})
UNAUTHENTICATED = OpenApiResponse(
    DETAIL, description=_("Chưa đăng nhập, hoặc mã truy cập không hợp lệ hay đã hết hạn.")
)
FORBIDDEN = OpenApiResponse(
    DETAIL, description=_("Phải đổi mật khẩu trước, hoặc yêu cầu qua phiên đăng nhập thiếu mã CSRF.")
)
NOT_FOUND = OpenApiResponse(DETAIL, description=_("Không có mã truy cập này trong các mã của bạn."))


class TokenView(ApiViewMixin):
    """POST a username and password; get the token to send as ``Authorization: Token <token>``."""

    # Signing in needs no prior authentication (and so no CSRF token from a session).
    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []
    parser_classes = [FormParser, MultiPartParser, JSONParser]
    renderer_classes = [JSONRenderer]
    serializer_class = TokenRequestSerializer

    @extend_schema(
        operation_id="auth_token_create",
        summary=_("Lấy mã truy cập (token)"),
        description=_(
            "Gửi tên đăng nhập và mật khẩu (và mã xác thực hai lớp nếu tài khoản bắt buộc); nhận mã truy cập "
            "để gửi kèm mỗi yêu cầu trong tiêu đề “Authorization: Token <mã>”. Mã hết hạn vào thời điểm "
            "“expiry”, và mất hiệu lực ngay khi mật khẩu đổi, khi mật khẩu được cấp lại, khi tài khoản bị khóa "
            "hoặc khi bị thu hồi."
        ),
        request=TokenRequestSerializer,
        responses={
            200: TokenResponseSerializer,
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description=_(
                    "Sai tên đăng nhập hoặc mật khẩu, tài khoản bị khóa, hoặc thiếu, sai mã xác thực hai lớp."
                ),
            ),
        },
        tags=["auth"],
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, secret = tokens.token_create(user=serializer.validated_data["user"])
        return Response(TokenResponseSerializer({"token": secret, "expiry": token.expiry}).data)


class TokenListView(ApiViewMixin):
    @extend_schema(
        operation_id="auth_tokens_list",
        summary=_("Các mã truy cập của tôi"),
        description=_(
            "Các mã truy cập còn hiệu lực của người đang đăng nhập, mới nhất trước: mã nhận diện, thời điểm cấp, "
            "thời điểm hết hạn. Không bao giờ trả lại chính mã truy cập."
        ),
        responses={200: TokenRowSerializer(many=True), 401: UNAUTHENTICATED, 403: FORBIDDEN},
        tags=["auth"],
    )
    def get(self, request: Request) -> Response:
        rows = tokens.live_tokens(request.user)
        return Response(TokenRowSerializer(rows, many=True, context={"request": request}).data)


class TokenDetailView(ApiViewMixin):
    @extend_schema(
        operation_id="auth_tokens_destroy",
        summary=_("Thu hồi một mã truy cập của tôi"),
        description=_("Mã truy cập có mã nhận diện này mất hiệu lực ngay. Chỉ thu hồi được mã của chính mình."),
        parameters=[
            OpenApiParameter(
                "token_id",
                str,
                OpenApiParameter.PATH,
                description=_("Mã nhận diện của mã truy cập (trường “id” trong danh sách), 16 ký tự."),
            )
        ],
        responses={204: None, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
        tags=["auth"],
    )
    def delete(self, request: Request, token_id: str) -> Response:
        try:
            token = tokens.own_token(request.user, token_id)
        except AuthToken.DoesNotExist as exc:
            raise Http404 from exc
        tokens.token_revoke(acting_user=request.user, token=token)
        return Response(status=204)


class LogoutView(ApiViewMixin):
    # Only a request signed with a token has a token to revoke.
    authentication_classes = [TokenAuthentication]

    @extend_schema(
        operation_id="auth_logout",
        summary=_("Thu hồi mã truy cập đang dùng"),
        description=_("Mã truy cập gửi kèm yêu cầu này mất hiệu lực ngay; các mã khác vẫn dùng được."),
        request=None,
        responses={204: None, 401: UNAUTHENTICATED, 403: FORBIDDEN},
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        tokens.token_revoke(acting_user=request.user, token=request.auth)
        return Response(status=204)


class LogoutAllView(ApiViewMixin):
    @extend_schema(
        operation_id="auth_logoutall",
        summary=_("Thu hồi tất cả mã truy cập của tôi"),
        description=_("Mọi mã truy cập của người đang đăng nhập mất hiệu lực ngay, kể cả mã gửi kèm yêu cầu này."),
        request=None,
        responses={200: REVOKED, 401: UNAUTHENTICATED, 403: FORBIDDEN},
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        count = tokens.tokens_revoke_all(acting_user=request.user, user=cast(User, request.user))
        return Response({"revoked": count})
