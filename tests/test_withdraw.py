"""Submitted means sent (issue 13, item 5; ADR 0014): a submitted activity is neither edited
nor deleted (page, API, service) until its reporter withdraws it ("Rút lại để sửa"), which is
recorded; the approver sees what changed since the previous submission.

Actors (demo): hoankiem.ccb reports for CCB-X00070; hanoi.ccb approves above it; camau.ccb is
out of scope. The test clock is 27/11/2026.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from phoihop.activities import services
from phoihop.activities.changes import changes_since_previous_submission
from phoihop.activities.models import Activity, ActivityStatus
from phoihop.audit.actions import LABELS, parse
from phoihop.figures.selectors import totals
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Indicator, Phase

pytestmark = pytest.mark.django_db

DAY = date(2026, 10, 5)


@pytest.fixture
def phase() -> Phase:
    return Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")


@pytest.fixture
def ind() -> dict[str, Indicator]:
    return {i.code: i for i in Indicator.objects.filter(programme__code="QDND-CCB")}


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


@pytest.fixture
def submitted(demo_user: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator]) -> Activity:
    return services.activity_create(
        acting_user=demo_user("hoankiem.ccb"),
        phase=phase,
        lead_unit=unit("CCB-X00070"),
        title="Tuyên truyền Luật Cựu chiến binh",
        start_date=DAY,
        end_date=DAY,
        values={ind["tt-buoi"]: 3},
        partners=[unit("QS-X00070")],
        participants_lead=30,
        participants_partner=10,
        submit=True,
    )


def counted(ind: dict[str, Indicator]) -> int:
    pk = unit("CCB-X00070").pk
    return totals(unit_ids=[pk], indicator_ids=[ind["tt-buoi"].pk], start=DAY, end=DAY)[(pk, ind["tt-buoi"].pk)]


# --- no edit, no delete of a submitted activity ------------------------------------------------


def test_the_service_refuses_to_change_or_delete_a_submitted_activity(
    demo_user: Callable[[str], Any], submitted: Activity
) -> None:
    user = demo_user("hoankiem.ccb")
    with pytest.raises(ValidationError, match="Rút lại để sửa"):
        services.activity_update(activity=submitted, acting_user=user, data={"title": "Đổi tên"})
    with pytest.raises(ValidationError, match="Rút lại để sửa"):
        services.activity_delete(activity=submitted, acting_user=user)
    submitted.refresh_from_db()
    assert submitted.status == ActivityStatus.SUBMITTED and submitted.title == "Tuyên truyền Luật Cựu chiến binh"


def test_the_pages_refuse_to_edit_or_delete_a_submitted_activity(
    client_as: Callable[[str], Any], submitted: Activity
) -> None:
    client = client_as("hoankiem.ccb")
    detail = client.get(reverse("activities:detail", args=[submitted.pk])).content.decode()
    assert reverse("activities:edit", args=[submitted.pk]) not in detail
    assert reverse("activities:delete", args=[submitted.pk]) not in detail
    assert "Rút lại để sửa" in detail

    response = client.get(reverse("activities:edit", args=[submitted.pk]), follow=True)
    assert "Rút lại để sửa" in response.content.decode()
    response = client.post(
        reverse("activities:edit", args=[submitted.pk]), {"title": "Đổi tên", "action": "draft"}, follow=True
    )
    assert "Rút lại để sửa" in response.content.decode()
    response = client.post(reverse("activities:delete", args=[submitted.pk]), follow=True)
    assert "Rút lại để sửa" in response.content.decode()
    assert Activity.objects.filter(pk=submitted.pk, status=ActivityStatus.SUBMITTED).exists()


def test_the_api_refuses_to_change_or_delete_a_submitted_activity(
    api_client_as: Callable[[str], Any], submitted: Activity
) -> None:
    client = api_client_as("hoankiem.ccb")
    url = reverse("api:activity-detail", args=[submitted.pk])
    changed = client.patch(url, {"title": "Đổi tên"}, format="json")
    assert changed.status_code == 400 and "Rút lại để sửa" in str(changed.json())
    deleted = client.delete(url)
    assert deleted.status_code == 400 and "Rút lại để sửa" in str(deleted.json())
    assert Activity.objects.filter(pk=submitted.pk).exists()


# --- withdrawing -----------------------------------------------------------------------------------


def test_withdrawing_puts_it_back_to_draft_uncounted_and_recorded(
    demo_user: Callable[[str], Any], submitted: Activity, ind: dict[str, Indicator]
) -> None:
    assert "activity.withdraw" in LABELS
    before = counted(ind)
    activity = services.activity_withdraw(
        activity=submitted, acting_user=demo_user("hoankiem.ccb"), reason="Thiếu số người dự"
    )
    assert activity.status == ActivityStatus.DRAFT
    assert counted(ind) == before - 3
    row = activity.history.order_by("-history_date", "-history_id").first()
    assert parse(row.history_change_reason) == ("activity.withdraw", "Thiếu số người dự")
    assert row.history_user.username == "hoankiem.ccb"
    # Now it can be changed, and submitted again.
    services.activity_update(activity=activity, acting_user=demo_user("hoankiem.ccb"), data={"title": "Đã sửa"})
    with pytest.raises(ValidationError):  # withdrawing a draft
        services.activity_withdraw(activity=activity, acting_user=demo_user("hoankiem.ccb"))


def test_only_the_submitting_side_withdraws(
    demo_user: Callable[[str], Any], api_client_as: Callable[[str], Any], submitted: Activity
) -> None:
    from phoihop.core.services import OutOfScope

    with pytest.raises(OutOfScope):
        services.activity_withdraw(activity=submitted, acting_user=demo_user("hanoi.qs"))
    response = api_client_as("camau.ccb").post(reverse("api:activity-withdraw", args=[submitted.pk]))
    assert response.status_code == 404


def test_the_page_withdraws_with_a_reason(client_as: Callable[[str], Any], submitted: Activity) -> None:
    client = client_as("hoankiem.ccb")
    response = client.post(reverse("activities:withdraw", args=[submitted.pk]), {"reason": "Sửa số liệu"}, follow=True)
    assert response.status_code == 200
    submitted.refresh_from_db()
    assert submitted.status == ActivityStatus.DRAFT
    page = response.content.decode()
    assert reverse("activities:edit", args=[submitted.pk]) in page
    assert str(LABELS["activity.withdraw"]) in page  # the trail names it


def test_the_api_withdraws(api_client_as: Callable[[str], Any], submitted: Activity) -> None:
    client = api_client_as("hoankiem.ccb")
    response = client.post(reverse("api:activity-withdraw", args=[submitted.pk]), {"reason": "Sửa"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "draft"
    again = client.post(reverse("api:activity-withdraw", args=[submitted.pk]), {}, format="json")
    assert again.status_code == 400


# --- what changed since the previous submission ------------------------------------------------


def test_the_approver_sees_what_changed_since_the_previous_submission(
    demo_user: Callable[[str], Any],
    client_as: Callable[[str], Any],
    submitted: Activity,
    ind: dict[str, Indicator],
) -> None:
    reporter = demo_user("hoankiem.ccb")
    assert changes_since_previous_submission(submitted) is None  # the first submission
    activity = services.activity_withdraw(activity=submitted, acting_user=reporter)
    activity = services.activity_update(
        activity=activity,
        acting_user=reporter,
        data={"title": "Tuyên truyền Luật Cựu chiến binh năm 2026", "participants_lead": 45},
        values={ind["tt-buoi"]: 5, ind["tt-luot"]: 120},
    )
    activity = services.activity_submit(activity=activity, acting_user=reporter)

    found = changes_since_previous_submission(activity)
    assert found is not None
    rows = {c.label: (c.before, c.after) for c in found.changes}
    assert rows["Tên hoạt động"] == ("Tuyên truyền Luật Cựu chiến binh", "Tuyên truyền Luật Cựu chiến binh năm 2026")
    assert rows["Người tham gia bên chủ trì"] == ("30", "45")
    buoi = f"{ind['tt-buoi'].name} ({ind['tt-buoi'].unit_of_measure})"
    luot = f"{ind['tt-luot'].name} ({ind['tt-luot'].unit_of_measure})"
    assert rows[buoi] == ("3", "5") and rows[luot] == ("—", "120")
    assert "Đơn vị phối hợp" not in rows  # unchanged

    page = client_as("hanoi.ccb").get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert 'data-testid="submission-changes"' in page
    assert "Tuyên truyền Luật Cựu chiến binh năm 2026" in page and "120" in page
