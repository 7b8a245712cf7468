from __future__ import annotations

from django import forms

from phoihop.programmes.models import Phase, Programme, Signing


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["title", "summary", "legal_basis"]
        widgets = {
            "title": forms.TextInput(attrs={"class": "form-control"}),
            "summary": forms.Textarea(attrs={"class": "form-control", "rows": 5}),
            "legal_basis": forms.Textarea(attrs={"class": "form-control", "rows": 4}),
        }


class PhaseForm(forms.ModelForm):
    class Meta:
        model = Phase
        fields = ["name", "start", "end"]
        widgets = {
            "name": forms.TextInput(attrs={"class": "form-control"}),
            "start": forms.DateInput(attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d"),
            "end": forms.DateInput(attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d"),
        }


class SigningForm(forms.ModelForm):
    class Meta:
        model = Signing
        fields = ["signed_on", "place", "document_number", "note"]
        widgets = {
            "signed_on": forms.DateInput(attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d"),
            "place": forms.TextInput(attrs={"class": "form-control"}),
            "document_number": forms.TextInput(attrs={"class": "form-control"}),
            "note": forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        }
