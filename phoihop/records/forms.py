"""Forms and filters of the pages for good-practice models, exchanges, lessons and proposals.

Every choice of unit, phase and field is scoped to the user. A unit is chosen with a searchable
picker (core/widgets.py over ``orgunits:autocomplete``): typing without diacritics finds any unit
of the user's scope, and the field still validates against its scoped queryset.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from phoihop.core.files import ALLOWED_LABEL, check_upload
from phoihop.core.forms import IdsChoiceField, VersionedForm
from phoihop.core.permissions import perms
from phoihop.core.text import fold
from phoihop.core.widgets import use_widget
from phoihop.orgunits.counterparts import counterparts_of
from phoihop.orgunits.models import OrgUnit
from phoihop.orgunits.pickers import UnitPicker
from phoihop.orgunits.selectors import own_units
from phoihop.programmes.models import Field, Phase, PhaseStatus
from phoihop.records.models import (
    Exchange,
    ExchangeKind,
    Lesson,
    PracticeModel,
    PracticeModelQuerySet,
    Proposal,
    ProposalHorizon,
)
from phoihop.records.services import allowed_recipients
from phoihop.records.widget_html import FAST_WIDGETS

SELECT = {"class": "form-select"}
TEXT = {"class": "form-control"}
DATE = {"class": "form-control", "type": "date"}
MAX_FILES = 10


# --- units --------------------------------------------------------------------------------------


def limit_unit_widget(
    field: forms.Field, user: Any, action: str, selected: Iterable[Any], blank: str | Promise
) -> None:
    """A searchable unit picker (core/widgets.py) in ``field``: only the chosen unit is sent with
    the page, the others are found by typing; the field validates against its queryset."""
    css = field.widget.attrs.get("class", "form-select")
    use_widget(field, UnitPicker(action=action, attrs={"class": css, "data-placeholder": str(blank)}))


def default_unit(user: Any) -> OrgUnit | None:
    """The unit a user usually records for: the deepest unit of their change roles."""
    units = list(own_units(user, "change")) if not perms(user).is_system_admin else []
    return max(units, key=lambda u: u.depth) if units else None


def scoped_phases(user: Any) -> QuerySet[Phase]:
    return Phase.objects.restrict(user, "view").select_related("programme").order_by("programme__code", "-start")


def scoped_fields(user: Any) -> QuerySet[Field]:
    return Field.objects.restrict(user, "view").select_related("programme").order_by("programme__code", "order")


def active_phase(user: Any) -> Phase | None:
    return scoped_phases(user).filter(status=PhaseStatus.ACTIVE).first()


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


def phase_label(phase: Phase) -> str:
    return str(phase.full_label)


class PhaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return phase_label(obj)


class ScopedRecordForm(VersionedForm, forms.ModelForm):
    """A record of a unit, a phase and a field, each chosen within the user's scope."""

    unit_field = "unit"

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        unit = self.fields[self.unit_field]
        unit.queryset = OrgUnit.objects.restrict(user, "change")  # type: ignore[attr-defined]
        selected = [self.data.get(self.add_prefix(self.unit_field)) or self.initial.get(self.unit_field)]
        if not self.instance.pk and not self.is_bound:
            start = default_unit(user)
            if start is not None:
                self.initial[self.unit_field] = start.pk
                selected.append(start.pk)
            phase = active_phase(user)
            if phase is not None:
                self.initial["phase"] = phase.pk
        limit_unit_widget(unit, user, "change", [s for s in selected if s], _("— chọn đơn vị —"))
        self.fields["phase"].queryset = scoped_phases(user)  # type: ignore[attr-defined]
        self.fields["field"].queryset = scoped_fields(user)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        phase, field = data.get("phase"), data.get("field")
        if phase and field and field.programme_id != phase.programme_id:
            self.add_error("field", _("Lĩnh vực không thuộc chương trình của giai đoạn đã chọn."))
        return data

    def record_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}  # type: ignore[attr-defined]


class PracticeModelForm(ScopedRecordForm):
    unit_field = "origin_unit"
    phase = PhaseChoiceField(queryset=Phase.objects.none(), label=_("Giai đoạn"), widget=forms.Select(attrs=SELECT))
    origin_unit = UnitChoiceField(
        queryset=OrgUnit.objects.none(),
        label=_("Đơn vị xây dựng mô hình"),
        widget=forms.Select(attrs=SELECT),
    )

    class Meta:
        model = PracticeModel
        fields = ["phase", "name", "field", "origin_unit", "started_on", "description", "results"]
        widgets = {
            "name": forms.TextInput(attrs=TEXT),
            "field": forms.Select(attrs=SELECT),
            "started_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={**TEXT, "rows": 5}),
            "results": forms.Textarea(attrs={**TEXT, "rows": 5}),
        }


class ReplicationForm(forms.Form):
    unit = UnitChoiceField(
        queryset=OrgUnit.objects.none(), label=_("Đơn vị nhân rộng"), widget=forms.Select(attrs=SELECT)
    )
    replicated_on = forms.DateField(label=_("Ngày nhân rộng"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False, widget=forms.TextInput(attrs=TEXT))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.restrict(user, "change")  # type: ignore[attr-defined]
        selected = [self.data.get(self.add_prefix("unit"))]
        limit_unit_widget(self.fields["unit"], user, "change", [s for s in selected if s], _("— chọn đơn vị —"))


class LessonForm(ScopedRecordForm):
    phase = PhaseChoiceField(queryset=Phase.objects.none(), label=_("Giai đoạn"), widget=forms.Select(attrs=SELECT))
    unit = UnitChoiceField(queryset=OrgUnit.objects.none(), label=_("Đơn vị"), widget=forms.Select(attrs=SELECT))

    class Meta:
        model = Lesson
        fields = ["unit", "phase", "field", "title", "content", "recorded_on"]
        widgets = {
            "field": forms.Select(attrs=SELECT),
            "title": forms.TextInput(attrs=TEXT),
            "content": forms.Textarea(attrs={**TEXT, "rows": 8}),
            "recorded_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        }


class ProposalForm(ScopedRecordForm):
    phase = PhaseChoiceField(queryset=Phase.objects.none(), label=_("Giai đoạn"), widget=forms.Select(attrs=SELECT))
    unit = UnitChoiceField(queryset=OrgUnit.objects.none(), label=_("Đơn vị"), widget=forms.Select(attrs=SELECT))

    class Meta:
        model = Proposal
        fields = ["unit", "phase", "horizon", "field", "title", "content", "recorded_on"]
        widgets = {
            "horizon": forms.Select(attrs=SELECT),
            "field": forms.Select(attrs=SELECT),
            "title": forms.TextInput(attrs=TEXT),
            "content": forms.Textarea(attrs={**TEXT, "rows": 8}),
            "recorded_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        }


# --- exchanges ----------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked from its content, errors in Vietnamese."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_FILES:
            raise ValidationError(_("Gửi kèm tối đa %(n)s tệp một lần.") % {"n": MAX_FILES})
        errors = []
        for upload in files:
            try:
                check_upload(upload, upload.size or 0)
            except ValidationError as exc:
                errors.append(f"{upload.name}: {' '.join(exc.messages)}")
        if errors:
            raise ValidationError(errors)
        return files


class ExchangeForm(forms.Form):
    """An exchange from one of the user's units to lower or counterpart units, with files.

    Recipients are ticked among the sender's allowed recipients, or taken in one go with the
    shortcuts (every direct lower unit; the counterparts).
    """

    sender = UnitChoiceField(queryset=OrgUnit.objects.none(), label=_("Đơn vị gửi"), widget=forms.Select(attrs=SELECT))
    kind = forms.ChoiceField(label=_("Loại"), choices=ExchangeKind.choices, widget=forms.Select(attrs=SELECT))
    phase = PhaseChoiceField(
        queryset=Phase.objects.none(),
        label=_("Giai đoạn"),
        required=False,
        empty_label=_("— không gắn với giai đoạn —"),
        widget=forms.Select(attrs=SELECT),
    )
    subject = forms.CharField(label=_("Trích yếu"), max_length=500, widget=forms.TextInput(attrs=TEXT))
    body = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={**TEXT, "rows": 8}))
    all_children = forms.BooleanField(label=_("Tất cả đơn vị trực thuộc"), required=False)
    counterparts = forms.BooleanField(label=_("Đơn vị phối hợp (bên kia)"), required=False)
    recipients = IdsChoiceField(
        queryset=OrgUnit.objects.none(),
        label=_("Nơi nhận"),
        required=False,
        error_messages={
            "invalid_choice": _("Chỉ gửi được tới đơn vị cấp dưới hoặc đơn vị phối hợp của đơn vị gửi."),
            "invalid_pk_value": _("Nơi nhận không hợp lệ."),
        },
    )
    attachments = MultipleFileField(
        label=_("Tệp đính kèm"),
        required=False,
        help_text=_("Ảnh, PDF, Word hoặc Excel (%(allowed)s); loại tệp được kiểm tra theo nội dung.")
        % {"allowed": ALLOWED_LABEL},
    )

    def __init__(self, *args: Any, user: Any, sender: OrgUnit | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.sender_unit = sender
        self.fields["sender"].queryset = OrgUnit.objects.restrict(user, "change")  # type: ignore[attr-defined]
        limit_unit_widget(
            self.fields["sender"], user, "change", [sender.pk] if sender else [], _("— chọn đơn vị gửi —")
        )
        self.fields["phase"].queryset = scoped_phases(user)  # type: ignore[attr-defined]
        allowed = allowed_recipients(sender) if sender is not None else OrgUnit.objects.none()
        self.fields["recipients"].queryset = allowed  # type: ignore[attr-defined]
        self.children = (
            list(allowed.filter(path__startswith=sender.path, depth=sender.depth + 1).order_by("path"))
            if sender is not None
            else []
        )
        self.counterpart_units = counterparts_of(sender) if sender is not None else []

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        chosen: dict[int, OrgUnit] = {u.pk: u for u in data.get("recipients") or []}
        if data.get("all_children"):
            chosen.update({u.pk: u for u in self.children})
        if data.get("counterparts"):
            chosen.update({u.pk: u for u in self.counterpart_units})
        if not chosen and "recipients" not in self.errors:
            self.add_error("recipients", _("Hãy chọn ít nhất một nơi nhận."))
        data["final_recipients"] = list(chosen.values())
        return data


def recipient_candidates(sender: OrgUnit, find: str, exclude: Iterable[int], limit: int = 200) -> list[OrgUnit]:
    """Units to tick: those matching ``find`` (without diacritics), else the sender's direct lower
    units and counterparts."""
    allowed = allowed_recipients(sender).exclude(pk__in=list(exclude))
    folded = fold(find)
    if folded:
        return list(allowed.filter(search_text__contains=folded).order_by("path")[:limit])
    near = Q(path__startswith=sender.path, depth=sender.depth + 1) | Q(pk__in=[u.pk for u in counterparts_of(sender)])
    return list(allowed.filter(near).order_by("path")[:limit])


# --- filters ------------------------------------------------------------------------------------


def _phases(request: Any) -> QuerySet[Phase]:
    return scoped_phases(request.user) if request is not None else Phase.objects.none()


def _fields(request: Any) -> QuerySet[Field]:
    return scoped_fields(request.user) if request is not None else Field.objects.none()


def _units(request: Any) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.restrict(request.user, "view") if request is not None else OrgUnit.objects.none()


class RecordFilterSet(django_filters.FilterSet):
    """Phase, field, a unit's subtree and text without diacritics."""

    phase = django_filters.ModelChoiceFilter(
        queryset=_phases, label=_("Giai đoạn"), widget=forms.Select(attrs={"class": "form-select form-select-sm"})
    )
    field = django_filters.ModelChoiceFilter(
        queryset=_fields, label=_("Lĩnh vực"), widget=forms.Select(attrs={"class": "form-select form-select-sm"})
    )
    unit = django_filters.ModelChoiceFilter(
        queryset=_units,
        method="filter_unit",
        label=_("Đơn vị (cả cấp dưới)"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    q = django_filters.CharFilter(
        method="filter_q",
        label=_("Tìm (không cần dấu)"),
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "type": "search"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.request.user if self.request is not None else None
        selected = [self.data.get("unit")] if self.data else []
        limit_unit_widget(self.form.fields["unit"], user, "view", [s for s in selected if s], _("— tất cả —"))
        self.form.fields["phase"].empty_label = _("— tất cả —")  # type: ignore[attr-defined]
        self.form.fields["field"].empty_label = _("— tất cả —")  # type: ignore[attr-defined]
        self.form.fields["phase"].label_from_instance = phase_label  # type: ignore[attr-defined]

    def filter_unit(self, queryset: QuerySet[Any], name: str, value: OrgUnit) -> QuerySet[Any]:
        return queryset.filter(unit__path__startswith=value.path)

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        folded = fold(value)
        return queryset.filter(search_text__contains=folded) if folded else queryset


class PracticeModelFilterSet(RecordFilterSet):
    class Meta:
        model = PracticeModel
        fields: list[str] = []

    def filter_unit(self, queryset: QuerySet[Any], name: str, value: OrgUnit) -> QuerySet[Any]:
        return cast(PracticeModelQuerySet, queryset).in_subtree(value.path)


class LessonFilterSet(RecordFilterSet):
    class Meta:
        model = Lesson
        fields: list[str] = []


class ProposalFilterSet(RecordFilterSet):
    horizon = django_filters.ChoiceFilter(
        choices=ProposalHorizon.choices,
        label=_("Đề xuất cho"),
        empty_label=_("— tất cả —"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    class Meta:
        model = Proposal
        fields: list[str] = []


class FastFilterForm(forms.Form):
    """A filter form whose selects and inputs are written in Python (the same HTML as Django's
    widget templates): ``phoihop.records.widget_html``."""

    default_renderer = FAST_WIDGETS


class ExchangeFilterSet(django_filters.FilterSet):
    phase = django_filters.ModelChoiceFilter(
        queryset=_phases,
        label=_("Giai đoạn"),
        empty_label=_("— tất cả —"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    kind = django_filters.ChoiceFilter(
        choices=ExchangeKind.choices,
        label=_("Loại"),
        empty_label=_("— tất cả —"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    q = django_filters.CharFilter(
        method="filter_q",
        label=_("Tìm (không cần dấu)"),
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "type": "search"}),
    )
    # The inbox's group (phoihop/inbox/selectors.py): received by the user's units, read by nobody there.
    unread = django_filters.BooleanFilter(method="filter_unread", widget=forms.HiddenInput)

    class Meta:
        model = Exchange
        fields: list[str] = []
        form = FastFilterForm

    def filter_unread(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if not value:
            return queryset
        from phoihop.inbox.selectors import exchanges_unread

        return queryset.filter(pk__in=exchanges_unread(getattr(self.request, "user", None)).values("pk"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.form.fields["phase"].label_from_instance = phase_label  # type: ignore[attr-defined]

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        folded = fold(value)
        return queryset.filter(search_text__contains=folded) if folded else queryset
