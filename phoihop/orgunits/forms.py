"""Forms for units and people. Every choice of unit is scoped to the user."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from phoihop.orgunits.models import OrgUnit, Person


class UnitForm(forms.ModelForm):
    class Meta:
        model = OrgUnit
        fields = ["name", "short_name", "kind", "valid_from"]
        widgets = {
            "name": forms.TextInput(attrs={"class": "form-control"}),
            "short_name": forms.TextInput(attrs={"class": "form-control"}),
            "kind": forms.TextInput(attrs={"class": "form-control"}),
            "valid_from": forms.DateInput(attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d"),
        }


class PersonForm(forms.ModelForm):
    positions_text = forms.CharField(
        label=_("Chức vụ"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        help_text=_("Mỗi chức vụ một dòng, ví dụ “Ủy viên Trung ương Đảng”."),
    )

    class Meta:
        model = Person
        fields = ["full_name", "birth_year", "gender", "rank", "unit", "affiliation", "member_card_number"]
        widgets = {
            "full_name": forms.TextInput(attrs={"class": "form-control"}),
            "birth_year": forms.NumberInput(attrs={"class": "form-control"}),
            "gender": forms.Select(attrs={"class": "form-select"}),
            "rank": forms.Select(attrs={"class": "form-select"}),
            "unit": forms.Select(attrs={"class": "form-select"}),
            "affiliation": forms.TextInput(attrs={"class": "form-control"}),
            "member_card_number": forms.TextInput(attrs={"class": "form-control"}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only units the user may enter data for; large trees get the htmx search below the field.
        self.fields["unit"].queryset = (  # type: ignore[attr-defined]
            OrgUnit.objects.restrict(user, "change").active_on(_today()).only("pk", "name", "code")
        )
        self.fields["unit"].required = not user.is_superuser
        if self.instance.pk:
            self.fields["positions_text"].initial = "\n".join(self.instance.positions)

    def person_data(self) -> dict[str, Any]:
        data = {k: self.cleaned_data[k] for k in self.Meta.fields}
        data["positions"] = [line.strip() for line in self.cleaned_data["positions_text"].splitlines() if line.strip()]
        return data


def _today() -> Any:
    from django.utils import timezone

    return timezone.localdate()
