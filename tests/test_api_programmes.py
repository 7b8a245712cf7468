"""Organisations, programmes and phases through the API: reference data, read only."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.support.api_world import ApiWorld, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: Any) -> ApiWorld:
    return build_world()


def client_for(world: ApiWorld, username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.users[username])
    return client


def test_it_shows_organisations_with_their_levels_to_everyone(world: ApiWorld) -> None:
    client = client_for(world, "dave")
    codes = {row["code"] for row in client.get(reverse("api:organisation-list")).json()["results"]}
    assert {"tqd", "tccb"} <= codes
    data = client.get(reverse("api:organisation-detail", args=["tqd"])).json()
    assert (data["name"], data["short_name"]) == ("Quân đội nhân dân Việt Nam", "QĐND")
    assert [level["code"] for level in data["levels"]] == ["central", "province", "commune"]
    assert client.get(reverse("api:organisation-detail", args=["khong-co"])).status_code == 404


def test_it_lists_the_programmes_a_user_takes_part_in(world: ApiWorld) -> None:
    rows = client_for(world, "alice").get(reverse("api:programme-list")).json()["results"]
    assert [row["code"] for row in rows] == ["ct-09"]


def test_it_shows_a_programme_with_its_parties_fields_indicators_and_phases(world: ApiWorld) -> None:
    data = client_for(world, "bob").get(reverse("api:programme-detail", args=["ct-09"])).json()
    assert data["title"] == "Chương trình phối hợp số 09"
    assert data["parent"] is None
    assert [(p["organisation"], p["representative_unit"]["code"], p["root_unit"]["code"]) for p in data["parties"]] == [
        ("tqd", "qd", "qd"),
        ("tccb", "ccb", "ccb"),
    ]
    assert data["fields"] == [{"code": "giao-duc", "name": "Giáo dục chính trị", "order": 1}]
    indicator = data["indicators"][0]
    assert (indicator["code"], indicator["field"], indicator["introduced_in"], indicator["retired_in"]) == (
        "so-buoi",
        "giao-duc",
        "2022-2027",
        None,
    )
    assert [(p["code"], p["status"]) for p in data["phases"]] == [("2022-2027", "active")]


def test_it_hides_programmes_from_users_outside_them(world: ApiWorld) -> None:
    client = client_for(world, "dave")
    assert client.get(reverse("api:programme-list")).json()["count"] == 0
    assert client.get(reverse("api:programme-detail", args=["ct-09"])).status_code == 404
    assert client.get(reverse("api:phase-detail", args=[world.phase.pk])).status_code == 404  # type: ignore[union-attr]


def test_it_filters_phases_by_programme(world: ApiWorld) -> None:
    client = client_for(world, "root")
    rows = client.get(reverse("api:phase-list") + "?programme=ct-09").json()["results"]
    assert [(row["programme"], row["code"], row["status_label"], row["signing"]) for row in rows] == [
        ("ct-09", "2022-2027", "Đang thực hiện", None)
    ]
    assert client.get(reverse("api:phase-list") + "?programme=khong-co").json()["count"] == 0


def test_it_keeps_reference_data_read_only(world: ApiWorld) -> None:
    client = client_for(world, "root")
    assert (
        client.patch(reverse("api:programme-detail", args=["ct-09"]), {"title": "x"}, format="json").status_code == 405
    )
    assert client.delete(reverse("api:phase-detail", args=[world.phase.pk])).status_code == 405  # type: ignore[union-attr]
