"""The dashboard: a unit's figures for a period, in either view of the tree."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.figures import board_rows, dashboard
from phoihop.figures.dashboard import PERIOD_PHASE, Choice
from phoihop.figures.periods import Period, PeriodKind, out_of_bounds, period_containing
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Indicator, Phase, Programme

# The longest custom range: a monthly chart of more than this many years says nothing more.
MAX_CUSTOM_YEARS = 30

VIEW_CHOICES = [("today", gettext_lazy("Cây hiện hành")), ("historical", gettext_lazy("Theo đơn vị thời đó"))]
FIGURES_CHOICES = [("submitted", gettext_lazy("Đã gửi")), ("approved", gettext_lazy("Đã duyệt"))]
PERIOD_CHOICES = [
    (PERIOD_PHASE, gettext_lazy("Giai đoạn")),
    (PeriodKind.YEAR, gettext_lazy("Năm")),
    (PeriodKind.HALF, gettext_lazy("6 tháng")),
    (PeriodKind.CUSTOM, gettext_lazy("Khoảng thời gian")),
]
HALF_CHOICES = [("1", gettext_lazy("6 tháng đầu năm")), ("2", gettext_lazy("6 tháng cuối năm"))]
# No choice error echoes the value asked for: it may name something the user may not see.
NOT_OFFERED = {"invalid_choice": gettext_lazy("Lựa chọn này không có; đang hiển thị mặc định.")}


class DatePicker(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d", attrs={"class": "form-control form-control-sm"})


def _select(choices: Any, label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=False,
        error_messages=NOT_OFFERED,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )


class DashboardForm(forms.Form):
    """The picker: programme, period, view of the tree, figures, indicators (GET parameters)."""

    programme = _select([], gettext_lazy("Chương trình"))
    period = _select(PERIOD_CHOICES, gettext_lazy("Kỳ"))
    phase = _select([], gettext_lazy("Giai đoạn"))
    year = _select([], gettext_lazy("Năm"))
    half = _select(HALF_CHOICES, gettext_lazy("6 tháng"))
    start = forms.DateField(label=gettext_lazy("Từ ngày"), required=False, widget=DatePicker())
    end = forms.DateField(label=gettext_lazy("Đến ngày"), required=False, widget=DatePicker())
    view = _select(VIEW_CHOICES, gettext_lazy("Cây đơn vị"))
    figures = _select(FIGURES_CHOICES, gettext_lazy("Số liệu"))
    indicator = _select([], gettext_lazy("Chỉ tiêu"))
    trend = forms.MultipleChoiceField(
        label=gettext_lazy("Chỉ tiêu trên biểu đồ"),
        required=False,
        error_messages=NOT_OFFERED,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        data: QueryDict,
        *,
        programmes: list[Programme],
        phases: list[Phase],
        years: list[int],
        indicators: list[Indicator],
    ) -> None:
        super().__init__(data)
        fields = self.fields
        fields["programme"].choices = [(p.code, p.title) for p in programmes]  # type: ignore[attr-defined]
        fields["phase"].choices = [(p.code, p.name) for p in phases]  # type: ignore[attr-defined]
        fields["year"].choices = [(str(y), str(y)) for y in reversed(years)]  # type: ignore[attr-defined]
        fields["indicator"].choices = [(i.code, i.name) for i in indicators]  # type: ignore[attr-defined]
        fields["trend"].choices = [(i.code, i.name) for i in indicators]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("period") == PeriodKind.CUSTOM:
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                self.add_error("start", _("Hãy chọn cả ngày bắt đầu và ngày kết thúc."))
            elif end < start:
                self.add_error("end", _("Ngày kết thúc không được trước ngày bắt đầu."))
            elif out_of_bounds(start, end):
                self.add_error("end", _("Chỉ nhận ngày từ 1/1/1900 đến 31/12/2100."))
            elif (end - start).days > 366 * MAX_CUSTOM_YEARS:
                self.add_error("end", _("Khoảng thời gian dài nhất là %(n)d năm.") % {"n": MAX_CUSTOM_YEARS})
        return data


def _defaults(programme: Programme, phases: list[Phase], indicators: list[Indicator], today: date) -> dict[str, Any]:
    phase = dashboard.default_phase(phases, today)
    year = period_containing(PeriodKind.YEAR, today)
    half = period_containing(PeriodKind.HALF, today)
    first = indicators[0].code if indicators else ""
    return {
        "programme": programme.code,
        "period": PERIOD_PHASE if phase else PeriodKind.YEAR,
        "phase": phase.code if phase else "",
        "year": str(year.end.year),
        "half": "1" if half.end.month == 6 else "2",
        "start": (phase.start if phase else year.start).isoformat(),
        "end": (phase.end if phase else year.end).isoformat(),
        "view": "today",
        "figures": "submitted",
        "indicator": first,
        "trend": [first] if first else [],
    }


def _effective(form: DashboardForm, defaults: dict[str, Any]) -> dict[str, Any]:
    """The form's valid values, each invalid or missing one replaced by its default."""
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    values = dict(defaults)
    for name in defaults:
        if name in form.errors or name not in form.data:
            continue
        value = cleaned.get(name)
        if value in (None, "", []):
            continue
        values[name] = value.isoformat() if isinstance(value, date) else value
    if values["period"] == PeriodKind.CUSTOM and ("start" in form.errors or "end" in form.errors):
        values["period"] = defaults["period"]
    return values


def _period(values: dict[str, Any], phases: list[Phase]) -> tuple[Period, Phase | None]:
    phase = next((p for p in phases if p.code == values["phase"]), None)
    kind = values["period"]
    if kind == PERIOD_PHASE and phase is not None:
        return dashboard.phase_period(phase), phase
    if kind == PeriodKind.HALF:
        return dashboard.half_period(int(values["year"]), int(values["half"])), phase
    if kind == PeriodKind.CUSTOM:
        return dashboard.custom_period(date.fromisoformat(values["start"]), date.fromisoformat(values["end"])), phase
    return dashboard.year_period(int(values["year"])), phase


def _query_dict(values: dict[str, Any]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in values.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return query


# The parameters each kind of period reads; links carry only these and what differs from the
# defaults, so a link never repeats a parameter the page did not accept.
PERIOD_PARAMS = {
    PERIOD_PHASE: ("phase",),
    PeriodKind.YEAR: ("year",),
    PeriodKind.HALF: ("year", "half"),
    PeriodKind.CUSTOM: ("start", "end"),
}


def _link_query(values: dict[str, Any], defaults: dict[str, Any], **override: Any) -> str:
    values = {**values, **override}
    period_keys = PERIOD_PARAMS.get(values["period"], ())
    query = QueryDict(mutable=True)
    for key in ("programme", "period", *period_keys, "view", "figures", "indicator"):
        if values[key] != defaults[key] or (key in period_keys and values["period"] != defaults["period"]):
            query[key] = values[key]
    if values["trend"] != [values["indicator"]]:
        query.setlist("trend", values["trend"])
    return query.urlencode()


def _choice(values: dict[str, Any], programme: Programme, phases: list[Phase], indicators: list[Indicator]) -> Choice:
    """What to show, from the accepted values; ``values`` is brought in line with it."""
    period, phase = _period(values, phases)
    if period.kind == PERIOD_PHASE and phase is not None:
        # A phase shows the indicators that apply in it (a phase may add or retire some).
        indicators = [i for i in indicators if i.applies_to(phase)]
    by_code = {i.code: i for i in indicators}
    indicator = by_code.get(values["indicator"]) or (indicators[0] if indicators else None)
    trend = [by_code[c] for c in values["trend"] if c in by_code] or ([indicator] if indicator else [])
    values["indicator"] = indicator.code if indicator else ""
    values["trend"] = [i.code for i in trend]
    return Choice(
        programme=programme,
        period=period,
        target_phase=dashboard.target_phase(period, phases, phase),
        view="historical" if values["view"] == "historical" else "today",
        approved=values["figures"] == "approved",
        indicators=indicators,
        indicator=indicator,
        trend_indicators=trend,
    )


SELECTS = ("programme", "period", "phase", "year", "half")
DATES = ("start", "end")


def _controls(form: DashboardForm, values: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
    """The picker's selects and dates holding the page's values, as the form would render them
    bound to ``values``. A value the form would refuse (a default year it does not offer) is
    left to the form itself, which marks it invalid."""
    controls: dict[str, Any] = {}
    shown: DashboardForm | None = None
    for name in SELECTS:
        choices = form.fields[name].choices  # type: ignore[attr-defined]
        value = str(values[name])
        if board_rows.offered(choices, value):
            controls[name] = board_rows.select(name, choices, value)
        else:
            shown = shown or DashboardForm(_query_dict(values), **options)
            controls[name] = shown[name]
    for name in DATES:
        controls[name] = board_rows.date_input(name, values[name])
    return controls


def _render(request: HttpRequest, unit: OrgUnit) -> HttpResponse:
    today = timezone.localdate()
    programmes = dashboard.programmes_for(request.user, unit)
    asked = request.GET.get("programme")
    programme = next((p for p in programmes if p.code == asked), None) or dashboard.default_programme(programmes)
    if programme is None:
        return render(request, "figures/dashboard.html", {"unit": unit})
    phases = dashboard.phases_of(programme)
    indicators = dashboard.indicators_of(request.user, programme)
    defaults = _defaults(programme, phases, indicators, today)
    options: dict[str, Any] = {
        "programmes": programmes,
        "phases": phases,
        "years": dashboard.year_choices(phases, today),
        "indicators": indicators,
    }
    asked_form = DashboardForm(request.GET, **options)
    values = _effective(asked_form, defaults)
    values["programme"] = programme.code
    if "trend" not in request.GET:  # the trend follows the chosen indicator until chosen itself
        values["trend"] = [values["indicator"]]
    choice = _choice(values, programme, phases, indicators)
    board = dashboard.build(request.user, unit, choice)
    # Links carry what differs from where a dashboard opens (never a parameter not accepted).
    link_defaults = {**defaults, "programme": getattr(dashboard.default_programme(programmes), "code", "")}
    query = _link_query(values, link_defaults)
    errors = [str(e) for field_errors in asked_form.errors.values() for e in field_errors]
    context = {
        "unit": unit,
        "board": board,
        "choice": choice,
        "query": query,
        "historical_query": _link_query(values, link_defaults, view="historical"),
        "form": asked_form,  # its labels and choices; the controls hold the page's values
        "controls": _controls(asked_form, values, options),
        "form_errors": list(dict.fromkeys(errors)),
        **board_rows.parts(board, query, set(values["trend"])),
        "chart_labels": {
            "closed": _("đã thôi hoạt động"),
            "empty": _("Chưa có số liệu trong kỳ."),
            "partial": _("tháng chưa trọn"),
        },
    }
    return render(request, "figures/dashboard.html", context)


@login_required
def dashboard_home(request: HttpRequest) -> HttpResponse:
    """The dashboard of the user's first unit (the association's root for a system administrator)."""
    unit = dashboard.default_unit(request.user)
    if unit is None:
        return render(request, "figures/dashboard.html", {"unit": None})
    return _render(request, unit)


@login_required
def unit_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    unit = dashboard.dashboard_unit(request.user, pk)
    if unit is None:
        raise Http404
    return _render(request, unit)
