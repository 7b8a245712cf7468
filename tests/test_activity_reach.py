"""The activity pages answer from what they read, the same as the gate's queries (issue 13, item 9).

The detail page tells the permission object whether an activity is within the user's reach to
change and to approve from its lead unit (``remember_reach``), and the list marks the rows led
here from the lead units' paths: both must agree with ``restrict(user, "change")`` and
``restrict(user, "approve")`` for every demo user, on activities led in and out of their units.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from phoihop.activities.list_rows import read_rows
from phoihop.activities.models import Activity
from phoihop.activities.permissions import remember_reach
from phoihop.core.gate import system_job
from phoihop.core.permissions import Permissions

pytestmark = pytest.mark.django_db

USERS = ("admin", "tcct", "tuhoi", "hanoi.qs", "hanoi.ccb", "camau.ccb", "hoankiem.ccb")


def _sample() -> list[Activity]:
    """A few activities of every lead unit level: the first and last of each depth of the tree."""
    with system_job("a sample of activities to compare the pages' answers with the gate's"):
        picked: dict[int, Activity] = {}
        for depth in sorted(set(Activity.objects.values_list("lead_unit__depth", flat=True))):
            at_depth = Activity.objects.filter(lead_unit__depth=depth).select_related("lead_unit")
            for activity in (at_depth.order_by("pk").first(), at_depth.order_by("-pk").first()):
                if activity is not None:
                    picked[activity.pk] = activity
        return list(picked.values())


@pytest.mark.parametrize("username", USERS)
def test_the_detail_page_knows_the_reach_the_gate_answers(username: str, demo_user: Callable[[str], Any]) -> None:
    user = demo_user(username)
    for activity in _sample():
        permissions = Permissions(user)
        led_here = remember_reach(permissions, activity)
        may_change = Activity.objects.restrict(user, "change").filter(pk=activity.pk).exists()
        may_approve = Activity.objects.restrict(user, "approve").filter(pk=activity.pk).exists()
        assert led_here == may_change, (username, activity.pk)
        assert permissions.in_scope(activity, "change") == may_change, (username, activity.pk)
        assert permissions.in_scope(activity, "approve") == may_approve, (username, activity.pk)


@pytest.mark.parametrize("username", USERS)
def test_the_list_marks_led_here_as_the_gate_answers(username: str, demo_user: Callable[[str], Any]) -> None:
    user = demo_user(username)
    ids = list(Activity.objects.restrict(user, "view").values_list("pk", flat=True)[:200])
    led = set(Activity.objects.restrict(user, "change").filter(pk__in=ids).values_list("pk", flat=True))
    rows = read_rows(ids, user)
    assert [row.pk for row in rows] == ids
    assert {row.pk for row in rows if row.led_here} == led


@pytest.mark.parametrize("username", ["admin", "hanoi.ccb", "hoankiem.ccb"])
def test_the_whole_list_and_the_filtered_list_page_alike(username: str, client_as: Callable[[str], Any]) -> None:
    """The whole list is read by kept statements, a filtered one through the filters: an empty
    filter gives the same pages, the last page past the end, the first for a page not a number."""
    client = client_as(username)
    url = reverse("activities:list")
    for page in ("1", "2", "999", "0", "x"):
        whole = client.get(url, {"page": page}).context["page"]
        filtered = client.get(url, {"page": page, "q": ""}).context["page"]
        assert [a.pk for a in whole] == [a.pk for a in filtered], (username, page)
        assert (whole.number, whole.paginator.count) == (filtered.number, filtered.paginator.count)
