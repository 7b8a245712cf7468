"""People through the API: who sees whom, and adding and editing people through the services."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from phoihop.orgunits.models import Person
from tests.support.api_world import ApiWorld, build_world
from tests.support.api_world import VersionedAPIClient as APIClient  # sends If-Match on PATCH

pytestmark = pytest.mark.django_db
THIS_YEAR = timezone.localdate().year


@pytest.fixture
def world(db: Any) -> ApiWorld:
    return build_world()


def client_for(world: ApiWorld, username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.users[username])
    return client


def person_url(person: Person) -> str:
    return reverse("api:person-detail", args=[person.pk])


def names(response: Any) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["full_name"] for row in response.json()["results"]}


# --- reading -----------------------------------------------------------------------------


def test_it_lists_own_people_and_public_figures(world: ApiWorld) -> None:
    seen = names(client_for(world, "alice").get(reverse("api:person-list") + "?page_size=500"))
    assert {"Nguyễn Văn Gấu", "Lê Thị Lan"} <= seen
    assert "Trần Minh Đức" not in seen


def test_it_finds_people_without_diacritics(world: ApiWorld) -> None:
    client = client_for(world, "alice")
    assert names(client.get(reverse("api:person-list") + "?q=nguyen%20van%20gau")) == {"Nguyễn Văn Gấu"}
    assert names(client.get(reverse("api:person-list") + "?unit=qd-hn&rank=dai-ta")) == {"Nguyễn Văn Gấu"}


def test_it_shapes_a_person(world: ApiWorld) -> None:
    gau = world.people["gau"]
    data = client_for(world, "alice").get(person_url(gau)).json()
    assert data == {
        "id": gau.pk,
        "version": gau.version,
        "full_name": "Nguyễn Văn Gấu",
        "birth_year": 1975,
        "birth_date": None,
        "gender": "nam",
        "home_town": "",
        "residence": "",
        "qualification": "",
        "distinctions": "",
        "rank": "dai-ta",
        "rank_label": "Đại tá",
        "positions": ["Chỉ huy trưởng"],
        "unit": "qd-hn",
        "affiliation": "",
        "member_card_number": "",
        "is_public_figure": False,
        "url": "http://testserver" + person_url(gau),
    }


def test_it_shows_a_public_figure_from_outside_by_name_rank_and_positions_only(world: ApiWorld) -> None:
    lan = world.people["lan"]
    outside = client_for(world, "alice").get(person_url(lan)).json()
    assert (outside["full_name"], outside["positions"], outside["unit"]) == ("Lê Thị Lan", ["Chủ tịch Hội"], "ccb")
    assert (outside["birth_year"], outside["gender"], outside["member_card_number"]) == (None, "", "")
    assert (outside["birth_date"], outside["home_town"], outside["residence"]) == (None, "", "")
    inside = client_for(world, "root").get(person_url(lan)).json()
    assert (inside["birth_year"], inside["gender"], inside["member_card_number"]) == (1955, "nu", "CCB-0002")


def test_it_answers_404_for_a_person_out_of_scope(world: ApiWorld) -> None:
    response = client_for(world, "alice").get(person_url(world.people["duc"]))
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}


# --- adding ------------------------------------------------------------------------------


def test_it_adds_a_person_through_the_service(world: ApiWorld) -> None:
    response = client_for(world, "alice").post(
        reverse("api:person-list"),
        {
            "full_name": "  Hoàng   Thị Mai ",
            "birth_year": 1990,
            "gender": "nu",
            "rank": "thieu-ta",
            "positions": ["Trợ lý  tuyên huấn", " "],
            "unit": "qd-hn-bd",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["full_name"], data["rank_label"], data["positions"], data["unit"]) == (
        "Hoàng Thị Mai",
        "Thiếu tá",
        ["Trợ lý tuyên huấn"],
        "qd-hn-bd",
    )
    assert response["Location"] == data["url"]
    person = Person.objects.get(pk=data["id"])
    created = person.history.first()
    assert created is not None
    assert (created.history_type, created.history_user) == ("+", world.users["alice"])


@pytest.mark.parametrize("code", ["ccb-hp", "khong-co-don-vi-nay"])
def test_it_answers_a_unit_out_of_scope_like_a_missing_one(world: ApiWorld, code: str) -> None:
    response = client_for(world, "alice").post(
        reverse("api:person-list"), {"full_name": "Người Mới", "unit": code}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"unit": [f"Không tìm thấy đơn vị có mã “{code}”."]}
    assert not Person.objects.filter(full_name="Người Mới").exists()


def test_it_refuses_to_add_a_person_to_a_counterpart_unit(world: ApiWorld) -> None:
    response = client_for(world, "alice").post(
        reverse("api:person-list"), {"full_name": "Người Mới", "unit": "ccb-hn"}, format="json"
    )
    assert response.status_code == 403
    assert not Person.objects.filter(full_name="Người Mới").exists()


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        ({"rank": "tuong"}, {"rank": ["“tuong” không phải là lựa chọn hợp lệ."]}),
        ({"positions": "Chủ nhiệm"}, {"positions": ["Cần một danh sách nhưng nhận được kiểu “str”."]}),
        ({"birth_year": 1800}, {"birth_year": [f"Năm sinh phải từ 1900 đến {THIS_YEAR}."]}),
        ({"full_name": ""}, {"full_name": ["Trường này không được bỏ trống."]}),
    ],
)
def test_it_refuses_bad_people_in_vietnamese(world: ApiWorld, payload: dict[str, Any], errors: dict[str, Any]) -> None:
    body = {"full_name": "Người Mới", "unit": "qd-hn-bd", **payload}
    response = client_for(world, "alice").post(reverse("api:person-list"), body, format="json")
    assert response.status_code == 400
    assert response.json() == errors


# --- editing -----------------------------------------------------------------------------


def test_it_edits_a_person_through_the_service(world: ApiWorld) -> None:
    gau = world.people["gau"]
    response = client_for(world, "alice").patch(
        person_url(gau), {"positions": ["Chỉ huy trưởng", "Bí thư Đảng ủy"], "unit": "qd-hn-bd"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["birth_year"] == 1975
    gau.refresh_from_db()
    assert (gau.positions, gau.unit.code if gau.unit else None) == (["Chỉ huy trưởng", "Bí thư Đảng ủy"], "qd-hn-bd")
    latest = gau.history.first()
    assert latest is not None
    assert latest.history_user == world.users["alice"]


def test_it_refuses_to_move_a_person_out_of_scope(world: ApiWorld) -> None:
    gau = world.people["gau"]
    response = client_for(world, "alice").patch(person_url(gau), {"unit": "ccb-hn"}, format="json")
    assert response.status_code == 403
    gau.refresh_from_db()
    assert gau.unit == world.unit("qd-hn")


@pytest.mark.parametrize(
    ("username", "person", "status"),
    [
        ("alice", "lan", 403),  # a public figure: seen, not hers to change
        ("carol", "gau", 403),  # unit administrators manage units, not people's records
        ("alice", "duc", 404),  # not seen at all
        ("dave", "gau", 404),
    ],
)
def test_it_refuses_edits_outside_the_change_scope(world: ApiWorld, username: str, person: str, status: int) -> None:
    target = world.people[person]
    rows_before = target.history.count()
    response = client_for(world, username).patch(person_url(target), {"full_name": "Tên Khác"}, format="json")
    assert response.status_code == status
    target.refresh_from_db()
    assert target.full_name != "Tên Khác"
    assert target.history.count() == rows_before


def test_it_does_not_replace_or_delete_people(world: ApiWorld) -> None:
    client = client_for(world, "alice")
    url = person_url(world.people["gau"])
    assert client.put(url, {"full_name": "X"}, format="json").status_code == 405
    assert client.delete(url).status_code == 405
