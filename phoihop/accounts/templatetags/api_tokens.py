"""``{% api_tokens owner %}``: the section of a page listing someone's API tokens, with the
buttons that revoke them (phoihop/accounts/tokens.py)."""

from __future__ import annotations

from typing import Any

from django import template

from phoihop.accounts import tokens

register = template.Library()


@register.inclusion_tag("accounts/_api_tokens.html", takes_context=True)
def api_tokens(context: Any, owner: Any, manage: bool = False) -> dict[str, Any]:
    """``owner``'s live tokens. On one's own page (``manage`` false) each has a "Thu hồi"
    button; on the page of an account one manages (``manage`` true, which the view has checked),
    one button revokes them all."""
    request = context.get("request")
    viewer = getattr(request, "user", None)
    own = owner is not None and getattr(viewer, "pk", None) == owner.pk
    rows = [(tokens.public_id(t), t) for t in tokens.live_tokens(owner)] if (own or manage) else []
    return {
        "rows": rows,
        "own": own,
        "manage": manage and not own,
        "owner": owner,
        "csrf_token": context.get("csrf_token"),
    }
