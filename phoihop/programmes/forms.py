from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from phoihop.core.forms import VersionedForm
from phoihop.orgunits.pickers import UnitPicker
from phoihop.programmes.models import Phase, Programme, Signing


class ProgrammeForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["title", "summary", "legal_basis"]
        widgets = {
            "title": forms.TextInput(attrs={"class": "form-control"}),
            "summary": forms.Textarea(attrs={"class": "form-control", "rows": 5}),
            "legal_basis": forms.Textarea(attrs={"class": "form-control", "rows": 4}),
        }


class PhaseForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Phase
        fields = ["name", "start", "end"]
        widgets = {
            "name": forms.TextInput(attrs={"class": "form-control"}),
            "start": forms.DateInput(attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d"),
            "end": forms.DateInput(attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d"),
        }


class SigningForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Signing
        fields = ["signed_on", "place", "document_number", "note"]
        widgets = {
            "signed_on": forms.DateInput(attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d"),
            "place": forms.TextInput(attrs={"class": "form-control"}),
            "document_number": forms.TextInput(attrs={"class": "form-control"}),
            "note": forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        }


class TargetForm(forms.Form):
    unit: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, label=_("Đơn vị"), widget=UnitPicker(action="approve", open=1, max_depth=3)
    )
    indicator: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, label="Chỉ tiêu", widget=forms.Select(attrs={"class": "form-select"})
    )
    value = forms.DecimalField(
        label="Giá trị",
        min_value=0,
        max_digits=18,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args: object, user: object, phase: Phase, **kwargs: object) -> None:
        from django.utils import timezone

        from phoihop.orgunits.models import OrgUnit
        from phoihop.programmes.models import Indicator

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # Only units where the user approves (targets are set from above) and that are open now.
        units = OrgUnit.objects.restrict(user, "approve").active_on(timezone.localdate()).filter(depth__lte=3)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        indicators = Indicator.objects.restrict(user, "view").filter(programme=phase.programme)
        self.fields["indicator"].queryset = indicators  # type: ignore[attr-defined]
