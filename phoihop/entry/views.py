"""Pages for figures entered directly (laid out like a paper report, DHIS2's "data set"), the
completeness of a unit's children for a period, and entry locks (list, manual lock, reopening).

Writes go through ``phoihop.activities.services`` (figures_enter, lock_create, lock_reopen).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast
from urllib.parse import quote_plus, urlencode

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Max, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from phoihop.audit.trail import trail_for
from phoihop.core.formats import vn_date
from phoihop.core.forms import submit_form
from phoihop.core.gate import PROGRAMME_DATA, STRUCTURE
from phoihop.core.permissions import perms
from phoihop.core.scoping import under_any
from phoihop.core.services import OutOfScope
from phoihop.core.statements import attnames, instance, partial
from phoihop.core.statements import rows as kept_plain_rows
from phoihop.core.statements import user_rows as kept_rows
from phoihop.entry import form_rows, services, status_rows
from phoihop.entry.forms import (
    EntryForm,
    EntryLockFilterSet,
    EntryRow,
    LockForm,
    ReopenForm,
    SelectionForm,
    default_phase,
    default_unit,
    find_unit,
    period_params,
    value_field_name,
)
from phoihop.entry.models import EntryLock, IndicatorValue
from phoihop.entry.permissions import entering_unit_for, lockable_units_q
from phoihop.figures.periods import Period, PeriodKind, period_containing
from phoihop.figures.selectors import child_units, totals
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Field, Indicator, Party, Phase, Programme, Target

User = get_user_model()
SELECTION_KEYS = ("unit", "unit_q", "phase", "kind", "year", "number")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV")


_vn = vn_date


# --- choosing the unit, phase and period ----------------------------------------------------------


def _entry_units(user: Any) -> QuerySet[OrgUnit]:
    """Units the user enters figures for: their own and, on behalf, those below."""
    return OrgUnit.objects.restrict(user, "change")


def _status_units(user: Any) -> QuerySet[OrgUnit]:
    """Units whose entered figures the user reads: their subtrees (not their counterparts')."""
    return perms(user).subtree_units("view")


def _lazy(units: Callable[[Any], QuerySet[OrgUnit]], user: Any) -> QuerySet[OrgUnit]:
    """``units(user)``, built when first used: the selection's statements are kept
    (``core.statements``), so most visits never build it."""
    return cast("QuerySet[OrgUnit]", SimpleLazyObject(lambda: units(user)))


def _chosen_unit(user: Any, raw: str, units: QuerySet[OrgUnit], action: str, kept_as: str = "") -> OrgUnit:
    """The unit asked for: 404 when the user cannot see it, 403 when they see it but may not use it here."""
    if raw:
        if not raw.isdigit():
            raise Http404
        unit: OrgUnit = get_object_or_404(OrgUnit.objects.restrict(user, "view"), pk=int(raw))
        if not units.filter(pk=unit.pk).exists():
            raise OutOfScope(_("Bạn không có quyền với số liệu của đơn vị này."))
        return unit
    own = default_unit(user, units, action, kept_as)
    if own is None:
        raise OutOfScope(_("Bạn chưa được giao nhập hoặc xem số liệu của đơn vị nào."))
    return own


def _visible_phases(user: Any) -> list[Phase]:
    """The phases the user reads (``restrict(user, "view")``) with their programmes, in the
    model's order; the statement is kept (``core.statements``)."""
    found = kept_rows(
        user,
        "phases",
        lambda: Phase.objects.restrict(user, "view").values(*attnames(Phase), *attnames(Programme, "programme__")),
    )
    phases = []
    for row in found:
        phase = instance(Phase, row)
        phase.programme = instance(Programme, row, "programme__")
        phases.append(phase)
    return phases


def _party_roots(user: Any, programme_id: int) -> list[OrgUnit]:
    """The root units of the programme's parties in the parties' order, as
    ``programmes.selectors.party_roots`` reads them, the statement kept (``core.statements``)."""
    found = kept_rows(
        user,
        f"party-roots:{programme_id}",
        lambda: (
            Party.objects.unrestricted(PROGRAMME_DATA)
            .filter(programme_id=programme_id)
            .order_by("order", "pk")
            .values(*attnames(OrgUnit, "root_unit__"))
        ),
    )
    return [instance(OrgUnit, row, "root_unit__") for row in found]


def _selection(
    request: HttpRequest, data: Mapping[str, Any], units: QuerySet[OrgUnit], action: str, kept_as: str
) -> SelectionForm:
    """The selection form, bound to what was asked with defaults for the rest (today's 6-month period).
    ``kept_as``: the name of ``units`` for the statements kept (``core.statements``)."""
    user = request.user
    given = {k: str(data.get(k, "")).strip() for k in SELECTION_KEYS}
    unit = _chosen_unit(user, given["unit"], units, action, kept_as)
    today = timezone.localdate()
    kind = given["kind"] or PeriodKind.HALF
    try:
        current = period_containing(kind, today)
    except ValueError:
        current = period_containing(PeriodKind.HALF, today)
    phase_list = _visible_phases(user)  # the default, the select's options, the choice
    roots = {pid: _party_roots(user, pid) for pid in {p.programme_id for p in phase_list}}
    phase = default_phase(phase_list, unit, current.end, roots) if not given["phase"] else None
    defaults = {
        "unit": str(unit.pk),
        "phase": str(phase.pk) if phase else "",
        "kind": kind,
        "year": str(current.end.year),
        "number": str(period_params(current)["number"]),
        "unit_q": "",
    }
    bound = {k: given[k] or defaults[k] for k in SELECTION_KEYS}
    bound["unit"] = str(unit.pk)
    form = SelectionForm(
        bound,
        user=user,
        units=units,
        unit=unit,
        phases=None,
        phase_list=phase_list,
        roots=roots,
        within=action,
        kept_as=kept_as,
    )
    form.is_valid()
    return form


def _phase_indicators(user: Any, phase: Phase, phases: list[Phase]) -> list[Indicator]:
    """The indicators of ``phase`` (read through the gate): its programme's, less those
    introduced later or retired before it, with their fields (the statement kept:
    ``core.statements``). ``phases``: the phases already read (those of the programme
    among them: an indicator's first and last phases are not read again)."""
    found = kept_rows(
        user,
        f"indicators:{phase.programme_id}",
        lambda: (
            Indicator.objects.unrestricted(PROGRAMME_DATA)
            .filter(programme_id=phase.programme_id)
            .order_by("field__order", "order", "code")  # the model's order within one programme
            .values(*attnames(Indicator), *attnames(Field, "field__"))
        ),
    )
    indicators = []
    for row in found:
        indicator = instance(Indicator, row)
        indicator.field = instance(Field, row, "field__")
        indicators.append(indicator)
    known = {p.pk: p for p in phases}
    for indicator in indicators:
        if indicator.introduced_in_id in known:
            indicator.introduced_in = known[indicator.introduced_in_id]
        if indicator.retired_in_id in known:
            indicator.retired_in = known[indicator.retired_in_id]
    return [i for i in indicators if i.applies_to(phase)]


def _neighbour_query(selection: SelectionForm, period: Period) -> str:
    """The address of the same page for another period; the phase follows the period's last day."""
    phase: Phase = selection.cleaned_data["phase"]
    if not phase.start <= period.end <= phase.end:
        others = (  # the user's phases, in the model's order (programme, start)
            p for p in selection.phase_list if p.programme_id == phase.programme_id and p.start <= period.end <= p.end
        )
        phase = next(others, phase)
    return urlencode({"unit": selection.cleaned_data["unit"].pk, "phase": phase.pk, **period_params(period)})


def _period_context(selection: SelectionForm) -> dict[str, Any]:
    period = selection.period
    assert period is not None
    previous = period_containing(period.kind, period.start - timedelta(days=1))
    following = period_containing(period.kind, period.end + timedelta(days=1))
    return {
        "period": period,
        "query": urlencode(selection.query()),
        "previous_query": _neighbour_query(selection, previous),
        "previous_period": previous,
        "next_query": _neighbour_query(selection, following),
        "next_period": following,
    }


# --- the entry form ----------------------------------------------------------------------------------


# Who entered a value, as the entry form shows it (a name, a login; a unit's names).
ENTERED_BY = ("first_name", "last_name", "username")
ENTERED_BY_UNIT = ("name", "short_name")


def _entered(
    user: Any, unit: OrgUnit, period: Period
) -> tuple[dict[int, IndicatorValue], dict[int, list[IndicatorValue]]]:
    """The unit's values entered for ``period``, by indicator, and those entered for other
    periods overlapping it (by indicator, by date), read at once (the statement kept:
    ``core.statements``), with who entered them and on whose behalf."""
    found = kept_rows(
        user,
        f"entered:{unit.pk}:{period.start}:{period.end}",
        lambda: (
            IndicatorValue.objects.entered()
            .restrict(user, "view")
            .filter(unit=unit, period_start__lte=period.end, date__gte=period.start)
            .order_by("date", "pk")
            .values(
                *attnames(IndicatorValue),
                *(f"entered_by__{name}" for name in ENTERED_BY),
                *(f"entered_by_unit__{name}" for name in ENTERED_BY_UNIT),
            )
        ),
    )
    current: dict[int, IndicatorValue] = {}
    overlaps: dict[int, list[IndicatorValue]] = defaultdict(list)
    for row in found:
        value: IndicatorValue = instance(IndicatorValue, row)
        if value.entered_by_id is not None:
            by = {"id": value.entered_by_id, **{n: row[f"entered_by__{n}"] for n in ENTERED_BY}}
            value.entered_by = partial(User, by)
        if value.entered_by_unit_id is not None:
            by_unit = {"id": value.entered_by_unit_id, **{n: row[f"entered_by_unit__{n}"] for n in ENTERED_BY_UNIT}}
            value.entered_by_unit = partial(OrgUnit, by_unit)
        if value.period_start == period.start and value.date == period.end:
            current[value.indicator_id] = value
        else:
            overlaps[value.indicator_id].append(value)
    return current, overlaps


def _entry_rows(
    user: Any,
    form: EntryForm,
    unit: OrgUnit,
    phase: Phase,
    period: Period,
    current: Mapping[int, IndicatorValue],
    overlaps: Mapping[int, list[IndicatorValue]],
) -> list[dict[str, Any]]:
    """The report's lines grouped by field (I, II, ...), with targets and the phase's running total."""
    indicators = form.indicators
    ids = [i.pk for i in indicators]
    targets = {
        r["indicator_id"]: r["value"]
        for r in kept_rows(
            user,
            f"targets:{phase.pk}:{unit.pk}:{ids}",
            lambda: (
                Target.objects.restrict(user, "view")
                .filter(phase=phase, unit=unit, indicator_id__in=ids)
                .order_by()
                .values("indicator_id", "value")
            ),
        )
    }
    achieved = totals(unit_ids=[unit.pk], indicator_ids=ids, start=phase.start, end=min(period.end, phase.end))
    # When each value was last entered (its history; not scoped rows): the statement depends
    # only on the values' ids, so it is kept (``core.statements``).
    value_ids = [v.pk for v in current.values()]
    entered_at = {
        r["id"]: r["at"]
        for r in kept_plain_rows(
            (tuple(value_ids),),
            lambda: IndicatorValue.history.filter(id__in=value_ids).values("id").annotate(at=Max("history_date")),
        )
    }
    groups: list[dict[str, Any]] = []
    for indicator in indicators:
        if not groups or groups[-1]["field"].pk != indicator.field_id:
            groups.append({"field": indicator.field, "number": ROMAN[len(groups) % len(ROMAN)], "rows": []})
        value = current.get(indicator.pk)
        groups[-1]["rows"].append(
            EntryRow(
                indicator=indicator,
                field=form[value_field_name(indicator)],
                value=value,
                entered_at=entered_at.get(value.pk) if value else None,
                target=targets.get(indicator.pk),
                achieved=achieved.get((unit.pk, indicator.pk), 0),
                overlaps=overlaps.get(indicator.pk, []),
            )
        )
    return groups


@login_required
@require_http_methods(["GET", "POST"])
def entry_form(request: HttpRequest) -> HttpResponse:
    """A unit's figures for one period, entered in a table laid out like the paper report."""
    user = request.user
    posted = request.method == "POST"
    selection = _selection(
        request, request.POST if posted else request.GET, _lazy(_entry_units, user), "change", "entry-units"
    )
    context: dict[str, Any] = {"selection": selection}
    if not selection.is_valid() or selection.period is None:
        return render(request, "entry/form.html", context)
    unit: OrgUnit = selection.cleaned_data["unit"]
    phase: Phase = selection.cleaned_data["phase"]
    period = selection.period
    current, overlaps = _entered(user, unit, period)
    indicators = _phase_indicators(user, phase, selection.phase_list)
    form = EntryForm(request.POST if posted else None, indicators=indicators, current=current)

    def save() -> Any:
        return services.figures_enter(
            acting_user=user,
            unit=unit,
            period_start=period.start,
            period_end=period.end,
            values=form.values(),
            note=form.cleaned_data["note"],
            confirm_outliers=form.confirmed,
        )

    done = _("Đã lưu số liệu %(period)s của %(unit)s.") % {"period": period.label, "unit": unit.display_name}
    if submit_form(request, form, save, done) is not None:
        return redirect(f"{reverse('entry:form')}?{urlencode(selection.query())}")
    lock = services.active_lock(unit, period.end, phase.programme_id)
    groups = _entry_rows(user, form, unit, phase, period, current, overlaps)
    context.update(
        {
            "unit": unit,
            "phase": phase,
            "form": form,
            "groups": groups,
            "rows_html": form_rows.rows_html(groups),
            "lock": lock,
            "can_reopen": lock is not None and perms(user).for_(lock).can("reopen"),
            "on_behalf": entering_unit_for(perms(user), unit),
            **_period_context(selection),
        }
    )
    return render(request, "entry/form.html", context)


# --- completeness of the children ----------------------------------------------------------------


@dataclass
class StatusRow:
    """One line of the completeness table, its links built once in the view (a province has
    hundreds of children: the template only prints)."""

    unit_id: int
    code: str
    name: str
    closed: bool
    filled: int
    on_behalf: list[str]
    locked: bool
    can_enter: bool
    can_lock: bool
    is_self: bool = False
    percent: int = 0  # of the period's indicators entered
    complete: bool = False
    enter_url: str = ""
    children_url: str = ""
    lock_url: str = ""


def _active_locks_around(user: Any, unit: OrgUnit, day: date, programme_id: int) -> list[str]:
    """Paths of the active locks on ``day`` holding for programme ``programme_id``, of the unit,
    its ancestors and its subtree."""

    def build() -> QuerySet[EntryLock]:
        locks = EntryLock.objects.restrict(user, "view").active().for_programme(programme_id).overlapping(day, day)
        return locks.on_line_of(unit, below=True).order_by().values("unit__path")

    return [r["unit__path"] for r in kept_rows(user, f"locks-around:{unit.path}:{day}:{programme_id}", build)]


@login_required
def entry_status(request: HttpRequest) -> HttpResponse:
    """Which children of a unit have entered their figures for a period (DHIS2's completeness)."""
    user = request.user
    selection = _selection(request, request.GET, _lazy(_status_units, user), "view", "status-units")
    context: dict[str, Any] = {"selection": selection}
    if not selection.is_valid() or selection.period is None:
        return render(request, "entry/status.html", context)
    unit: OrgUnit = selection.cleaned_data["unit"]
    phase: Phase = selection.cleaned_data["phase"]
    period = selection.period
    indicators = _phase_indicators(user, phase, selection.phase_list)
    children = child_units(unit, view="historical", start=period.start, end=period.end)
    ids = [unit.pk, *(c.unit_id for c in children)]
    filled: dict[int, int] = defaultdict(int)
    behalf_ids: dict[int, set[int]] = defaultdict(set)
    indicator_ids = [i.pk for i in indicators]
    entered = kept_rows(
        user,
        f"status-values:{period.start}:{period.end}:{ids}:{indicator_ids}",
        lambda: (
            IndicatorValue.objects.entered()
            .restrict(user, "view")
            .filter(unit_id__in=ids, period_start=period.start, date=period.end, indicator__in=indicator_ids)
            .values("unit_id", "entered_by_unit_id")
        ),
    )
    for unit_id, by_unit_id in ((r["unit_id"], r["entered_by_unit_id"]) for r in entered):
        filled[unit_id] += 1
        if by_unit_id:
            behalf_ids[unit_id].add(by_unit_id)
    structure = OrgUnit.objects.unrestricted(STRUCTURE)
    behalf = sorted({i for s in behalf_ids.values() for i in s})
    names = {
        r["id"]: partial(OrgUnit, r).display_name
        for r in kept_rows(
            user, f"unit-names:{behalf}", lambda: structure.filter(pk__in=behalf).values("id", "name", "short_name")
        )
    }
    lock_paths = _active_locks_around(user, unit, period.end, phase.programme_id)
    paths = {
        r["pk"]: r["path"]
        for r in kept_rows(user, f"unit-paths:{ids}", lambda: structure.filter(pk__in=ids).values("pk", "path"))
    }
    # Who may enter (OrgUnitPolicy.can_enter) and lock (above the unit), asked once for the rows.
    may = perms(user)
    enterable = may.reaches_all(paths.values(), "change")
    lockable = may.above_all(paths.values(), "approve")
    expected = len(indicators)
    period_query = urlencode(period_params(period))
    form_url, status_url, locks_url = reverse("entry:form"), reverse("entry:status"), reverse("entry:locks")
    lock_query = (
        f"start={period.start.isoformat()}&end={period.end.isoformat()}&programme={phase.programme_id}#lock-form"
    )

    def row(unit_id: int, code: str, name: str, closed: bool, is_self: bool = False) -> StatusRow:
        path = paths[unit_id]
        count = filled.get(unit_id, 0)
        locked = under_any(path, lock_paths)  # a lock of the unit or above it
        can_enter = path in enterable
        can_lock = path in lockable
        query = f"?unit={unit_id}&phase={phase.pk}&{period_query}"
        return StatusRow(
            unit_id=unit_id,
            code=code,
            name=name,
            closed=closed,
            filled=count,
            on_behalf=sorted(names[i] for i in behalf_ids[unit_id]) if unit_id in behalf_ids else [],
            locked=locked,
            can_enter=can_enter,
            can_lock=can_lock,
            is_self=is_self,
            percent=round(100 * count / expected) if expected else 0,
            complete=count >= expected,
            enter_url=form_url + query if can_enter else "",
            children_url="" if is_self else status_url + query,
            lock_url=f"{locks_url}?unit={quote_plus(code)}&{lock_query}" if can_lock and not locked else "",
        )

    rows = [row(c.unit_id, c.code, c.name, c.closed) for c in children]
    own = row(unit.pk, unit.code, unit.name, unit.is_closed, is_self=True)
    reported = sum(1 for r in rows if r.filled)
    context.update(
        {
            "unit": unit,
            "phase": phase,
            "own": own,
            "rows": rows,
            "rows_html": status_rows.rows_html([own, *rows], expected),
            "expected": expected,
            "reported": reported,
            "reported_percent": round(100 * reported / len(rows)) if rows else 0,
            "on_behalf_count": sum(1 for r in rows if r.on_behalf),
            "phase_id": phase.pk,
            "period_query": period_query,
            **_period_context(selection),
        }
    )
    return render(request, "entry/status.html", context)


# --- locks -----------------------------------------------------------------------------------------


def _lockable_units(user: Any) -> QuerySet[OrgUnit]:
    """Units the user may lock: strictly below a unit where they approve."""
    return OrgUnit.objects.restrict(user, "approve").filter(lockable_units_q(user))


def _lock_list_context(request: HttpRequest, lock_form: LockForm | None) -> dict[str, Any]:
    user = request.user
    locks = EntryLock.objects.restrict(user, "view").select_related("unit", "programme", "locked_by", "reopened_by")
    filterset = EntryLockFilterSet(request.GET, locks, request=request)
    page = Paginator(filterset.qs.order_by("-locked_at", "-pk"), 50).get_page(request.GET.get("page"))
    reopenable = set(
        EntryLock.objects.restrict(user, "approve")
        .active()
        .filter(pk__in=[lock.pk for lock in page])
        .values_list("pk", flat=True)
    )
    # Echo the unit filter only as the unit found in scope: a code typed for a unit out of
    # scope must not come back on the page.
    filter_unit = find_unit(user, request.GET.get("unit", ""))
    if filter_unit is not None and not _status_units(user).filter(pk=filter_unit.pk).exists():
        filter_unit = None
    query = {k: v for k, v in (("unit", filter_unit.code if filter_unit else ""),) if v}
    status = filterset.form.cleaned_data.get("status") if filterset.form.is_valid() else ""
    if status:
        query["status"] = status
    return {
        "page": page,
        "filterset": filterset,
        "filter_unit": filter_unit,
        "status": status or "",
        "page_query": urlencode(query),
        "reopenable": reopenable,
        "lock_form": lock_form,
    }


def _lock_form(request: HttpRequest, data: Any, initial_unit: OrgUnit | None) -> LockForm | None:
    units = _lockable_units(request.user)
    if not units.exists():
        return None
    if initial_unit is not None and not units.filter(pk=initial_unit.pk).exists():
        initial_unit = None
    form = LockForm(data, user=request.user, units=units, initial_unit=initial_unit)
    if data is None:
        for key in ("start", "end"):
            try:
                form.initial[key] = date.fromisoformat(request.GET.get(key, ""))
            except ValueError:
                pass
        programme = request.GET.get("programme", "")
        if programme.isdigit():  # the status page's link: the programme of the phase it shows
            form.initial["programme"] = int(programme)
    return form


@login_required
def lock_list(request: HttpRequest) -> HttpResponse:
    """Active and reopened locks in the user's subtrees, and the manual lock form for approvers."""
    initial_unit = find_unit(request.user, request.GET.get("unit", ""))
    context = _lock_list_context(request, _lock_form(request, None, initial_unit))
    return render(request, "entry/locks.html", context)


@login_required
@require_POST
def lock_create(request: HttpRequest) -> HttpResponse:
    """Lock a unit's subtree for a period by hand (the reporting pages lock on report approval)."""
    user = request.user
    raw = request.POST.get("unit", "").strip()
    unit: OrgUnit | None = None
    if raw:
        unit = _chosen_unit(user, raw, _lockable_units(user), "approve")
    form = _lock_form(request, request.POST, unit)
    if form is None:
        raise OutOfScope(_("Chỉ người duyệt của cấp trên mới khóa được số liệu."))

    def save() -> EntryLock:
        data = form.cleaned_data
        return services.lock_create(
            unit=data["unit"],
            start=data["start"],
            end=data["end"],
            acting_user=user,
            reason=data["reason"],
            programme=data["programme"],
        )

    done = _("Đã khóa số liệu. Các số liệu đã gửi trong kỳ được tính là đã duyệt.")
    lock = submit_form(request, form, save, done)
    if lock is not None:
        return redirect(f"{reverse('entry:locks')}?{urlencode({'unit': lock.unit.code})}")
    return render(request, "entry/locks.html", _lock_list_context(request, form))


@login_required
@require_http_methods(["GET", "POST"])
def lock_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """Reopen a locked period: an approver above the unit, with a reason, recorded in the history."""
    user = request.user
    lock = get_object_or_404(
        EntryLock.objects.restrict(user, "view").select_related("unit", "programme", "locked_by", "reopened_by"),
        pk=pk,
    )
    perms(user).for_(lock).within_scope("approve")
    form = ReopenForm(request.POST if request.method == "POST" else None)

    def save() -> EntryLock:
        return services.lock_reopen(lock=lock, acting_user=user, reason=form.cleaned_data["reopen_reason"])

    done = _("Đã mở khóa số liệu của %(unit)s từ %(start)s đến %(end)s.") % {
        "unit": lock.unit.display_name,
        "start": _vn(lock.start),
        "end": _vn(lock.end),
    }
    if submit_form(request, form, save, done) is not None:
        return redirect(f"{reverse('entry:locks')}?{urlencode({'unit': lock.unit.code})}")
    values = IndicatorValue.objects.restrict(user, "view").covered_by(lock)

    context = {
        "lock": lock,
        "form": form,
        "value_count": values.count(),
        "trail": trail_for(lock),
    }
    return render(request, "entry/lock_reopen.html", context)
