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

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.activities.models import Activity, ActivityStatus
from phoihop.core import statements
from phoihop.core.gate import OFFICIAL_TEXT, PROGRAMME_DATA, STRUCTURE
from phoihop.figures.periods import PeriodKind
from phoihop.figures.selectors import child_units, rollup_sums, sources_for, totals
from phoihop.orgunits.models import OrgUnit
from phoihop.orgunits.names import names_on
from phoihop.programmes.models import Field, Indicator, Phase, Target
from phoihop.records.models import Lesson, PracticeModel, Proposal
from phoihop.reporting.models import Report, ReportingPeriod, ReportStatus
from phoihop.reporting.selectors import related_instance

LIST_LIMIT = 15

# The content's reads of its lists, targets and previous period keep their compiled statements
# (``phoihop.core.statements``, ADR 0016) under everything their SQL depends on: the units' ids
# and paths (a unit's path never changes), the period's dates and kind, the phase, the
# indicators. They are executed on every build, so the rows are the database's of the moment.


def _units_key(units: list[OrgUnit]) -> tuple[tuple[int, str, int], ...]:
    return tuple((u.pk, u.path, u.depth) for u in units)


def period_phase(period: ReportingPeriod) -> Phase | None:
    if period.phase_id:
        return period.phase
    return (
        Phase.objects.unrestricted(PROGRAMME_DATA)
        .filter(programme_id=period.programme_id, start__lte=period.end, end__gte=period.start)
        .order_by("start")
        .first()
    )


_UNSET: Any = object()
# What an indicator of the report brings with it (as select_related would).
INDICATOR_RELATIONS: tuple[tuple[str, type[Any]], ...] = (
    ("field", Field),
    ("introduced_in", Phase),
    ("retired_in", Phase),
)


def period_indicators(period: ReportingPeriod, phase: Phase | None = _UNSET) -> list[Indicator]:
    """The programme's indicators that apply in the period's phase (``period_phase``, unless the
    caller read it already), in field order."""
    if phase is _UNSET:
        phase = period_phase(period)
    programme_id = period.programme_id

    def build() -> QuerySet:
        names = statements.attnames(Indicator)
        for relation, model in INDICATOR_RELATIONS:
            names += statements.attnames(model, f"{relation}__")
        return Indicator.objects.unrestricted(PROGRAMME_DATA).filter(programme_id=programme_id).values(*names)

    # The statement kept per programme (core/statements.py), the rows read afresh.
    rows = statements.rows(("period indicators", programme_id), build)
    indicators = [related_instance(Indicator, row, INDICATOR_RELATIONS) for row in rows]
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


def _previous(period: ReportingPeriod) -> dict[str, Any] | None:
    """``previous_period`` as its id, name and dates."""
    key = ("previous", period.programme_id, period.kind, period.report_type, period.start)
    rows = statements.rows(
        key,
        lambda: (
            ReportingPeriod.objects.unrestricted(PROGRAMME_DATA)
            .filter(
                programme_id=period.programme_id,
                kind=period.kind,
                report_type=period.report_type,
                end__lt=period.start,
            )
            .order_by("-end")
            .values("pk", "name", "start", "end")[:1]
        ),
    )
    return rows[0] if rows else None


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


def value_label(period: ReportingPeriod, phase: Phase | None = _UNSET) -> str:
    """What the figures' first column holds: the phase's label for a report over the whole
    phase (its summing-up: "Giai đoạn 2017–2022"), else "Kỳ này"."""
    if PeriodKind(period.kind) == PeriodKind.END_PHASE:
        if phase is _UNSET:
            phase = period_phase(period)
        if phase is not None:
            return _("Giai đoạn %(phase)s") % {"phase": phase.name}
    return _("Kỳ này")


def phase_targets(phase: Phase, units: list[OrgUnit], indicator_ids: list[int]) -> dict[int, int]:
    """The phase's targets of the units, by indicator. A unit without a target of its own for an
    indicator counts its children's (targets set for the provinces add up to the nation's)."""
    rows = statements.rows(
        ("targets", phase.pk, _units_key(units), tuple(indicator_ids)),
        lambda: (
            Target.objects.unrestricted(OFFICIAL_TEXT)
            .filter(phase=phase, indicator_id__in=indicator_ids)
            .filter(_units_and_children_q(units))
            .values("unit_id", "unit__path", "indicator_id", "value")
        ),
    )
    own: dict[tuple[int, int], int] = defaultdict(int)
    below: dict[tuple[int, int], int] = defaultdict(int)
    paths = {u.pk: u.path for u in units}
    for row in rows:
        unit_id, path, indicator_id, value = row["unit_id"], row["unit__path"], row["indicator_id"], row["value"]
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


def _unit_dict(unit: OrgUnit, names: dict[int, str] | None = None) -> dict[str, Any]:
    """The unit as the content names it: ``name`` in full as of the period's end (``names``,
    from ``orgunits.names.names_on``), ``short_name`` today's, for the pages."""
    name = (names or {}).get(unit.pk) or unit.name
    return {"id": unit.pk, "code": unit.code, "name": name, "short_name": unit.display_name}


def figure_totals(units: list[OrgUnit], indicator_ids: list[int], start: date, end: date) -> dict[int, int]:
    """The subtrees' totals per indicator (historical view, all submitted figures)."""
    sums = totals(unit_ids=[u.pk for u in units], indicator_ids=indicator_ids, start=start, end=end)
    result: dict[int, int] = defaultdict(int)
    for (_unit, indicator), value in sums.items():
        result[indicator] += value
    return {i: result[i] for i in indicator_ids}


def _sums(
    sources: dict[int, list[tuple[int, int]]], unit_ids: list[int], ids: list[int], start: date, end: date
) -> dict[tuple[int, int], int]:
    """``figures.selectors.totals`` for units whose roll-up sources are read already: each unit's
    total is the sum of its sources' rows times their coefficients."""
    indicators = sorted(set(ids))
    wanted = sorted({s for u in unit_ids for s, _c in sources.get(u, [])})
    raw = rollup_sums(wanted, indicators, start, end)
    result: dict[tuple[int, int], int] = {}
    for unit_id in unit_ids:
        terms = sources.get(unit_id)
        if terms is None:
            continue
        if len(terms) == 1 and terms[0][1] == 1:  # the unit's own row (a unit below a root)
            source = terms[0][0]
            for indicator_id in indicators:
                result[(unit_id, indicator_id)] = raw.get((source, indicator_id), 0)
            continue
        for indicator_id in indicators:
            result[(unit_id, indicator_id)] = sum(c * raw.get((s, indicator_id), 0) for s, c in terms)
    return result


def _subtree_q(units: list[OrgUnit], field: str) -> Q:
    q = Q(pk__in=[])
    for unit in units:
        q |= Q(**{f"{field}__path__startswith": unit.path})
    return q


def _subtree_units(units: list[OrgUnit]) -> Any:
    """The ids of every unit of the subtrees, as a subquery: the activities are then read by
    their unit's index (the path joined row by row reads every activity of the country)."""
    q = Q(pk__in=[])
    for unit in units:
        q |= Q(path__startswith=unit.path)
    return OrgUnit.objects.unrestricted(STRUCTURE).filter(q).values("pk")


def _annexes(
    units: list[OrgUnit],
    children: dict[int, list[Any]],
    ids: list[int],
    sums: dict[tuple[int, int], int],
    names: dict[int, str],
) -> list[dict[str, Any]]:
    """An annex per unit of the report: a row per child unit of the time, and the unit's own
    row (what it recorded itself, not under a child), so the annex adds up to its total. Each
    unit is named in full as it was at the period's end (``names``)."""
    annexes = []
    for owner in units:
        rows: list[dict[str, Any]] = [
            {
                "id": c.unit_id,
                "code": c.code,
                "name": names.get(c.unit_id) or c.name,
                "values": [sums[(c.unit_id, i)] for i in ids],
            }
            for c in children[owner.pk]
        ]
        below = [sum(column) for column in zip(*(r["values"] for r in rows), strict=True)] if rows else [0] * len(ids)
        own = [sums[(owner.pk, i)] - below[k] for k, i in enumerate(ids)]
        if any(own):
            rows.append(
                {
                    "id": owner.pk,
                    "code": owner.code,
                    "name": _("%(unit)s (trực tiếp)") % {"unit": names.get(owner.pk) or owner.name},
                    "values": own,
                }
            )
        annexes.append(
            {
                "unit": _unit_dict(owner, names),
                "indicator_ids": ids,
                "rows": rows,
                "totals": [sum(column) for column in zip(*(r["values"] for r in rows), strict=True)]
                if rows
                else [0] * len(ids),
            }
        )
    return annexes


def report_content(
    *,
    period: ReportingPeriod,
    unit: OrgUnit,
    partner_unit: OrgUnit | None = None,
    progress: Any = None,
    annexes: bool = True,
) -> dict[str, Any]:
    """The content, as frozen on submission. ``annexes=False``: without the annexes (``None``),
    whose rows need every child unit's sums: the report's page shows a live draft's figures
    and loads an annex when it is opened (``views.report_annex``)."""
    units = [unit] + ([partner_unit] if partner_unit is not None else [])
    phase = period_phase(period)
    indicators = period_indicators(period, phase)
    ids = [i.pk for i in indicators]
    unit_ids = list(dict.fromkeys(u.pk for u in units))
    children = {
        owner.pk: child_units(owner, view="historical", start=period.start, end=period.end) if annexes else []
        for owner in units
    }
    child_ids = [c.unit_id for rows in children.values() for c in rows]
    # The roll-up sources of the units and their children (their paths known), for both periods.
    paths = {u.pk: u.path for u in units} | {c.unit_id: c.path for rows in children.values() for c in rows}
    sources = sources_for(unit_ids + child_ids, "historical", paths=paths)
    # Each unit's own total and its children's, in one read (the figures' total adds the units,
    # each annex subtracts its children from its unit).
    sums = _sums(sources, list(dict.fromkeys(unit_ids + child_ids)), ids, period.start, period.end)
    current = {i: sum(sums[(u, i)] for u in unit_ids) for i in ids}
    prev = _previous(period)
    previous: dict[int, int] | None = None
    if prev:
        before = _sums(sources, unit_ids, ids, prev["start"], prev["end"])
        previous = {i: sum(before[(u, i)] for u in unit_ids) for i in ids}
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

    # The four lists of the period: only the columns shown, each statement compiled once.
    key = (_units_key(units), period.start, period.end)
    counted = [ActivityStatus.SUBMITTED, ActivityStatus.APPROVED]
    # The programme's own activities: a unit in two programmes (Hội CCB tỉnh Nghệ An) reports
    # each programme's work in that programme's report, never the other's.
    activities = statements.rows(
        ("activities", period.programme_id, *key),
        lambda: (
            Activity.objects.unrestricted(OFFICIAL_TEXT)
            .filter(phase__programme_id=period.programme_id)
            .filter(lead_unit__in=_subtree_units(units), status__in=counted)
            .filter(end_date__gte=period.start, end_date__lte=period.end)
            .annotate(people=F("participants_lead") + F("participants_partner"))
            .order_by("-people", "-end_date", "pk")
            .values("pk", "title", "start_date", "end_date", "lead_unit_id", "people")[:LIST_LIMIT]
        ),
    )
    models = statements.rows(
        ("models", *key),
        lambda: (
            PracticeModel.objects.unrestricted(OFFICIAL_TEXT)
            .filter(_subtree_q(units, "origin_unit"), started_on__lte=period.end)
            .annotate(spread=Count("replications", filter=Q(replications__replicated_on__lte=period.end)))
            .order_by("-spread", "name", "pk")
            .values("pk", "name", "origin_unit_id", "field__name", "spread")[:LIST_LIMIT]
        ),
    )
    noted: dict[str, list[dict[str, Any]]] = {}
    for name, model in (("lessons", Lesson), ("proposals", Proposal)):
        noted[name] = statements.rows(
            (name, *key),
            lambda model=model: (  # type: ignore[misc]
                model.objects.unrestricted(OFFICIAL_TEXT)
                .filter(_subtree_q(units, "unit"))
                .filter(recorded_on__gte=period.start, recorded_on__lte=period.end)
                .order_by("-recorded_on", "pk")
                .values("pk", "title", "content", "unit_id")[:LIST_LIMIT]
            ),
        )
    # Every unit the content names, in full as it was at the period's end: one read.
    named = [*unit_ids, *child_ids, *(a["lead_unit_id"] for a in activities), *(m["origin_unit_id"] for m in models)]
    named += [n["unit_id"] for rows in noted.values() for n in rows]
    names = names_on(named, period.end)
    notes = {
        kind: [
            {"id": n["pk"], "title": n["title"], "content": n["content"], "unit": names.get(n["unit_id"], "")}
            for n in rows
        ]
        for kind, rows in noted.items()
    }
    annex_list = _annexes(units, children, ids, sums, names) if annexes else None
    if progress:
        progress(60)

    return {
        "computed_at": timezone.now().isoformat(),
        "period": {
            "id": period.pk,
            "name": period.name,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "previous_period": (
            {"id": prev["pk"], "name": prev["name"], "start": prev["start"].isoformat(), "end": prev["end"].isoformat()}
            if prev
            else None
        ),
        "phase": {"id": phase.pk, "code": phase.code, "name": phase.name} if phase else None,
        "value_label": value_label(period, phase),
        "previous_label": str(PREVIOUS_LABELS.get(PeriodKind(period.kind), _("Kỳ trước"))),
        "target_label": str(_("Chỉ tiêu giai đoạn")),
        "units": [_unit_dict(u, names) for u in units],
        "indicators": [
            {"id": i.pk, "code": i.code, "name": i.name, "unit_of_measure": i.unit_of_measure, "field_id": i.field_id}
            for i in indicators
        ],
        "fields": fields,
        "annexes": annex_list,
        "activities": [
            {
                "id": a["pk"],
                "title": a["title"],
                "start": a["start_date"].isoformat(),
                "end": a["end_date"].isoformat(),
                "unit": names.get(a["lead_unit_id"], ""),
                "people": a["people"],
            }
            for a in activities
        ],
        "models": [
            {
                "id": m["pk"],
                "name": m["name"],
                "unit": names.get(m["origin_unit_id"], ""),
                "field": m["field__name"],
                "spread": m["spread"],
            }
            for m in models
        ],
        **notes,
    }


def content_for(report: Report, *, annexes: bool = True) -> dict[str, Any]:
    """The frozen content of a sent report, or live content for a draft (``annexes``: see
    ``report_content``; a frozen content has its annexes)."""
    if report.frozen is not None and report.status != ReportStatus.DRAFT and report.status != ReportStatus.RETURNED:
        return report.frozen
    return report_content(period=report.period, unit=report.unit, partner_unit=report.partner_unit, annexes=annexes)


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


def _child_reports_qs(report: Report) -> QuerySet[Report]:
    q = Q(pk__in=[])
    for unit in report.units:
        q |= Q(unit__path__startswith=unit.path, unit__depth=unit.depth + 1)
    return (
        Report.objects.unrestricted(OFFICIAL_TEXT)
        .filter(q, period_id=report.period_id, status__in=[ReportStatus.SUBMITTED, ReportStatus.APPROVED])
        .order_by("unit__path")
    )


def child_reports(report: Report) -> list[Report]:
    """The submitted or approved reports of the children of the report's units, same period."""
    return list(
        _child_reports_qs(report)
        .select_related("unit")
        # What the API shows of them (not their frozen content).
        .only("pk", "status", "unit__code", "unit__name", "unit__short_name", "unit__path")
    )


def child_report_rows(report: Report) -> list[dict[str, Any]]:
    """``child_reports`` as the report page lists them: id, status and its label, the unit's name
    (the statement compiled once for the report's units and period)."""
    rows = statements.rows(
        ("child_reports", _units_key(report.units), report.period_id),
        lambda: _child_reports_qs(report).values("pk", "status", "unit__name"),
    )
    return [
        {
            "pk": r["pk"],
            "status": r["status"],
            "status_label": ReportStatus(r["status"]).label,
            "unit_name": r["unit__name"],
        }
        for r in rows
    ]
