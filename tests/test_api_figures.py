"""Figures through the API: totals that change the moment an activity or an entered figure is
saved, at every level; the grouped form by child unit; scoping; parameter validation.

On the demo data (national programme QDND-CCB). Totals are compared before and after a write,
so the demo's own figures do not matter; the dates (2027) lie after the demo's data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from phoihop.activities.services import activity_approve, activity_create
from phoihop.entry.services import figures_enter
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Indicator, Phase

pytestmark = pytest.mark.django_db
# The activities below are dated in 2027 and submitted: the clock moves after them (an activity
# dated after today is a plan, never submitted nor counted; ADR 0014).
CLOCK = datetime(2027, 8, 1, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture(autouse=True)
def after_the_dates(time_machine: Any) -> None:
    time_machine.move_to(CLOCK)


FIGURES = reverse("api:figures")
BY_CHILD = reverse("api:figures-by-child")
RANGE = {"start": "2027-01-01", "end": "2027-06-30"}


def indicator(code: str) -> Indicator:
    return Indicator.objects.get(programme__code="QDND-CCB", code=code)


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def value(client: Any, unit_code: str, indicator_code: str = "tt-buoi", **params: str) -> int:
    response = client.get(FIGURES, {"unit": unit_code, "indicator": indicator_code, **RANGE, **params})
    assert response.status_code == 200, response.json()
    return int(response.json()["value"])


def new_activity_payload(**extra: Any) -> dict[str, Any]:
    phase = Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")
    return {
        "phase": phase.pk,
        "title": "Nói chuyện truyền thống",
        "start_date": "2027-02-03",
        "end_date": "2027-02-03",
        "lead_unit": "CCB-X00070",
        "values": [{"indicator": "tt-buoi", "value": 3}, {"indicator": "tt-luot", "value": 120}],
        **extra,
    }


# --- totals at once, at every level -------------------------------------------------------------


def test_it_shows_a_new_activitys_values_at_once_for_commune_province_and_root(
    api_client_as: Callable[[str], Any],
) -> None:
    reporter, hanoi, centre = api_client_as("hoankiem.ccb"), api_client_as("hanoi.ccb"), api_client_as("tuhoi")
    readers = [(reporter, "CCB-X00070"), (hanoi, "CCB-HANOI"), (centre, "CCB-TW")]
    views = ("today", "historical")
    before = {(code, v): value(client, code, view=v) for client, code in readers for v in views}

    # A draft does not count.
    draft = reporter.post(reverse("api:activity-list"), new_activity_payload(), format="json")
    assert draft.status_code == 201
    assert {(code, v): value(client, code, view=v) for client, code in readers for v in views} == before

    # Created and submitted in one request: every level adds it at once, in both views.
    response = reporter.post(reverse("api:activity-list"), new_activity_payload(submit=True), format="json")
    assert response.status_code == 201, response.json()
    after = {(code, v): value(client, code, view=v) for client, code in readers for v in views}
    assert after == {key: total + 3 for key, total in before.items()}

    # Submitting the draft adds it too. A submitted one is withdrawn (it stops counting), edited
    # and sent again (submitted means sent).
    assert reporter.post(reverse("api:activity-submit", kwargs={"pk": draft.json()["id"]})).status_code == 200
    assert value(centre, "CCB-TW") == before[("CCB-TW", "today")] + 6
    sent = response.json()["id"]
    assert reporter.post(reverse("api:activity-withdraw", kwargs={"pk": sent})).status_code == 200
    assert value(hanoi, "CCB-HANOI") == before[("CCB-HANOI", "today")] + 3
    edited = reporter.patch(
        reverse("api:activity-detail", kwargs={"pk": sent}),
        {"values": [{"indicator": "tt-buoi", "value": 10}]},
        format="json",
    )
    assert edited.status_code == 200
    assert reporter.post(reverse("api:activity-submit", kwargs={"pk": sent})).status_code == 200
    assert value(hanoi, "CCB-HANOI") == before[("CCB-HANOI", "today")] + 13
    assert value(centre, "CCB-TW", "tt-luot") >= 120


def test_it_counts_approved_figures_only_when_asked(
    api_client_as: Callable[[str], Any], demo_user: Callable[[str], Any]
) -> None:
    hanoi = api_client_as("hanoi.ccb")
    before = (value(hanoi, "CCB-HANOI"), value(hanoi, "CCB-HANOI", approved="1"))
    activity = activity_create(
        acting_user=demo_user("hoankiem.ccb"),
        phase=Phase.objects.get(programme__code="QDND-CCB", code="2022-2027"),
        lead_unit=unit("CCB-X00070"),
        title="Tọa đàm",
        start_date=date(2027, 3, 1),
        end_date=date(2027, 3, 1),
        values={indicator("tt-buoi"): 5},
        submit=True,
    )
    assert (value(hanoi, "CCB-HANOI"), value(hanoi, "CCB-HANOI", approved="1")) == (before[0] + 5, before[1])
    activity_approve(activity=activity, acting_user=demo_user("hanoi.ccb"))
    assert (value(hanoi, "CCB-HANOI"), value(hanoi, "CCB-HANOI", approved="1")) == (before[0] + 5, before[1] + 5)


def test_it_counts_entered_figures_on_the_last_day_of_their_period(
    api_client_as: Callable[[str], Any], demo_user: Callable[[str], Any]
) -> None:
    hanoi = api_client_as("hanoi.ccb")
    before = value(hanoi, "CCB-HANOI", "gn-ho")
    figures_enter(
        acting_user=demo_user("hoankiem.ccb"),
        unit=unit("CCB-X00070"),
        period_start=date(2027, 6, 15),
        period_end=date(2027, 7, 14),
        values={indicator("gn-ho"): 7},
    )
    assert value(hanoi, "CCB-HANOI", "gn-ho") == before  # RANGE ends on 30/6, before the period's last day
    assert value(hanoi, "CCB-HANOI", "gn-ho", end="2027-07-14") == before + 7


def test_it_gives_every_indicator_of_the_programme_when_none_is_asked(api_client_as: Callable[[str], Any]) -> None:
    response = api_client_as("hanoi.ccb").get(FIGURES, {"unit": "CCB-HANOI", **RANGE})
    assert response.status_code == 200
    data = response.json()
    codes = list(Indicator.objects.filter(programme__code="QDND-CCB").values_list("code", flat=True))
    assert (data["unit"], data["programme"], data["indicator"], data["value"]) == ("CCB-HANOI", "QDND-CCB", None, None)
    assert (data["start"], data["end"], data["view"], data["approved"]) == ("2027-01-01", "2027-06-30", "today", False)
    assert sorted(data["values"]) == sorted(codes)
    assert sorted(i["code"] for i in data["indicators"]) == sorted(codes)
    assert all(isinstance(v, int) for v in data["values"].values())


def test_it_gives_one_indicator_with_its_value(api_client_as: Callable[[str], Any]) -> None:
    data = api_client_as("hanoi.ccb").get(FIGURES, {"unit": "CCB-HANOI", "indicator": "tt-buoi", **RANGE}).json()
    assert data["indicator"] == "tt-buoi"
    assert list(data["values"]) == ["tt-buoi"]
    assert data["value"] == data["values"]["tt-buoi"]
    assert data["indicators"][0]["unit_of_measure"] == indicator("tt-buoi").unit_of_measure


# --- by child unit ---------------------------------------------------------------------------------


def test_it_breaks_a_total_down_by_child_unit(
    api_client_as: Callable[[str], Any], demo_user: Callable[[str], Any]
) -> None:
    hanoi = api_client_as("hanoi.ccb")
    params = {"unit": "CCB-HANOI", "indicator": "tt-buoi", **RANGE}
    before = {row["unit"]: row["value"] for row in hanoi.get(BY_CHILD, params).json()["rows"]}
    children = OrgUnit.objects.filter(path__startswith=unit("CCB-HANOI").path, depth=unit("CCB-HANOI").depth + 1)
    assert set(before) == set(children.filter(valid_to__isnull=True).values_list("code", flat=True))

    activity_create(
        acting_user=demo_user("hoankiem.ccb"),
        phase=Phase.objects.get(programme__code="QDND-CCB", code="2022-2027"),
        lead_unit=unit("CCB-X00070"),
        title="Tuyên truyền biển đảo",
        start_date=date(2027, 5, 5),
        end_date=date(2027, 5, 5),
        values={indicator("tt-buoi"): 4},
        submit=True,
    )
    response = hanoi.get(BY_CHILD, params)
    assert response.status_code == 200
    data = response.json()
    after = {row["unit"]: row["value"] for row in data["rows"]}
    assert after == {**before, "CCB-X00070": before["CCB-X00070"] + 4}
    row = next(r for r in data["rows"] if r["unit"] == "CCB-X00070")
    assert (row["name"], row["closed"], row["values"]) == (
        unit("CCB-X00070").display_name,
        False,
        {"tt-buoi": after["CCB-X00070"]},
    )
    # The province's total equals its children's (nothing is recorded on the province itself here).
    assert sum(after.values()) == value(hanoi, "CCB-HANOI")


def test_it_shows_the_centres_children_to_the_centre_only(api_client_as: Callable[[str], Any]) -> None:
    rows = api_client_as("tuhoi").get(BY_CHILD, {"unit": "CCB-TW", **RANGE}).json()["rows"]
    assert {"CCB-HANOI", "CCB-CAMAU"} <= {row["unit"] for row in rows}
    assert api_client_as("hanoi.ccb").get(BY_CHILD, {"unit": "CCB-TW", **RANGE}).status_code == 404


def test_it_keeps_a_counterparts_children_out_of_the_breakdown(api_client_as: Callable[[str], Any]) -> None:
    # hoankiem.ccb reads its army counterpart's total, not the units below it.
    counterpart = unit("QS-X00070")
    OrgUnit.objects.add_child(
        counterpart,
        {
            "organisation": counterpart.organisation,
            "level": counterpart.level,
            "code": "QS-X00070-TD",
            "name": "Trung đội dân quân cơ động phường Hoàn Kiếm",
        },
    )
    params = {"unit": "QS-X00070", **RANGE}
    assert api_client_as("hoankiem.ccb").get(FIGURES, params).status_code == 200
    response = api_client_as("hoankiem.ccb").get(BY_CHILD, params)
    assert response.status_code == 200
    assert response.json()["rows"] == []
    assert [row["unit"] for row in api_client_as("hanoi.qs").get(BY_CHILD, params).json()["rows"]] == ["QS-X00070-TD"]


# --- scoping ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["CCB-CAMAU", "QS-CAMAU", "CCB-TW", "KHONG-CO-DON-VI"])
@pytest.mark.parametrize("url", [FIGURES, BY_CHILD])
def test_it_answers_404_for_a_unit_outside_the_users_figures(
    api_client_as: Callable[[str], Any], code: str, url: str
) -> None:
    response = api_client_as("hanoi.ccb").get(url, {"unit": code, **RANGE})
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}


def test_it_answers_401_to_anonymous_users(client: Any) -> None:
    from rest_framework.test import APIClient

    assert APIClient().get(FIGURES, {"unit": "CCB-HANOI", **RANGE}).status_code == 401


# --- parameters -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"start": None}, "start", "Thiếu ngày; hãy ghi theo dạng YYYY-MM-DD, ví dụ 2022-09-23."),
        ({"start": "01/02/2027"}, "start", "Ngày không hợp lệ; hãy ghi theo dạng YYYY-MM-DD, ví dụ 2022-09-23."),
        ({"end": "2027-02-30"}, "end", "Ngày không hợp lệ; hãy ghi theo dạng YYYY-MM-DD, ví dụ 2022-09-23."),
        ({"end": "2026-12-31"}, "end", "Ngày kết thúc không được trước ngày bắt đầu."),
        ({"view": "tomorrow"}, "view", "Cách xem “tomorrow” không hợp lệ; chỉ nhận today hoặc historical."),
        ({"approved": "yes"}, "approved", "Tham số approved chỉ nhận 0 hoặc 1, không nhận “yes”."),
        ({"unit": None}, "unit", "Hãy cho biết đơn vị (tham số unit: mã đơn vị)."),
        ({"unit": ""}, "unit", "Hãy cho biết đơn vị (tham số unit: mã đơn vị)."),
        (
            {"indicator": "khong-co"},
            "indicator",
            "Không tìm thấy chỉ tiêu có mã “khong-co” trong chương trình QDND-CCB.",
        ),
        (
            {"programme": "khong-co"},
            "programme",
            "Không tìm thấy chương trình có mã “khong-co” bao gồm đơn vị CCB-HANOI.",
        ),
    ],
)
def test_it_explains_bad_parameters_in_vietnamese(
    api_client_as: Callable[[str], Any], params: dict[str, str | None], field: str, message: str
) -> None:
    query = {"unit": "CCB-HANOI", **RANGE, **params}
    response = api_client_as("hanoi.ccb").get(FIGURES, {k: v for k, v in query.items() if v is not None})
    assert response.status_code == 400
    assert response.json() == {field: [message]}


def test_it_gives_the_national_co_owners_both_sides_by_side_and_never_a_zero_for_an_unseen_side(
    api_client_as: Callable[[str], Any],
) -> None:
    """/api/v1/figures/by-side/ holds the dashboard's "Theo bên phối hợp": the association's
    central approver reads the Ministry's national totals, equal to the Ministry's own."""
    phase = Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")
    query = {"start": phase.start.isoformat(), "end": phase.end.isoformat(), "indicator": "tt-buoi"}
    data = api_client_as("tuhoi").get(reverse("api:figures-by-side"), {"unit": "CCB-TW", **query}).json()
    assert [(s["unit"], s["visible"]) for s in data["sides"]] == [("CCB-TW", True), ("BQP", True)]
    army = api_client_as("tcct").get(reverse("api:figures"), {"unit": "BQP", **query}).json()
    assert data["sides"][1]["value"] == army["value"] > 0
    # The Ministry's national totals are the co-owner's to read; a military region, which no
    # unit of the association pairs with, is not.
    assert api_client_as("tuhoi").get(reverse("api:figures"), {"unit": "BQP", **query}).status_code == 200
    assert api_client_as("tuhoi").get(reverse("api:figures"), {"unit": "QK1", **query}).status_code == 404
