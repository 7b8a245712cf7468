"""Forms for units and people. Every choice of unit is scoped to the user."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from phoihop.core.forms import VersionedForm
from phoihop.core.widgets import use_widget
from phoihop.orgunits.models import UNIT_KINDS, OrgUnit, OrgUnitLevel, Person, SuccessionKind
from phoihop.orgunits.pickers import UnitChoiceField, UnitPicker, UnitsChoiceField


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


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d")


def _text_input() -> forms.TextInput:
    return forms.TextInput(attrs={"class": "form-control"})


CODE_INVALID = _("Mã chỉ gồm chữ cái không dấu, chữ số, dấu gạch dưới (_) hoặc gạch ngang (-).")
SUCCESSORS_HELP = _(
    "Gõ tên để tìm (không cần dấu). Một đơn vị: sáp nhập vào đơn vị đó; nhiều đơn vị: chia tách, đơn vị chọn "
    "đầu tiên nhận số liệu của đơn vị trong cây hiện nay. Để trống nếu đơn vị giải thể."
)
NOT_IN_SCOPE = _("Không có đơn vị này trong phạm vi của bạn.")


def _kind_choices() -> list[tuple[str, Any]]:
    return [("", "—"), *UNIT_KINDS.items()]


class LevelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class UnitCloseForm(forms.Form):
    """Close a unit where it stands: dissolved (no successor), merged into one successor, or split
    among several (``services.unit_close_into``)."""

    valid_to = forms.DateField(label=_("Ngày đóng (ngày hoạt động cuối cùng)"), widget=_date_input())
    successors = UnitsChoiceField(
        label=_("Đơn vị kế thừa"),
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text=SUCCESSORS_HELP,
        error_messages={"invalid_choice": NOT_IN_SCOPE, "invalid_pk_value": NOT_IN_SCOPE},
    )
    succession_kind = forms.ChoiceField(
        label=_("Hình thức kế thừa"),
        choices=[("", "—"), *SuccessionKind.choices],
        required=False,
        initial=SuccessionKind.ABSORBED,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, user: Any, unit: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["successors"].queryset = (  # type: ignore[attr-defined]
            OrgUnit.objects.restrict(user, "view").filter(organisation_id=unit.organisation_id)
        )
        use_widget(
            self.fields["successors"],
            UnitPicker(action="view", multiple=True, organisation=unit.organisation.code, open=1),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("successors") and not data.get("succession_kind"):
            self.add_error("succession_kind", _("Chọn hình thức kế thừa."))
        return data


class UnitMergeForm(forms.Form):
    """Merge units into this one (the successor): each chosen unit is closed into it."""

    units = UnitsChoiceField(
        label=_("Đơn vị sáp nhập vào đơn vị này"),
        queryset=OrgUnit.objects.none(),
        help_text=_("Gõ tên để tìm (không cần dấu); chọn một hoặc nhiều đơn vị cùng tổ chức."),
        error_messages={
            "invalid_choice": NOT_IN_SCOPE,
            "invalid_pk_value": NOT_IN_SCOPE,
            "required": _("Hãy chọn ít nhất một đơn vị sáp nhập vào đơn vị này."),
        },
    )
    valid_to = forms.DateField(
        label=_("Ngày hoạt động cuối cùng của các đơn vị sáp nhập"),
        widget=_date_input(),
        help_text=_("Từ ngày hôm sau, đơn vị này nhận số liệu của các đơn vị sáp nhập trong cây hiện nay."),
    )
    succession_kind = forms.ChoiceField(
        label=_("Hình thức kế thừa"),
        choices=SuccessionKind.choices,
        initial=SuccessionKind.ABSORBED,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, user: Any, unit: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = (  # type: ignore[attr-defined]
            OrgUnit.objects.restrict(user, "manage").filter(organisation_id=unit.organisation_id)
        )
        use_widget(
            self.fields["units"],
            UnitPicker(action="manage", multiple=True, organisation=unit.organisation.code, open=1),
        )


class NewUnitForm(forms.Form):
    """A new unit: below a unit (its level among the organisation's levels below the parent's) or
    at the top of an organisation's tree (any level in use)."""

    name = forms.CharField(label=_("Tên đầy đủ"), max_length=255, widget=_text_input())
    short_name = forms.CharField(label=_("Tên ngắn"), max_length=128, required=False, widget=_text_input())
    code = forms.SlugField(
        label=_("Mã đơn vị"),
        max_length=40,
        widget=_text_input(),
        help_text=_("Mã mới, chưa đơn vị nào dùng: chữ cái không dấu, chữ số, gạch ngang."),
        error_messages={"invalid": CODE_INVALID},
    )
    level = LevelChoiceField(
        label=_("Cấp"),
        queryset=OrgUnitLevel.objects.none(),
        empty_label="—",
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("Chọn một cấp trong danh sách.")},
    )
    kind = forms.ChoiceField(
        label=_("Loại đơn vị"),
        choices=_kind_choices,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    valid_from = forms.DateField(
        label=_("Hoạt động từ ngày"),
        required=False,
        widget=_date_input(),
        help_text=_("Mặc định là hôm nay; để trống nếu đơn vị có từ trước khi có dữ liệu."),
    )

    def __init__(self, *args: Any, levels: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = levels  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("valid_from", _today())
            first = levels.first()
            if first is not None and levels.count() == 1:
                self.initial.setdefault("level", first.pk)

    def unit_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "code": data["code"].strip(),
            "name": " ".join(data["name"].split()),
            "short_name": " ".join(data["short_name"].split()),
            "level": data["level"],
            "kind": data["kind"],
            "valid_from": data["valid_from"],
        }


def levels_below(unit: OrgUnit) -> Any:
    """The levels a unit created below ``unit`` may have: its organisation's, below its own, in use."""
    return OrgUnitLevel.objects.filter(
        organisation_id=unit.organisation_id, rank__gt=unit.level.rank, closed=False
    ).order_by("rank")


class UnitRenameForm(forms.Form):
    name = forms.CharField(label=_("Tên mới"), max_length=255, widget=_text_input())
    short_name = forms.CharField(label=_("Tên ngắn mới"), max_length=128, required=False, widget=_text_input())
    effective = forms.DateField(
        label=_("Dùng tên mới từ ngày"),
        widget=_date_input(),
        help_text=_("Văn bản trước ngày này vẫn ghi tên cũ của đơn vị."),
    )

    def __init__(self, *args: Any, unit: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.update({"name": unit.name, "short_name": unit.short_name, "effective": _today()})


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Tên tổ chức"), max_length=255, widget=_text_input())
    short_name = forms.CharField(label=_("Tên viết tắt"), max_length=64, required=False, widget=_text_input())
    code = forms.SlugField(
        label=_("Mã tổ chức"),
        max_length=32,
        widget=_text_input(),
        help_text=_("Chữ cái không dấu, chữ số, gạch ngang; ví dụ “doan-tn”."),
        error_messages={"invalid": CODE_INVALID},
    )


class LevelForm(forms.Form):
    """One level of a new organisation; blank rows are left out."""

    code = forms.SlugField(
        label=_("Mã cấp"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("ví dụ: tinh")}),
        error_messages={"invalid": CODE_INVALID},
    )
    name = forms.CharField(
        label=_("Tên cấp"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("ví dụ: Cấp tỉnh")}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("code") and not data.get("name", "").strip():
            self.add_error("name", _("Hãy nhập tên của cấp này."))
        if data.get("name", "").strip() and not data.get("code"):
            self.add_error("code", _("Hãy nhập mã của cấp này."))
        return data


LEVEL_ROWS = 6
LevelFormSet = forms.formset_factory(LevelForm, extra=LEVEL_ROWS, max_num=20, validate_max=True)


def levels_of(formset: Any) -> list[dict[str, str]]:
    """The levels typed, highest first, blank rows left out."""
    return [
        {"code": f.cleaned_data["code"], "name": f.cleaned_data["name"]}
        for f in formset.forms
        if f.cleaned_data.get("code")
    ]


class PairForm(forms.Form):
    """Pair a unit with its counterpart of another organisation."""

    unit_b = UnitChoiceField(
        label=_("Đơn vị tương ứng của tổ chức khác"),
        queryset=OrgUnit.objects.none(),
        help_text=_("Gõ tên để tìm (không cần dấu), ví dụ “Ban CHQS phường …”."),
        error_messages={"invalid_choice": NOT_IN_SCOPE, "required": _("Hãy chọn đơn vị tương ứng.")},
    )
    valid_from = forms.DateField(label=_("Ghép cặp từ ngày"), widget=_date_input())
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False, widget=_text_input())

    def __init__(self, *args: Any, user: Any, unit: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any unit the user reads: one of the unit's own organisation is refused by the rule of
        # pairs (OrgUnitPair.clean), in those words; the picker offers the other organisations'.
        self.fields["unit_b"].queryset = OrgUnit.objects.restrict(user, "view")  # type: ignore[attr-defined]
        use_widget(self.fields["unit_b"], UnitPicker(action="view", other_than=unit.organisation.code, open=1))
        if not self.is_bound:
            self.initial["valid_from"] = _today()


class PairEndForm(forms.Form):
    valid_to = forms.DateField(
        label=_("Ngày kết thúc"),
        widget=_date_input(),
        error_messages={"required": _("Hãy nhập ngày kết thúc ghép cặp.")},
    )


class AnonymiseForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do ẩn danh hoá"),
        max_length=500,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text=_("Ví dụ: theo đề nghị của người này ngày 20/11/2026; được ghi vào lịch sử."),
        error_messages={"required": _("Hãy ghi lý do ẩn danh hoá.")},
    )
