"""The one way a page submits a form to a service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from phoihop.core.services import Conflict


class VersionedForm(forms.Form):
    """An edit form that carries the version of the record it shows (a hidden field): the view
    passes ``form.expected_version`` to the service, which refuses a stale save (``Conflict``).
    ``submit_form`` then keeps what the user typed, puts the version now stored in the hidden
    field and lists what changed meanwhile (``form.stale``, shown by core/_stale.html)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stale: dict[str, Any] | None = None
        # A creation carries no version: the field is there once ``carry_version`` is called
        # (by itself for a ModelForm of a saved instance).
        self._version_field = self.fields.pop("version")
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is not None and hasattr(instance, "version"):
            self.carry_version(instance)

    def carry_version(self, instance: Any) -> None:
        """This form edits ``instance``: carry its version, required on submission."""
        field = self._version_field
        field.required = True
        field.error_messages["required"] = _(
            "Thiếu phiên bản của bản ghi lúc mở trang sửa. Hãy tải lại trang rồi sửa lại."
        )
        self.fields["version"] = field
        self.initial["version"] = instance.version

    def edited_data(self) -> dict[str, Any]:
        """What was typed, without the version (that goes to the service as ``expected_version``)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}

    @property
    def expected_version(self) -> int | None:
        if "version" not in self.fields or not hasattr(self, "cleaned_data"):
            return None
        return self.cleaned_data.get("version")  # type: ignore[no-any-return]

    def mark_stale(self, error: Conflict) -> None:
        """After a refused save: the message, the differences and the new version to save over."""
        current = error.current
        self.stale = {"message": " ".join(error.messages), "rows": stale_rows(self, current) if current else []}
        data = self.data.copy()  # type: ignore[attr-defined]
        data[self.add_prefix("version")] = str(error.current_version)
        self.data = data


def _shown(field: forms.Field, value: Any) -> str:
    """A value as the person reads it (the label of a choice, the names of several records)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("Có") if value else _("Không"))
    if hasattr(value, "all") and callable(value.all):
        value = list(value.all())
    if isinstance(value, (list, tuple, set)):
        return ", ".join(sorted(_shown(field, v) for v in value)) or "—"
    choices = getattr(field, "choices", None)
    if choices is not None and not hasattr(value, "pk"):
        for key, label in choices:
            if str(key) == str(value):
                return str(label)
    return str(value)


def _comparable(value: Any) -> Any:
    if hasattr(value, "all") and callable(value.all):
        value = list(value.all())
    if isinstance(value, (list, tuple, set)):
        return sorted(str(getattr(v, "pk", v)) for v in value)
    if hasattr(value, "pk"):
        return str(value.pk)
    if value is None:
        return ""
    return str(value).strip()


def stale_rows(form: forms.BaseForm, current: Any) -> list[dict[str, str]]:
    """Field → value now stored / value the user typed, for the fields where they differ.

    A form names how to read a field off the record with ``stale_values(current)`` (indicator
    values, partners...); otherwise the record's attribute of the same name is read."""
    theirs: dict[str, Any] = {}
    reader = getattr(form, "stale_values", None)
    if callable(reader):
        theirs = dict(reader(current))
    cleaned = getattr(form, "cleaned_data", {})
    rows = []
    for name, field in form.fields.items():
        if name == "version" or isinstance(field.widget, forms.HiddenInput) or name not in cleaned:
            continue
        if name in theirs:
            their_value = theirs[name]
        elif hasattr(current, name):
            their_value = getattr(current, name)
        else:
            continue
        yours = cleaned[name]
        if _comparable(their_value) != _comparable(yours):
            rows.append(
                {"field": str(field.label or name), "theirs": _shown(field, their_value), "yours": _shown(field, yours)}
            )
    return rows


def submit_form(request: HttpRequest, form: forms.BaseForm, save: Callable[[], Any], success: str) -> Any | None:
    """On a valid POST call ``save`` (a service); a ValidationError it raises lands on the form,
    so nothing typed is lost. Returns what the service returned, or None when nothing was saved."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save()
    except Conflict as exc:
        # Someone saved meanwhile: keep what was typed, show what changed, save over on the next submit.
        if isinstance(form, VersionedForm):
            form.mark_stale(exc)
        else:
            add_service_error(form, exc)
        return None
    except ValidationError as exc:
        add_service_error(form, exc)
        return None
    messages.success(request, success)
    return result


def add_service_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's error on the form: on the field it names when the form has that field,
    above the form otherwise (a service may name a field this form does not show)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


# The largest id a database row can have (BigAutoField: a signed 64-bit integer).
MAX_ID = 2**63 - 1


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of records by id: anything that is not a plausible id is an invalid
    choice, never a query (Django looks ``pk__in`` up unchecked, and SQLite refuses an integer
    beyond 64 bits with an OverflowError). Every multiple choice of records uses this field."""

    def _check_values(self, value: Any) -> Any:
        if self.to_field_name is None:
            for pk in value:
                text = str(pk)
                if not (text.isascii() and text.isdigit() and int(text) <= MAX_ID):
                    raise ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": text}
                    )
        return super()._check_values(value)  # type: ignore[misc]
