"""Việc cần làm (phoihop/inbox): every group's count equals the page list and the API list it
links to, for every demo user; nothing of another unit shows; a returned item shows its reason."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from phoihop.accounts.models import User
from phoihop.accounts.services import role_assign
from phoihop.activities import services as activity_services
from phoihop.activities.models import Activity, ActivityStatus
from phoihop.core.scoping import Role
from phoihop.demo.base import DEMO_USERS
from phoihop.inbox.selectors import (
    SPECS,
    activities_returned,
    activities_to_approve,
    inbox,
    inbox_total,
    reports_to_approve,
)
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Indicator, Phase
from phoihop.reporting import services as report_services
from tests.support.signing import sign

pytestmark = pytest.mark.django_db

USERNAMES = [u[0] for u in DEMO_USERS]
DAY = date(2026, 10, 5)


def _activity(demo_user: Callable[[str], Any], title: str, *, submit: bool = True) -> Activity:
    phase = Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")
    indicator = Indicator.objects.get(programme__code="QDND-CCB", code="tt-buoi")
    return activity_services.activity_create(
        acting_user=demo_user("hoankiem.ccb"),
        phase=phase,
        lead_unit=OrgUnit.objects.get(code="CCB-X00070"),
        title=title,
        start_date=DAY,
        end_date=DAY,
        values={indicator: 3},
        partners=[OrgUnit.objects.get(code="QS-X00070")],
        submit=submit,
    )


@pytest.fixture
def waiting(demo_user: Callable[[str], Any]) -> dict[str, Activity]:
    """One activity of Hoàn Kiếm waiting for Hà Nội, and one Hà Nội returned with a reason."""
    submitted = _activity(demo_user, "Hội thao truyền thống phường Hoàn Kiếm")
    returned = _activity(demo_user, "Tọa đàm kỷ niệm ngày thành lập Hội")
    activity_services.activity_return(
        activity=returned, acting_user=demo_user("hanoi.ccb"), reason="Thiếu danh sách người tham gia."
    )
    returned.refresh_from_db()
    return {"submitted": submitted, "returned": returned}


def _page_rows(response: Any, key: str) -> int:
    assert response.status_code == 200
    if key == "reports_due":
        return len(response.context["owed"])  # the reports page's list of requests owed
    return int(response.context["page"].paginator.count)


@pytest.mark.parametrize("username", USERNAMES)
def test_every_count_equals_the_lists_it_links_to(
    username: str,
    waiting: dict[str, Activity],
    client_as: Callable[[str], Client],
    api_client_as: Callable[[str], Any],
) -> None:
    client, api = client_as(username), api_client_as(username)
    answer = api.get("/api/v1/inbox/")
    assert answer.status_code == 200
    groups = answer.json()["groups"]
    assert [g["key"] for g in groups] == [spec.key for spec in SPECS]
    page = client.get(reverse("inbox:inbox"))
    shown = {g.key: g.count for g in page.context["groups"]}
    for group in groups:
        key, count = group["key"], group["count"]
        assert shown[key] == count, key
        assert _page_rows(client.get(group["page_url"]), key) == count, (username, key, group["page_url"])
        assert group["url"] is not None
        listed = api.get(group["url"])
        assert listed.status_code == 200, (key, listed.content[:300])
        assert listed.json()["count"] == count, (username, key, group["url"])
    # The page shows each count on its card, and the menu the total.
    html = page.content.decode()
    for group in groups:
        assert re.search(rf'data-testid="inbox-{group["key"]}" data-count="{group["count"]}"', html), group["key"]
    total = sum(g["count"] for g in groups)
    if total:
        assert re.search(rf"</span>{total}</span>", html.split('data-testid="nav-inbox-count"')[1][:200])


def test_the_groups_are_not_all_empty_for_the_demo(
    waiting: dict[str, Activity], demo_user: Callable[[str], Any]
) -> None:
    # The agreement above would pass on empty lists: make sure it compared real rows.
    counts = {g.key: 0 for g in inbox(demo_user("admin"), items=0)}
    for username in USERNAMES:
        for g in inbox(demo_user(username), items=0):
            counts[g.key] += g.count
    assert all(counts.values()), counts


def test_another_units_activity_never_shows(
    waiting: dict[str, Activity], demo_user: Callable[[str], Any], client_as: Callable[[str], Client]
) -> None:
    title = waiting["submitted"].title
    assert waiting["submitted"] in activities_to_approve(demo_user("hanoi.ccb"))
    assert waiting["submitted"] not in activities_to_approve(demo_user("camau.ccb"))
    # Hoàn Kiếm's own people do not approve what they sent.
    assert waiting["submitted"] not in activities_to_approve(demo_user("hoankiem.ccb"))
    assert title in client_as("hanoi.ccb").get(reverse("inbox:inbox")).content.decode()
    camau = client_as("camau.ccb")
    assert title not in camau.get(reverse("inbox:inbox")).content.decode()
    assert title not in camau.get(reverse("home")).content.decode()
    listed = camau.get(reverse("activities:list"), {"to_approve": "true"})
    assert waiting["submitted"].pk not in [a.pk for a in listed.context["page"]]


def test_a_returned_activity_shows_its_reason_to_its_reporter(
    waiting: dict[str, Activity], demo_user: Callable[[str], Any], client_as: Callable[[str], Client]
) -> None:
    returned = waiting["returned"]
    assert returned.status == ActivityStatus.RETURNED
    assert list(activities_returned(demo_user("hoankiem.ccb"))) == [returned]
    assert not activities_returned(demo_user("hanoi.ccb")).exists()
    for path in (reverse("inbox:inbox"), reverse("home")):
        html = client_as("hoankiem.ccb").get(path).content.decode()
        card = html.split('data-testid="inbox-activities_returned"')[1].split("</section>")[0]
        assert returned.title in card and "Thiếu danh sách người tham gia." in card
    # Sent again, it leaves the reporter's inbox and is back in the approver's.
    activity_services.activity_submit(activity=returned, acting_user=demo_user("hoankiem.ccb"))
    assert not activities_returned(demo_user("hoankiem.ccb")).exists()
    assert returned in activities_to_approve(demo_user("hanoi.ccb"))


def test_the_home_page_shows_start_buttons_by_role(client_as: Callable[[str], Client]) -> None:
    reporter = client_as("hoankiem.ccb").get(reverse("home")).content.decode()
    for url in (reverse("activities:create"), reverse("entry:form"), reverse("reporting:report-list")):
        assert f'href="{url}"' in reporter
    assert 'data-testid="start-buttons"' in reporter


def test_the_home_page_shows_only_groups_with_work(
    waiting: dict[str, Activity], client_as: Callable[[str], Client]
) -> None:
    response = client_as("hanoi.ccb").get(reverse("home"))
    keys = [g.key for g in response.context["inbox_groups"]]
    assert "activities_to_approve" in keys and "exchanges_unread" not in keys
    assert all(g.count for g in response.context["inbox_groups"])


def test_the_menu_badge_costs_few_queries(
    waiting: dict[str, Activity], demo_user: Callable[[str], Any], django_assert_max_num_queries: Any
) -> None:
    user = demo_user("tcct")
    with django_assert_max_num_queries(3):  # the user's scope, joint reports, one count statement
        total = inbox_total(user)
    assert total == sum(g.count for g in inbox(demo_user("tcct"), items=0)) > 0


def test_the_inbox_api_is_in_the_schema(api_client_as: Callable[[str], Any]) -> None:
    schema = api_client_as("tcct").get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    operation = schema.json()["paths"]["/api/v1/inbox/"]["get"]
    assert operation["operationId"] == "inbox_list"


def test_the_inbox_needs_a_signed_in_user() -> None:
    assert Client().get(reverse("inbox:inbox")).status_code == 302
    assert Client().get("/api/v1/inbox/").status_code in (401, 403)


def _badge(client: Client) -> int:
    """The number the menu's badge shows on a light page (0 when it is not drawn)."""
    response = client.get("/units/")
    assert response.status_code == 200
    found = re.search(r'data-testid="nav-inbox-count">.*?</span>(\d+)</span>', response.content.decode())
    return int(found.group(1)) if found else 0


def test_the_badge_is_cached_and_changes_at_once_after_a_submit_and_a_return(
    demo_user: Callable[[str], Any], client_as: Callable[[str], Client]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    approver, reporter = client_as("hanoi.ccb"), client_as("hoankiem.ccb")
    to_approve, returned = _badge(approver), _badge(reporter)
    assert to_approve == inbox_total(demo_user("hanoi.ccb"))
    with CaptureQueriesContext(connection) as queries:
        assert _badge(approver) == to_approve
    assert not [q for q in queries.captured_queries if "inbox_0" in q["sql"]]  # read from the cache

    activity = _activity(demo_user, "Giao lưu văn nghệ mừng ngày Nhà giáo")
    assert _badge(approver) == to_approve + 1 == inbox_total(demo_user("hanoi.ccb"))

    activity_services.activity_return(activity=activity, acting_user=demo_user("hanoi.ccb"), reason="Thiếu ảnh.")
    assert _badge(reporter) == returned + 1 == inbox_total(demo_user("hoankiem.ccb"))
    assert _badge(approver) == to_approve


def _to_approve(user: Any) -> tuple[int, list[str]]:
    """The count and the first items' links of the user's reports to approve: the page's group,
    the API's count and the list's rule agree."""
    group = next(g for g in inbox(user) if g.key == "reports_to_approve")
    counted = {g.key: g.count for g in inbox(user, items=0)}["reports_to_approve"]
    assert group.count == counted == reports_to_approve(user).count()
    return group.count, [item.url for item in group.items]


def test_a_half_approved_joint_report_waits_only_for_the_side_still_to_approve(
    demo_user: Callable[[str], Any],
) -> None:
    # The statements are kept per user and day (core.statements); which joint reports have a part
    # left for the user depends on the rows, read on every visit.
    phase = Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")
    period = report_services.period_save(
        programme=phase.programme,
        acting_user=demo_user("admin"),
        data={"name": "Chuyên đề liên tịch", "kind": "other", "start": date(2026, 4, 1), "end": date(2026, 4, 30)},
    )
    report = report_services.report_open(
        period=period,
        unit=OrgUnit.objects.get(code="BQP"),
        partner_unit=OrgUnit.objects.get(code="CCB-TW"),
        acting_user=demo_user("tcct"),
    )
    report = report_services.report_submit(report=sign(report, demo_user("tcct")), acting_user=demo_user("tcct"))
    url = reverse("reporting:report", args=[report.pk])
    before = {name: _to_approve(User.objects.get(username=name)) for name in ("tcct", "tuhoi")}
    assert all(url in items for _count, items in before.values()), before
    report_services.report_approve(report=report, acting_user=demo_user("tuhoi"))
    count, items = _to_approve(User.objects.get(username="tuhoi"))
    assert count == before["tuhoi"][0] - 1 and url not in items
    assert _to_approve(User.objects.get(username="tcct")) == before["tcct"]


def test_a_role_given_today_counts_at_once(waiting: dict[str, Activity], demo_user: Callable[[str], Any]) -> None:
    def titles(user: Any) -> list[str]:
        return [item.title for g in inbox(user) if g.key == "activities_to_approve" for item in g.items]

    title = waiting["submitted"].title
    assert title not in titles(User.objects.get(username="camau.ccb"))
    role_assign(
        acting_user=demo_user("admin"),
        user=User.objects.get(username="camau.ccb"),
        unit=OrgUnit.objects.get(code="CCB-HANOI"),
        role=Role.APPROVER,
    )
    assert title in titles(User.objects.get(username="camau.ccb"))  # the next request's user
