"""``{% once key ... %}...{% endonce %}``: a fragment that is the same for every request in the same
language with the same key (whether the user is a system administrator, the page's section),
rendered once per process and then copied. The active language and the site's path prefix
(``SCRIPT_NAME``) are always part of the key.

For the page's frame in ``base.html``: links, translated words and static file addresses, which
change only with a deployment (or a test's settings: any ``setting_changed`` drops every kept
fragment). Nothing that differs between two requests with the same key may stand inside (a
user's name or count, a CSRF token, a query, a path): what must differ stays outside, or is the
key (the htmx script's CSP nonce). Each fragment keeps at most ``MAX_KEYS`` keys; past that it is
rendered each time (a key that is not a small set of values is a mistake, not a leak).

Cheaper than ``{% cache %}`` for this (no key hashing, no pickling, no lock, no expiry): the frame
is a fixed cost of every page (issue 13, item 9).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.core.signals import setting_changed
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

MAX_KEYS = 64
_generation = 0


def _forget_all(**kwargs: Any) -> None:
    global _generation
    _generation += 1


setting_changed.connect(_forget_all, dispatch_uid="phoihop.once.forget")


class OnceNode(template.Node):
    def __init__(self, nodelist: NodeList, keys: list[FilterExpression]) -> None:
        self.nodelist = nodelist
        self.keys = keys
        self.kept: dict[tuple[Any, ...], SafeString] = {}
        self.generation = _generation

    def render(self, context: template.Context) -> str:
        if self.generation != _generation:
            self.kept, self.generation = {}, _generation
        key = (get_language(), get_script_prefix(), *(k.resolve(context) for k in self.keys))
        found = self.kept.get(key)
        if found is None:
            found = mark_safe(self.nodelist.render(context))
            if len(self.kept) < MAX_KEYS:
                self.kept[key] = found
        return found


@register.tag
def once(parser: Parser, token: Token) -> OnceNode:
    keys = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    return OnceNode(nodelist, keys)
