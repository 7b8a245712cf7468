"""Forms for units and people. Every choice of unit is scoped to the user."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from phoihop.core.forms import VersionedForm
from phoihop.core.widgets import use_widget
from phoihop.orgunits.models import UNIT_KINDS, OrgUnit, Person, SuccessionKind
from phoihop.orgunits.pickers import UnitChoiceField, UnitPicker


class UnitForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = OrgUnit
        fields = ["name", "short_name", "kind", "valid_from"]
        widgets = {
            "name": forms.TextInput(attrs={"class": "form-control"}),
            "short_name": forms.TextInput(attrs={"class": "form-control"}),
            "kind": forms.TextInput(attrs={"class": "form-control"}),
            "valid_from": forms.DateInput(attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The kinds by their names, not their codes; a kind not listed stays choosable as it is.
        choices: list[tuple[str, Any]] = [("", "—"), *UNIT_KINDS.items()]
        current = self.instance.kind
        if current and current not in UNIT_KINDS:
            choices.append((current, current))
        self.fields["kind"].widget = forms.Select(choices=choices, attrs={"class": "form-select"})


class PersonForm(VersionedForm, forms.ModelForm):
    positions_text = forms.CharField(
        label=_("Chức vụ"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        help_text=_("Mỗi chức vụ một dòng, ví dụ “Ủy viên Trung ương Đảng”."),
    )

    class Meta:
        model = Person
        fields = [
            "full_name",
            "birth_year",
            "birth_date",
            "gender",
            "home_town",
            "residence",
            "rank",
            "unit",
            "affiliation",
            "qualification",
            "distinctions",
            "member_card_number",
        ]
        widgets = {
            "full_name": forms.TextInput(attrs={"class": "form-control"}),
            "birth_year": forms.NumberInput(attrs={"class": "form-control"}),
            "birth_date": forms.DateInput(attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d"),
            "home_town": forms.TextInput(attrs={"class": "form-control"}),
            "residence": forms.TextInput(attrs={"class": "form-control"}),
            "qualification": forms.TextInput(attrs={"class": "form-control"}),
            "distinctions": forms.TextInput(attrs={"class": "form-control"}),
            "gender": forms.Select(attrs={"class": "form-select"}),
            "rank": forms.Select(attrs={"class": "form-select"}),
            "unit": UnitPicker(action="change", open=1),
            "affiliation": forms.TextInput(attrs={"class": "form-control"}),
            "member_card_number": forms.TextInput(attrs={"class": "form-control"}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The public-figure mark is offered only to those who may set it (PersonPolicy.can_publicise).
        self.offers_publicity = publicity_offered(user, self.instance)
        if self.offers_publicity:
            self.fields["is_public_figure"] = forms.BooleanField(
                label=_("Nhân vật công khai"),
                required=False,
                initial=self.instance.is_public_figure,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
                help_text=_("Tên, cấp bậc và chức vụ hiển thị cho mọi người dùng của cả hai tổ chức."),
            )
            self.fields["public_reason"] = forms.CharField(
                label=_("Lý do đánh dấu hoặc bỏ đánh dấu công khai"),
                required=False,
                max_length=500,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )
        # Only units the user may enter data for, open today: a searchable picker (thousands for some).
        self.fields["unit"].queryset = OrgUnit.objects.restrict(user, "change").active_on(_today())  # type: ignore[attr-defined]
        self.fields["unit"].required = not user.is_superuser
        if self.instance.pk:
            self.fields["positions_text"].initial = "\n".join(self.instance.positions)

    def person_data(self) -> dict[str, Any]:
        data = {k: self.cleaned_data[k] for k in self.Meta.fields}
        data["positions"] = [line.strip() for line in self.cleaned_data["positions_text"].splitlines() if line.strip()]
        if self.offers_publicity:
            data["is_public_figure"] = self.cleaned_data["is_public_figure"]
        return data

    @property
    def public_reason(self) -> str:
        return str(self.cleaned_data.get("public_reason", "")) if self.offers_publicity else ""


def publicity_offered(user: Any, person: Person) -> bool:
    """Whether the form offers "public figure" (the rule: ``PersonPolicy.can_publicise``)."""
    from phoihop.core.permissions import perms
    from phoihop.orgunits.permissions import may_publicise_somewhere

    if person.pk:
        return perms(user).for_(person).can("publicise")
    return may_publicise_somewhere(perms(user))


def _today() -> Any:
    from django.utils import timezone

    return timezone.localdate()


class UnitCloseForm(forms.Form):
    """Close a unit where it stands (a merger, a dissolution), naming the unit that goes on."""

    valid_to = forms.DateField(
        label=_("Ngày đóng (ngày hoạt động cuối cùng)"),
        widget=forms.DateInput(attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d"),
    )
    successor = UnitChoiceField(
        label=_("Đơn vị kế thừa"),
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text=_("Đơn vị tiếp nhận (gõ tên để tìm, không cần dấu); để trống nếu đơn vị giải thể."),
        error_messages={"invalid_choice": _("Không có đơn vị này trong phạm vi của bạn.")},
    )
    succession_kind = forms.ChoiceField(
        label=_("Hình thức kế thừa"),
        choices=[("", "—"), *SuccessionKind.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, user: Any, unit: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = (  # type: ignore[attr-defined]
            OrgUnit.objects.restrict(user, "view").filter(organisation_id=unit.organisation_id).exclude(pk=unit.pk)
        )
        use_widget(self.fields["successor"], UnitPicker(action="view", organisation=unit.organisation.code))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("successor") and not data.get("succession_kind"):
            self.add_error("succession_kind", _("Chọn hình thức kế thừa."))
        return data


class AnonymiseForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do ẩn danh hoá"),
        max_length=500,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text=_("Ví dụ: theo đề nghị của người này ngày 20/11/2026; được ghi vào lịch sử."),
        error_messages={"required": _("Hãy ghi lý do ẩn danh hoá.")},
    )
