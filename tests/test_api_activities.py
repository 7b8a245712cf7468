"""Joint activities through the API: writes through the services, scoping, the approval
route, filters, and locked periods (on the demo data: Phường Hoàn Kiếm's association and its
army counterpart, in the national programme's 2022–2027 phase).

Dates are in 2027, after the demo's data (which ends on 27/11/2026), so nothing of the demo
(its values, its locks) meets them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from phoihop.activities.models import Activity
from phoihop.activities.services import activity_create
from phoihop.entry.models import IndicatorValue
from phoihop.entry.services import lock_create
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Indicator, Phase

pytestmark = pytest.mark.django_db

LIST = reverse("api:activity-list")
# The dates below are in 2027: the clock moves after them, or their activities would be plans
# (an activity dated after today is a plan, never submitted nor counted; ADR 0014).
CLOCK = datetime(2027, 7, 1, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture(autouse=True)
def after_the_dates(time_machine: Any) -> None:
    time_machine.move_to(CLOCK)


def detail(activity: Activity | int, action: str = "") -> str:
    pk = activity if isinstance(activity, int) else activity.pk
    if action:
        return reverse(f"api:activity-{action}", kwargs={"pk": pk})
    return reverse("api:activity-detail", kwargs={"pk": pk})


@pytest.fixture
def phase(db: Any) -> Phase:
    return Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")


def indicator(code: str) -> Indicator:
    return Indicator.objects.get(programme__code="QDND-CCB", code=code)


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def payload(of_phase: Phase, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "phase": of_phase.pk,
        "title": "Tuyên truyền kỷ niệm Ngày thành lập Quân đội nhân dân",
        "start_date": "2027-03-10",
        "end_date": "2027-03-11",
        "lead_unit": "CCB-X00070",
        "partners": ["QS-X00070"],
        "place": "Nhà văn hóa tổ dân phố số 1",
        "participants_lead": 40,
        "participants_partner": 12,
        "values": [{"indicator": "tt-buoi", "value": 2}, {"indicator": "tt-luot", "value": 52}],
    }
    data.update(extra)
    return data


def make(phase: Phase, username: str, demo_user: Callable[[str], Any], **extra: Any) -> Activity:
    """An activity made through the service (set-up, not the behaviour under test)."""
    fields: dict[str, Any] = {
        "phase": phase,
        "lead_unit": unit("CCB-X00070"),
        "title": "Giao ban công tác phối hợp",
        "start_date": date(2027, 4, 5),
        "end_date": date(2027, 4, 5),
        "values": {indicator("pt-hoat-dong"): 1},
    }
    fields.update(extra)
    return activity_create(acting_user=demo_user(username), **fields)


def values_of(activity: Activity) -> dict[str, int]:
    rows = IndicatorValue.objects.filter(activity=activity).select_related("indicator")
    return {row.indicator.code: row.value for row in rows}


# --- creating, changing, deleting ----------------------------------------------------------


def test_it_creates_a_draft_activity_with_its_values_and_partners(
    api_client_as: Callable[[str], Any], phase: Phase
) -> None:
    response = api_client_as("hoankiem.ccb").post(LIST, payload(phase), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    activity = Activity.objects.get(pk=data["id"])
    assert response["Location"].endswith(detail(activity))
    assert (data["status"], data["status_label"], data["programme"]) == ("draft", "Nháp", "QDND-CCB")
    assert (data["lead_unit"], data["partners"]) == ("CCB-X00070", ["QS-X00070"])
    assert [(v["indicator"], v["value"], v["field"]) for v in data["values"]] == [
        ("tt-buoi", 2, "tuyen-truyen"),
        ("tt-luot", 52, "tuyen-truyen"),
    ]
    assert values_of(activity) == {"tt-buoi": 2, "tt-luot": 52}
    assert list(activity.partners.values_list("code", flat=True)) == ["QS-X00070"]
    # Drafts do not count yet; submitted at creation, they do.
    assert not IndicatorValue.objects.filter(activity=activity, counted=True).exists()


def test_it_submits_at_creation_when_asked(api_client_as: Callable[[str], Any], phase: Phase) -> None:
    response = api_client_as("hoankiem.ccb").post(LIST, payload(phase, submit=True), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "submitted"
    assert set(IndicatorValue.objects.filter(activity_id=response.json()["id"]).values_list("counted", flat=True)) == {
        True
    }


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"lead_unit": "CCB-CAMAU"}, "lead_unit", "Không tìm thấy đơn vị có mã “CCB-CAMAU”."),
        ({"lead_unit": "KHONG-CO"}, "lead_unit", "Không tìm thấy đơn vị có mã “KHONG-CO”."),
        ({"partners": ["QS-CAMAU"]}, "partners", "Không tìm thấy đơn vị có mã “QS-CAMAU”."),
        ({"values": [{"indicator": "khong-co", "value": 1}]}, "values", "“khong-co”"),
        ({"values": [{"indicator": "tt-buoi", "value": -1}]}, "values", "Giá trị không được âm."),
        ({"end_date": "2027-13-01"}, "end_date", None),
        ({"end_date": "2030-01-01"}, "end_date", "Ngày kết thúc phải nằm trong giai đoạn"),
    ],
)
def test_it_refuses_bad_input_with_a_400_and_creates_nothing(
    api_client_as: Callable[[str], Any], phase: Phase, change: dict[str, Any], field: str, message: str | None
) -> None:
    before = Activity.objects.count()
    response = api_client_as("hoankiem.ccb").post(LIST, payload(phase, **change), format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()
    if message:
        assert message in str(response.json()[field])
    assert Activity.objects.count() == before


def test_it_refuses_a_phase_of_another_provinces_programme_as_not_found(
    api_client_as: Callable[[str], Any], phase: Phase
) -> None:
    from tests.test_scoping_matrix import make_programme

    _programme, camau_phase, _indicator = make_programme("ct-camau-thu", "Chương trình Cà Mau", "CAMAU")
    response = api_client_as("hoankiem.ccb").post(LIST, payload(phase, phase=camau_phase.pk), format="json")
    assert response.status_code == 400
    assert response.json()["phase"] == [f"Không tìm thấy giai đoạn số {camau_phase.pk}."]


def test_it_answers_403_for_a_unit_the_user_sees_but_may_not_write_for(
    api_client_as: Callable[[str], Any], phase: Phase
) -> None:
    before = Activity.objects.count()
    response = api_client_as("hoankiem.ccb").post(LIST, payload(phase, lead_unit="QS-X00070"), format="json")
    assert response.status_code == 403
    assert Activity.objects.count() == before


def test_it_updates_an_activity_and_replaces_its_values(
    api_client_as: Callable[[str], Any], demo_user: Callable[[str], Any], phase: Phase
) -> None:
    activity = make(phase, "hoankiem.ccb", demo_user, values={indicator("tt-buoi"): 1, indicator("tt-luot"): 30})
    response = api_client_as("hoankiem.ccb").patch(
        detail(activity),
        {
            "title": "Giao ban quý I",
            "values": [{"indicator": "tt-buoi", "value": 3}, {"indicator": "xh-nha", "value": 1}],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["title"] == "Giao ban quý I"
    assert values_of(activity) == {"tt-buoi": 3, "xh-nha": 1}
    # Without "values", the values stay as they are.
    response = api_client_as("hoankiem.ccb").patch(detail(activity), {"place": "Hội trường phường"}, format="json")
    assert response.status_code == 200
    assert values_of(activity) == {"tt-buoi": 3, "xh-nha": 1}


def test_it_refuses_to_move_an_activity_to_another_phase(
    api_client_as: Callable[[str], Any], demo_user: Callable[[str], Any], phase: Phase
) -> None:
    activity = make(phase, "hoankiem.ccb", demo_user)
    older = Phase.objects.get(programme__code="QDND-CCB", code="2017-2022")
    response = api_client_as("hoankiem.ccb").patch(detail(activity), {"phase": older.pk}, format="json")
    assert response.status_code == 400
    assert "phase" in response.json()
    assert Activity.objects.get(pk=activity.pk).phase_id == phase.pk


def test_it_deletes_a_draft_and_its_values(
    api_client_as: Callable[[str], Any], demo_user: Callable[[str], Any], phase: Phase
) -> None:
    activity = make(phase, "hoankiem.ccb", demo_user)
    response = api_client_as("hoankiem.ccb").delete(detail(activity))
    assert response.status_code == 204
    assert not Activity.objects.filter(pk=activity.pk).exists()
    assert not IndicatorValue.objects.filter(activity_id=activity.pk).exists()


# --- submitting, approving, returning ---------------------------------------------------------


def test_it_submits_and_only_an_approver_above_approves(
    api_client_as: Callable[[str], Any], demo_user: Callable[[str], Any], phase: Phase
) -> None:
    activity = make(phase, "hoankiem.ccb", demo_user)
    reporter = api_client_as("hoankiem.ccb")
    response = reporter.post(detail(activity, "submit"))
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "submitted"

    # A reporter of the commune may not approve its own work.
    assert reporter.post(detail(activity, "approve")).status_code == 403
    assert Activity.objects.get(pk=activity.pk).status == "submitted"

    response = api_client_as("hanoi.ccb").post(detail(activity, "approve"))
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    assert set(IndicatorValue.objects.filter(activity=activity).values_list("approved", flat=True)) == {True}

    # Approved: no longer editable (the service's message, as a 400).
    response = reporter.patch(detail(activity), {"title": "Sửa sau khi duyệt"}, format="json")
    assert response.status_code == 400
    assert "đã được duyệt" in str(response.json())


def test_it_returns_an_activity_with_a_reason(
    api_client_as: Callable[[str], Any], demo_user: Callable[[str], Any], phase: Phase
) -> None:
    activity = make(phase, "hoankiem.ccb", demo_user, submit=True)
    approver = api_client_as("hanoi.ccb")
    response = approver.post(detail(activity, "return"), {"reason": ""}, format="json")
    assert response.status_code == 400
    assert Activity.objects.get(pk=activity.pk).status == "submitted"

    response = approver.post(detail(activity, "return"), {"reason": "Thiếu số lượt người dự."}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["return_reason"]) == ("returned", "Thiếu số lượt người dự.")


def test_it_refuses_to_submit_twice(
    api_client_as: Callable[[str], Any], demo_user: Callable[[str], Any], phase: Phase
) -> None:
    activity = make(phase, "hoankiem.ccb", demo_user, submit=True)
    response = api_client_as("hoankiem.ccb").post(detail(activity, "submit"))
    assert response.status_code == 400
    assert "bị trả lại" in str(response.json())


# --- scoping ----------------------------------------------------------------------------------


def test_it_lets_a_partner_read_the_joint_activity_but_not_change_it(
    api_client_as: Callable[[str], Any], demo_user: Callable[[str], Any], phase: Phase
) -> None:
    joint = make(
        phase,
        "hanoi.qs",
        demo_user,
        lead_unit=unit("QS-X00070"),
        title="Diễn tập phòng chống thiên tai",
        partners=[unit("CCB-X00070")],
    )
    partner = api_client_as("hoankiem.ccb")
    response = partner.get(detail(joint))
    assert response.status_code == 200
    assert (response.json()["lead_unit"], response.json()["partners"]) == ("QS-X00070", ["CCB-X00070"])
    listed = partner.get(LIST, {"q": "dien tap phong chong thien tai"}).json()["results"]
    assert [row["id"] for row in listed] == [joint.pk]

    assert partner.patch(detail(joint), {"title": "Đổi tên"}, format="json").status_code == 403
    assert partner.post(detail(joint, "submit")).status_code == 403
    assert partner.delete(detail(joint)).status_code == 403
    assert Activity.objects.get(pk=joint.pk).title == "Diễn tập phòng chống thiên tai"


def test_it_hides_camau_activities_from_hanoi(
    api_client_as: Callable[[str], Any], demo_user: Callable[[str], Any], phase: Phase
) -> None:
    camau = make(phase, "camau.ccb", demo_user, lead_unit=unit("CCB-CAMAU"), title="Hội thao Cà Mau", submit=True)
    hanoi = api_client_as("hanoi.ccb")
    for params in ({}, {"q": "hoi thao ca mau"}, {"unit": "CCB-CAMAU"}, {"page_size": "500"}):
        rows = hanoi.get(LIST, params).json()["results"]
        assert camau.pk not in {row["id"] for row in rows}, params
        assert "CAMAU" not in str(rows)
    assert hanoi.get(detail(camau)).status_code == 404
    for method, action in (("patch", ""), ("delete", ""), ("post", "submit"), ("post", "approve"), ("post", "return")):
        response = getattr(hanoi, method)(detail(camau, action), {"reason": "x", "title": "x"}, format="json")
        assert response.status_code == 404, (method, action)
    assert Activity.objects.get(pk=camau.pk).status == "submitted"
    # Cà Mau itself finds it.
    assert api_client_as("camau.ccb").get(LIST, {"q": "hoi thao ca mau"}).json()["count"] == 1


def test_it_answers_404_for_an_id_that_does_not_exist(api_client_as: Callable[[str], Any]) -> None:
    assert api_client_as("hanoi.ccb").get(detail(10**9)).json() == {"detail": "Không tìm thấy."}


# --- filters ----------------------------------------------------------------------------------


def test_it_filters_by_phase_field_unit_dates_status_and_text(
    api_client_as: Callable[[str], Any], demo_user: Callable[[str], Any], phase: Phase
) -> None:
    propaganda = make(
        phase,
        "hoankiem.ccb",
        demo_user,
        title="Tuyên truyền Luật Cựu chiến binh",
        end_date=date(2027, 5, 20),
        start_date=date(2027, 5, 20),
        values={indicator("tt-buoi"): 1},
        submit=True,
    )
    houses = make(
        phase,
        "hoankiem.ccb",
        demo_user,
        title="Sửa nhà đồng đội",
        end_date=date(2027, 6, 20),
        start_date=date(2027, 6, 1),
        values={indicator("xh-nha"): 1},
    )
    client = api_client_as("hanoi.ccb")

    def ids(**params: str) -> set[int]:
        response = client.get(LIST, {"unit": "CCB-X00070", "start": "2027-05-01", "page_size": "500", **params})
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert ids() == {propaganda.pk, houses.pk}
    assert ids(phase=str(phase.pk)) == {propaganda.pk, houses.pk}
    assert ids(field="tuyen-truyen") == {propaganda.pk}
    assert ids(field="xa-hoi") == {houses.pk}
    assert ids(end="2027-05-31") == {propaganda.pk}
    assert ids(status="submitted") == {propaganda.pk}
    assert ids(status="draft") == {houses.pk}
    assert ids(q="sua nha dong doi") == {houses.pk}
    assert ids(q="LUẬT cựu CHIẾN binh") == {propaganda.pk}
    assert ids(unit="CCB-X00004") == set()
    assert ids(unit="CCB-HANOI") == {propaganda.pk, houses.pk}
    assert client.get(LIST, {"start": "2027-99-01"}).status_code == 400


# --- locked periods -----------------------------------------------------------------------------


def test_a_locked_period_refuses_creating_changing_and_deleting_values(
    api_client_as: Callable[[str], Any], demo_user: Callable[[str], Any], phase: Phase
) -> None:
    inside = make(phase, "hoankiem.ccb", demo_user, values={indicator("tt-buoi"): 4}, submit=True)
    draft = make(phase, "hoankiem.ccb", demo_user, title="Bản nháp trong kỳ khóa")
    lock_create(
        unit=unit("CCB-X00070"),
        start=date(2027, 3, 15),
        end=date(2027, 4, 14),
        acting_user=demo_user("hanoi.ccb"),
        reason="Báo cáo tháng 4/2027 đã duyệt",
    )
    client = api_client_as("hoankiem.ccb")
    before = (Activity.objects.count(), IndicatorValue.objects.count(), values_of(inside), values_of(draft))

    created = client.post(LIST, payload(phase, start_date="2027-04-01", end_date="2027-04-02"), format="json")
    changed = client.patch(detail(inside), {"values": [{"indicator": "tt-buoi", "value": 9}]}, format="json")
    moved_in = client.patch(detail(draft), {"title": "Sửa bản nháp"}, format="json")
    deleted = client.delete(detail(draft))
    for response in (created, moved_in, deleted):
        assert response.status_code == 400, response.json()
        assert "đã khóa" in str(response.json())
    # A submitted activity is not changed at all before it is withdrawn (submitted means sent).
    assert changed.status_code == 400 and "Rút lại để sửa" in str(changed.json())
    assert (Activity.objects.count(), IndicatorValue.objects.count(), values_of(inside), values_of(draft)) == before
    assert Activity.objects.get(pk=draft.pk).title == "Bản nháp trong kỳ khóa"

    # Outside the locked period the same writes go through.
    outside = client.post(LIST, payload(phase, start_date="2027-04-20", end_date="2027-04-20"), format="json")
    assert outside.status_code == 201
    # ... but moving an activity into the locked period is refused too.
    response = client.patch(
        detail(outside.json()["id"]), {"start_date": "2027-04-01", "end_date": "2027-04-01"}, format="json"
    )
    assert response.status_code == 400
    assert Activity.objects.get(pk=outside.json()["id"]).end_date == date(2027, 4, 20)
