"""A ``<select>`` rendered in Python.

Django renders a select through its form templates: an option context and two template
includes per option (the option and its attributes). A unit select of a province lists over a
hundred units, so that is several milliseconds of a page. ``FastSelect`` writes the same
markup from the widget's choices in one pass, every value escaped (``escape``); the option
chosen is the first whose value is the widget's value, as ``forms.Select`` does.
"""

from __future__ import annotations

import html
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import SafeString, mark_safe


def escape(value: object) -> str:
    """Django's ``escape`` without its lazy wrapper (the same characters, the same entities):
    called for every option and attribute, so the wrapper's cost adds up."""
    return html.escape(str(value))


class FastSelect(forms.Select):
    """``forms.Select`` (one value; option groups as ``(label, [(value, label), ...])``), the
    same HTML, without a template per option."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        wanted = {str(v) for v in self.format_value(value)}
        parts = [f'<select name="{escape(name)}"{flatatt(final)}>']
        chosen = False

        def option(key: Any, label: Any) -> str:
            nonlocal chosen
            text = "" if key is None else str(key)
            selected = not chosen and text in wanted
            chosen = chosen or selected
            return f'<option value="{escape(text)}"{" selected" if selected else ""}>{escape(label)}</option>'

        for key, label in self.choices:
            if isinstance(label, (list, tuple)):
                parts.append(f'<optgroup label="{escape(key)}">')
                parts.extend(option(k, v) for k, v in label)
                parts.append("</optgroup>")
            else:
                parts.append(option(key, label))
        parts.append("</select>")
        return mark_safe("".join(parts))
