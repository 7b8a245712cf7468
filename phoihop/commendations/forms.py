"""Forms of the commendation pages: a nomination (new, edit), the holder's decision, a reason,
a dossier file. Every write still goes through the services, which check scope and the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.activities.autocomplete import ActivityPicker
from phoihop.activities.models import Activity
from phoihop.conferences.models import Conference
from phoihop.core.forms import IdsChoiceField, VersionedForm
from phoihop.core.permissions import perms
from phoihop.core.widgets import use_widget
from phoihop.orgunits.models import OrgUnit, Person, Rank
from phoihop.orgunits.pickers import PersonPicker, UnitChoiceField, UnitPicker
from phoihop.programmes.models import Phase
from phoihop.reporting.models import SigningCapacity

from .models import AwardKind, AwardType, Decision, DossierKind, Nomination

TEXTAREA = {"rows": 4}


def award_label(award: AwardType) -> str:
    """ "Bằng khen của Bộ trưởng Bộ Quốc phòng — Trung ương, Quân đội nhân dân Việt Nam"."""
    return f"{award.name} — {award.awarding_level.name}, {award.awarding_organisation}"


def award_choices(user: Any) -> list[tuple[Any, Any]]:
    """The catalogue in two groups, forms then titles (DOMAIN.md keeps them apart)."""
    rows = (
        AwardType.objects.restrict(user)  # type: ignore[attr-defined]
        .filter(is_active=True)
        .select_related("awarding_level", "awarding_organisation")
    )
    forms_ = [(a.pk, award_label(a)) for a in rows if a.kind == AwardKind.FORM]
    titles = [(a.pk, award_label(a)) for a in rows if a.kind == AwardKind.TITLE]
    return [("", "---------"), (_("Hình thức khen thưởng"), forms_), (_("Danh hiệu thi đua"), titles)]


def bootstrap(form: forms.BaseForm) -> None:
    """Bootstrap classes on every widget."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.RadioSelect):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = f"{css} {widget.attrs.get('class', '')}".strip()


class NominationCreateForm(forms.Form):
    proposing_unit = UnitChoiceField(
        label=_("Đơn vị đề nghị"),
        queryset=OrgUnit.objects.none(),
        widget=UnitPicker(action="change"),
        error_messages={"invalid_choice": _("Bạn không được lập đề nghị khen thưởng cho đơn vị này.")},
        help_text=_("Đơn vị bạn được lập đề nghị (thường là đơn vị của bạn). Gõ tên để tìm, không cần dấu."),
    )
    nominee_kind = forms.ChoiceField(
        label=_("Đề nghị khen thưởng cho"),
        choices=[("individual", _("Cá nhân")), ("collective", _("Tập thể"))],
        widget=forms.RadioSelect,
        initial="individual",
    )
    person = forms.ModelChoiceField(
        label=_("Cá nhân"),
        queryset=Person.objects.none(),
        required=False,
        widget=PersonPicker(action="change"),
        help_text=_("Gõ họ tên để tìm, không cần dấu. Cấp bậc, chức vụ hiện tại của người này được ghi vào đề nghị."),
    )
    nominee_unit = UnitChoiceField(
        label=_("Tập thể"),
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=UnitPicker(action="view"),
        error_messages={"invalid_choice": _("Không tìm thấy đơn vị này trong phạm vi của bạn.")},
        help_text=_("Một đơn vị thuộc đơn vị đề nghị (có thể là chính đơn vị đề nghị). Gõ tên để tìm, không cần dấu."),
    )
    award = forms.TypedChoiceField(label=_("Hình thức khen thưởng, danh hiệu thi đua"), coerce=int)
    phase = forms.ModelChoiceField(label=_("Giai đoạn"), queryset=Phase.objects.none())
    year = forms.IntegerField(label=_("Năm xét"), min_value=1945, max_value=2100)
    summary = forms.CharField(label=_("Tóm tắt thành tích"), widget=forms.Textarea(attrs=TEXTAREA), required=False)
    activities = IdsChoiceField(
        label=_("Hoạt động minh chứng"),
        queryset=Activity.objects.none(),
        required=False,
        widget=ActivityPicker(multiple=True, forward={"phase": "phase"}),
        help_text=_("Gõ tên hoạt động để tìm (không cần dấu); chọn được nhiều hoạt động của giai đoạn đã chọn."),
    )
    submission_text = forms.CharField(label=_("Tờ trình"), widget=forms.Textarea(attrs=TEXTAREA), required=False)
    council_minutes = forms.CharField(
        label=_("Biên bản họp hội đồng thi đua, khen thưởng"), widget=forms.Textarea(attrs=TEXTAREA), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        scope = perms(user).scope
        may_propose = OrgUnit.objects.restrict(user, "change")
        self.fields["proposing_unit"].queryset = may_propose  # type: ignore[attr-defined]
        self.fields["nominee_unit"].queryset = OrgUnit.objects.restrict(user, "view")  # type: ignore[attr-defined]
        own = may_propose.filter(pk__in=scope.unit_ids("change")).order_by("path").first()
        if own is not None and not self.is_bound:
            self.initial.setdefault("proposing_unit", own.pk)
        self.initial.setdefault("year", timezone.localdate().year)
        self.fields["person"].queryset = (  # type: ignore[attr-defined]
            Person.objects.restrict(user, "change").filter(unit__isnull=False).select_related("unit")  # type: ignore[attr-defined]
        )
        self.fields["award"].choices = award_choices(user)  # type: ignore[attr-defined]
        phases = Phase.objects.restrict(user, "view").select_related("programme")  # type: ignore[attr-defined]
        self.fields["phase"].queryset = phases  # type: ignore[attr-defined]
        today = timezone.localdate()
        current = phases.filter(start__lte=today, end__gte=today).order_by("-start").first()
        if current is not None:
            self.initial.setdefault("phase", current.pk)
        self.fields["activities"].queryset = Activity.objects.restrict(user, "view")  # type: ignore[attr-defined]
        bootstrap(self)

    def clean_award(self) -> AwardType:
        return AwardType.objects.get(pk=self.cleaned_data["award"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("nominee_kind") == "collective":
            if not data.get("nominee_unit") and "nominee_unit" not in self.errors:
                self.add_error("nominee_unit", _("Hãy ghi mã đơn vị được đề nghị."))
            data["person"] = None
        else:
            if not data.get("person") and "person" not in self.errors:
                self.add_error("person", _("Hãy chọn người được đề nghị."))
            data["nominee_unit"] = None
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = ["proposing_unit", "person", "nominee_unit", "award", "phase", "year", "summary"]
        names += ["submission_text", "council_minutes"]
        return {name: data[name] for name in names} | {"activities": list(data["activities"])}


class NominationEditForm(VersionedForm):
    year = forms.IntegerField(label=_("Năm xét"), min_value=1945, max_value=2100)
    summary = forms.CharField(label=_("Tóm tắt thành tích"), widget=forms.Textarea(attrs=TEXTAREA), required=False)
    activities = IdsChoiceField(
        label=_("Hoạt động minh chứng"),
        queryset=Activity.objects.none(),
        required=False,
        help_text=_(
            "Các hoạt động của giai đoạn do đơn vị đề nghị hoặc đơn vị trực thuộc chủ trì. "
            "Gõ tên để tìm, không cần dấu."
        ),
    )
    submission_text = forms.CharField(label=_("Tờ trình"), widget=forms.Textarea(attrs=TEXTAREA), required=False)
    achievement_report = forms.CharField(
        label=_("Báo cáo thành tích"),
        widget=forms.Textarea(attrs={"rows": 14, "class": "font-monospace"}),
        required=False,
        help_text=_("Theo mẫu của Nghị định 98/2023/NĐ-CP; có thể tạo lại từ dữ liệu ở trang đề nghị."),
    )
    council_minutes = forms.CharField(
        label=_("Biên bản họp hội đồng thi đua, khen thưởng"), widget=forms.Textarea(attrs=TEXTAREA), required=False
    )

    def __init__(self, *args: Any, user: Any, nomination: Nomination, **kwargs: Any) -> None:
        kwargs["initial"] = {
            "year": nomination.year,
            "summary": nomination.summary,
            "activities": list(nomination.activities.values_list("pk", flat=True)),
            "submission_text": nomination.submission_text,
            "achievement_report": nomination.achievement_report,
            "council_minutes": nomination.council_minutes,
        }
        super().__init__(*args, **kwargs)
        self.carry_version(nomination)
        visible = Activity.objects.restrict(user, "view").filter(phase=nomination.phase)  # type: ignore[attr-defined]
        self.fields["activities"].queryset = visible  # type: ignore[attr-defined]
        use_widget(
            self.fields["activities"],
            ActivityPicker(multiple=True, phase=nomination.phase_id, unit=nomination.proposing_unit_id),
        )
        bootstrap(self)

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["activities"] = list(data["activities"])
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}), required=False
    )


def _rank_choices() -> list[tuple[str, Any]]:
    return [("", "---------"), *Rank.choices]


def _capacity_choices() -> list[tuple[str, Any]]:
    return [("", _("— Theo người ký của cơ quan —")), *[(c.value, c.label) for c in SigningCapacity if c.value]]


class DecideForm(forms.Form):
    decision = forms.ModelChoiceField(
        label=_("Đưa vào quyết định đã có"),
        queryset=Decision.objects.none(),
        required=False,
        empty_label=_("— Ra quyết định mới —"),
    )
    issued_on = forms.DateField(
        label=_("Ngày ký"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    subject = forms.CharField(label=_("Trích yếu"), max_length=500, required=False)
    signer_name = forms.CharField(
        label=_("Người ký"),
        max_length=128,
        required=False,
        help_text=_("Người ký của cơ quan ban hành; để trống cả người ký và chức vụ: người đứng đầu."),
    )
    signer_capacity = forms.ChoiceField(
        label=_("Thẩm quyền ký"),
        choices=_capacity_choices,
        required=False,
        help_text=_("Để trống: lấy theo người ký của cơ quan."),
    )
    signer_collective = forms.CharField(
        label=_("Tập thể hoặc người đứng đầu"),
        max_length=100,
        required=False,
        help_text=_("Sau KT.: chức danh người đứng đầu, ví dụ CHỦ NHIỆM; sau TM.: BAN THƯỜNG VỤ."),
    )
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=255, required=False)
    signer_rank = forms.ChoiceField(label=_("Cấp bậc người ký"), choices=_rank_choices, required=False)
    conference = forms.ModelChoiceField(
        label=_("Công bố tại hội nghị"),
        queryset=Conference.objects.none(),
        required=False,
        help_text=_("Hội nghị sơ kết, tổng kết mà quyết định mới được công bố (nếu có)."),
    )

    def __init__(self, *args: Any, user: Any, nomination: Nomination, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("issued_on", timezone.localdate())
        self.fields["decision"].queryset = Decision.objects.restrict(user, "change").filter(  # type: ignore[attr-defined]
            awarding_unit=nomination.awarding_unit_id
        )
        self.fields["conference"].queryset = (  # type: ignore[attr-defined]
            Conference.objects.restrict(user, "view")  # type: ignore[attr-defined]
            .filter(programme=nomination.phase.programme_id)
            .order_by("-held_on", "-pk")
        )
        bootstrap(self)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        if data.get("decision") is not None:
            return {"decision": data["decision"]}
        names = [
            "issued_on",
            "subject",
            "signer_name",
            "signer_capacity",
            "signer_collective",
            "signer_title",
            "signer_rank",
            "conference",
        ]
        return {name: data[name] for name in names}


class DossierFileForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại giấy tờ"), choices=DossierKind.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    file = forms.FileField(
        label=_("Tệp (PDF, Word, ảnh chụp)"), widget=forms.ClearableFileInput(attrs={"class": "form-control"})
    )
