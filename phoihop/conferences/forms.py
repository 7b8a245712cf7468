"""Forms of the conference pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from phoihop.activities.models import Proposal
from phoihop.conferences.models import Conference
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Indicator, Phase, Programme


def _codes(text: str) -> list[str]:
    return [c.strip() for c in text.replace(";", ",").replace("\n", ",").split(",") if c.strip()]


class ConferenceForm(forms.ModelForm):
    organiser_codes = forms.CharField(
        label=_("Đơn vị tổ chức (mã, cách nhau bằng dấu phẩy)"),
        help_text=_("Ví dụ: QS-HANOI, CCB-HANOI"),
    )

    class Meta:
        model = Conference
        fields = ["programme", "phase", "kind", "title", "held_on", "place", "agenda", "conclusions"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "conclusions": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["programme"].queryset = Programme.objects.restrict(user, "view")  # type: ignore[attr-defined]
        self.fields["phase"].queryset = Phase.objects.restrict(user, "view").select_related("programme")  # type: ignore[attr-defined]
        if self.instance.pk and not self.is_bound:
            self.initial["organiser_codes"] = ", ".join(u.code for u in self.instance.organisers.all())

    def clean_organiser_codes(self) -> list[OrgUnit]:
        codes = _codes(self.cleaned_data["organiser_codes"])
        units = list(OrgUnit.objects.restrict(self.user, "view").filter(code__in=codes))
        missing = sorted(set(codes) - {u.code for u in units})
        if missing:
            raise forms.ValidationError(
                _("Không tìm thấy đơn vị trong phạm vi của bạn: %(codes)s.") % {"codes": ", ".join(missing)}
            )
        if not units:
            raise forms.ValidationError(_("Hãy ghi ít nhất một đơn vị tổ chức."))
        return units

    def record_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class SignNextPhaseForm(forms.Form):
    code = forms.RegexField(label=_("Mã giai đoạn mới"), regex=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
    name = forms.CharField(label=_("Tên hiển thị"), max_length=100)
    start = forms.DateField(label=_("Bắt đầu"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Kết thúc"), widget=forms.DateInput(attrs={"type": "date"}))
    document_number = forms.CharField(label=_("Số văn bản ký kết"), max_length=100, required=False)
    retired_indicators = forms.ModelMultipleChoiceField(
        label=_("Chỉ tiêu thôi áp dụng từ giai đoạn mới"), queryset=Indicator.objects.none(), required=False
    )
    proposals = forms.ModelMultipleChoiceField(
        label=_("Đề xuất của giai đoạn được tổng kết, tiếp thu làm nhiệm vụ giai đoạn mới"),
        queryset=Proposal.objects.none(),
        required=False,
    )
    document = forms.FileField(label=_("Văn bản đã ký (PDF, Word)"), required=False)

    def __init__(self, *args: Any, conference: Conference, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["retired_indicators"].queryset = Indicator.objects.filter(  # type: ignore[attr-defined]
            programme=conference.programme, retired_in__isnull=True
        )
        self.fields["proposals"].queryset = Proposal.objects.restrict(user, "view").filter(  # type: ignore[attr-defined]
            phase=conference.phase
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Ngày kết thúc không được trước ngày bắt đầu."))
        return data
