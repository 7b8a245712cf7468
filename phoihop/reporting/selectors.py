"""Reads of the reporting cycle: requests with their report's status, completeness and
timeliness by level (like DHIS2's reporting rates), and the reports a user's units still owe.
Every read starts from a restricted queryset."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import router
from django.db.models import (
    BooleanField,
    Case,
    DateField,
    DateTimeField,
    Exists,
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

from phoihop.accounts.models import User
from phoihop.core import statements
from phoihop.orgunits.models import OrgUnit, OrgUnitLevel
from phoihop.programmes.models import Phase, Programme
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


def is_late(sent: datetime | None, due: date | None, today: date) -> bool:
    """``late_q`` for one row already read (the same rule, in Python): late when the due date
    passed before the first sending (its local date), or, not sent yet, before ``today``."""
    if due is None:
        return False
    if sent is None:
        return due < today
    return timezone.localtime(sent).date() > due


def _flag(q: Q) -> Case:
    return Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())


def with_report(requests: QuerySet, today: date | None = None, *, late: bool = True) -> QuerySet:
    """Annotate each request with its report (the unit's own, or a joint one it is part of),
    and whether that report is late (``late``; ``late=False`` leaves it to ``is_late``)."""
    # A unit has one report per period, its own or a joint one (services.report_open); should two
    # ever exist, the first by the lead unit's path (the period is the request's: the model's
    # ordering "-period__end" adds nothing but a join).
    reports = (
        Report.objects.filter(period=OuterRef("period"))
        .filter(Q(unit=OuterRef("unit")) | Q(partner_unit=OuterRef("unit")))
        .order_by("unit__path")
    )
    requests = requests.annotate(
        report_id=Subquery(reports.values("pk")[:1]),
        report_status=Subquery(reports.values("status")[:1]),
        report_first_sent=Subquery(reports.values("first_submitted_at")[:1], output_field=DateTimeField()),
    )
    if not late:
        return requests
    return requests.annotate(late=_flag(late_q(sent="report_first_sent", due="due_date", today=today)))


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


def _due_date() -> Coalesce:
    """A report's due date: its unit's request for the period, else the period's."""
    # One request per period and unit (request_unique): no ordering, no joins for one.
    requested = (
        ReportRequest.objects.filter(period=OuterRef("period"), unit=OuterRef("unit")).order_by().values("due_date")[:1]
    )
    return Coalesce(Subquery(requested, output_field=DateField()), F("period__due_date"))


def with_due_date(reports: QuerySet, today: date | None = None) -> QuerySet:
    """Each report's due date (``due``: its unit's request for the period, else the period's)
    and whether it is late (``late``, by ``late_q``)."""
    return reports.annotate(due=_due_date()).annotate(
        late=_flag(late_q(sent="first_submitted_at", due="due", today=today))
    )


# The report page's read: the report with what its page shows of its relations (as the ORM's
# select_related would), its due date and lateness, and whether the reader may change it and
# approve it (the gate's own answers: restrict(user, action), as Permissions.in_scope asks them).
PAGE_RELATIONS: tuple[tuple[str, type[Any]], ...] = (
    ("period", ReportingPeriod),
    ("period__programme", Programme),
    ("period__phase", Phase),
    ("unit", OrgUnit),
    ("partner_unit", OrgUnit),
    ("created_by", User),
    ("submitted_by", User),
    ("decided_by", User),
)
PAGE_ACTIONS = ("change", "approve")


def related_instance(model: type[Any], row: dict[str, Any], relations: tuple[tuple[str, type[Any]], ...]) -> Any:
    """An instance of ``model`` from a row of ``statements.attnames`` of it and of each of
    ``relations`` (name through its owner, model: "period", "period__programme"), each related
    object cached on its owner as select_related leaves it (None for an empty nullable one)."""
    made: dict[str, Any] = {"": statements.instance(model, row)}
    for relation, related_model in relations:
        owner_path, _, name = relation.rpartition("__")
        owner = made[owner_path]
        related = None
        if owner is not None and row[f"{relation}__id"] is not None:
            related = statements.instance(related_model, row, f"{relation}__")
        if owner is not None:
            getattr(type(owner), name).field.set_cached_value(owner, related)
        made[relation] = related
    return made[""]


def _page_values(user: Any, pk: int) -> QuerySet:
    reports = Report.objects.restrict(user, "view").filter(pk=pk)
    scope = {
        f"in_scope_{action}": Exists(Report.objects.restrict(user, action).filter(pk=OuterRef("pk")))
        for action in PAGE_ACTIONS
    }
    names = statements.attnames(Report)
    for relation, model in PAGE_RELATIONS:
        names += statements.attnames(model, f"{relation}__")
    return with_due_date(reports).annotate(**scope).values(*names, "due", "late", *scope)


def report_for_page(user: Any, pk: int) -> tuple[Report, dict[str, bool]] | None:
    """The report ``pk`` if ``user`` reads it, with its relations, ``due`` and ``late``
    (``with_due_date``), and whether it is in the user's scope to change and to approve; its
    statement kept for the user's roles of the day and the report (core/statements.py), the row
    read afresh. None: not there or not readable."""
    key = (*statements.plan_key(user, timezone.localdate()), pk)
    found = statements.rows(key, lambda: _page_values(user, pk))
    if not found:
        return None
    row = found[0]
    report = related_instance(Report, row, PAGE_RELATIONS)
    report.due = row["due"]  # type: ignore[attr-defined]
    report.late = row["late"]  # type: ignore[attr-defined]
    return report, {action: bool(row[f"in_scope_{action}"]) for action in PAGE_ACTIONS}


# What a row of the reports' list shows (reporting/report_rows.py).
LIST_FIELDS = (
    "pk",
    "period__name",
    "period__programme__title",
    "unit__code",
    "unit__name",
    "partner_unit_id",
    "partner_unit__name",
    "status",
    "number",
    "first_submitted_at",
    "submitted_at",
    "due",
)


def list_values(reports: QuerySet) -> QuerySet:
    """The reports' list (``reports`` scoped and filtered already): the newest periods first,
    each row the values it shows with its due date (``due``; late by ``is_late``)."""
    ordered = reports.annotate(due=_due_date()).order_by("-period__end", "period__kind", "unit__path", "pk")
    return ordered.values(*LIST_FIELDS)


class Listed(dict[str, Any]):
    """A row read as values (``values()``) that answers ``pk`` as the record it stands for does
    (the pages' lists hold these)."""

    @property
    def pk(self) -> Any:
        return self["pk"]


def listed(page: Page) -> Page:
    """``page`` with its rows (values) as ``Listed`` rows."""
    page.object_list = [Listed(row) for row in page.object_list]
    return page


def list_page(reports: QuerySet, number: Any, per_page: int, *, whole_list_of: Any = None) -> Page:
    """The page ``number`` of the reports' list (``list_values`` of ``reports``, scoped and
    filtered), as ``Paginator.get_page`` chooses it.

    ``whole_list_of``: the user whose whole list ``reports`` is (``restrict(user, "view")``, no
    filter), the page most opened. Its two statements (the number of rows, the page's rows)
    depend on nothing but the user's scope: they are built and compiled once per worker for the
    user's roles of the day and the day (``core.statements``: only the SQL is kept, the rows are
    read each time)."""
    if whole_list_of is None:
        return listed(Paginator(list_values(reports), per_page).get_page(number))
    from phoihop.core.statements import compile_scalars, compile_values, kept, plan_key

    key = plan_key(whole_list_of, timezone.localdate())
    counted = kept(key, "reporting:list:count", lambda: compile_scalars([list_values(reports)], reports.db))
    paginator: Any = Paginator((), per_page)
    paginator.count = counted.rows()[0]["n0"] if counted is not None else 0  # the cached property, known now
    chosen = paginator.get_page(number).number
    start = (chosen - 1) * per_page
    statement = kept(
        key,
        f"reporting:list:{chosen}:{per_page}",
        lambda: compile_values(list_values(reports)[start : start + per_page]),
    )
    return listed(Page(statement.rows() if statement is not None else [], chosen, paginator))


def visible_programmes(user: Any) -> list[Programme]:
    """The programmes the user reads (``restrict(user, "view")``), by code, with their code and
    title (the rest deferred); its statement is kept as ``list_page`` keeps the whole list's."""
    from phoihop.core.statements import compile_values, kept, plan_key

    statement = kept(
        plan_key(user, timezone.localdate()),
        "reporting:programmes",
        lambda: compile_values(Programme.objects.restrict(user, "view").order_by("code").values("pk", "code", "title")),
    )
    rows = statement.rows() if statement is not None else []
    db = router.db_for_read(Programme)
    return [Programme.from_db(db, ["id", "code", "title"], (r["pk"], r["code"], r["title"])) for r in rows]


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


def owed_requests(user: Any, today: date | None = None, *, late: bool = True) -> QuerySet:
    """Requests of the units the user writes for (those of their own role assignments, not
    every unit below) whose report is not sent yet, annotated by ``with_report``."""
    from phoihop.core.scoping import get_scope

    requests = ReportRequest.objects.restrict(user, "view").filter(unit_id__in=get_scope(user).unit_ids("change"))
    # No report yet, or one in draft or returned: the report's status read once (not once per test).
    state = Coalesce(F("report_status"), Value(NOT_STARTED))
    unsent = [NOT_STARTED, ReportStatus.DRAFT, ReportStatus.RETURNED]
    return with_report(requests, today, late=late).alias(report_state=state).filter(report_state__in=unsent)


# What a reminder shows of its request (reporting/_owed.html), read as values.
OWED_ONLY = ("period", "unit", "due_date", "period__name", "unit__name", "unit__code")
OWED_FIELDS = (
    "pk",
    "period_id",
    "period__name",
    "unit__code",
    "unit__name",
    "due_date",
    "report_id",
    "report_status",
    "report_first_sent",
)


def owed(user: Any, today: date | None = None, limit: int = 20) -> list[RequestRow]:
    """Reminders: the requests ``owed_requests`` gives, the most urgent first. The level above
    follows its subtree on the period's completeness page.

    Each row's request carries what the reminders show of it (its pk, period id and name, unit
    code and name, due date). The statement is compiled once per worker for the user's roles of
    the day and the day (``core.statements``: only the SQL is kept, the rows are read each time);
    lateness is ``is_late`` of the rows read."""
    from phoihop.core.statements import compile_values, kept, plan_key

    day = today or timezone.localdate()
    statement = kept(
        plan_key(user, day),
        f"reporting:owed:{limit}",
        lambda: compile_values(
            owed_requests(user, day, late=False).order_by("due_date", "unit__path").values(*OWED_FIELDS)[:limit]
        ),
    )
    rows = []
    for row in statement.rows() if statement is not None else []:
        request: Any = SimpleNamespace(  # what the reminders read of a ReportRequest
            pk=row["pk"],
            period_id=row["period_id"],
            period=SimpleNamespace(name=row["period__name"]),
            unit=SimpleNamespace(code=row["unit__code"], name=row["unit__name"]),
            due_date=row["due_date"],
        )
        sent = row["report_first_sent"]
        sent_on = timezone.localtime(sent).date() if sent else None
        late = is_late(sent, row["due_date"], day)
        rows.append(RequestRow(request, row["report_id"], row["report_status"] or NOT_STARTED, sent_on, late))
    return rows
