"""Forms of the electronic signature pages. They only validate input; the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from phoihop.core.widgets import use_widget
from phoihop.esign.models import CertificateKind
from phoihop.orgunits.models import OrgUnit
from phoihop.orgunits.pickers import UnitChoiceField, UnitPicker

MAX_VERIFY_BYTES = 30 * 1024 * 1024


def _text() -> forms.TextInput:
    return forms.TextInput(attrs={"class": "form-control"})


def _file(accept: str) -> forms.ClearableFileInput:
    return forms.ClearableFileInput(attrs={"class": "form-control", "accept": accept})


class CertificateUploadForm(forms.Form):
    unit = UnitChoiceField(
        label=_("Cơ quan ban hành"),
        queryset=OrgUnit.objects.none(),
        help_text=_("Gõ tên để tìm, không cần dấu."),
        error_messages={"invalid_choice": _("Không có đơn vị này trong phạm vi của bạn.")},
    )
    kind = forms.ChoiceField(
        label=_("Loại chứng thư"), choices=CertificateKind.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    file = forms.FileField(label=_("Tệp chứng thư số (.p12, .pfx)"), widget=_file(".p12,.pfx"))
    passphrase = forms.CharField(
        label=_("Mật khẩu của tệp"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "off"}, render_value=False),
    )
    person_name = forms.CharField(
        label=_("Họ tên người ký"),
        max_length=128,
        required=False,
        widget=_text(),
        help_text=_("Với chữ ký của người ký."),
    )
    person_title = forms.CharField(label=_("Chức vụ người ký"), max_length=128, required=False, widget=_text())
    image = forms.FileField(
        label=_("Ảnh chữ ký hoặc con dấu (PNG nền trong suốt, không bắt buộc)"), required=False, widget=_file(".png")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        """``user``: the units offered are those they see (a searchable picker, not a typed code)."""
        super().__init__(*args, **kwargs)
        unit: Any = self.fields["unit"]
        unit.queryset = OrgUnit.objects.restrict(user, "view")
        use_widget(unit, UnitPicker(action="view", attrs={"class": "form-select"}))


class TrustedRootForm(forms.Form):
    file = forms.FileField(label=_("Chứng thư gốc (.cer, .crt, .pem)"), widget=_file(".cer,.crt,.pem,.der"))
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False, widget=_text())


class VerifyForm(forms.Form):
    file = forms.FileField(label=_("Tệp PDF đã ký"), widget=_file(".pdf,application/pdf"))

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_VERIFY_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn; giới hạn là 30 MB."), code="too_large")
        data = upload.read(MAX_VERIFY_BYTES + 1)
        if not data.startswith(b"%PDF-"):
            raise forms.ValidationError(_("Tệp không phải là tệp PDF."), code="not_pdf")
        return bytes(data)
