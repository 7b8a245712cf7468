"""How the API knows a program: ``Authorization: Token <token>``, checked against knox's digests.

Kept apart from ``phoihop.api.auth`` (the views): DRF imports the authentication classes while
it loads its settings, before its views can be imported.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's token check (expired tokens refused and deleted), with Vietnamese refusals and a
    401, not a 500, for a token that is not valid UTF-8."""

    def authenticate_credentials(self, token: bytes) -> tuple[Any, Any]:
        try:
            token.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("Mã truy cập không hợp lệ.")) from exc
        return super().authenticate_credentials(token)  # type: ignore[no-any-return]

    def validate_user(self, auth_token: Any) -> tuple[Any, Any]:
        if not auth_token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Mã truy cập không hợp lệ."))
        return auth_token.user, auth_token
