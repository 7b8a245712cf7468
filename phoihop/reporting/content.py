"""What a report says about its subtree and period, computed from live data (selectors).

``report_content`` returns plain JSON-able data: the figures by field and indicator (the
units of the time: historical view, all submitted figures), the previous period's and the
targets, an annex per reporting unit with a row per child unit of the time, the notable
activities, the models and their spread, the lessons and proposals of the period. Submitting
a report stores this as ``Report.frozen``; drafts show it live.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.activities.models import Activity, ActivityStatus
from phoihop.core.gate import OFFICIAL_TEXT, PROGRAMME_DATA
from phoihop.figures.periods import PeriodKind
from phoihop.figures.selectors import child_units, totals
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Indicator, Phase, Target
from phoihop.records.models import Lesson, PracticeModel, Proposal
from phoihop.reporting.models import Report, ReportingPeriod, ReportStatus

LIST_LIMIT = 15


def period_phase(period: ReportingPeriod) -> Phase | None:
    if period.phase_id:
        return period.phase
    return (
        Phase.objects.unrestricted(PROGRAMME_DATA)
        .filter(programme_id=period.programme_id, start__lte=period.end, end__gte=period.start)
        .order_by("start")
        .first()
    )


def period_indicators(period: ReportingPeriod) -> list[Indicator]:
    """The programme's indicators that apply in the period's phase, in field order."""
    phase = period_phase(period)
    indicators = (
        Indicator.objects.unrestricted(PROGRAMME_DATA)
        .filter(programme_id=period.programme_id)
        .select_related("field", "introduced_in", "retired_in")
    )
    chosen = [i for i in indicators if phase is None or i.applies_to(phase)]
    return sorted(chosen, key=lambda i: (i.field.order, i.field_id, i.order, i.pk))


def previous_period(period: ReportingPeriod) -> ReportingPeriod | None:
    """The period of the same kind and type that ended last before this one started."""
    return (
        ReportingPeriod.objects.unrestricted(PROGRAMME_DATA)
        .filter(
            programme_id=period.programme_id, kind=period.kind, report_type=period.report_type, end__lt=period.start
        )
        .order_by("-end")
        .first()
    )


# What the comparison column holds, by kind of period: the period before of the same kind.
PREVIOUS_LABELS = {
    PeriodKind.MONTH: gettext_lazy("Tháng trước"),
    PeriodKind.QUARTER: gettext_lazy("Quý trước"),
    PeriodKind.HALF: gettext_lazy("Cùng kỳ năm trước"),
    PeriodKind.NINE_MONTHS: gettext_lazy("Cùng kỳ năm trước"),
    PeriodKind.YEAR: gettext_lazy("Năm trước"),
    PeriodKind.MID_PHASE: gettext_lazy("Giai đoạn trước"),
    PeriodKind.END_PHASE: gettext_lazy("Giai đoạn trước"),
}


def phase_targets(phase: Phase, units: list[OrgUnit], indicator_ids: list[int]) -> dict[int, int]:
    """The phase's targets of the units, by indicator. A unit without a target of its own for an
    indicator counts its children's (targets set for the provinces add up to the nation's)."""
    rows = (
        Target.objects.unrestricted(OFFICIAL_TEXT)
        .filter(phase=phase, indicator_id__in=indicator_ids)
        .filter(_units_and_children_q(units))
    )
    own: dict[tuple[int, int], int] = defaultdict(int)
    below: dict[tuple[int, int], int] = defaultdict(int)
    paths = {u.pk: u.path for u in units}
    for unit_id, path, indicator_id, value in rows.values_list("unit_id", "unit__path", "indicator_id", "value"):
        if unit_id in paths:
            own[(unit_id, indicator_id)] += int(value)
        else:
            parent = next(u for u, p in paths.items() if path.startswith(p))
            below[(parent, indicator_id)] += int(value)
    result: dict[int, int] = {}
    for unit_id in paths:
        for indicator_id in indicator_ids:
            key = (unit_id, indicator_id)
            if key in own or key in below:
                result[indicator_id] = result.get(indicator_id, 0) + own.get(key, below.get(key, 0))
    return result


def _units_and_children_q(units: list[OrgUnit]) -> Q:
    q = Q(pk__in=[])
    for unit in units:
        q |= Q(unit=unit) | Q(unit__path__startswith=unit.path, unit__depth=unit.depth + 1)
    return q


def _unit_dict(unit: OrgUnit) -> dict[str, Any]:
    return {"id": unit.pk, "code": unit.code, "name": unit.name, "short_name": unit.display_name}


def _subtree_q(units: list[OrgUnit], field: str) -> Q:
    q = Q(pk__in=[])
    for unit in units:
        q |= Q(**{f"{field}__path__startswith": unit.path})
    return q


def figure_totals(units: list[OrgUnit], indicator_ids: list[int], start: date, end: date) -> dict[int, int]:
    """The subtrees' totals per indicator (historical view, all submitted figures)."""
    sums = totals(unit_ids=[u.pk for u in units], indicator_ids=indicator_ids, start=start, end=end)
    result: dict[int, int] = defaultdict(int)
    for (_unit, indicator), value in sums.items():
        result[indicator] += value
    return {i: result[i] for i in indicator_ids}


def report_content(
    *, period: ReportingPeriod, unit: OrgUnit, partner_unit: OrgUnit | None = None, progress: Any = None
) -> dict[str, Any]:
    units = [unit] + ([partner_unit] if partner_unit is not None else [])
    indicators = period_indicators(period)
    ids = [i.pk for i in indicators]
    # Each unit's own total (read once: the figures' total adds them, each annex subtracts its children).
    unit_ids = list(dict.fromkeys(u.pk for u in units))
    own_totals = totals(unit_ids=unit_ids, indicator_ids=ids, start=period.start, end=period.end)
    current = {i: sum(own_totals[(u, i)] for u in unit_ids) for i in ids}
    prev = previous_period(period)
    previous = figure_totals(units, ids, prev.start, prev.end) if prev else None
    phase = period_phase(period)
    targets = phase_targets(phase, units, ids) if phase is not None else {}
    if progress:
        progress(30)

    fields: list[dict[str, Any]] = []
    for indicator in indicators:
        if not fields or fields[-1]["id"] != indicator.field_id:
            fields.append(
                {"id": indicator.field_id, "code": indicator.field.code, "name": indicator.field.name, "rows": []}
            )
        fields[-1]["rows"].append(
            {
                "indicator_id": indicator.pk,
                "code": indicator.code,
                "name": indicator.name,
                "unit_of_measure": indicator.unit_of_measure,
                "value": current[indicator.pk],
                "previous": previous[indicator.pk] if previous is not None else None,
                "target": targets.get(indicator.pk),
            }
        )

    annexes = []
    for owner in units:
        children = child_units(owner, view="historical", start=period.start, end=period.end)
        sums = totals(unit_ids=[c.unit_id for c in children], indicator_ids=ids, start=period.start, end=period.end)
        rows: list[dict[str, Any]] = [
            {"id": c.unit_id, "code": c.code, "name": c.name, "values": [sums[(c.unit_id, i)] for i in ids]}
            for c in children
        ]
        # What the unit recorded itself (not under a child), so the annex adds up to its total.
        own = [own_totals[(owner.pk, i)] - sum(r["values"][k] for r in rows) for k, i in enumerate(ids)]
        if any(own):
            rows.append(
                {
                    "id": owner.pk,
                    "code": owner.code,
                    "name": _("%(unit)s (trực tiếp)") % {"unit": owner.display_name},
                    "values": own,
                }
            )
        annexes.append(
            {
                "unit": _unit_dict(owner),
                "indicator_ids": ids,
                "rows": rows,
                "totals": [sum(r["values"][k] for r in rows) for k in range(len(ids))],
            }
        )
    if progress:
        progress(60)

    counted = [ActivityStatus.SUBMITTED, ActivityStatus.APPROVED]
    activities = (
        Activity.objects.unrestricted(OFFICIAL_TEXT)
        .filter(_subtree_q(units, "lead_unit"), status__in=counted)
        .filter(end_date__gte=period.start, end_date__lte=period.end)
        .annotate(people=F("participants_lead") + F("participants_partner"))
        .select_related("lead_unit")
        .order_by("-people", "-end_date", "pk")[:LIST_LIMIT]
    )
    models = (
        PracticeModel.objects.unrestricted(OFFICIAL_TEXT)
        .filter(_subtree_q(units, "origin_unit"), started_on__lte=period.end)
        .annotate(spread=Count("replications", filter=Q(replications__replicated_on__lte=period.end)))
        .select_related("origin_unit", "field")
        .order_by("-spread", "name", "pk")[:LIST_LIMIT]
    )
    notes: dict[str, list[dict[str, Any]]] = {}
    for key, model in (("lessons", Lesson), ("proposals", Proposal)):
        rows_qs = (
            model.objects.unrestricted(OFFICIAL_TEXT)
            .filter(_subtree_q(units, "unit"))
            .filter(recorded_on__gte=period.start, recorded_on__lte=period.end)
            .select_related("unit")
            .order_by("-recorded_on", "pk")[:LIST_LIMIT]
        )
        notes[key] = [
            {"id": n.pk, "title": n.title, "content": n.content, "unit": n.unit.display_name} for n in rows_qs
        ]

    return {
        "computed_at": timezone.now().isoformat(),
        "period": {
            "id": period.pk,
            "name": period.name,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "previous_period": (
            {"id": prev.pk, "name": prev.name, "start": prev.start.isoformat(), "end": prev.end.isoformat()}
            if prev
            else None
        ),
        "phase": {"id": phase.pk, "code": phase.code, "name": phase.name} if phase else None,
        "previous_label": str(PREVIOUS_LABELS.get(PeriodKind(period.kind), _("Kỳ trước"))),
        "target_label": str(_("Chỉ tiêu giai đoạn")),
        "units": [_unit_dict(u) for u in units],
        "indicators": [
            {"id": i.pk, "code": i.code, "name": i.name, "unit_of_measure": i.unit_of_measure, "field_id": i.field_id}
            for i in indicators
        ],
        "fields": fields,
        "annexes": annexes,
        "activities": [
            {
                "id": a.pk,
                "title": a.title,
                "start": a.start_date.isoformat(),
                "end": a.end_date.isoformat(),
                "unit": a.lead_unit.display_name,
                "people": a.people,
            }
            for a in activities
        ],
        "models": [
            {"id": m.pk, "name": m.name, "unit": m.origin_unit.display_name, "field": m.field.name, "spread": m.spread}
            for m in models
        ],
        **notes,
    }


def content_for(report: Report) -> dict[str, Any]:
    """The frozen content of a sent report, or live content for a draft."""
    if report.frozen is not None and report.status != ReportStatus.DRAFT and report.status != ReportStatus.RETURNED:
        return report.frozen
    return report_content(period=report.period, unit=report.unit, partner_unit=report.partner_unit)


def live_differences(report: Report) -> list[dict[str, Any]]:
    """Indicators whose live total now differs from the figures frozen at submission."""
    if not report.frozen:
        return []
    ids = [i["id"] for i in report.frozen["indicators"]]
    live = figure_totals(report.units, ids, report.period.start, report.period.end)
    diffs = []
    for field in report.frozen["fields"]:
        for row in field["rows"]:
            now = live.get(row["indicator_id"], 0)
            if now != row["value"]:
                diffs.append(
                    {
                        "name": row["name"],
                        "unit_of_measure": row["unit_of_measure"],
                        "frozen": row["value"],
                        "live": now,
                    }
                )
    return diffs


def child_reports(report: Report) -> list[Report]:
    """The submitted or approved reports of the children of the report's units, same period."""
    q = Q(pk__in=[])
    for unit in report.units:
        q |= Q(unit__path__startswith=unit.path, unit__depth=unit.depth + 1)
    return list(
        Report.objects.unrestricted(OFFICIAL_TEXT)
        .filter(q, period_id=report.period_id, status__in=[ReportStatus.SUBMITTED, ReportStatus.APPROVED])
        .select_related("unit")
        .order_by("unit__path")
    )
