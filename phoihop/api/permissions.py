"""The permission object for the API: ``permission_classes = [..., Can.to("manage")]``."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from phoihop.core.permissions import perms
from phoihop.core.services import out_of_scope_message


class Can(BasePermission):
    """May the user do ``action`` to the object the view works on? A refusal answers 403 with
    the verdict's reason (the view reads through ``restrict`` first, so an object out of sight
    is already a 404)."""

    action = "view"

    @classmethod
    def to(cls, action: str) -> type[Can]:
        return type(f"Can_{action.replace('-', '_')}", (cls,), {"action": action})

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        verdict = perms(request.user).for_(obj).check(self.action)
        if not verdict:
            self.message = verdict.reason or out_of_scope_message()
        return verdict.allowed
