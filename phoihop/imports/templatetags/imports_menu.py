"""``{% may_import as may_import %}``: whether the menu shows "Nhập dữ liệu" (unit administrators
and system administrators), read from the user's scope already loaded for the request."""

from __future__ import annotations

from typing import Any

from django import template

from phoihop.imports.permissions import may_import as _may_import

register = template.Library()


@register.simple_tag(takes_context=True)
def may_import(context: Any) -> bool:
    request = context.get("request")
    return _may_import(getattr(request, "user", None))
