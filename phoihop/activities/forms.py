"""Forms of joint activities. Every choice they offer is scoped to the user (ARCHITECTURE.md rule 2).

Large scopes (a national approver changes thousands of units) are not rendered as thousands of
options: the unit pickers then offer the user's own units and counterparts, plus a search box
backed by ``orgunits:autocomplete``; validation still runs against the whole scoped queryset.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.activities.models import Activity
from phoihop.core.forms import IdsChoiceField, VersionedForm
from phoihop.core.text import sort_key
from phoihop.figures.plausibility import CONFIRM_FIELD, CONFIRM_LABEL, PlausibilityError
from phoihop.orgunits.counterparts import counterparts, counterparts_of
from phoihop.orgunits.models import AdminArea, AdminAreaKind, OrgUnit
from phoihop.orgunits.selectors import own_units
from phoihop.programmes.models import Field, Indicator, Phase, PhaseStatus

# Numbers are typed on a phone's numeric keypad.
NUMERIC = {"inputmode": "numeric", "pattern": "[0-9]*"}
# Above this many choices a unit picker offers suggestions and a search box instead of a list.
LARGE_SCOPE = 200
COMMUNE_KINDS = (AdminAreaKind.COMMUNE, AdminAreaKind.WARD, AdminAreaKind.SPECIAL_ZONE)
PROVINCE_KINDS = (AdminAreaKind.CITY, AdminAreaKind.PROVINCE)
VALUE_PREFIX = "value_"


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class UnitMultipleChoiceField(IdsChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class PhaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_label)


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


# --- communes of the state list ------------------------------------------------------------


def communes() -> Any:
    """Communes, wards and special zones of today's state list."""
    return AdminArea.objects.active_on(timezone.localdate()).filter(kind__in=COMMUNE_KINDS)


def provinces() -> list[AdminArea]:
    today = timezone.localdate()
    rows = AdminArea.objects.active_on(today).filter(kind__in=PROVINCE_KINDS).only("pk", "name", "short_name")
    return sorted(rows, key=lambda a: sort_key(a.short_name or a.name))


def province_of(area: AdminArea | None) -> AdminArea | None:
    if area is None:
        return None
    if area.kind in PROVINCE_KINDS:
        return area
    return area.parent


def communes_of(province: AdminArea | None) -> list[AdminArea]:
    if province is None:
        return []
    rows = communes().filter(parent=province).only("pk", "name", "kind")
    return sorted(rows, key=lambda a: sort_key(a.name))


@dataclass
class AreaChoices:
    """What the two-step area picker shows: the province, then its communes."""

    provinces: list[AdminArea]
    province: AdminArea | None
    communes: list[AdminArea]
    selected_id: int | None


def area_choices(*, area: AdminArea | None, province: AdminArea | None = None) -> AreaChoices:
    province = province or province_of(area)
    selected = area.pk if area is not None and province is not None and area.parent_id == province.pk else None
    return AreaChoices(provinces(), province, communes_of(province), selected)


# --- the activity form ---------------------------------------------------------------------


@dataclass
class IndicatorGroup:
    """The indicators of one field of a phase, as one block of the paper form."""

    field: Field
    rows: list[tuple[Indicator, forms.BoundField]] = dataclasses.field(default_factory=list)


@dataclass
class PhaseBlock:
    phase: Phase
    groups: list[IndicatorGroup] = dataclasses.field(default_factory=list)


def _today() -> date:
    return timezone.localdate()


def _own_units(user: Any, action: str) -> list[OrgUnit]:
    """The units the user holds a role on for ``action`` (the top of their scope), open today."""
    return list(own_units(user, action).active_on(_today()))


def default_lead(user: Any) -> OrgUnit | None:
    assignment = user.primary_assignment() if hasattr(user, "primary_assignment") else None
    if assignment is not None and OrgUnit.objects.restrict(user, "change").filter(pk=assignment.unit_id).exists():
        return assignment.unit
    own = _own_units(user, "change")
    return own[0] if own else None


class ActivityForm(VersionedForm):
    """A joint activity, laid out like the paper form: what, where, who, and its figures."""

    phase = PhaseChoiceField(
        queryset=Phase.objects.none(), label=_("Giai đoạn"), widget=forms.Select(attrs={"class": "form-select"})
    )
    title = forms.CharField(
        label=_("Tên hoạt động"), max_length=500, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    start_date = forms.DateField(
        label=_("Từ ngày"), widget=forms.DateInput(attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d")
    )
    end_date = forms.DateField(
        label=_("Đến ngày"),
        help_text=_(
            "Số liệu của hoạt động được tính vào ngày này. Hoạt động chưa diễn ra được lưu là kế hoạch, "
            "gửi được từ ngày này."
        ),
        widget=forms.DateInput(attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d"),
    )
    area = AreaChoiceField(
        queryset=AdminArea.objects.none(),
        required=False,
        label=_("Địa bàn (xã, phường, đặc khu)"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    place = forms.CharField(
        label=_("Địa điểm cụ thể"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    lead_unit = UnitChoiceField(
        queryset=OrgUnit.objects.none(),
        label=_("Đơn vị chủ trì"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    partners = UnitMultipleChoiceField(queryset=OrgUnit.objects.none(), required=False, label=_("Đơn vị phối hợp"))
    participants_lead = forms.IntegerField(
        label=_("Số người tham gia bên chủ trì"),
        min_value=0,
        max_value=10_000_000,
        initial=0,
        widget=forms.NumberInput(attrs={"class": "form-control", "min": 0, **NUMERIC}),
    )
    participants_partner = forms.IntegerField(
        label=_("Số người tham gia bên phối hợp"),
        help_text=_("Có người tham gia bên phối hợp thì phải chọn đơn vị phối hợp."),
        min_value=0,
        max_value=10_000_000,
        initial=0,
        widget=forms.NumberInput(attrs={"class": "form-control", "min": 0, **NUMERIC}),
    )
    description = forms.CharField(
        label=_("Nội dung, kết quả"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 5}),
    )
    # Shown only when the service has found outliers (phoihop/figures/plausibility.py).
    confirm_outliers = forms.BooleanField(
        label=CONFIRM_LABEL, required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )

    def __init__(self, data: Any = None, *, user: Any, activity: Activity | None = None) -> None:
        super().__init__(data)
        self.user = user
        self.activity = activity
        today = _today()
        self._setup_phase(activity)
        self._setup_units(activity, today)
        self.fields["area"].queryset = communes()  # type: ignore[attr-defined]
        if activity is not None:
            self.carry_version(activity)
            self.initial.update(
                {
                    "title": activity.title,
                    "start_date": activity.start_date,
                    "end_date": activity.end_date,
                    "area": activity.area_id,
                    "place": activity.place,
                    "lead_unit": activity.lead_unit_id,
                    "partners": [u.pk for u in activity.partners.all()],
                    "participants_lead": activity.participants_lead,
                    "participants_partner": activity.participants_partner,
                    "description": activity.description,
                }
            )
        else:
            lead = default_lead(user)
            self.initial.update(
                {
                    "start_date": today,
                    "end_date": today,
                    "lead_unit": lead.pk if lead else None,
                    "area": lead.area_id if lead and lead.area and lead.area.kind in COMMUNE_KINDS else None,
                }
            )
        self._setup_values(activity)

    def stale_values(self, current: Activity) -> dict[str, Any]:
        """The indicator values as now stored, for the differences shown after a stale save."""
        stored = dict(current.values.values_list("indicator_id", "value"))
        return {f"{VALUE_PREFIX}{pk}": stored.get(pk) for pk in self.indicator_fields}

    # -- set-up ----------------------------------------------------------------------------

    def _setup_phase(self, activity: Activity | None) -> None:
        field_ = self.fields["phase"]
        if activity is not None:
            # An activity stays in its phase: its figures were counted against that phase.
            field_.queryset = (  # type: ignore[attr-defined]
                Phase.objects.restrict(self.user, "view").filter(pk=activity.phase_id).select_related("programme")
            )
            field_.disabled = True
            self.initial["phase"] = activity.phase_id
            return
        phases = (
            Phase.objects.restrict(self.user, "view")
            .filter(status=PhaseStatus.ACTIVE)
            .select_related("programme")
            .order_by("programme__code", "start")
        )
        field_.queryset = phases  # type: ignore[attr-defined]
        first = phases.first()
        if first is not None:
            self.initial["phase"] = first.pk

    def _setup_units(self, activity: Activity | None, today: date) -> None:
        leads = OrgUnit.objects.restrict(self.user, "change").active_on(today)
        partners = OrgUnit.objects.restrict(self.user, "view").active_on(today)
        if activity is not None:
            # An older activity keeps its units even when they have closed since.
            named = OrgUnit.objects.unrestricted("the units an activity the user may change already names")
            leads = leads | named.filter(pk=activity.lead_unit_id)
            partners = partners | named.filter(pk__in=activity.partner_links.values("unit"))
        self.fields["lead_unit"].queryset = leads  # type: ignore[attr-defined]
        self.fields["partners"].queryset = partners  # type: ignore[attr-defined]
        self.lead_count = leads.count()
        self.lead_search = self.lead_count > LARGE_SCOPE

    def _setup_values(self, activity: Activity | None) -> None:
        self.blocks: list[PhaseBlock] = []
        self.indicator_fields: dict[int, tuple[Phase, Indicator]] = {}
        existing: dict[int, int] = {}
        if activity is not None:
            existing = dict(activity.values.values_list("indicator_id", "value"))
        phases = list(self.fields["phase"].queryset)  # type: ignore[attr-defined]
        for phase in phases:
            indicators = [
                i
                for i in Indicator.objects.restrict(self.user, "view")
                .filter(programme_id=phase.programme_id)
                .select_related("field")
                if i.applies_to(phase)
            ]
            block = PhaseBlock(phase)
            groups: dict[int, IndicatorGroup] = {}
            for indicator in sorted(indicators, key=lambda i: (i.field.order, i.field.code, i.order, i.code)):
                name = f"{VALUE_PREFIX}{indicator.pk}"
                if name not in self.fields:
                    self.fields[name] = forms.IntegerField(
                        label=indicator.name,
                        required=False,
                        min_value=0,
                        max_value=10**12,
                        widget=forms.NumberInput(attrs={"class": "form-control text-end", "min": 0, **NUMERIC}),
                    )
                    if indicator.pk in existing:
                        self.initial[name] = existing[indicator.pk]
                    self.indicator_fields[indicator.pk] = (phase, indicator)
                group = groups.setdefault(indicator.field_id, IndicatorGroup(indicator.field))
                group.rows.append((indicator, self[name]))
            block.groups = list(groups.values())
            self.blocks.append(block)

    # -- what the template renders -----------------------------------------------------------

    def _value_of(self, name: str) -> Any:
        if self.is_bound:
            field_ = self.fields[name]
            if isinstance(field_, forms.ModelMultipleChoiceField):
                return self.data.getlist(name) if hasattr(self.data, "getlist") else self.data.get(name, [])
            return self.data.get(name)
        return self.initial.get(name)

    def selected_lead(self) -> OrgUnit | None:
        value = self._value_of("lead_unit")
        if not value:
            return None
        try:
            return self.fields["lead_unit"].queryset.filter(pk=int(value)).first()  # type: ignore[attr-defined]
        except (TypeError, ValueError):
            return None

    def lead_options(self) -> list[OrgUnit]:
        """The lead choices rendered in the select: all of them, or in a large scope the user's
        own units, their direct children and the current choice."""
        qs = self.fields["lead_unit"].queryset  # type: ignore[attr-defined]
        if not self.lead_search:
            return list(qs.only("pk", "name", "short_name", "path", "depth"))
        own = _own_units(self.user, "change")
        q = Q(pk__in=[u.pk for u in own])
        for unit in own:
            q |= Q(path__startswith=unit.path, depth=unit.depth + 1)
        options = list(qs.filter(q).only("pk", "name", "short_name", "path", "depth")[:LARGE_SCOPE])
        lead = self.selected_lead()
        if lead is not None and lead.pk not in {u.pk for u in options}:
            options.insert(0, lead)
        return options

    def selected_partner_ids(self) -> set[int]:
        raw = self._value_of("partners") or []
        ids = set()
        for value in raw:
            try:
                ids.add(int(value))
            except (TypeError, ValueError):
                continue
        return ids

    def partner_options(self) -> list[tuple[OrgUnit, bool]]:
        """Checkboxes: the lead's counterparts first, then partners already chosen."""
        chosen = self.selected_partner_ids()
        lead = self.selected_lead()
        suggested = counterparts_of(lead) if lead is not None else []
        qs = self.fields["partners"].queryset  # type: ignore[attr-defined]
        visible = set(qs.filter(pk__in=[u.pk for u in suggested]).values_list("pk", flat=True))
        if self.preselects_counterparts:
            # A new activity: the lead's counterparts are ticked (the help text promises it).
            chosen = chosen | visible
        options: list[tuple[OrgUnit, bool]] = [(u, u.pk in chosen) for u in suggested if u.pk in visible]
        shown = {u.pk for u, _checked in options}
        for unit in qs.filter(pk__in=chosen - shown):
            options.append((unit, True))
        return options

    @property
    def preselects_counterparts(self) -> bool:
        return self.activity is None and not self.is_bound

    def counterparts_map(self) -> dict[str, list[list[Any]]]:
        """For the page script: each lead option's counterparts, to suggest as partners."""
        leads = self.lead_options()
        pairs = counterparts(leads)
        qs = self.fields["partners"].queryset  # type: ignore[attr-defined]
        all_ids = {u.pk for units in pairs.values() for u in units}
        visible = set(qs.filter(pk__in=all_ids).values_list("pk", flat=True))
        return {
            str(lead_id): [[u.pk, u.display_name] for u in units if u.pk in visible] for lead_id, units in pairs.items()
        }

    def lead_choices(self) -> list[tuple[OrgUnit, str, bool]]:
        """(unit, label indented by level, selected) for the lead select."""
        options = self.lead_options()
        lead = self.selected_lead()
        top = min((u.depth for u in options), default=0)
        return [(u, "\u2003" * (u.depth - top) + u.display_name, lead is not None and u.pk == lead.pk) for u in options]

    def area_widget(self) -> AreaChoices:
        area: AdminArea | None = None
        value = self._value_of("area")
        if value:
            try:
                area = communes().select_related("parent").filter(pk=int(value)).first()
            except (TypeError, ValueError):
                area = None
        if area is None:
            lead = self.selected_lead()
            if lead is not None and lead.area_id:
                return area_choices(area=None, province=province_of(lead.area))
        return area_choices(area=area)

    # -- validation ------------------------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Ngày kết thúc không được trước ngày bắt đầu."))
        phase = cleaned.get("phase")
        self.values: dict[Indicator, int | None] = {}
        for indicator_id, (indicator_phase, indicator) in self.indicator_fields.items():
            amount = cleaned.get(f"{VALUE_PREFIX}{indicator_id}")
            if phase is not None and indicator_phase.pk == phase.pk:
                self.values[indicator] = amount
            elif amount is not None:
                self.add_error(
                    f"{VALUE_PREFIX}{indicator_id}",
                    _("Chỉ tiêu này không thuộc giai đoạn đã chọn."),
                )
        return cleaned

    def activity_data(self) -> dict[str, Any]:
        """The editable fields, as ``activity_update`` takes them."""
        keys = (
            "title",
            "start_date",
            "end_date",
            "area",
            "place",
            "lead_unit",
            "participants_lead",
            "participants_partner",
            "description",
        )
        return {k: self.cleaned_data[k] for k in keys}

    @property
    def confirmed(self) -> bool:
        return bool(self.is_bound and self.cleaned_data.get(CONFIRM_FIELD))

    @property
    def asks_confirmation(self) -> bool:
        """Outliers were found: the page shows the warning and the checkbox."""
        if getattr(self, "_confirming", False):
            return True
        return bool(self.is_bound and (self.data.get(CONFIRM_FIELD) or self.errors.get(CONFIRM_FIELD)))

    def plausibility_errors(self, error: PlausibilityError) -> ValidationError:
        """The service's findings keyed by this form's inputs: an indicator's value or a
        participants field; the checkbox when outliers ask for a confirmation."""
        errors: dict[str, list[str]] = {}
        for finding in error.findings:
            name = finding.field
            if finding.indicator is not None:
                name = f"{VALUE_PREFIX}{finding.indicator.pk}"
            errors.setdefault(name if name in self.fields else NON_FIELD_ERRORS, []).append(finding.message)
        if error.needs_confirmation:
            self._confirming = True
            errors[CONFIRM_FIELD] = [m for e in error.error_dict[CONFIRM_FIELD] for m in e.messages]
        return ValidationError(errors)


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do trả lại"),
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp đính kèm"),
        help_text=_("Ảnh (JPEG, PNG, WebP), PDF, Word hoặc Excel; loại tệp được kiểm tra theo nội dung."),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ".jpg,.jpeg,.png,.webp,.pdf,.doc,.docx,.xlsx"}
        ),
    )
