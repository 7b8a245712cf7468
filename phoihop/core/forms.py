"""The one way a page submits a form to a service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def submit_form(request: HttpRequest, form: forms.BaseForm, save: Callable[[], Any], success: str) -> Any | None:
    """On a valid POST call ``save`` (a service); a ValidationError it raises lands on the form,
    so nothing typed is lost. Returns what the service returned, or None when nothing was saved."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save()
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
