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

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.activities.models import Activity, ActivityStatus
from phoihop.commendations.models import Nomination
from phoihop.commendations.selectors import nominations_to_decide
from phoihop.core.formats import vn_date
from phoihop.core.permissions import perms
from phoihop.core.scoping import get_scope
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
    led strictly below one of their approver units, in a programme that approves activities."""
    if not may_approve(user):
        return Activity.objects.restrict(user, "view").none()  # type: ignore[no-any-return]
    approvable = Activity.objects.restrict(user, "approve").filter(
        status=ActivityStatus.SUBMITTED, phase__programme__activity_approval=True
    )
    return Activity.objects.restrict(user, "view").filter(pk__in=approvable.values("pk"))


def activities_returned(user: Any) -> QuerySet[Activity]:
    """Activities the user created that came back to them with a reason."""
    return Activity.objects.restrict(user, "view").filter(status=ActivityStatus.RETURNED, created_by=user)


def reports_to_approve(user: Any) -> QuerySet[Report]:
    """Submitted reports the user may approve (``perms(user).for_(r).can("approve")``): in the
    approve scope, and, for a joint report, with a part of the user's still to approve."""
    if not may_approve(user):
        return Report.objects.restrict(user, "view").none()  # type: ignore[no-any-return]
    in_scope = Report.objects.restrict(user, "approve").filter(status=ReportStatus.SUBMITTED)
    reports = Report.objects.restrict(user, "view").filter(pk__in=in_scope.values("pk"))
    # Only a joint report can be half approved: those are few, and decided by the one rule.
    may = perms(user)
    done = [
        r.pk
        for r in reports.filter(partner_unit__isnull=False).select_related("unit", "partner_unit")
        if not approvable_units(may, r)
    ]
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


@dataclass
class Spec:
    key: str
    title: Any
    icon: str
    rows: Any  # (user, today) -> QuerySet
    page: tuple[str, dict[str, str]]
    api: tuple[str, dict[str, str]] | None
    items: Any  # (queryset, limit) -> list[Item]


def _url(name: str, params: dict[str, str]) -> str:
    return f"{reverse(name)}?{urlencode(params)}" if params else reverse(name)


def _activity_items(qs: QuerySet[Activity], limit: int) -> list[Item]:
    rows = qs.select_related("lead_unit").order_by("-submitted_at", "-pk")[:limit]
    return [
        Item(
            title=a.title,
            url=reverse("activities:detail", args=[a.pk]),
            meta=a.lead_unit.name,
            reason=a.return_reason if a.status == ActivityStatus.RETURNED else "",
        )
        for a in rows
    ]


def _report_items(qs: QuerySet[Report], limit: int) -> list[Item]:
    rows = qs.select_related("period", "unit", "partner_unit").order_by("-submitted_at", "-pk")[:limit]
    items = []
    for r in rows:
        units = r.unit.name + (f" – {r.partner_unit.name}" if r.partner_unit_id and r.partner_unit else "")
        items.append(
            Item(
                title=str(r.period.name),
                url=reverse("reporting:report", args=[r.pk]),
                meta=units,
                reason=r.return_reason if r.status == ReportStatus.RETURNED else "",
            )
        )
    return items


def _request_items(qs: QuerySet[ReportRequest], limit: int) -> list[Item]:
    rows = qs.select_related("period", "unit").order_by("due_date", "unit__path", "pk")[:limit]
    items = []
    for r in rows:
        if r.report_id:  # type: ignore[attr-defined]
            url = reverse("reporting:report", args=[r.report_id])  # type: ignore[attr-defined]
        else:
            url = f"{reverse('reporting:report-open')}?{urlencode({'period': r.period_id, 'unit': r.unit.code})}"
        due = _("hạn %(date)s") % {"date": vn_date(r.due_date)}
        items.append(Item(title=str(r.period.name), url=url, meta=f"{r.unit.name} · {due}", late=bool(r.late)))  # type: ignore[attr-defined]
    return items


def _nomination_items(qs: QuerySet[Nomination], limit: int) -> list[Item]:
    rows = qs.order_by("-created_at", "-pk")[:limit]
    return [
        Item(
            title=str(n.nominee_name),
            url=reverse("commendations:nomination-detail", args=[n.pk]),
            meta=f"{n.award} · {n.proposing_unit.name}",
        )
        for n in rows
    ]


def _exchange_items(qs: QuerySet[Exchange], limit: int) -> list[Item]:
    rows = qs.select_related("sender").order_by("-sent_at", "-pk")[:limit]
    return [Item(title=e.subject, url=reverse("records:exchange", args=[e.pk]), meta=e.sender.name) for e in rows]


SPECS: list[Spec] = [
    Spec(
        "activities_to_approve",
        _("Hoạt động chờ bạn duyệt"),
        "bi-check2-square",
        lambda user, today: activities_to_approve(user),
        ("activities:list", {"to_approve": "true"}),
        ("api:activity-list", {"to_approve": "true"}),
        _activity_items,
    ),
    Spec(
        "reports_to_approve",
        _("Báo cáo chờ bạn duyệt"),
        "bi-file-earmark-check",
        lambda user, today: reports_to_approve(user),
        ("reporting:report-list", {"to_approve": "true"}),
        ("api:report-list", {"to_approve": "true"}),
        _report_items,
    ),
    Spec(
        "activities_returned",
        _("Hoạt động bị trả lại"),
        "bi-arrow-return-left",
        lambda user, today: activities_returned(user),
        ("activities:list", {"returned_to_me": "true"}),
        ("api:activity-list", {"returned_to_me": "true"}),
        _activity_items,
    ),
    Spec(
        "reports_returned",
        _("Báo cáo bị trả lại"),
        "bi-arrow-return-left",
        lambda user, today: reports_returned(user),
        ("reporting:report-list", {"returned_to_me": "true"}),
        ("api:report-list", {"returned_to_me": "true"}),
        _report_items,
    ),
    Spec(
        "reports_due",
        _("Báo cáo đến hạn trong 7 ngày hoặc chậm"),
        "bi-calendar-event",
        requests_due,
        ("reporting:report-list", {"due_soon": "true"}),
        ("api:report-request-list", {"due_soon": "true"}),
        _request_items,
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
        _nomination_items,
    ),
    Spec(
        "exchanges_unread",
        _("Trao đổi thông tin chưa đọc"),
        "bi-envelope",
        lambda user, today: exchanges_unread(user),
        ("records:exchange-list", {"tab": "in", "unread": "true"}),
        ("api:exchange-list", {"unread": "true"}),
        _exchange_items,
    ),
]


def _count_all(querysets: list[QuerySet[Any]]) -> list[int]:
    """Every queryset's count in one statement (scalar subqueries), on SQLite and PostgreSQL."""
    parts: list[str] = []
    params: list[Any] = []
    for i, qs in enumerate(querysets):
        try:
            sql, p = qs.values("pk").query.sql_with_params()
        except EmptyResultSet:  # a rule that can match nothing for this user (no role for it)
            parts.append("0")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS inbox_{i})")
        params.extend(p)
    with connections[router.db_for_read(Activity)].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return [int(n) for n in cursor.fetchone()]


def _querysets(user: Any, today: date) -> list[QuerySet[Any]]:
    return [spec.rows(user, today) for spec in SPECS]


def inbox(user: Any, *, items: int = ITEMS_SHOWN, today: date | None = None) -> list[Group]:
    """Every group of the user's inbox, with its count, its links and its first items.
    The counts cost one statement (plus one read of joint reports); the items one per group
    that is not empty."""
    day = today or timezone.localdate()
    querysets = _querysets(user, day)
    counts = _count_all(querysets)
    groups = []
    for spec, qs, n in zip(SPECS, querysets, counts, strict=True):
        groups.append(
            Group(
                key=spec.key,
                title=str(spec.title),
                icon=spec.icon,
                count=n,
                page_url=_url(*spec.page),
                api_url=_url(*spec.api) if spec.api else None,
                items=spec.items(qs, items) if n and items else [],
            )
        )
    return groups


def inbox_total(user: Any, today: date | None = None) -> int:
    """The number of things waiting, for the menu's badge (one statement for the counts)."""
    return sum(_count_all(_querysets(user, today or timezone.localdate())))
