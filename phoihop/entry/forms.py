"""Forms of the data-entry pages: which unit, phase and period; the report-like table of values;
the manual lock; reopening a lock; and the filters of the lock list."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.core.fast_input import FastTextInput
from phoihop.core.fast_select import FastSelect
from phoihop.core.formats import vn_date
from phoihop.core.gate import INTEGRITY, STRUCTURE
from phoihop.core.permissions import perms
from phoihop.core.scoping import ACTION_ROLES, path_prefixes
from phoihop.core.statements import attnames, instance
from phoihop.core.statements import user_rows as kept_rows
from phoihop.core.text import fold
from phoihop.entry.models import EntryLock, IndicatorValue
from phoihop.figures.periods import PERIOD_KIND_CHOICES, Period, PeriodKind, decree09_period, period_containing
from phoihop.figures.plausibility import CONFIRM_FIELD, CONFIRM_LABEL
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Indicator, Phase, PhaseStatus, Programme
from phoihop.programmes.selectors import covers, party_roots

# How many periods of each kind a year has (the kinds not listed have one).
PERIODS_PER_YEAR = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 4, PeriodKind.HALF: 2}
YEAR_MIN, YEAR_MAX = 2000, 2100
# A select of units lists the unit's neighbourhood, not a whole scope of thousands of units: at
# most 200 options with the blank one a form may put first.
MAX_UNIT_OPTIONS = 199
MAX_SEARCH_RESULTS = 50


_vn = vn_date


def number_choices(kind: str) -> list[tuple[int, str]]:
    """The periods of one kind in a year, as choices of the "number" field."""
    if kind == PeriodKind.MONTH:
        return [(m, _("Tháng %(m)d") % {"m": m}) for m in range(1, 13)]
    if kind == PeriodKind.QUARTER:
        return [(q, _("Quý %(q)s") % {"q": roman}) for q, roman in enumerate(("I", "II", "III", "IV"), start=1)]
    if kind == PeriodKind.HALF:
        return [(1, _("6 tháng đầu năm")), (2, _("6 tháng cuối năm"))]
    return [(1, _("Cả kỳ"))]


def period_number(period: Period) -> int:
    """The number of a Decree 09 period within its year (the inverse of ``decree09_period``)."""
    if period.kind == PeriodKind.MONTH:
        return period.end.month
    if period.kind == PeriodKind.QUARTER:
        return period.end.month // 3
    if period.kind == PeriodKind.HALF:
        return 1 if period.end.month == 6 else 2
    return 1


def period_params(period: Period) -> dict[str, Any]:
    """The query-string values that select ``period`` (its kind, year and number)."""
    return {"kind": period.kind, "year": period.end.year, "number": period_number(period)}


def unit_label(unit: Any, base_depth: int = 1) -> str:
    """A unit's name in a select, indented by its depth below ``base_depth``, with its closing
    date if it has closed (``unit``: anything with ``depth``, ``display_name`` and ``valid_to``)."""
    indent = "\u00a0\u00a0" * max(unit.depth - base_depth, 0)
    label = f"{indent}{unit.display_name}"
    if unit.valid_to and unit.valid_to < timezone.localdate():
        label += " " + _("(thôi hoạt động từ %(d)s)") % {"d": _vn(unit.valid_to)}
    return label


@dataclass(frozen=True, slots=True)
class _Near:
    """A unit around the current one, as a select lists it."""

    pk: int
    path: str
    depth: int
    name: str
    short_name: str
    valid_to: date | None

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


def _unit_in(units: QuerySet[OrgUnit], pk: int) -> Callable[[], QuerySet[Any]]:
    """What builds the read of the unit ``pk`` in ``units`` (every column, as values)."""
    return lambda: units.filter(pk=pk).values(*attnames(OrgUnit))


def default_unit(user: Any, units: QuerySet[OrgUnit], action: str, kept_as: str = "") -> OrgUnit | None:
    """The user's own unit for ``action`` (the highest one), or the first root for a system administrator.

    ``kept_as``: a name for ``units`` (the same for every visit of the user that day): the
    statement reading a unit in it is kept (``core.statements``)."""
    scope = perms(user).scope
    roles = ACTION_ROLES[action]
    grants = sorted((g for g in scope.grants if g.role in roles), key=lambda g: (len(g.path), g.path))
    for grant in grants:
        if kept_as:
            found = kept_rows(user, f"{kept_as}:unit:{grant.unit_id}", _unit_in(units, grant.unit_id))
            unit = instance(OrgUnit, found[0]) if found else None
        else:
            unit = units.filter(pk=grant.unit_id).first()
        if unit is not None:
            return unit
    if scope.is_system_admin:
        return units.filter(depth=1).order_by("path").first()
    return None


def unit_options(
    user: Any,
    units: QuerySet[OrgUnit],
    current: OrgUnit | None,
    search: str = "",
    *,
    within: str = "",
    kept_as: str = "",
) -> list[Any]:
    """Choices of a unit select: search results, then the user's units, the current unit's
    ancestors in scope, the current unit and its children. All drawn from ``units`` (the scope).

    ``within``: an action whose subtrees hold all of ``units`` (``restrict(user, "change")`` lies
    in the user's subtrees for "change"): the units around that lie outside them are not asked
    about (``units`` still decides for the others). ``kept_as``: a name for ``units`` (the same
    for every visit of the user that day): the statement asking it is kept (``core.statements``)."""
    may = perms(user)
    scope = may.scope

    fields = ("pk", "path", "depth", "name", "short_name", "valid_to")

    def around_units() -> QuerySet[Any]:
        # The units around, by path (a plain read of the tree's shape), then which of them
        # ``units`` holds, by id: an OR of path ranges inside the gate's own (counterparts
        # included) costs SQLite a scan of every counterpart pair, and so does any id out of the
        # user's subtrees.
        def children(path: str) -> Q:  # treebeard's get_children(): an index range, not a LIKE
            return Q(depth=len(path) // OrgUnit.steplen + 1, path__range=OrgUnit._get_children_path_interval(path))

        near = Q(pk__in=[g.unit_id for g in scope.grants])
        for grant in scope.grants:
            near |= children(grant.path)
        if scope.is_system_admin:
            near |= Q(depth__lte=2)
        if current is not None:
            near |= Q(path__in=path_prefixes(current.path, OrgUnit.steplen))
            near |= children(current.path)
        return OrgUnit.objects.unrestricted(STRUCTURE).filter(near).order_by("path").values(*fields)

    if kept_as:  # what it compiles to: the user's units (the key's) and the current unit's path
        rows = kept_rows(user, f"around:{current.path if current is not None else ''}", around_units)
    else:
        rows = list(around_units())
    around = [_Near(**row) for row in rows]
    if within:
        reached = may.reaches_all([u.path for u in around], within)
        around = [u for u in around if u.path in reached]
    ids = [u.pk for u in around]
    if not ids:
        held: set[int] = set()
    elif kept_as:
        asked = kept_rows(user, f"{kept_as}:held:{ids}", lambda: units.filter(pk__in=ids).order_by().values("pk"))
        held = {r["pk"] for r in asked}
    else:
        held = set(units.filter(pk__in=ids).order_by().values_list("pk", flat=True))
    listed = [u for u in around if u.pk in held]
    if len(listed) > MAX_UNIT_OPTIONS:
        # Too many around (a system administrator's roots and their children): the current unit,
        # its line and its children, and the user's own units stay; the search finds the others.
        line = set(path_prefixes(current.path, OrgUnit.steplen)) if current is not None else set()
        own = {g.unit_id for g in scope.grants}

        def close(u: _Near) -> bool:
            return u.pk in own or u.path in line or (current is not None and u.path.startswith(current.path))

        listed = sorted(sorted(listed, key=lambda u: not close(u))[:MAX_UNIT_OPTIONS], key=lambda u: u.path)
    base = min((u.depth for u in listed), default=1)
    choices: list[Any] = [(u.pk, unit_label(u, base)) for u in listed]
    folded = fold(search)
    if folded:
        found = units.filter(search_text__contains=folded).only(*fields).order_by("path")[:MAX_SEARCH_RESULTS]
        results = [(u.pk, unit_label(u, u.depth)) for u in found]
        choices = choices[: MAX_UNIT_OPTIONS - len(results)]
        label = _("Kết quả tìm “%(q)s”") % {"q": search} if results else _("Không tìm thấy “%(q)s”") % {"q": search}
        choices = [(label, results), (_("Đơn vị gần đơn vị đang chọn"), choices)]
    return choices


def programme_covers(phase: Phase, unit: OrgUnit, roots: dict[int, list[OrgUnit]] | None = None) -> bool:
    """Whether the phase's programme covers the unit; ``roots`` keeps the programmes' party roots
    already read (a request asks for the same programme several times)."""
    if roots is None:
        return covers(phase.programme_id, unit)
    if phase.programme_id not in roots:
        roots[phase.programme_id] = party_roots(phase.programme_id)
    return covers(phase.programme_id, unit, roots[phase.programme_id])


def default_phase(
    phases: QuerySet[Phase] | list[Phase],
    unit: OrgUnit | None,
    today: date,
    roots: dict[int, list[OrgUnit]] | None = None,
) -> Phase | None:
    """The phase under way today of a programme the unit takes part in (else its latest one)."""
    candidates = phases if isinstance(phases, list) else list(phases.select_related("programme"))
    if unit is not None:
        covered = [p for p in candidates if programme_covers(p, unit, roots)]
        candidates = covered or candidates
    running = [p for p in candidates if p.status == PhaseStatus.ACTIVE and p.start <= today <= p.end]
    running = running or [p for p in candidates if p.start <= today <= p.end]
    if running:
        return running[0]
    return max(candidates, key=lambda p: p.start, default=None)


class KnownUnitField(forms.ModelChoiceField):
    """A unit choice that does not read again the unit the page already read and checked (the
    selection binds that unit only)."""

    known: OrgUnit | None = None

    def to_python(self, value: Any) -> Any:
        if self.known is not None and str(value) == str(self.known.pk):
            return self.known
        return super().to_python(value)


class KnownPhaseField(forms.ModelChoiceField):
    """A phase choice taken from the phases the page already read: all those of its queryset
    (the user's), so a value none of them has is not a choice, as the queryset would answer."""

    known: list[Phase] | None = None

    def to_python(self, value: Any) -> Any:
        if self.known is None or value in self.empty_values:
            return super().to_python(value)
        self.validate_no_null_characters(value)
        try:
            key = int(str(value))
        except ValueError:
            key = None
        found = next((p for p in self.known if p.pk == key), None)
        if found is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return found


class FastNumberInput(FastTextInput, forms.NumberInput):
    """``forms.NumberInput`` (its field adds ``min`` and ``max``), the same HTML, without its two
    templates."""

    input_type = "number"


class SelectionForm(forms.Form):
    """Which unit, phase and period a page shows. Sent by GET, so the address can be shared."""

    unit = KnownUnitField(
        queryset=OrgUnit.objects.none(),
        label=gettext_lazy("Đơn vị"),
        widget=FastSelect(attrs={"class": "form-select"}),  # a province's hundred-odd units
    )
    unit_q = forms.CharField(
        label=gettext_lazy("Tìm đơn vị khác"),
        required=False,
        max_length=100,
        widget=FastTextInput(
            attrs={"class": "form-control", "type": "search", "placeholder": gettext_lazy("Tên, không cần dấu")}
        ),
    )
    phase = KnownPhaseField(
        queryset=Phase.objects.none(),
        label=gettext_lazy("Giai đoạn"),
        widget=FastSelect(attrs={"class": "form-select"}),
    )
    kind = forms.ChoiceField(
        choices=PERIOD_KIND_CHOICES, label=gettext_lazy("Loại kỳ"), widget=FastSelect(attrs={"class": "form-select"})
    )
    year = forms.IntegerField(
        label=gettext_lazy("Năm"),
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        widget=FastNumberInput(attrs={"class": "form-control", "style": "max-width: 7rem"}),
    )
    number = forms.TypedChoiceField(
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 13)],
        label=gettext_lazy("Kỳ"),
        widget=FastSelect(attrs={"class": "form-select"}),
    )

    def __init__(
        self,
        data: Mapping[str, Any],
        *,
        user: Any,
        units: QuerySet[OrgUnit],
        unit: OrgUnit | None,
        phases: QuerySet[Phase] | None,
        phase_list: list[Phase] | None = None,
        roots: dict[int, list[OrgUnit]] | None = None,
        within: str = "",
        kept_as: str = "",
    ) -> None:
        """``unit``: the unit asked for, already read within ``units``; ``phase_list``: ``phases``
        already read (with their programmes), for the phase select's options; ``roots``: the
        programmes' party roots already read; ``within``, ``kept_as``: see ``unit_options``."""
        super().__init__(data)
        self.user = user
        self.roots = roots
        self.phase_list: list[Phase] = phase_list if phase_list is not None else []
        unit_field: Any = self.fields["unit"]
        # The unit asked for is the choice (``unit``, read within ``units``); else the queryset's.
        unit_field.queryset = OrgUnit.objects.none() if unit is not None else units
        unit_field.known = unit
        unit_field.widget.choices = unit_options(
            user, units, unit, str(data.get("unit_q", "")), within=within, kept_as=kept_as
        )
        phase_field: Any = self.fields["phase"]
        # The phases already read are the choices (``phase_list``); else the queryset's.
        phase_field.queryset = Phase.objects.none() if phases is None else phases.select_related("programme")
        phase_field.label_from_instance = lambda p: p.full_label
        if phase_list is not None:
            phase_field.known = phase_list
            empty = [] if phase_field.empty_label is None else [("", phase_field.empty_label)]
            phase_field.widget.choices = [*empty, *((p.pk, p.full_label) for p in phase_list)]
        kind = str(data.get("kind", PeriodKind.HALF))
        number_field: Any = self.fields["number"]
        number_field.widget.choices = number_choices(kind)
        self.period: Period | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, year, number = data.get("kind"), data.get("year"), data.get("number")
        unit, phase = data.get("unit"), data.get("phase")
        if kind is None or year is None or number is None:
            return data
        if number > PERIODS_PER_YEAR.get(kind, 1):
            self.add_error("number", _("Loại kỳ đã chọn không có kỳ số %(n)d trong năm.") % {"n": number})
            return data
        self.period = decree09_period(kind, year, number)
        if phase is not None and not (phase.start <= self.period.end <= phase.end):
            self.add_error(
                "phase",
                _(
                    "Kỳ %(period)s (%(start)s–%(end)s) kết thúc ngoài giai đoạn %(phase)s (%(p_start)s–%(p_end)s); "
                    "số liệu tính vào ngày cuối kỳ, nên hãy chọn giai đoạn chứa ngày đó."
                )
                % {
                    "period": self.period.label,
                    "start": _vn(self.period.start),
                    "end": _vn(self.period.end),
                    "phase": phase.name,
                    "p_start": _vn(phase.start),
                    "p_end": _vn(phase.end),
                },
            )
        if phase is not None and unit is not None and not programme_covers(phase, unit, self.roots):
            self.add_error(
                "phase",
                _("%(unit)s không thuộc các bên của chương trình %(programme)s.")
                % {"unit": unit.display_name, "programme": phase.programme.code},
            )
        return data

    def query(self) -> dict[str, Any]:
        """The query string of this selection (shareable address)."""
        assert self.period is not None
        return {
            "unit": self.cleaned_data["unit"].pk,
            "phase": self.cleaned_data["phase"].pk,
            **period_params(self.period),
        }


class VnIntegerField(forms.IntegerField):
    """A whole number typed the Vietnamese way: "1.234.567" (dots or spaces group thousands)."""

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = value.strip().replace(".", "").replace(" ", "").replace("\u00a0", "")
        return super().to_python(value)


def value_field_name(indicator: Indicator) -> str:
    return f"v_{indicator.pk}"


class EntryForm(forms.Form):
    """One box per indicator, like a line of a paper report; an empty box clears the value."""

    note = forms.CharField(
        label=gettext_lazy("Ghi chú (nguồn số liệu, người báo cáo...)"),
        required=False,
        max_length=500,
        widget=FastTextInput(attrs={"class": "form-control"}),
    )
    # Shown when the service found outliers (phoihop/figures/plausibility.py); its error is the
    # service's own ("confirm_outliers"), which lands here.
    confirm_outliers = forms.BooleanField(
        label=CONFIRM_LABEL, required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )

    def __init__(
        self, data: Mapping[str, Any] | None, *, indicators: Iterable[Indicator], current: Mapping[int, IndicatorValue]
    ) -> None:
        super().__init__(data)
        self.indicators = list(indicators)
        for indicator in self.indicators:
            row = current.get(indicator.pk)
            self.fields[value_field_name(indicator)] = VnIntegerField(
                label=indicator.name,
                required=False,
                min_value=0,
                max_value=10**15,
                initial=row.value if row is not None else None,
                error_messages={
                    "min_value": _("Số liệu không được âm."),
                    "invalid": _("Hãy nhập một số nguyên, ví dụ 1.234."),
                    "max_value": _("Số quá lớn."),
                },
                widget=FastTextInput(  # an input per indicator: no template per input
                    attrs={
                        "class": "form-control form-control-sm text-end",
                        "inputmode": "numeric",
                        "autocomplete": "off",
                        "aria-label": f"{indicator.name} ({indicator.unit_of_measure})",
                    }
                ),
            )
        notes = {row.note for row in current.values() if row.note}
        if len(notes) == 1:
            self.fields["note"].initial = notes.pop()

    def values(self) -> dict[Indicator, int | None]:
        return {ind: self.cleaned_data.get(value_field_name(ind)) for ind in self.indicators}

    @property
    def confirmed(self) -> bool:
        return bool(self.is_bound and self.cleaned_data.get(CONFIRM_FIELD))

    @property
    def asks_confirmation(self) -> bool:
        """Outliers were found (or confirmed): the page shows the checkbox."""
        return bool(self.is_bound and (self.data.get(CONFIRM_FIELD) or self.errors.get(CONFIRM_FIELD)))


@dataclass
class EntryRow:
    """A line of the report: an indicator, its box, and what is known about it."""

    indicator: Indicator
    field: forms.BoundField
    value: IndicatorValue | None
    entered_at: Any
    target: Any
    achieved: int
    overlaps: list[IndicatorValue]


class LockForm(forms.Form):
    """Close entry for a unit's subtree and a period by hand (approvers above the unit)."""

    unit = forms.ModelChoiceField(
        queryset=OrgUnit.objects.none(),
        label=gettext_lazy("Đơn vị (khóa cả các đơn vị cấp dưới)"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    start = forms.DateField(
        label=gettext_lazy("Từ ngày"),
        widget=forms.DateInput(attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=gettext_lazy("Đến ngày"),
        help_text=gettext_lazy("Chỉ khóa được kỳ đã kết thúc (trước hôm nay)."),
        widget=forms.DateInput(attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d"),
    )
    programme = forms.ModelChoiceField(
        queryset=Programme.objects.none(),
        required=False,
        label=gettext_lazy("Chương trình"),
        empty_label=gettext_lazy("Mọi chương trình"),
        help_text=gettext_lazy("Khóa số liệu và hoạt động của chương trình này; để trống: của mọi chương trình."),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    reason = forms.CharField(
        label=gettext_lazy("Căn cứ khóa"),
        max_length=500,
        widget=forms.TextInput(
            attrs={"class": "form-control", "placeholder": gettext_lazy("Ví dụ: Báo cáo 6 tháng đầu năm đã duyệt")}
        ),
    )

    def __init__(
        self, data: Mapping[str, Any] | None, *, user: Any, units: QuerySet[OrgUnit], initial_unit: OrgUnit | None
    ) -> None:
        today = timezone.localdate()
        period = period_containing(PeriodKind.HALF, today)
        if period.end >= today:  # only a period that has ended may be locked: offer the last one
            period = period_containing(PeriodKind.HALF, period.start - timedelta(days=1))
        initial = {"start": period.start, "end": period.end, "unit": initial_unit.pk if initial_unit else None}
        super().__init__(data, initial=initial)
        unit_field: Any = self.fields["unit"]
        unit_field.queryset = units
        choices = unit_options(user, units, initial_unit, within="approve")  # strictly below an approver's units
        unit_field.widget.choices = [("", _("— chọn đơn vị —")), *choices]
        programme_field: Any = self.fields["programme"]
        programme_field.queryset = Programme.objects.restrict(user, "view").order_by("code")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end, unit = data.get("start"), data.get("end"), data.get("unit")
        programme = data.get("programme")
        if start and end and end < start:
            self.add_error("end", _("Ngày kết thúc không được trước ngày bắt đầu."))
        elif start and end and unit is not None:
            # A lock of every programme overlaps any lock; a programme's, those holding for it.
            same_locks = EntryLock.objects.unrestricted(INTEGRITY).active().overlapping(start, end).filter(unit=unit)
            if programme is not None:
                same_locks = same_locks.for_programme(programme.pk)
            same = same_locks.first()

            if same is not None:
                self.add_error(
                    None,
                    _("%(unit)s đã có khóa đang hiệu lực từ %(start)s đến %(end)s, trùng với khoảng này.")
                    % {"unit": unit.display_name, "start": _vn(same.start), "end": _vn(same.end)},
                )
        return data


class ReopenForm(forms.Form):
    reopen_reason = forms.CharField(
        label=gettext_lazy("Lý do mở khóa"),
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        help_text=gettext_lazy("Bắt buộc. Lý do được lưu vào lịch sử cùng người mở khóa và thời điểm."),
    )


class LockStatus:
    ACTIVE = "active"
    REOPENED = "reopened"


class EntryLockFilterSet(django_filters.FilterSet):
    """Filters of the lock list: a unit's subtree (code or number) and the status."""

    unit = django_filters.CharFilter(method="filter_unit", label=gettext_lazy("Đơn vị (mã), cả cấp dưới"))
    status = django_filters.ChoiceFilter(
        method="filter_status",
        label=gettext_lazy("Trạng thái"),
        choices=[(LockStatus.ACTIVE, gettext_lazy("Đang khóa")), (LockStatus.REOPENED, gettext_lazy("Đã mở lại"))],
        empty_label=gettext_lazy("Tất cả"),
    )

    class Meta:
        model = EntryLock
        fields: list[str] = []

    def filter_unit(self, queryset: QuerySet[EntryLock], name: str, value: str) -> QuerySet[EntryLock]:
        unit = find_unit(self.request.user if self.request else None, value)
        if unit is None:
            return queryset.none()
        return queryset.filter(unit__path__startswith=unit.path)

    def filter_status(self, queryset: QuerySet[EntryLock], name: str, value: str) -> QuerySet[EntryLock]:
        return queryset.filter(reopened_at__isnull=value == LockStatus.ACTIVE)


def find_unit(user: Any, value: str) -> OrgUnit | None:
    """A unit the user may see, by code or number; None for anything else (never says which)."""
    value = (value or "").strip()
    if not value:
        return None
    lookup = Q(code=value)
    if value.isdigit():
        lookup |= Q(pk=int(value))
    return OrgUnit.objects.restrict(user, "view").filter(lookup).first()
