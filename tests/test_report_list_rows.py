"""The reports' list and the reminders read as values and built in Python
(phoihop/reporting/selectors.py: ``list_page``, ``owed``, ``is_late``; report_rows.py).

Lateness is computed in Python for the rows read (``is_late``); it must be ``late_q``'s answer,
the one rule, for every report and around midnight (the first sending's local date counts).
The whole list's statements are kept per worker: the page read through them is the page the
paginator reads, and a filter never goes through them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone

from phoihop.reporting import selectors
from phoihop.reporting.models import Report

pytestmark = pytest.mark.django_db


def test_is_late_gives_late_q_answer_for_every_report(demo_user: Callable[[str], Any]) -> None:
    today = timezone.localdate()
    rows = list(
        selectors.with_due_date(Report.objects.restrict(demo_user("admin"), "view"), today).values(
            "first_submitted_at", "due", "late"
        )
    )
    assert rows
    for row in rows:
        assert selectors.is_late(row["first_submitted_at"], row["due"], today) == bool(row["late"])


def test_is_late_counts_the_local_date_of_the_first_sending(demo_user: Callable[[str], Any]) -> None:
    admin = demo_user("admin")
    report = Report.objects.restrict(admin, "view").first()
    assert report is not None
    dated = selectors.with_due_date(Report.objects.restrict(admin, "view").filter(pk=report.pk))
    due = dated.values_list("due", flat=True).get()
    zone = timezone.get_current_timezone()
    sendings = [
        None,
        datetime.combine(due, time(23, 30), zone),  # the due day, late evening: on time
        datetime.combine(due + timedelta(days=1), time(0, 30), zone),  # just after midnight: late
        datetime.combine(due - timedelta(days=3), time(8, 0), zone),
    ]
    for sent in sendings:
        Report.objects.unrestricted("a test sets the sending").filter(pk=report.pk).update(first_submitted_at=sent)
        for today in (due - timedelta(days=1), due, due + timedelta(days=1)):
            row = (
                selectors.with_due_date(Report.objects.restrict(admin, "view").filter(pk=report.pk), today)
                .values("first_submitted_at", "due", "late")
                .get()
            )
            assert selectors.is_late(row["first_submitted_at"], row["due"], today) == bool(row["late"]), (sent, today)


@pytest.mark.parametrize("username", ["hoankiem.ccb", "hanoi.ccb", "camau.ccb", "admin"])
def test_the_reminders_are_the_requests_owed_with_their_lateness(
    username: str, demo_user: Callable[[str], Any]
) -> None:
    user = demo_user(username)
    today = timezone.localdate()
    expected = [
        (r.pk, r.report_id, r.report_status or selectors.NOT_STARTED, bool(r.late))
        for r in selectors.owed_requests(user, today).order_by("due_date", "unit__path")[:50]
    ]
    for _ in range(2):  # built, then read through the statement kept
        rows = selectors.owed(user, today, limit=50)
        assert [(r.request.pk, r.report_id, r.status, r.late) for r in rows] == expected


@pytest.mark.parametrize("username", ["hanoi.ccb", "admin", "tuhoi"])
def test_the_whole_list_kept_is_the_list_the_paginator_reads(username: str, demo_user: Callable[[str], Any]) -> None:
    user = demo_user(username)
    reports = Report.objects.restrict(user, "view")
    for number in (None, "1", "2", "99", "0", "x"):
        for _ in range(2):  # built, then read through the statements kept
            page = selectors.list_page(reports, number, 10, whole_list_of=user)
            expected = Paginator(selectors.list_values(reports), 10).get_page(number)
            assert page.number == expected.number
            assert page.paginator.count == expected.paginator.count
            assert list(page) == list(expected)


def test_a_filtered_list_is_never_the_whole_list_kept(client_as: Callable[[str], Any]) -> None:
    client = client_as("hanoi.ccb")
    whole = client.get(reverse("reporting:report-list")).context["page"].paginator.count
    drafts = client.get(reverse("reporting:report-list"), {"status": "draft"}).context["page"]
    assert all(row["status"] == "draft" for row in drafts)
    assert drafts.paginator.count <= whole
    again = client.get(reverse("reporting:report-list")).context["page"].paginator.count
    assert again == whole
