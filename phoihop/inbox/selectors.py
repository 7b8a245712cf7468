"""Việc cần làm: what waits for the user, one group per kind of work.

Each group is one rule, kept here and nowhere else: a function returning the queryset of the
rows (always scoped through the gate). The list pages and API lists the inbox links to filter
with the same function (``?to_approve=true``, ``?returned_to_me=true``, ``?due_soon=true``,
``?unread=true``; nominations reuse ``commendations.selectors.nominations_to_decide`` and
its ``?tab=decide`` / ``?to_decide=true``), so a group's count always equals its list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db import router
from django.db.models import Count, Q, QuerySet, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.activities.models import Activity, ActivityStatus
from phoihop.commendations.models import Nomination
from phoihop.commendations.selectors import nominations_to_decide
from phoihop.core.formats import vn_date
from phoihop.core.gate import PROGRAMME_DATA
from phoihop.core.permissions import perms
from phoihop.core.scoping import get_scope
from phoihop.core.statements import Compiled, compile_scalars, compile_values, kept, plan_key
from phoihop.programmes.models import Phase
from phoihop.records.models import Exchange, ExchangeRecipient
from phoihop.records.permissions import received_q
from phoihop.reporting.models import Report, ReportRequest, ReportStatus
from phoihop.reporting.permissions import approvable_units
from phoihop.reporting.selectors import owed_requests

DUE_WITHIN_DAYS = 7
ITEMS_SHOWN = 5


# --- the rules -----------------------------------------------------------------------------------


def may_approve(user: Any) -> bool:
    """Whether any approval can be the user's: every ``restrict(user, "approve")`` is empty for a
    user who is not a system administrator and holds no approver role (``ACTION_ROLES``), so the
    groups of approvals are not built for them (most users, and the cost of the home page)."""
    scope = get_scope(user)
    return scope.is_system_admin or bool(scope.paths("approve"))


def activities_to_approve(user: Any) -> QuerySet[Activity]:
    """Submitted activities the user may approve (``perms(user).for_(a).can("approve")``):
    led strictly below one of their approver units, in a programme that approves activities.
    (What a user may approve they may read: the approve scope lies inside the view scope.)"""
    if not may_approve(user):
        return Activity.objects.restrict(user, "view").none()  # type: ignore[no-any-return]
    # The phases of such programmes, as a list of ids: the activities' (phase, status) index
    # finds the few submitted ones instead of reading every activity.
    approving = Phase.objects.unrestricted(PROGRAMME_DATA).filter(programme__activity_approval=True).values("pk")
    return Activity.objects.restrict(user, "approve").filter(  # type: ignore[no-any-return]
        status=ActivityStatus.SUBMITTED, phase__in=approving
    )


def activities_returned(user: Any) -> QuerySet[Activity]:
    """Activities the user created that came back to them with a reason."""
    return Activity.objects.restrict(user, "view").filter(status=ActivityStatus.RETURNED, created_by=user)


def reports_submitted_to(user: Any) -> QuerySet[Report]:
    """Submitted reports in the user's approve scope (inside their view scope), joint reports
    whose every part the user may approve already approved included (``reports_to_approve``)."""
    if not may_approve(user):
        return Report.objects.restrict(user, "view").none()  # type: ignore[no-any-return]
    return Report.objects.restrict(user, "approve").filter(status=ReportStatus.SUBMITTED)  # type: ignore[no-any-return]


def joint_not_mine(user: Any, reports: QuerySet[Report]) -> list[int]:
    """The joint reports of ``reports`` with no part left for the user to approve (decided by
    the one rule, ``reporting.permissions.approvable_units``). Only a joint report can be half
    approved: those are few."""
    may = perms(user)
    joint = reports.filter(partner_unit__isnull=False).select_related("unit", "partner_unit")
    return [r.pk for r in joint if not approvable_units(may, r)]


def reports_to_approve(user: Any) -> QuerySet[Report]:
    """Submitted reports the user may approve (``perms(user).for_(r).can("approve")``): in the
    approve scope, and, for a joint report, with a part of the user's still to approve."""
    reports = reports_submitted_to(user)
    done = joint_not_mine(user, reports)
    return reports.exclude(pk__in=done) if done else reports


def reports_returned(user: Any) -> QuerySet[Report]:
    """Reports the user opened or sent that came back to them with a reason."""
    return Report.objects.restrict(user, "view").filter(
        Q(created_by=user) | Q(submitted_by=user), status=ReportStatus.RETURNED
    )


def requests_due(user: Any, today: date | None = None) -> QuerySet[ReportRequest]:
    """Report requests the user's units still owe (``reporting.selectors.owed_requests``) that
    are due within seven days or already late (``late_q``: due before today, not sent)."""
    day = today or timezone.localdate()
    return owed_requests(user, day).filter(due_date__lte=day + timedelta(days=DUE_WITHIN_DAYS))


def exchanges_unread(user: Any) -> QuerySet[Exchange]:
    """Exchanges received by the user's units (``records.permissions.received_q``) that nobody
    there has read yet."""
    unread = ExchangeRecipient.objects.filter(received_q(user), read_at__isnull=True)
    return Exchange.objects.restrict(user, "view").filter(pk__in=unread.values("exchange"))


# --- the groups ----------------------------------------------------------------------------------


@dataclass
class Item:
    title: str
    url: str
    meta: str = ""
    reason: str = ""
    late: bool = False


@dataclass
class Group:
    key: str
    title: str
    icon: str
    count: int
    page_url: str
    api_url: str | None
    items: list[Item] = field(default_factory=list)

    @property
    def more(self) -> int:
        return max(self.count - len(self.items), 0)


class Links:
    """Detail links by pk, each name reversed once per inbox (not once per item)."""

    PLACEHOLDER = 987654321  # a pk no row has, replaced in the reversed link

    def __init__(self) -> None:
        self._parts: dict[str, tuple[str, str]] = {}

    def __call__(self, name: str, pk: int) -> str:
        parts = self._parts.get(name)
        if parts is None:
            head, _sep, tail = reverse(name, args=[self.PLACEHOLDER]).partition(str(self.PLACEHOLDER))
            parts = self._parts[name] = (head, tail)
        return f"{parts[0]}{pk}{parts[1]}"


Row = dict[str, Any]


@dataclass
class Spec:
    key: str
    title: Any
    icon: str
    rows: Any  # (user, today) -> QuerySet: the rule (for reports to approve, before ``joint_not_mine``)
    page: tuple[str, dict[str, str]]
    api: tuple[str, dict[str, str]] | None
    fields: tuple[str, ...]  # what an item shows, read with ``values()``
    order: tuple[str, ...]
    item: Any  # (row, links) -> Item
    joint: bool = False  # reports to approve: the rule's rows less ``joint_not_mine``


def _url(name: str, params: dict[str, str]) -> str:
    return f"{reverse(name)}?{urlencode(params)}" if params else reverse(name)


ACTIVITY_FIELDS = ("pk", "title", "lead_unit__name", "status", "return_reason")
REPORT_FIELDS = ("pk", "period__name", "unit__name", "partner_unit_id", "partner_unit__name", "status", "return_reason")


def _activity_item(row: Row, link: Links) -> Item:
    return Item(
        title=row["title"],
        url=link("activities:detail", row["pk"]),
        meta=row["lead_unit__name"],
        reason=row["return_reason"] if row["status"] == ActivityStatus.RETURNED else "",
    )


def _report_item(row: Row, link: Links) -> Item:
    partner = row["partner_unit__name"] if row["partner_unit_id"] else None
    return Item(
        title=str(row["period__name"]),
        url=link("reporting:report", row["pk"]),
        meta=row["unit__name"] + (f" – {partner}" if partner is not None else ""),
        reason=row["return_reason"] if row["status"] == ReportStatus.RETURNED else "",
    )


def _request_item(row: Row, link: Links) -> Item:
    if row["report_id"]:
        url = link("reporting:report", row["report_id"])
    else:
        url = f"{reverse('reporting:report-open')}?{urlencode({'period': row['period_id'], 'unit': row['unit__code']})}"
    due = _("hạn %(date)s") % {"date": vn_date(row["due_date"])}
    return Item(title=str(row["period__name"]), url=url, meta=f"{row['unit__name']} · {due}", late=bool(row["late"]))


def _nomination_item(row: Row, link: Links) -> Item:
    if row["nominee_unit_id"]:
        nominee = row["nominee_unit__name"]
    else:
        nominee = row["person__full_name"] if row["person_id"] else ""
    return Item(
        title=str(nominee),
        url=link("commendations:nomination-detail", row["pk"]),
        meta=f"{row['award__name']} · {row['proposing_unit__name']}",
    )


def _exchange_item(row: Row, link: Links) -> Item:
    return Item(title=row["subject"], url=link("records:exchange", row["pk"]), meta=row["sender__name"])


SPECS: list[Spec] = [
    Spec(
        "activities_to_approve",
        _("Hoạt động chờ bạn duyệt"),
        "bi-check2-square",
        lambda user, today: activities_to_approve(user),
        ("activities:list", {"to_approve": "true"}),
        ("api:activity-list", {"to_approve": "true"}),
        ACTIVITY_FIELDS,
        ("-submitted_at", "-pk"),
        _activity_item,
    ),
    Spec(
        "reports_to_approve",
        _("Báo cáo chờ bạn duyệt"),
        "bi-file-earmark-check",
        lambda user, today: reports_submitted_to(user),
        ("reporting:report-list", {"to_approve": "true"}),
        ("api:report-list", {"to_approve": "true"}),
        REPORT_FIELDS,
        ("-submitted_at", "-pk"),
        _report_item,
        joint=True,
    ),
    Spec(
        "activities_returned",
        _("Hoạt động bị trả lại"),
        "bi-arrow-return-left",
        lambda user, today: activities_returned(user),
        ("activities:list", {"returned_to_me": "true"}),
        ("api:activity-list", {"returned_to_me": "true"}),
        ACTIVITY_FIELDS,
        ("-submitted_at", "-pk"),
        _activity_item,
    ),
    Spec(
        "reports_returned",
        _("Báo cáo bị trả lại"),
        "bi-arrow-return-left",
        lambda user, today: reports_returned(user),
        ("reporting:report-list", {"returned_to_me": "true"}),
        ("api:report-list", {"returned_to_me": "true"}),
        REPORT_FIELDS,
        ("-submitted_at", "-pk"),
        _report_item,
    ),
    Spec(
        "reports_due",
        _("Báo cáo đến hạn trong 7 ngày hoặc chậm"),
        "bi-calendar-event",
        requests_due,
        ("reporting:report-list", {"due_soon": "true"}),
        ("api:report-request-list", {"due_soon": "true"}),
        ("pk", "period_id", "period__name", "unit__name", "unit__code", "due_date", "report_id", "late"),
        ("due_date", "unit__path", "pk"),
        _request_item,
    ),
    Spec(
        "nominations_to_decide",
        _("Đề nghị khen thưởng chờ bạn xét"),
        "bi-award",
        lambda user, today: (
            nominations_to_decide(user) if may_approve(user) else Nomination.objects.restrict(user, "view").none()
        ),
        ("commendations:nomination-list", {"tab": "decide"}),
        ("api:nomination-list", {"to_decide": "true"}),
        (
            "pk",
            "nominee_unit_id",
            "nominee_unit__name",
            "person_id",
            "person__full_name",
            "award__name",
            "proposing_unit__name",
        ),
        ("-created_at", "-pk"),
        _nomination_item,
    ),
    Spec(
        "exchanges_unread",
        _("Trao đổi thông tin chưa đọc"),
        "bi-envelope",
        lambda user, today: exchanges_unread(user),
        ("records:exchange-list", {"tab": "in", "unread": "true"}),
        ("api:exchange-list", {"unread": "true"}),
        ("pk", "subject", "sender__name"),
        ("-sent_at", "-pk"),
        _exchange_item,
    ),
]
JOINT = next(i for i, spec in enumerate(SPECS) if spec.joint)


def _first_rows(spec: Spec, qs: QuerySet[Any], limit: int) -> QuerySet[Any]:
    """The first ``limit`` rows of a group with its count (``inbox_total``, a window over all its
    rows): the count and the items in one statement."""
    extra: dict[str, Any] = {"inbox_total": Window(Count("pk"))}
    if spec.joint:  # how many of the rows are joint reports (``joint_not_mine`` only when some are)
        extra["inbox_joint"] = Window(Count("partner_unit"))
    return qs.annotate(**extra).order_by(*spec.order).values(*spec.fields, *extra)[:limit]


def _group_rows(user: Any, day: date, key: tuple[Any, ...], spec: Spec, limit: int) -> tuple[int, list[Row]]:
    """A group's count and its first ``limit`` rows."""
    statement = kept(key, f"{spec.key}:{limit}", lambda: compile_values(_first_rows(spec, spec.rows(user, day), limit)))
    rows = statement.rows() if statement is not None else []
    if spec.joint and rows and rows[0]["inbox_joint"]:
        base = spec.rows(user, day)
        done = joint_not_mine(user, base)
        if done:  # rows that depend on the data are never kept: read through the ORM
            rows = list(_first_rows(spec, base.exclude(pk__in=done), limit))
    return (rows[0]["inbox_total"] if rows else 0), rows


def _counts(user: Any, day: date, key: tuple[Any, ...]) -> list[int]:
    """Every group's count in one statement (scalar subqueries), on SQLite and PostgreSQL."""

    def build() -> Compiled:
        parts = [spec.rows(user, day) for spec in SPECS]
        parts.append(parts[JOINT].filter(partner_unit__isnull=False))
        return compile_scalars(parts, router.db_for_read(Activity))

    statement = kept(key, "counts", build)
    assert statement is not None
    row = statement.rows()[0]
    counts = [int(row[f"n{i}"]) for i in range(len(SPECS))]
    if row[f"n{len(SPECS)}"]:  # joint reports among those to approve: drop those with no part left
        counts[JOINT] -= len(joint_not_mine(user, SPECS[JOINT].rows(user, day)))
    return counts


def inbox(user: Any, *, items: int = ITEMS_SHOWN, today: date | None = None) -> list[Group]:
    """Every group of the user's inbox, with its count, its links and its first items.
    With items: one statement per group (its count and first rows); without: one for all the
    counts. Each statement is compiled once per worker for the user's roles and the day
    (``core.statements``); a joint report to approve costs one more read."""
    day = today or timezone.localdate()
    key = plan_key(user, day)
    link = Links()
    if items:
        found = [_group_rows(user, day, key, spec, items) for spec in SPECS]
    else:
        found = [(n, []) for n in _counts(user, day, key)]
    return [
        Group(
            key=spec.key,
            title=str(spec.title),
            icon=spec.icon,
            count=n,
            page_url=_url(*spec.page),
            api_url=_url(*spec.api) if spec.api else None,
            items=[spec.item(row, link) for row in rows],
        )
        for spec, (n, rows) in zip(SPECS, found, strict=True)
    ]


def inbox_total(user: Any, today: date | None = None) -> int:
    """The number of things waiting, for the menu's badge (one statement for the counts)."""
    day = today or timezone.localdate()
    return sum(_counts(user, day, plan_key(user, day)))
