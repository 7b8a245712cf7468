"""Entry locks: a locked period refuses new, changed and deleted values (on the entry page and in
the services), counts its submitted values as approved, and only an approver above reopens it,
with a reason, on the record.

The API part of "refused in a locked period" belongs with the API's own tests (built apart).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from phoihop.activities.models import Activity
from phoihop.activities.services import activity_approve, activity_create, activity_delete, activity_update
from phoihop.core.services import OutOfScope
from phoihop.entry.models import EntryLock, IndicatorValue
from phoihop.entry.services import figures_enter, lock_create, lock_reopen
from phoihop.figures.periods import decree09_period
from phoihop.figures.selectors import total
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Indicator, Phase

pytestmark = pytest.mark.django_db

HALF = decree09_period("half", 2026, 1)  # 15/12/2025 – 14/6/2026
IN_PERIOD = date(2026, 3, 10)
LEVELS = ("CCB-X00070", "CCB-HANOI", "CCB-TW")
REFUSED = "đã khóa"


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


@pytest.fixture
def phase() -> Phase:
    return Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")


@pytest.fixture
def ind() -> dict[str, Indicator]:
    return {i.code: i for i in Indicator.objects.filter(programme__code="QDND-CCB")}


@pytest.fixture
def reporter(demo_user: Callable[[str], Any]) -> Any:
    return demo_user("hoankiem.ccb")


def enter(user: Any, values: dict[Indicator, int | None]) -> None:
    figures_enter(
        acting_user=user, unit=unit("CCB-X00070"), period_start=HALF.start, period_end=HALF.end, values=values
    )


def entered_rows() -> list[tuple[int, int]]:
    rows = IndicatorValue.objects.entered().filter(unit__code="CCB-X00070", period_start=HALF.start, date=HALF.end)
    return sorted(rows.values_list("indicator_id", "value"))


def new_activity(user: Any, phase: Phase, indicator: Indicator, amount: int, submit: bool = True) -> Activity:
    return activity_create(
        acting_user=user,
        phase=phase,
        lead_unit=unit("CCB-X00070"),
        title="Tuyên truyền pháp luật cho hội viên",
        start_date=IN_PERIOD,
        end_date=IN_PERIOD,
        values={indicator: amount},
        submit=submit,
    )


def approved_totals(indicator: Indicator) -> dict[str, int]:
    return {
        code: total(unit_id=unit(code).pk, indicator_id=indicator.pk, start=HALF.start, end=HALF.end, approved=True)
        for code in LEVELS
    }


def submitted_totals(indicator: Indicator) -> dict[str, int]:
    return {
        code: total(unit_id=unit(code).pk, indicator_id=indicator.pk, start=HALF.start, end=HALF.end) for code in LEVELS
    }


# A lock on the commune itself (by its province), or on the province (by the association's
# centre), which covers the commune as part of its subtree.
LOCKERS = [("CCB-X00070", "hanoi.ccb"), ("CCB-HANOI", "tuhoi")]


@pytest.fixture(params=LOCKERS, ids=["commune-lock", "province-lock"])
def locked(request: pytest.FixtureRequest, demo_user: Callable[[str], Any]) -> EntryLock:
    code, username = request.param
    return lock_create(
        unit=unit(code), start=HALF.start, end=HALF.end, acting_user=demo_user(username), reason="Báo cáo đã duyệt"
    )


# --- refusals in a locked period ------------------------------------------------------------------


def test_it_refuses_new_changed_and_cleared_values_on_the_entry_page(
    client_as: Callable[[str], Client],
    reporter: Any,
    phase: Phase,
    ind: dict[str, Indicator],
    demo_user: Callable[[str], Any],
) -> None:
    enter(reporter, {ind["tt-buoi"]: 10})
    lock_create(unit=unit("CCB-X00070"), start=HALF.start, end=HALF.end, acting_user=demo_user("hanoi.ccb"))
    before = entered_rows()
    client = client_as("hoankiem.ccb")
    base: dict[str, Any] = {"unit": unit("CCB-X00070").pk, "phase": phase.pk, "kind": "half", "year": 2026, "number": 1}
    page = client.get(reverse("entry:form"), base).content.decode()
    assert 'data-testid="lock-notice"' in page and "<fieldset disabled>" in page
    assert "Lưu số liệu" not in page
    attempts = {
        "new": {f"v_{ind['tt-buoi'].pk}": "10", f"v_{ind['gn-ho'].pk}": "5"},
        "changed": {f"v_{ind['tt-buoi'].pk}": "11"},
        "cleared": {f"v_{ind['tt-buoi'].pk}": ""},
    }
    for name, values in attempts.items():
        response = client.post(reverse("entry:form"), {**base, **values})
        assert response.status_code == 200, name
        assert REFUSED in response.content.decode(), name
        assert entered_rows() == before, name


def test_it_refuses_figures_entered_through_the_service(
    locked: EntryLock, reporter: Any, demo_user: Callable[[str], Any], ind: dict[str, Indicator]
) -> None:
    before = entered_rows()
    for user in (reporter, demo_user("hanoi.ccb")):  # the unit itself, and its province on its behalf
        with pytest.raises(ValidationError, match=REFUSED):
            enter(user, {ind["gn-ho"]: 5})
        with pytest.raises(ValidationError, match=REFUSED):
            enter(user, {ind["gn-ho"]: None})
    assert entered_rows() == before


def test_it_refuses_activities_created_changed_or_deleted_in_the_period(
    reporter: Any,
    demo_user: Callable[[str], Any],
    phase: Phase,
    ind: dict[str, Indicator],
) -> None:
    activity = new_activity(reporter, phase, ind["tt-buoi"], 4, submit=False)
    code, username = LOCKERS[1]
    lock_create(unit=unit(code), start=HALF.start, end=HALF.end, acting_user=demo_user(username))
    with pytest.raises(ValidationError, match=REFUSED):
        new_activity(reporter, phase, ind["tt-buoi"], 3)
    with pytest.raises(ValidationError, match=REFUSED):
        activity_update(activity=activity, acting_user=reporter, data={"title": "Đổi tên"}, values={ind["tt-buoi"]: 9})
    with pytest.raises(ValidationError, match=REFUSED):
        activity_delete(activity=activity, acting_user=reporter)
    # Moving it out of the locked period is a change of a locked value too.
    with pytest.raises(ValidationError, match=REFUSED):
        activity_update(
            activity=activity,
            acting_user=reporter,
            data={"start_date": HALF.end + timedelta(days=5), "end_date": HALF.end + timedelta(days=5)},
        )
    activity.refresh_from_db()
    assert (activity.title, activity.end_date) == ("Tuyên truyền pháp luật cho hội viên", IN_PERIOD)
    assert list(activity.values.values_list("value", flat=True)) == [4]
    assert (
        Activity.objects.filter(lead_unit__code="CCB-X00070", title="Tuyên truyền pháp luật cho hội viên").count() == 1
    )
    # The day after the period is open.
    after = activity_create(
        acting_user=reporter,
        phase=phase,
        lead_unit=unit("CCB-X00070"),
        title="Sau kỳ khóa",
        start_date=HALF.end + timedelta(days=1),
        end_date=HALF.end + timedelta(days=1),
        values={ind["tt-buoi"]: 1},
    )
    assert after.pk


# --- approved figures -------------------------------------------------------------------------------


def test_it_counts_locked_submitted_values_as_approved_until_reopened(
    reporter: Any, demo_user: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator]
) -> None:
    indicator = ind["tt-buoi"]
    approved_before = approved_totals(indicator)
    submitted_before = submitted_totals(indicator)
    activity = new_activity(reporter, phase, indicator, 4)
    activity_approve(activity=activity, acting_user=demo_user("hanoi.ccb"))
    new_activity(reporter, phase, indicator, 2)  # submitted, not approved
    enter(reporter, {indicator: 10})
    plus = lambda base, n: {code: v + n for code, v in base.items()}  # noqa: E731
    assert submitted_totals(indicator) == plus(submitted_before, 16)
    assert approved_totals(indicator) == plus(approved_before, 4)  # only the approved activity

    lock = lock_create(
        unit=unit("CCB-X00070"), start=HALF.start, end=HALF.end, acting_user=demo_user("hanoi.ccb"), reason="Duyệt"
    )
    assert approved_totals(indicator) == plus(approved_before, 16)
    assert submitted_totals(indicator) == plus(submitted_before, 16)

    lock_reopen(lock=lock, acting_user=demo_user("hanoi.ccb"), reason="Bổ sung số liệu")
    assert approved_totals(indicator) == plus(approved_before, 4)  # the approved activity stays approved
    assert submitted_totals(indicator) == plus(submitted_before, 16)
    enter(reporter, {indicator: 12})  # open again
    assert submitted_totals(indicator) == plus(submitted_before, 18)


# --- who may lock and reopen --------------------------------------------------------------------------


def test_it_refuses_a_lock_by_a_reporter_or_by_an_approver_of_the_unit_itself(
    client_as: Callable[[str], Client], reporter: Any, demo_user: Callable[[str], Any]
) -> None:
    data = {"start": HALF.start.isoformat(), "end": HALF.end.isoformat(), "reason": "Khóa"}
    before = EntryLock.objects.count()
    response = client_as("hoankiem.ccb").post(reverse("entry:lock-create"), {**data, "unit": unit("CCB-X00070").pk})
    assert response.status_code == 403
    response = client_as("hanoi.ccb").post(reverse("entry:lock-create"), {**data, "unit": unit("CCB-HANOI").pk})
    assert response.status_code == 403
    assert EntryLock.objects.count() == before
    with pytest.raises(OutOfScope):
        lock_create(unit=unit("CCB-X00070"), start=HALF.start, end=HALF.end, acting_user=reporter)
    # The reporter's locks page offers no lock form.
    assert 'id="lock-form"' not in client_as("hoankiem.ccb").get(reverse("entry:locks")).content.decode()


def test_it_locks_from_the_page_and_lists_who_locked_and_why(client_as: Callable[[str], Client]) -> None:
    client = client_as("hanoi.ccb")
    data = {
        "unit": unit("CCB-X00070").pk,
        "start": HALF.start.isoformat(),
        "end": HALF.end.isoformat(),
        "reason": "Báo cáo 6 tháng đầu năm 2026 đã duyệt",
    }
    response = client.post(reverse("entry:lock-create"), data)
    assert response.status_code == 302
    lock = EntryLock.objects.get(unit__code="CCB-X00070", start=HALF.start, end=HALF.end)
    assert lock.locked_by is not None
    assert (lock.locked_by.username, lock.is_active) == ("hanoi.ccb", True)
    listed = client.get(reverse("entry:locks"), {"unit": "CCB-X00070", "status": "active"}).content.decode()
    assert f'data-lock="{lock.pk}"' in listed and "Báo cáo 6 tháng đầu năm 2026 đã duyệt" in listed
    # The same period cannot be locked twice while the first lock holds.
    again = client.post(reverse("entry:lock-create"), data)
    assert again.status_code == 200
    assert "đã có khóa đang hiệu lực" in again.content.decode()
    assert EntryLock.objects.filter(unit__code="CCB-X00070", start=HALF.start).count() == 1


def test_it_lets_only_an_approver_above_reopen(
    locked: EntryLock, client_as: Callable[[str], Client], reporter: Any
) -> None:
    url = reverse("entry:lock-reopen", kwargs={"pk": locked.pk})
    client = client_as("hoankiem.ccb")
    # The commune sees the lock that covers it, its own or its province's (403: not its to reopen).
    status = 403
    assert client.get(url).status_code == status
    assert client.post(url, {"reopen_reason": "Cần sửa"}).status_code == status
    with pytest.raises(OutOfScope):
        lock_reopen(lock=locked, acting_user=reporter, reason="Cần sửa")
    locked.refresh_from_db()
    assert locked.is_active


def test_it_shows_a_reporter_its_own_lock_but_not_the_reopen_form(
    client_as: Callable[[str], Client], demo_user: Callable[[str], Any]
) -> None:
    lock = lock_create(unit=unit("CCB-X00070"), start=HALF.start, end=HALF.end, acting_user=demo_user("hanoi.ccb"))
    client = client_as("hoankiem.ccb")
    listed = client.get(reverse("entry:locks")).content.decode()
    assert f'data-lock="{lock.pk}"' in listed
    assert reverse("entry:lock-reopen", kwargs={"pk": lock.pk}) not in listed
    assert client.get(reverse("entry:lock-reopen", kwargs={"pk": lock.pk})).status_code == 403


def test_it_requires_a_reason_to_reopen(client_as: Callable[[str], Client], demo_user: Callable[[str], Any]) -> None:
    approver = demo_user("hanoi.ccb")
    lock = lock_create(unit=unit("CCB-X00070"), start=HALF.start, end=HALF.end, acting_user=approver)
    url = reverse("entry:lock-reopen", kwargs={"pk": lock.pk})
    response = client_as("hanoi.ccb").post(url, {"reopen_reason": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors
    with pytest.raises(ValidationError):
        lock_reopen(lock=lock, acting_user=approver, reason="  ")
    lock.refresh_from_db()
    assert lock.is_active


def test_it_records_the_reopening_with_who_when_and_why(
    client_as: Callable[[str], Client], demo_user: Callable[[str], Any]
) -> None:
    lock = lock_create(
        unit=unit("CCB-X00070"), start=HALF.start, end=HALF.end, acting_user=demo_user("hanoi.ccb"), reason="Duyệt"
    )
    url = reverse("entry:lock-reopen", kwargs={"pk": lock.pk})
    client = client_as("tuhoi")
    assert client.get(url).status_code == 200
    response = client.post(url, {"reopen_reason": "Phường báo cáo bổ sung số hộ thoát nghèo"})
    assert response.status_code == 302
    lock.refresh_from_db()
    assert lock.reopened_by is not None
    assert (lock.is_active, lock.reopened_by.username, lock.reopen_reason) == (
        False,
        "tuhoi",
        "Phường báo cáo bổ sung số hộ thoát nghèo",
    )
    assert lock.reopened_at is not None
    events = list(lock.history.order_by("history_date").values_list("history_type", "history_user__username"))
    assert events == [("+", "hanoi.ccb"), ("~", "tuhoi")]
    page = client.get(url).content.decode()
    assert "Kỳ này đã được mở khóa." in page
    trail = client.get(url).context["trail"]
    reopened = next(e for e in trail if e.action == "Mở khóa số liệu")
    assert reopened.reason == "Phường báo cáo bổ sung số hộ thoát nghèo"
    assert "Phường báo cáo bổ sung số hộ thoát nghèo" in page
    assert lock.history.latest("history_date").history_change_reason.startswith("lock.reopen\n")

    listed = client.get(reverse("entry:locks"), {"status": "reopened"}).content.decode()
    assert f'data-lock="{lock.pk}"' in listed and "Phường báo cáo bổ sung số hộ thoát nghèo" in listed
    # Reopening twice is refused, and says why.
    again = client.post(url, {"reopen_reason": "Lần nữa"})
    assert again.status_code == 200
    assert "đã được mở khóa trước đó" in again.content.decode()
