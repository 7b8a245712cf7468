"""Plausibility of figures (phoihop/figures/plausibility.py, ADR 0014): the hard maximum per
entry, outliers that need a recorded confirmation, counterpart participants, plans (future
activities are not counted), dates in a closed phase, and no lock on a period not ended; on the
service, the page and the API.

Actors (demo): hoankiem.ccb reports for Phường Hoàn Kiếm's association (CCB-X00070), a ward,
whose army counterpart is QS-X00070; hanoi.ccb approves above it. The test clock is
27/11/2026.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from phoihop.activities import services
from phoihop.activities.models import Activity, ActivityStatus
from phoihop.entry import services as entry_services
from phoihop.entry.models import EntryLock, IndicatorValue
from phoihop.figures import plausibility
from phoihop.figures.plausibility import OutlierError, PlausibilityError
from phoihop.figures.selectors import totals
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Indicator, Phase

pytestmark = pytest.mark.django_db

DAY = date(2026, 10, 5)
FUTURE = date(2026, 12, 20)
LIST = reverse("api:activity-list")


@pytest.fixture
def phase() -> Phase:
    return Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")


@pytest.fixture
def ind() -> dict[str, Indicator]:
    return {i.code: i for i in Indicator.objects.filter(programme__code="QDND-CCB")}


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def create(
    demo_user: Callable[[str], Any], phase: Phase, values: dict[Indicator, int | None], **extra: Any
) -> Activity:
    fields: dict[str, Any] = {
        "acting_user": demo_user("hoankiem.ccb"),
        "phase": phase,
        "lead_unit": unit("CCB-X00070"),
        "title": "Tuyên truyền Luật Cựu chiến binh",
        "start_date": DAY,
        "end_date": DAY,
        "values": values,
        "partners": [unit("QS-X00070")],
        "participants_lead": 40,
        "participants_partner": 10,
    }
    fields.update(extra)
    return services.activity_create(**fields)


def form_data(phase: Phase, values: dict[Indicator, int | str] | None = None, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "phase": phase.pk,
        "title": "Hội thao quốc phòng phường Hoàn Kiếm",
        "start_date": "2026-10-04",
        "end_date": "2026-10-05",
        "area": "",
        "place": "Sân vận động phường",
        "lead_unit": unit("CCB-X00070").pk,
        "partners": [unit("QS-X00070").pk],
        "participants_lead": 40,
        "participants_partner": 15,
        "description": "Hội thao truyền thống.",
        "action": "draft",
    }
    for indicator, amount in (values or {}).items():
        data[f"value_{indicator.pk}"] = amount
    data.update(changes)
    return data


def payload(phase: Phase, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "phase": phase.pk,
        "title": "Tuyên truyền kỷ niệm Ngày thành lập Quân đội nhân dân",
        "start_date": "2026-10-10",
        "end_date": "2026-10-11",
        "lead_unit": "CCB-X00070",
        "partners": ["QS-X00070"],
        "participants_lead": 40,
        "participants_partner": 12,
        "values": [{"indicator": "tt-buoi", "value": 2}],
    }
    data.update(extra)
    return data


def last_reason(activity: Activity) -> str:
    return activity.history.order_by("-history_date", "-history_id").first().history_change_reason or ""


# --- the hard maximum per entry -------------------------------------------------------------------


def test_the_demo_sets_a_maximum_per_entry(ind: dict[str, Indicator]) -> None:
    assert ind["tt-buoi"].max_per_entry == 1_000
    assert ind["tt-luot"].max_per_entry == 1_000_000


def test_the_service_refuses_a_value_above_the_indicators_maximum(
    demo_user: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator]
) -> None:
    before = Activity.objects.count()
    with pytest.raises(PlausibilityError) as caught:
        create(demo_user, phase, {ind["tt-buoi"]: 999_999_999_999}, confirm_outliers=True)
    message = " ".join(caught.value.messages)
    assert ind["tt-buoi"].name in message and "1.000" in message
    assert not caught.value.needs_confirmation  # no checkbox can pass it
    assert Activity.objects.count() == before


def test_the_page_refuses_a_value_above_the_maximum_on_its_input(
    client_as: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator]
) -> None:
    data = form_data(phase, {ind["tt-buoi"]: 999_999_999_999, ind["tt-luot"]: 50}, confirm_outliers="on")
    response = client_as("hoankiem.ccb").post(reverse("activities:create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any("tối đa 1.000" in e for e in errors[f"value_{ind['tt-buoi'].pk}"])
    assert not Activity.objects.filter(title=data["title"]).exists()


def test_the_api_refuses_a_value_above_the_maximum(api_client_as: Callable[[str], Any], phase: Phase) -> None:
    body = payload(phase, values=[{"indicator": "tt-buoi", "value": 999_999_999_999}], confirm_outliers=True)
    response = api_client_as("hoankiem.ccb").post(LIST, body, format="json")
    assert response.status_code == 400
    assert "tối đa 1.000" in str(response.json()["values"])


def test_figure_entry_refuses_a_value_above_the_maximum(
    demo_user: Callable[[str], Any], ind: dict[str, Indicator]
) -> None:
    with pytest.raises(PlausibilityError):
        entry_services.figures_enter(
            acting_user=demo_user("hanoi.ccb"),
            unit=unit("CCB-X00070"),
            period_start=date(2026, 10, 15),
            period_end=date(2026, 11, 14),
            values={ind["gn-ho"]: 5_000_000},
            confirm_outliers=True,
        )


# --- outliers: 9.999.999 participants at a ward --------------------------------------------------


def test_9999999_participants_at_a_ward_need_a_confirmation_in_the_service(
    demo_user: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator]
) -> None:
    with pytest.raises(OutlierError) as caught:
        create(demo_user, phase, {ind["tt-buoi"]: 1}, participants_lead=9_999_999)
    assert "participants_lead" in caught.value.error_dict
    assert plausibility.CONFIRM_FIELD in caught.value.error_dict
    assert not Activity.objects.filter(participants_lead=9_999_999).exists()

    activity = create(demo_user, phase, {ind["tt-buoi"]: 1}, participants_lead=9_999_999, confirm_outliers=True)
    row = activity.history.order_by("-history_date").first()
    # Who, when and which value: the history row's user, date and reason.
    assert row.history_user.username == "hoankiem.ccb"
    assert row.history_date is not None
    assert "xác nhận" in row.history_change_reason and "9.999.999" in row.history_change_reason


def test_an_indicator_value_far_above_the_history_needs_a_confirmation(
    demo_user: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator]
) -> None:
    with pytest.raises(OutlierError) as caught:
        create(demo_user, phase, {ind["tt-luot"]: 900_000})
    assert "values" in caught.value.error_dict
    # An ordinary value passes without a word.
    activity = create(demo_user, phase, {ind["tt-luot"]: 120})
    assert last_reason(activity) == "activity.create"


def test_the_page_shows_the_warning_and_saves_with_the_confirmation(
    client_as: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator]
) -> None:
    client = client_as("hoankiem.ccb")
    data = form_data(phase, {ind["tt-buoi"]: 2}, participants_lead=9_999_999)
    response = client.post(reverse("activities:create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="outlier-warning"' in page
    assert "Tôi xác nhận số liệu này là đúng" in page
    assert response.context["form"].errors["participants_lead"]
    assert not Activity.objects.filter(title=data["title"]).exists()

    response = client.post(reverse("activities:create"), {**data, "confirm_outliers": "on"})
    assert response.status_code == 302
    activity = Activity.objects.get(title=data["title"])
    assert activity.participants_lead == 9_999_999
    assert "9.999.999" in last_reason(activity)


def test_the_api_answers_400_then_takes_the_confirmation_flag(
    api_client_as: Callable[[str], Any], phase: Phase
) -> None:
    client = api_client_as("hoankiem.ccb")
    body = payload(phase, participants_lead=9_999_999)
    refused = client.post(LIST, body, format="json")
    assert refused.status_code == 400
    assert set(refused.json()) >= {"participants_lead", "confirm_outliers"}
    accepted = client.post(LIST, {**body, "confirm_outliers": True}, format="json")
    assert accepted.status_code == 201, accepted.json()
    assert "confirm_outliers" not in accepted.json()
    assert "9.999.999" in last_reason(Activity.objects.get(pk=accepted.json()["id"]))


def test_an_update_is_checked_too(demo_user: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator]) -> None:
    activity = create(demo_user, phase, {ind["tt-buoi"]: 1})
    with pytest.raises(OutlierError):
        services.activity_update(
            activity=activity, acting_user=demo_user("hoankiem.ccb"), data={"participants_lead": 9_999_999}
        )
    with pytest.raises(PlausibilityError):
        services.activity_update(
            activity=activity,
            acting_user=demo_user("hoankiem.ccb"),
            data={},
            values={ind["tt-buoi"]: 5_000},
            confirm_outliers=True,
        )


def test_figure_entry_asks_to_confirm_an_outlier_and_records_it(
    demo_user: Callable[[str], Any], ind: dict[str, Indicator]
) -> None:
    hanoi = unit("CCB-HANOI")
    existing = (
        IndicatorValue.objects.filter(unit=hanoi, indicator=ind["ds-nguoi"], activity__isnull=True)
        .order_by("-date")
        .first()
    )
    assert existing is not None and existing.period_start is not None
    arguments: dict[str, Any] = {
        "acting_user": demo_user("tuhoi"),
        "unit": hanoi,
        "period_start": existing.period_start,
        "period_end": existing.date,
        "values": {ind["ds-nguoi"]: 900_000},
    }
    if EntryLock.objects.filter(end__gte=existing.date, start__lte=existing.date, reopened_at__isnull=True).exists():
        pytest.skip("the demo locked this period")
    with pytest.raises(OutlierError):
        entry_services.figures_enter(**arguments)
    (row,) = entry_services.figures_enter(**arguments, confirm_outliers=True)
    reason = row.history.order_by("-history_date").first().history_change_reason
    assert "xác nhận" in reason and "900.000" in reason


def test_the_plausibility_lookup_is_cheap(
    demo_user: Callable[[str], Any], ind: dict[str, Indicator], django_assert_max_num_queries: Any
) -> None:
    ward = unit("CCB-X00070")
    values = {ind["tt-buoi"]: 3, ind["tt-luot"]: 150, ind["ds-nguoi"]: 200}
    participants = {"participants_lead": 300, "participants_partner": 200}
    plausibility.find_outliers(ward, values, for_activity=True, participants=participants)  # fills the cache
    with django_assert_max_num_queries(2):
        plausibility.find_outliers(ward, values, for_activity=True, participants=participants)


# --- counterpart participants ---------------------------------------------------------------------


def test_counterpart_participants_need_a_partner_unit(
    demo_user: Callable[[str], Any], client_as: Callable[[str], Any], api_client_as: Callable[[str], Any], phase: Phase
) -> None:
    with pytest.raises(ValidationError) as caught:
        create(demo_user, phase, {}, description="x", partners=[], participants_partner=12)
    assert "participants_partner" in caught.value.error_dict
    create(demo_user, phase, {}, description="x", partners=[], participants_partner=0)  # no partner, no count: fine

    data = form_data(phase, partners=[], participants_partner=150)
    response = client_as("hoankiem.ccb").post(reverse("activities:create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["participants_partner"]

    response = api_client_as("hoankiem.ccb").post(LIST, payload(phase, partners=[]), format="json")
    assert response.status_code == 400 and "participants_partner" in response.json()

    activity = create(demo_user, phase, {}, description="x")
    with pytest.raises(ValidationError):
        services.activity_update(activity=activity, acting_user=demo_user("hoankiem.ccb"), data={}, partners=[])


def test_a_new_activity_preselects_the_lead_units_counterpart(client_as: Callable[[str], Any]) -> None:
    response = client_as("hoankiem.ccb").get(reverse("activities:create"))
    form = response.context["form"]
    assert ("QS-X00070", True) in [(u.code, checked) for u, checked in form.partner_options()]
    page = response.content.decode()
    assert f'value="{unit("QS-X00070").pk}" id="partner-{unit("QS-X00070").pk}" checked' in page


def test_a_bound_form_keeps_what_the_user_unticked(client_as: Callable[[str], Any], phase: Phase) -> None:
    data = form_data(phase, partners=[], participants_partner=0, title="")
    response = client_as("hoankiem.ccb").post(reverse("activities:create"), data)
    assert response.status_code == 200
    assert ("QS-X00070", False) in [(u.code, c) for u, c in response.context["form"].partner_options()]


# --- plans: a future activity is not counted ---------------------------------------------------


def _totals(ind: dict[str, Indicator], approved: bool = False) -> dict[Any, int]:
    ids = [unit(c).pk for c in ("CCB-X00070", "CCB-HANOI")]
    return totals(
        unit_ids=ids,
        indicator_ids=[ind["tt-buoi"].pk],
        start=date(2026, 1, 1),
        end=date(2027, 12, 31),
        approved=approved,
    )


def test_a_future_activity_is_a_plan_and_is_not_counted(
    demo_user: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator], client_as: Callable[[str], Any]
) -> None:
    before = _totals(ind)
    dashboard_before = client_as("hanoi.ccb").get(reverse("figures:dashboard"))
    activity = create(demo_user, phase, {ind["tt-buoi"]: 7}, start_date=FUTURE, end_date=FUTURE)
    assert activity.status == ActivityStatus.PLAN
    assert not activity.values.filter(counted=True).exists()
    assert _totals(ind) == before
    dashboard_after = client_as("hanoi.ccb").get(reverse("figures:dashboard"))
    assert dashboard_after.status_code == dashboard_before.status_code == 200

    # Submitting a plan before its date is refused, in the service, the page and the API.
    with pytest.raises(ValidationError, match="kế hoạch"):
        services.activity_submit(activity=activity, acting_user=demo_user("hoankiem.ccb"))
    with pytest.raises(ValidationError, match="kế hoạch"):
        create(demo_user, phase, {ind["tt-buoi"]: 7}, start_date=FUTURE, end_date=FUTURE, submit=True)
    client = client_as("hoankiem.ccb")
    client.post(reverse("activities:submit", args=[activity.pk]))
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.PLAN
    assert _totals(ind) == before


def test_the_page_and_the_api_save_a_future_activity_as_a_plan(
    client_as: Callable[[str], Any], api_client_as: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator]
) -> None:
    before = _totals(ind)
    data = form_data(phase, {ind["tt-buoi"]: 3}, start_date="2026-12-19", end_date="2026-12-20", action="submit")
    response = client_as("hoankiem.ccb").post(reverse("activities:create"), data)
    assert response.status_code == 200
    assert "kế hoạch" in " ".join(response.context["form"].non_field_errors())
    response = client_as("hoankiem.ccb").post(reverse("activities:create"), {**data, "action": "draft"})
    assert response.status_code == 302
    assert Activity.objects.get(title=data["title"]).status == ActivityStatus.PLAN

    api = api_client_as("hoankiem.ccb")
    refused = api.post(LIST, payload(phase, start_date="2026-12-20", end_date="2026-12-21", submit=True), format="json")
    assert refused.status_code == 400
    made = api.post(LIST, payload(phase, start_date="2026-12-20", end_date="2026-12-21"), format="json")
    assert made.status_code == 201 and made.json()["status"] == "plan"
    assert api.post(reverse("api:activity-submit", args=[made.json()["id"]])).status_code == 400
    assert _totals(ind) == before


def test_a_plan_is_submitted_as_usual_once_its_date_has_come(
    demo_user: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator], time_machine: Any
) -> None:
    activity = create(demo_user, phase, {ind["tt-buoi"]: 7}, start_date=FUTURE, end_date=FUTURE)
    before = _totals(ind)
    time_machine.move_to(date(2026, 12, 21))
    services.activity_submit(activity=activity, acting_user=demo_user("hoankiem.ccb"))
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.SUBMITTED
    after = _totals(ind)
    pk = (unit("CCB-X00070").pk, ind["tt-buoi"].pk)
    assert after[pk] == before[pk] + 7


def test_a_draft_moved_into_the_future_becomes_a_plan_and_back(
    demo_user: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator]
) -> None:
    user = demo_user("hoankiem.ccb")
    activity = create(demo_user, phase, {ind["tt-buoi"]: 1})
    assert activity.status == ActivityStatus.DRAFT
    activity = services.activity_update(activity=activity, acting_user=user, data={"end_date": FUTURE})
    assert activity.status == ActivityStatus.PLAN
    activity = services.activity_update(activity=activity, acting_user=user, data={"end_date": DAY})
    assert activity.status == ActivityStatus.DRAFT


# --- dates in a closed phase; locks on periods not ended ------------------------------------------


def test_a_date_in_the_closed_phase_says_the_phase_has_ended(
    demo_user: Callable[[str], Any], api_client_as: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator]
) -> None:
    old = Phase.objects.get(programme__code="QDND-CCB", code="2017-2022")
    day = date(2021, 5, 5)
    with pytest.raises(ValidationError) as caught:
        create(demo_user, phase, {ind["tt-buoi"]: 1}, start_date=day, end_date=day)
    message = " ".join(caught.value.messages)
    assert f"Giai đoạn {old.name} đã kết thúc ngày" in message
    assert "khóa" not in message
    with pytest.raises(ValidationError, match="đã kết thúc ngày"):
        create(demo_user, old, {ind["tt-buoi"]: 1}, start_date=day, end_date=day)
    response = api_client_as("hoankiem.ccb").post(
        LIST, payload(phase, start_date="2021-05-05", end_date="2021-05-05"), format="json"
    )
    assert response.status_code == 400 and "đã kết thúc ngày" in str(response.json()["end_date"])


def test_the_page_says_the_phase_has_ended(client_as: Callable[[str], Any], phase: Phase) -> None:
    data = form_data(phase, start_date="2021-05-05", end_date="2021-05-05")
    response = client_as("hoankiem.ccb").post(reverse("activities:create"), data)
    assert response.status_code == 200
    assert any("đã kết thúc ngày" in e for e in response.context["form"].errors["end_date"])


def test_a_lock_on_a_period_not_ended_is_refused(
    demo_user: Callable[[str], Any], client_as: Callable[[str], Any]
) -> None:
    approver = demo_user("hanoi.ccb")
    with pytest.raises(ValidationError, match="chưa kết thúc") as caught:
        entry_services.lock_create(
            unit=unit("CCB-X00070"), start=date(2026, 11, 15), end=date(2026, 12, 14), acting_user=approver
        )
    assert "end" in caught.value.error_dict
    with pytest.raises(ValidationError, match="chưa kết thúc"):  # today has not ended either
        entry_services.lock_create(
            unit=unit("CCB-X00070"), start=date(2026, 11, 1), end=date(2026, 11, 27), acting_user=approver
        )
    lock = entry_services.lock_create(
        unit=unit("CCB-X00070"), start=date(2026, 10, 15), end=date(2026, 11, 14), acting_user=approver
    )
    assert lock.pk is not None


def test_the_entry_page_asks_to_confirm_an_outlier_and_saves_with_it(
    client_as: Callable[[str], Any], phase: Phase, ind: dict[str, Indicator]
) -> None:
    hanoi = unit("CCB-HANOI")
    existing = (
        IndicatorValue.objects.filter(unit=hanoi, indicator=ind["ds-nguoi"], activity__isnull=True)
        .order_by("-date")
        .first()
    )
    assert existing is not None and existing.period_start is not None
    if EntryLock.objects.filter(end__gte=existing.date, start__lte=existing.date, reopened_at__isnull=True).exists():
        pytest.skip("the demo locked this period")
    data = {
        "unit": hanoi.pk,
        "phase": phase.pk,
        "kind": "half",
        "year": existing.date.year,
        "number": 1 if existing.date.month == 6 else 2,
        "note": "",
        f"v_{ind['ds-nguoi'].pk}": "900.000",
    }
    client = client_as("tuhoi")
    response = client.post(reverse("entry:form"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="outlier-warning"' in page and "Tôi xác nhận số liệu này là đúng" in page
    existing.refresh_from_db()
    assert existing.value != 900_000
    response = client.post(reverse("entry:form"), {**data, "confirm_outliers": "on"})
    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.value == 900_000
    assert "900.000" in existing.history.order_by("-history_date").first().history_change_reason
