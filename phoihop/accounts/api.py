"""The API of accounts: a user made with their roles (issue 15), through the services.

Who may: unit administrators, for units of their subtree and roles up to a reporter's, and system
administrators (``phoihop.accounts.permissions.can_grant``). Accounts are read on the pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from phoihop.accounts.models import RoleAssignment, RoleChoices, User
from phoihop.accounts.services import role_assign, user_create
from phoihop.api.base import ApiViewMixin
from phoihop.api.fields import UnitCodeField
from phoihop.core.permissions import perms


class RoleInputSerializer(serializers.Serializer):
    unit = UnitCodeField(label=_("Đơn vị (mã)"))
    role = serializers.ChoiceField(
        choices=RoleChoices.choices,
        label=_("Vai trò"),
        error_messages={"invalid_choice": _("Vai trò “{input}” không có.")},
    )
    valid_from = serializers.DateField(required=False, allow_null=True, label=_("Hiệu lực từ ngày; mặc định: hôm nay"))


class UserCreateSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, label=_("Tên đăng nhập"))
    password = serializers.CharField(
        write_only=True, trim_whitespace=False, style={"input_type": "password"}, label=_("Mật khẩu")
    )
    full_name = serializers.CharField(max_length=300, label=_("Họ và tên"))
    must_change_password = serializers.BooleanField(
        default=True, label=_("Phải đổi mật khẩu khi đăng nhập lần đầu (mặc định: có)")
    )
    roles = RoleInputSerializer(many=True, allow_empty=False, label=_("Vai trò (ít nhất một)"))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Django's validators (in Vietnamese: phoihop/accounts/passwords.py), against the new
        # account's own name, reported on the password field.
        parts = attrs["full_name"].split()
        someone = User(username=attrs["username"], first_name=" ".join(parts[-1:]), last_name=" ".join(parts[:-1]))
        try:
            validate_password(attrs["password"], someone)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"password": list(exc.messages)}) from exc
        return attrs


class RoleOutputSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True, label=_("Đơn vị (mã)"))

    class Meta:
        model = RoleAssignment
        fields = ["unit", "role", "valid_from", "valid_to"]


class UserSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="get_full_name", read_only=True, label=_("Họ và tên"))
    roles = serializers.SerializerMethodField(label=_("Vai trò"))

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "must_change_password", "roles"]

    @extend_schema_field(RoleOutputSerializer(many=True))
    def get_roles(self, user: User) -> list[dict[str, Any]]:
        rows = self.context.get("roles", [])
        return [dict(RoleOutputSerializer(row).data) for row in rows]


@extend_schema_view(
    create=extend_schema(
        summary=_("Tạo người dùng với các vai trò (quản trị đơn vị, quản trị hệ thống)"),
        description=_(
            "Đơn vị theo mã. Quản trị đơn vị chỉ giao vai trò người xem, người báo cáo trong đơn vị mình "
            "và cấp dưới; vai trò phê duyệt, quản trị do quản trị hệ thống giao. Mật khẩu phải qua các quy "
            "tắc mật khẩu của hệ thống. Người dùng và mọi vai trò được tạo cùng nhau, hoặc không gì cả."
        ),
        request=UserCreateSerializer,
        responses={201: UserSerializer},
    ),
)
@extend_schema(tags=["users"])
class UserViewSet(ApiViewMixin, viewsets.GenericViewSet):
    # Only adds: accounts are listed and managed on the pages (accounts:user-list).
    serializer_class = UserSerializer
    queryset = User.objects.none()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        perms(request.user).require_units("manage")
        serializer = UserCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        first, *others = data["roles"]
        with transaction.atomic():
            user, _password = user_create(
                acting_user=request.user,
                username=data["username"],
                full_name=data["full_name"],
                unit=first["unit"],
                role=first["role"],
                password=data["password"],
                valid_from=first.get("valid_from"),
                must_change_password=data["must_change_password"],
            )
            for row in others:
                role_assign(
                    acting_user=request.user,
                    user=user,
                    unit=row["unit"],
                    role=row["role"],
                    valid_from=row.get("valid_from"),
                )
        # The roles just given, read as their giver: every one lies in the giver's subtree.
        roles = (
            RoleAssignment.objects.restrict(request.user, "manage")
            .filter(user=user)
            .select_related("unit")
            .order_by("pk")
        )
        return Response(UserSerializer(user, context={"roles": roles}).data, status=status.HTTP_201_CREATED)


ROUTES = [("users", "user", UserViewSet)]
