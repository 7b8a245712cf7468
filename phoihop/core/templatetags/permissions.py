"""``{% can "approve" activity as may_approve %}``: the permission object in templates."""

from __future__ import annotations

from typing import Any

from django import template

from phoihop.core.permissions import perms

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context: template.Context, action: str, obj: Any) -> bool:
    """Whether the signed-in user may do ``action`` to ``obj`` (``perms(user).for_(obj).can``)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return obj is not None and user is not None and perms(user).for_(obj).can(action)
