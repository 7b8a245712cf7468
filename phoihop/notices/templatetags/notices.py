"""``{% unread_notices as count %}``: the bell's number, one COUNT on an index, cached per user
(``services.unread_count``)."""

from __future__ import annotations

from typing import Any

from django import template

from phoihop.notices.services import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notices(context: Any) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return unread_count(user)


@register.filter
def notice_icon(kind: str) -> str:
    """The Bootstrap icon of a kind of notice."""
    from phoihop.notices.kinds import ICONS

    return ICONS.get(kind, "bi-bell")
