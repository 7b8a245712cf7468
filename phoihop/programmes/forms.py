from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from phoihop.core.forms import VersionedForm
from phoihop.core.widgets import AutocompleteSelect, use_widget
from phoihop.orgunits.models import Organisation, OrgUnit
from phoihop.orgunits.pickers import UNIT_RELATED, UnitChoiceField, UnitPicker, unit_label
from phoihop.programmes.models import Aggregation, Field, Phase, PhaseStatus, Programme, Signing


class ProgrammeForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["title", "summary", "legal_basis", "activity_approval"]
        widgets = {
            "activity_approval": forms.CheckboxInput(attrs={"class": "form-check-input"}),
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


# --- the guided set-up of a programme (issue 15, item 2) ----------------------------------------


class ProgrammeCreateForm(forms.Form):
    """Step 1: the programme itself; its parties are the rows of ``PartyFormSet``."""

    title = forms.CharField(
        label=_("Tên chương trình"),
        max_length=500,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text=_("Ví dụ: Chương trình phối hợp giữa Tỉnh đoàn Nghệ An và Hội Cựu chiến binh tỉnh Nghệ An."),
    )
    code = forms.SlugField(
        label=_("Mã chương trình"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
        help_text=_("Không bắt buộc: để trống thì mã được tạo từ mã các bên ký kết."),
        error_messages={"invalid": _("Mã chỉ gồm chữ cái không dấu, chữ số, dấu gạch dưới (_) hoặc gạch ngang (-).")},
    )
    activity_approval = forms.BooleanField(
        label=_("Hoạt động phối hợp cần được cấp trên duyệt"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        help_text=_("Hoạt động đã gửi chỉ được tính vào số liệu đã duyệt sau khi cấp trên duyệt."),
    )


class PartyForm(forms.Form):
    """One party: the unit that signs for its organisation (and whose subtree it covers),
    chosen with a picker narrowed to the organisation chosen beside it."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        to_field_name="code",
        required=False,
        label=_("Tổ chức"),
        empty_label=_("— Mọi tổ chức —"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    unit = UnitChoiceField(queryset=OrgUnit.objects.none(), required=False, label=_("Đơn vị ký kết"))

    def __init__(self, *args: object, user: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        from django.utils import timezone

        self.fields["organisation"].queryset = Organisation.objects.order_by("name")  # type: ignore[attr-defined]
        units = OrgUnit.objects.restrict(user, "view").active_on(timezone.localdate())
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        picker = AutocompleteSelect(
            url="orgunits:autocomplete",
            params={"action": "view", "open": 1},
            label=unit_label,
            select_related=UNIT_RELATED,
            # The units offered are those of the organisation chosen beside the picker.
            forward={"organisation": self.add_prefix("organisation")},
        )
        use_widget(self.fields["unit"], picker)


PartyFormSet = forms.formset_factory(PartyForm, extra=0)


class FieldAddForm(forms.Form):
    name = forms.CharField(
        label=_("Tên lĩnh vực"), max_length=500, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    order = forms.IntegerField(
        label=_("Thứ tự"), min_value=0, max_value=32767, widget=forms.NumberInput(attrs={"class": "form-control"})
    )


class IndicatorAddForm(forms.Form):
    field = forms.ModelChoiceField(
        queryset=Field.objects.none(), label=_("Lĩnh vực"), widget=forms.Select(attrs={"class": "form-select"})
    )
    name = forms.CharField(
        label=_("Tên chỉ tiêu"), max_length=500, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    unit_of_measure = forms.CharField(
        label=_("Đơn vị tính"),
        max_length=64,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text=_("Ví dụ: buổi, lượt người, mô hình."),
    )
    aggregation = forms.ChoiceField(
        label=_("Cách tổng hợp"),
        choices=Aggregation.choices,
        initial=Aggregation.SUM,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    code = forms.SlugField(
        label=_("Mã chỉ tiêu"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
        help_text=_(
            "Không bắt buộc: để trống thì mã được tạo từ tên. Mã là tên cột của chỉ tiêu khi nhập dữ liệu từ Excel."
        ),
        error_messages={"invalid": _("Mã chỉ gồm chữ cái không dấu, chữ số, dấu gạch dưới (_) hoặc gạch ngang (-).")},
    )

    def __init__(self, *args: object, user: object, programme: Programme, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        fields = Field.objects.restrict(user, "view").filter(programme=programme)
        self.fields["field"].queryset = fields  # type: ignore[attr-defined]


class IndicatorEditForm(forms.Form):
    name = forms.CharField(
        label=_("Tên chỉ tiêu"), max_length=500, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    unit_of_measure = forms.CharField(
        label=_("Đơn vị tính"), max_length=64, widget=forms.TextInput(attrs={"class": "form-control"})
    )


class PhaseAddForm(forms.Form):
    start = forms.DateField(
        label=_("Bắt đầu"), widget=forms.DateInput(attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("Kết thúc"), widget=forms.DateInput(attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d")
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        choices=PhaseStatus.choices,
        initial=PhaseStatus.DRAFT,
        widget=forms.Select(attrs={"class": "form-select"}),
        help_text=_("Giai đoạn đã qua ghi “Đã kết thúc”, giai đoạn đang chạy ghi “Đang thực hiện”."),
    )
    name = forms.CharField(
        label=_("Tên hiển thị"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text=_("Không bắt buộc: để trống thì lấy năm bắt đầu và năm kết thúc, ví dụ 2023–2028."),
    )
    code = forms.CharField(
        label=_("Mã giai đoạn"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
        help_text=_("Không bắt buộc: để trống thì mã là hai năm, ví dụ 2023-2028."),
    )


class PartySignatoryForm(forms.ModelForm):
    """A signatory of one of the parties' units (reporting.Signatory, ADR 0019): the unit is a
    choice among the parties' units the user administers."""

    unit = forms.ModelChoiceField(
        queryset=OrgUnit.objects.none(),
        label=_("Cơ quan"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    class Meta:
        from phoihop.reporting.models import Signatory

        model = Signatory
        fields = ["unit", "capacity", "collective", "title", "rank", "full_name", "valid_from"]
        widgets = {
            "capacity": forms.Select(attrs={"class": "form-select"}),
            "collective": forms.TextInput(attrs={"class": "form-control"}),
            "title": forms.TextInput(attrs={"class": "form-control"}),
            "rank": forms.Select(attrs={"class": "form-select"}),
            "full_name": forms.TextInput(attrs={"class": "form-control"}),
            "valid_from": forms.DateInput(attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: object, units: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
