"""Forms of the reporting pages. They only validate input; the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from phoihop.core import statements
from phoihop.core.forms import IdsChoiceField, VersionedForm
from phoihop.core.gate import PROGRAMME_DATA
from phoihop.figures.periods import REPORTING_KIND_CHOICES
from phoihop.orgunits.models import OrgUnit, OrgUnitLevel
from phoihop.programmes.models import Field, Party, Phase, Programme
from phoihop.reporting.models import NARRATIVE_SECTIONS, BodyKind, Report, ReportingPeriod, ReportType

FORMAT_CHOICES = [("docx", "Word (.docx)"), ("xlsx", "Excel (.xlsx)"), ("pdf", "PDF")]
CAPACITY_CHOICES = [
    ("", _("(người đứng đầu ký)")),
    ("TM.", "TM."),
    ("KT.", "KT."),
    ("TL.", "TL."),
    ("TUQ.", "TUQ."),
]
SIGNER_KEYS = ("capacity", "collective", "title", "rank", "name")
SIGNER_LABELS = [
    ("capacity", _("Thẩm quyền ký")),
    ("collective", _("Tập thể hoặc người đứng đầu (sau TM., KT.)")),
    ("title", _("Chức vụ người ký")),
    ("rank", _("Cấp bậc (quân đội)")),
    ("name", _("Họ tên người ký")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d", attrs={"class": "form-control"})


def _text(**attrs: Any) -> forms.TextInput:
    return forms.TextInput(attrs={"class": "form-control", **attrs})


def _area(rows: int = 4, **attrs: Any) -> forms.Textarea:
    return forms.Textarea(attrs={"class": "form-control", "rows": rows, **attrs})


def _select() -> forms.Select:
    return forms.Select(attrs={"class": "form-select"})


# --- periods and requests ---------------------------------------------------------------------


class PeriodForm(VersionedForm):
    """A period of a programme. On creation the programme is chosen among those the user manages."""

    programme = forms.ModelChoiceField(
        queryset=Programme.objects.none(), to_field_name="code", label=_("Chương trình"), widget=_select()
    )
    name = forms.CharField(label=_("Tên kỳ báo cáo"), max_length=200, widget=_text())
    kind = forms.ChoiceField(label=_("Loại kỳ"), choices=REPORTING_KIND_CHOICES, widget=_select())
    report_type = forms.ChoiceField(
        label=_("Loại báo cáo"), choices=ReportType.choices, initial=ReportType.PERIODIC, widget=_select()
    )
    phase = forms.ModelChoiceField(
        queryset=Phase.objects.none(), required=False, label=_("Giai đoạn"), widget=_select()
    )
    start = forms.DateField(label=_("Từ ngày"), widget=DateInput())
    end = forms.DateField(label=_("Đến ngày"), widget=DateInput())
    due_date = forms.DateField(
        label=_("Hạn gửi"),
        required=False,
        widget=DateInput(),
        help_text=_("Để trống: tự tính theo loại kỳ (ví dụ kỳ 6 tháng: 10 ngày sau ngày cuối kỳ)."),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        user: Any,
        period: ReportingPeriod | None = None,
        programme: Programme | None = None,
    ) -> None:
        initial: dict[str, Any] = {}
        if period is not None:
            initial = {
                name: getattr(period, name) for name in ("name", "kind", "report_type", "start", "end", "due_date")
            }
            initial["phase"] = period.phase_id
        elif programme is not None:
            initial["programme"] = programme.code
        super().__init__(data, initial=initial)
        self.period = period
        if period is not None:
            self.carry_version(period)
        managed = Programme.objects.restrict(user, "change").order_by("code")
        if period is not None:
            del self.fields["programme"]
            phases = Phase.objects.restrict(user, "view").filter(programme_id=period.programme_id)
        else:
            self.fields["programme"].queryset = managed  # type: ignore[attr-defined]
            phases = Phase.objects.restrict(user, "view").filter(programme__in=managed)

        self.fields["phase"].queryset = phases.select_related("programme").order_by(  # type: ignore[attr-defined]
            "programme__code", "start"
        )
        self.fields["phase"].label_from_instance = lambda ph: ph.full_label  # type: ignore[attr-defined]

    def period_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in ("name", "kind", "report_type", "phase", "start", "end", "due_date")}


def programme_levels(programme_id: int) -> QuerySet[OrgUnitLevel]:
    """The levels of the organisations taking part in the programme (open levels only)."""
    organisations = Party.objects.filter(programme_id=programme_id).values("organisation_id")
    return (
        OrgUnitLevel.objects.filter(organisation__in=organisations, closed=False)
        .select_related("organisation")
        .order_by("organisation__code", "rank")
    )


class RequestForm(forms.Form):
    levels = IdsChoiceField(
        queryset=OrgUnitLevel.objects.none(),
        label=_("Các cấp phải gửi báo cáo"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Hãy chọn ít nhất một cấp.")},
    )
    due_date = forms.DateField(
        label=_("Hạn gửi"), required=False, widget=DateInput(), help_text=_("Để trống: hạn gửi của kỳ báo cáo.")
    )

    def __init__(self, data: Any = None, *, period: ReportingPeriod) -> None:
        super().__init__(data)
        field = self.fields["levels"]
        field.queryset = programme_levels(period.programme_id)  # type: ignore[attr-defined]
        field.label_from_instance = lambda lv: f"{lv.organisation.short_name or lv.organisation.name}: {lv.name}"  # type: ignore[attr-defined]


# --- reports --------------------------------------------------------------------------------------


class OpenForm(forms.Form):
    partner = forms.ChoiceField(
        label=_("Cách soạn"),
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )

    def __init__(self, data: Any = None, *, partners: list[OrgUnit]) -> None:
        super().__init__(data)
        self.partners = {u.code: u for u in partners}
        choices: list[tuple[str, Any]] = [("", _("Đơn vị tự báo cáo"))]
        choices += [(u.code, _("Báo cáo chung (liên tịch) với %(unit)s") % {"unit": u.name}) for u in partners]
        self.fields["partner"].choices = choices  # type: ignore[attr-defined]
        self.fields["partner"].initial = ""

    @property
    def partner_unit(self) -> OrgUnit | None:
        return self.partners.get(self.cleaned_data.get("partner") or "")


def programme_fields(programme_id: int) -> list[dict[str, Any]]:
    """The code and name of each field of the programme, in their order (the report's texts
    follow them); the statement kept per programme (core/statements.py), the rows read afresh."""

    def build() -> QuerySet:
        fields = Field.objects.unrestricted(PROGRAMME_DATA).filter(programme_id=programme_id)
        return fields.order_by("order", "pk").values("code", "name")

    return statements.rows(("narrative fields", programme_id), build)


def narrative_keys(report: Report) -> list[tuple[str, str]]:
    """(key, label) of the report's narrative, in document order: the introduction, one text
    per field of the programme, then the sections."""
    keys: list[tuple[str, str]] = [("intro", str(_("Mở đầu (để trống: câu mở đầu mặc định)")))]
    for field in programme_fields(report.period.programme_id):
        keys.append((f"field:{field['code']}", str(_("Kết quả lĩnh vực: %(name)s") % {"name": field["name"]})))
    keys += [(key, str(label)) for key, label in NARRATIVE_SECTIONS]
    return keys


class ReportForm(forms.Form):
    """The editable parts of a report: narrative, signers, recipients, place and number, with
    the version the writer opened (a stale version is refused by the service)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    recipients = forms.CharField(
        label=_("Nơi nhận"),
        required=False,
        widget=_area(4),
        help_text=_("Mỗi dòng một nơi nhận. Dòng “Lưu: VT” được thêm tự động ở cuối."),
    )
    place = forms.CharField(label=_("Địa danh"), max_length=100, required=False, widget=_text())
    number = forms.IntegerField(
        label=_("Số văn bản"),
        required=False,
        min_value=1,
        max_value=99999,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
        help_text=_("Để trống: lấy số tiếp theo trong sổ văn bản đi của đơn vị khi gửi."),
    )

    def __init__(self, data: Any = None, *, report: Report) -> None:
        self.report = report
        self.keys = narrative_keys(report)
        initial: dict[str, Any] = {
            "version": report.version,
            "recipients": report.recipients,
            "place": report.place,
            "number": report.number,
        }
        for key, _label in self.keys:
            initial[key] = report.section_text(key)
        signers = list(report.signers or [])
        for k in range(len(report.units)):
            signer = signers[k] if k < len(signers) else {}
            for name in SIGNER_KEYS:
                initial[f"signer-{k}-{name}"] = signer.get(name, "")
        super().__init__(data, initial=initial)
        for key, label in self.keys:
            rows = 3 if key == "intro" else 6
            self.fields[key] = forms.CharField(label=label, required=False, widget=_area(rows))
        for k in range(len(report.units)):
            for name, signer_label in SIGNER_LABELS:
                if name == "capacity":
                    field: forms.Field = forms.ChoiceField(
                        label=signer_label, choices=CAPACITY_CHOICES, required=False, widget=_select()
                    )
                else:
                    field = forms.CharField(label=signer_label, required=False, max_length=128, widget=_text())
                self.fields[f"signer-{k}-{name}"] = field

    def narrative_fields(self) -> list[forms.BoundField]:
        return [self[key] for key, _label in self.keys]

    def signer_groups(self) -> list[tuple[OrgUnit, list[forms.BoundField]]]:
        return [
            (unit, [self[f"signer-{k}-{name}"] for name, _label in SIGNER_LABELS])
            for k, unit in enumerate(self.report.units)
        ]

    def report_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "narrative": {key: data.get(key) or "" for key, _label in self.keys},
            "signers": [
                {name: data.get(f"signer-{k}-{name}") or "" for name, _label in SIGNER_LABELS}
                for k in range(len(self.report.units))
            ],
            "recipients": data.get("recipients") or "",
            "place": data.get("place") or "",
            "number": data.get("number"),
        }


class ScanForm(forms.Form):
    file = forms.FileField(
        label=_("Bản ký đã quét (PDF, JPEG hoặc PNG)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class JobForm(forms.Form):
    format = forms.ChoiceField(label=_("Định dạng"), choices=FORMAT_CHOICES, widget=_select())


class TemplateUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại cơ quan ban hành"), choices=BodyKind.choices, widget=_select())
    file = forms.FileField(
        label=_("Tệp mẫu Word (.docx)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".docx"}),
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False, widget=_text())
