"""Searchable pickers: a <select> that holds only what is chosen and loads the rest as you type.

A unit, a person or an activity is chosen among thousands; a plain <select> would send them all
(the user-role page once sent 515 kB for 6,725 units). ``AutocompleteSelect`` and
``AutocompleteSelectMultiple`` render a <select> with only the selected option(s) and a
``data-autocomplete-url``; ``static/js/pickers.js`` turns each such select into a Tom Select
(vendored in ``static/vendor/tom-select/``) that asks the URL for ``?q=<typed text>`` and shows
the answers. The endpoint answers ``{"results": [{"id": ..., "text": ..., "search": ...}]}``:
``text`` is the readable label (never a bare code), ``search`` the folded text (``core.text.fold``)
so that "nguyen van" finds "Nguyễn Văn Gấu" in the browser as it does on the server.

The field keeps its (scoped) queryset: validation still runs against the whole queryset, so a
value typed by hand outside the user's scope is refused as before.

Usage in a form::

    from phoihop.core.widgets import AutocompleteSelect, AutocompleteSelectMultiple
    from phoihop.orgunits.pickers import unit_label

    unit = forms.ModelChoiceField(
        queryset=OrgUnit.objects.restrict(user, "change"),
        widget=AutocompleteSelect(url="orgunits:autocomplete", params={"action": "change"}, label=unit_label),
    )
    people = IdsChoiceField(  # phoihop.core.forms: ids checked before any query
        queryset=Person.objects.restrict(user, "view"),
        widget=AutocompleteSelectMultiple(url="orgunits:person-autocomplete"),
    )

A form that sets its querysets in ``__init__`` may also swap the widget there:
``use_widget(self.fields["unit"], UnitPicker(action="change"))`` (it hands the field's choices over).

Or the ready-made ones: ``phoihop.orgunits.pickers.UnitPicker(action="change")``,
``UnitPicker(multiple=True)``, ``PersonPicker()``, ``phoihop.activities.autocomplete.ActivityPicker()``.
``params`` go into the URL's query string (``action``, ``organisation``, ``level``, ...); the
endpoints read them as filters. ``forward={"phase": "phase"}`` sends the current value of the
form's field ``phase`` along as ``?phase=`` (a picker that depends on another choice).
``label`` renders the selected options (default: the field's ``label_from_instance``); give the
same label the endpoint uses, and ``select_related`` what it reads.

In the template, load the CSS and the script on that page only (base.html stays lean)::

    {% block styles %}{% include "core/_pickers_css.html" %}{% endblock %}
    {% block scripts %}{% include "core/_pickers_js.html" %}{% endblock %}

No inline script (Content-Security-Policy): everything the script needs is in data-* attributes.
A picker whose options are added later by htmx is set up on ``htmx:load``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class _AutocompleteMixin:
    """Shared by the single and the multiple picker; mixed into a Django Select widget."""

    choices: Any
    attrs: dict[str, Any]

    def __init__(
        self,
        *,
        url: str,
        params: Mapping[str, Any] | None = None,
        label: Callable[[Any], str] | None = None,
        placeholder: str | None = None,
        select_related: Sequence[str] = (),
        forward: Mapping[str, str] | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs=attrs)  # type: ignore[call-arg]
        self.url = url
        self.params = dict(params or {})
        self.label = label
        self.select_related = tuple(select_related)
        self.forward = dict(forward or {})
        self.placeholder = placeholder

    def autocomplete_url(self) -> str:
        base = self.url if self.url.startswith("/") else reverse(self.url)
        params = {k: v for k, v in self.params.items() if v not in (None, "")}
        return f"{base}?{urlencode(params, doseq=True)}" if params else base

    def build_attrs(self, base_attrs: dict[str, Any], extra_attrs: dict[str, Any] | None = None) -> dict[str, Any]:
        attrs = super().build_attrs(base_attrs, extra_attrs)  # type: ignore[misc]
        attrs.setdefault("class", "form-select")
        attrs["data-autocomplete-url"] = self.autocomplete_url()
        if self.forward:
            attrs["data-autocomplete-forward"] = ",".join(f"{param}={name}" for param, name in self.forward.items())
        attrs.setdefault("data-placeholder", str(self.placeholder or _("Gõ để tìm (không cần dấu)…")))
        attrs["data-no-results"] = str(_("Không tìm thấy."))
        attrs["data-loading"] = str(_("Đang tìm…"))
        attrs["data-remove"] = str(_("Bỏ"))
        return attrs  # type: ignore[no-any-return]

    def _selected_choices(self, values: Iterable[Any]) -> list[tuple[Any, str]]:
        """Only the chosen values, with their labels: one small query, never the whole list."""
        wanted = [v for v in values if v not in (None, "")]
        if not wanted:
            return []
        choices = self.choices
        queryset = getattr(choices, "queryset", None)
        if queryset is None:  # a plain ChoiceField: filter its (short) list
            wanted_str = {str(v) for v in wanted}
            return [(k, str(v)) for k, v in choices if str(k) in wanted_str]
        field = choices.field
        key = field.to_field_name or "pk"
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        try:
            objects = list(queryset.filter(**{f"{key}__in": wanted}))
        except (ValueError, TypeError, ValidationError):  # a value typed by hand that is no key
            return []
        label = self.label or field.label_from_instance
        return [(field.prepare_value(obj), label(obj)) for obj in objects]

    def optgroups(self, name: str, value: list[Any], attrs: dict[str, Any] | None = None) -> list[Any]:
        selected = {str(v) for v in value}
        groups: list[Any] = []
        options: list[tuple[Any, str]] = []
        if not getattr(self, "allow_multiple_selected", False):
            options.append(("", ""))  # a single picker can be emptied (the field decides if it may be)
        options += self._selected_choices(value)
        for index, (option_value, option_label) in enumerate(options):
            key = "" if option_value is None else str(option_value)
            groups.append(
                (
                    None,
                    [
                        self.create_option(  # type: ignore[attr-defined]
                            name, key, option_label, key in selected and key != "", index, attrs=attrs
                        )
                    ],
                    index,
                )
            )
        return groups


class AutocompleteSelect(_AutocompleteMixin, forms.Select):
    """One record chosen by typing; see the module's docstring."""


class AutocompleteSelectMultiple(_AutocompleteMixin, forms.SelectMultiple):
    """Several records chosen by typing, each shown with a remove button; see the module's docstring."""


def use_widget(field: forms.Field, widget: forms.Widget) -> None:
    """Give a field of a built form a picker: the widget gets the field's choices (its queryset,
    read only for the selected values) and its required flag, as Django does at field creation."""
    widget.is_required = field.required
    if hasattr(field, "choices"):
        widget.choices = field.choices  # type: ignore[attr-defined]
    field.widget = widget
