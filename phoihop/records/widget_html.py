"""A form renderer for the filters of a list page: selects, their options and inputs written in
Python, the same HTML as Django's widget templates (``django/forms/widgets/select.html``,
``select_option.html``, ``input.html`` and ``attrs.html``), every other template as Django renders
it.

Rendering three filter widgets through those templates (an include per option, another per
attribute list) cost a few milliseconds on the exchanges' list, more than its rows.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape

INPUTS = {f"django/forms/widgets/{name}.html" for name in ("input", "text", "search", "hidden", "number", "email")}
SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _text(value: Any) -> str:
    """A value as ``{{ value|stringformat:'s' }}`` writes it (escaped unless already safe)."""
    return str(conditional_escape(value if hasattr(value, "__html__") else f"{value}"))


def _attrs(attrs: dict[str, Any]) -> str:
    """``attrs.html``: `` name="value"`` for each attribute, `` name`` for True, nothing for False."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{_text(value)}"')
    return "".join(out)


def _option(option: dict[str, Any]) -> str:
    """``select_option.html`` (with its final newline: it is included, not stripped)."""
    label = conditional_escape(option["label"])
    return f'<option value="{_text(option["value"])}"{_attrs(option["attrs"])}>{label}</option>\n'


class FastWidgets(DjangoTemplates):
    """Selects, options and inputs in Python; anything else through the templates."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        widget = context.get("widget")
        if widget is None:
            return str(super().render(template_name, context, request))
        if template_name in INPUTS:
            value = f' value="{_text(widget["value"])}"' if widget["value"] is not None else ""
            kind, name = _text(widget["type"]), _text(widget["name"])
            return f'<input type="{kind}" name="{name}"{value}{_attrs(widget["attrs"])}>'
        if template_name == SELECT and all(
            o["template_name"] == OPTION for _g, options, _i in widget["optgroups"] for o in options
        ):
            parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
            for group_name, options, _index in widget["optgroups"]:
                if group_name:
                    parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
                parts.extend(f"\n  {_option(option)}" for option in options)
                if group_name:
                    parts.append("\n  </optgroup>")
            parts.append("\n</select>")
            return "".join(parts)
        return str(super().render(template_name, context, request))


FAST_WIDGETS = FastWidgets()
