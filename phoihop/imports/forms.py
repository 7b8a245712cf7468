"""The forms of the import pages: the file to check or import (kind, programme chosen from a list,
file), and the kind and programme of a template or an export."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.imports import registry, runs
from phoihop.programmes.models import Programme

PROGRAMME_HELP = gettext_lazy("Cần cho chỉ tiêu, hoạt động và số liệu; đơn vị, cán bộ và tài khoản không cần.")


def kind_choices() -> list[tuple[str, str]]:
    return [(name, str(kind.label)) for name, kind in registry.all_kinds().items()]


class KindProgrammeForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Loại dữ liệu"),
        error_messages={
            "required": gettext_lazy("Hãy chọn loại dữ liệu."),
            "invalid_choice": gettext_lazy("Không có loại dữ liệu này."),
        },
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    programme = forms.ModelChoiceField(
        queryset=Programme.objects.none(),
        required=False,
        label=gettext_lazy("Chương trình"),
        help_text=PROGRAMME_HELP,
        empty_label=gettext_lazy("— Không theo chương trình —"),
        to_field_name="code",
        error_messages={
            "invalid_choice": gettext_lazy("Không tìm thấy chương trình này trong các chương trình của bạn.")
        },
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = kind_choices()
        field = self.fields["programme"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Programme.objects.restrict(user, "view").order_by("code")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = registry.get_kind(data.get("kind") or "")
        if kind is not None and kind.needs_programme and not data.get("programme") and "programme" not in self.errors:
            self.add_error("programme", _("%(label)s cần chọn chương trình.") % {"label": str(kind.label).capitalize()})
        return data


class ImportForm(KindProgrammeForm):
    file = forms.FileField(
        label=gettext_lazy("Tệp Excel hoặc CSV"),
        help_text=gettext_lazy("Tệp .xlsx hoặc .csv (UTF-8, Windows-1258, TCVN3, VNI), tối đa 50 MB và 200.000 dòng."),
        allow_empty_file=True,  # refused below with the importer's own message
        error_messages={
            "required": gettext_lazy("Hãy chọn tệp cần nhập."),
            "invalid": gettext_lazy("Không nhận được tệp; hãy chọn lại."),
            "missing": gettext_lazy("Không nhận được tệp; hãy chọn lại."),
            "max_length": gettext_lazy("Tên tệp dài quá %(max)d ký tự (hiện có %(length)d)."),
        },
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.xlsm,.csv,.txt"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        try:
            runs.check_upload(upload)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict.get("file", exc.messages)) from exc
        return upload
