"""Reads of the reporting cycle: requests with their report's status, completeness and
timeliness by level (like DHIS2's reporting rates), and the reports a user's units still owe.
Every read starts from a restricted queryset."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    DateField,
    DateTimeField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from phoihop.orgunits.models import OrgUnit, OrgUnitLevel
from phoihop.reporting.models import Report, ReportingPeriod, ReportRequest, ReportStatus

NOT_STARTED = "not_started"
STATUS_LABELS = {NOT_STARTED: "Chưa soạn", **dict(ReportStatus.choices)}


def late_q(*, sent: str, due: str, today: date | None = None) -> Q:
    """The one lateness rule: a report is late when its due date passed before its first
    sending, or, not sent yet, before today. ``sent`` and ``due`` name the fields (or
    annotations) holding the first sending and the due date; no due date, never late."""
    day = today or timezone.localdate()
    return Q(**{f"{sent}__isnull": True, f"{due}__lt": day}) | Q(
        **{f"{sent}__isnull": False, f"{sent}__date__gt": F(due)}
    )


def _flag(q: Q) -> Case:
    return Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())


def with_report(requests: QuerySet, today: date | None = None) -> QuerySet:
    """Annotate each request with its report (the unit's own, or a joint one it is part of),
    and whether that report is late (``late``)."""
    reports = Report.objects.filter(period=OuterRef("period")).filter(
        Q(unit=OuterRef("unit")) | Q(partner_unit=OuterRef("unit"))
    )
    return requests.annotate(
        report_id=Subquery(reports.values("pk")[:1]),
        report_status=Subquery(reports.values("status")[:1]),
        report_first_sent=Subquery(reports.values("first_submitted_at")[:1], output_field=DateTimeField()),
    ).annotate(late=_flag(late_q(sent="report_first_sent", due="due_date", today=today)))


@dataclass
class RequestRow:
    request: ReportRequest
    report_id: int | None
    status: str
    sent_on: date | None
    late: bool

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def submitted(self) -> bool:
        return self.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


def with_due_date(reports: QuerySet, today: date | None = None) -> QuerySet:
    """Each report's due date (``due``: its unit's request for the period, else the period's)
    and whether it is late (``late``, by ``late_q``)."""
    requested = ReportRequest.objects.filter(period=OuterRef("period"), unit=OuterRef("unit")).values("due_date")[:1]
    return reports.annotate(
        due=Coalesce(Subquery(requested, output_field=DateField()), F("period__due_date"))
    ).annotate(late=_flag(late_q(sent="first_submitted_at", due="due", today=today)))


def row_of(request: Any) -> RequestRow:
    """A request annotated by ``with_report``, as a row of the completeness pages."""
    sent = timezone.localtime(request.report_first_sent).date() if request.report_first_sent else None
    status = request.report_status or NOT_STARTED
    return RequestRow(request, request.report_id, status, sent, bool(request.late))


def request_rows(requests: QuerySet, today: date | None = None) -> list[RequestRow]:
    return [row_of(r) for r in with_report(requests.select_related("unit", "period"), today)]


@dataclass
class LevelRate:
    level: OrgUnitLevel
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    missing: list[RequestRow] = field(default_factory=list)

    @property
    def share_submitted(self) -> float:
        return self.submitted / self.expected if self.expected else 0.0

    @property
    def share_on_time(self) -> float:
        return self.on_time / self.expected if self.expected else 0.0


def completeness(*, period: ReportingPeriod, user: Any, under: OrgUnit | None = None) -> list[LevelRate]:
    """By organisation level: requests owed in the user's view scope (or under ``under``),
    how many were sent, how many on time, and the units still missing."""
    requests = ReportRequest.objects.restrict(user, "view").filter(period=period)
    if under is not None:
        requests = requests.filter(unit__path__startswith=under.path)
    rates: dict[int, LevelRate] = {}
    today = timezone.localdate()
    for row in request_rows(requests.select_related("unit__level__organisation").order_by("unit__path"), today):
        level = row.request.unit.level
        rate = rates.setdefault(level.pk, LevelRate(level))
        rate.expected += 1
        if row.submitted:
            rate.submitted += 1
            if not row.late:
                rate.on_time += 1
        else:
            rate.missing.append(row)
    return sorted(rates.values(), key=lambda r: (r.level.organisation_id, r.level.rank))


def owed_requests(user: Any, today: date | None = None) -> QuerySet:
    """Requests of the units the user writes for (those of their own role assignments, not
    every unit below) whose report is not sent yet, annotated by ``with_report``."""
    from phoihop.core.scoping import get_scope

    requests = ReportRequest.objects.restrict(user, "view").filter(unit_id__in=get_scope(user).unit_ids("change"))
    unsent = Q(report_status__isnull=True) | Q(report_status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED])
    return with_report(requests, today).filter(unsent)


def owed(user: Any, today: date | None = None, limit: int = 20) -> list[RequestRow]:
    """Reminders: the requests ``owed_requests`` gives, the most urgent first. The level above
    follows its subtree on the period's completeness page."""
    requests = owed_requests(user, today).select_related("unit", "period").order_by("due_date", "unit__path")
    return [row_of(r) for r in requests[:limit]]
