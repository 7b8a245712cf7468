from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.accounts.models import RoleChoices
from phoihop.orgunits.models import OrgUnit
from phoihop.orgunits.pickers import UnitPicker


def _unit_field(user: Any) -> forms.ModelChoiceField:
    """The units the user manages, open today: a searchable picker (thousands for an administrator)."""
    qs = OrgUnit.objects.restrict(user, "manage").active_on(timezone.localdate())
    return forms.ModelChoiceField(queryset=qs, label=_("Đơn vị"), widget=UnitPicker(action="manage", open=1))


def _role_field(user: Any) -> forms.ChoiceField:
    """The roles the user may give (unit administrators: up to reporter; accounts.permissions)."""
    from phoihop.accounts.permissions import grantable_roles
    from phoihop.core.permissions import perms

    allowed = grantable_roles(perms(user))
    return forms.ChoiceField(
        label=_("Vai trò"),
        choices=[(value, label) for value, label in RoleChoices.choices if value in allowed],
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class UserCreateForm(forms.Form):
    username = forms.RegexField(
        regex=r"^[a-z0-9._-]{3,40}$",
        label=_("Tên đăng nhập"),
        help_text=_("3–40 ký tự: chữ thường không dấu, số, dấu chấm, gạch."),
        error_messages={"invalid": _("Tên đăng nhập chỉ gồm chữ thường không dấu, số, dấu chấm, gạch.")},
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    full_name = forms.CharField(
        label=_("Họ và tên"), max_length=150, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    role = forms.ChoiceField(
        label=_("Vai trò"), choices=RoleChoices.choices, widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"] = _role_field(user)
        self.fields["unit"] = _unit_field(user)


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Vai trò"), choices=RoleChoices.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    valid_from = forms.DateField(
        label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"class": "form-control", "type": "date"})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"] = _role_field(user)
        self.fields["unit"] = _unit_field(user)


class StyledPasswordChangeForm(PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("Mã xác thực"),
        max_length=20,
        help_text=_("6 chữ số trên ứng dụng xác thực, hoặc một mã dự phòng."),
        error_messages={"required": _("Hãy nhập mã xác thực.")},
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg",
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
    )
