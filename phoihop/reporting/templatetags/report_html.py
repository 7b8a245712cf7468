"""``{{ content|figures_rows }}``: the body of a report's figures table (reporting/_figures.html),
built in Python (``reporting.content_html``) for the report page and its edit page alike."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from phoihop.reporting import content_html

register = template.Library()


@register.filter
def figures_rows(content: dict[str, Any]) -> SafeString:
    return content_html.figures_rows(content)
