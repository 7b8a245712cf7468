"""The API's basics: tokens, anonymous users, unit lists and filters, scoping, unit edits."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from phoihop.orgunits.models import OrgUnit
from tests.support.api_world import PASSWORD, ApiWorld, build_world
from tests.support.api_world import VersionedAPIClient as APIClient  # sends If-Match on PATCH

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: Any) -> ApiWorld:
    return build_world()


def client_for(world: ApiWorld, username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.users[username])
    return client


def unit_codes(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


def units_url(**params: str) -> str:
    url = reverse("api:unit-list")
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


# --- tokens and anonymous users ----------------------------------------------------------


def test_it_issues_a_token_that_authenticates(world: ApiWorld) -> None:
    response = APIClient().post(reverse("api:auth-token"), {"username": "alice", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert sorted(unit_codes(client.get(units_url()))) == ["ccb-hn", "qd-hn", "qd-hn-bd", "qd-hn-hk"]


def test_it_refuses_a_wrong_password_in_vietnamese(world: ApiWorld) -> None:
    response = APIClient().post(reverse("api:auth-token"), {"username": "alice", "password": "sai"}, format="json")
    assert response.status_code == 400
    assert "token" not in response.json()
    assert "mật khẩu không đúng" in response.json()["non_field_errors"][0]


def test_it_refuses_a_token_to_an_inactive_user(world: ApiWorld) -> None:
    alice = world.users["alice"]
    alice.is_active = False
    alice.save()
    response = APIClient().post(reverse("api:auth-token"), {"username": "alice", "password": PASSWORD}, format="json")
    assert response.status_code == 400
    assert "token" not in response.json()


def test_it_asks_for_both_username_and_password(world: ApiWorld) -> None:
    response = APIClient().post(reverse("api:auth-token"), {"username": "alice"}, format="json")
    assert response.status_code == 400
    assert response.json()["password"] == ["Trường này là bắt buộc."]


@pytest.mark.parametrize("name", ["api:api-root", "api:unit-list", "api:person-list", "api:programme-list"])
def test_it_answers_401_to_anonymous_users(world: ApiWorld, name: str) -> None:
    response = APIClient().get(reverse(name))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"] == "Bạn chưa đăng nhập hoặc chưa gửi mã truy cập (token)."


def test_it_answers_401_to_a_bad_token(world: ApiWorld) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get(units_url()).status_code == 401


def test_it_refuses_users_who_must_change_their_password(world: ApiWorld) -> None:
    alice = world.users["alice"]
    alice.must_change_password = True
    alice.save()
    response = client_for(world, "alice").get(units_url())
    assert response.status_code == 403
    assert response.json()["detail"] == "Bạn phải đổi mật khẩu trước khi tiếp tục."


def test_it_links_every_list_from_the_root(world: ApiWorld) -> None:
    data = client_for(world, "alice").get(reverse("api:api-root")).json()
    assert set(data) == {
        "organisations", "units", "persons", "programmes", "phases",
        "activities", "entered-figures", "practice-models", "exchanges", "lessons", "proposals", "locks",
        "figures", "figures-by-child", "figures-by-side",
        "reporting-periods", "report-requests", "reports", "registers", "conferences",

        "award-forms", "emulation-titles", "nominations", "decisions", "awards",
        "inbox", "notices", "jobs", "imports",
    }  # fmt: skip
    assert data["units"].endswith(reverse("api:unit-list"))
    assert data["figures-by-child"].endswith(reverse("api:figures-by-child"))


# --- unit lists and filters --------------------------------------------------------------


def test_it_counts_and_filters_units(world: ApiWorld) -> None:
    client = client_for(world, "root")
    response = client.get(units_url(organisation="tqd"))
    assert response.json()["count"] == 6
    assert unit_codes(client.get(units_url(organisation="tqd", level="province"))) == ["qd-hn", "qd-hp", "qd-hd"]
    assert unit_codes(client.get(units_url(organisation="tqd", level="province", active="2026-01-01"))) == [
        "qd-hn",
        "qd-hp",
    ]
    assert client.get(units_url(organisation="tccb", level="province", active="2026-01-01")).json()["count"] == 2


def test_it_filters_units_by_parent_code_or_id(world: ApiWorld) -> None:
    client = client_for(world, "alice")
    by_code = unit_codes(client.get(units_url(parent="qd-hn")))
    by_id = unit_codes(client.get(units_url(parent=str(world.unit("qd-hn").pk))))
    assert by_code == by_id == ["qd-hn-bd", "qd-hn-hk"]
    assert unit_codes(client.get(units_url(parent="no-such-unit"))) == []


def test_it_finds_units_without_diacritics(world: ApiWorld) -> None:
    client = client_for(world, "alice")
    assert sorted(unit_codes(client.get(units_url(q="ha%20noi")))) == ["ccb-hn", "qd-hn"]
    assert unit_codes(client.get(units_url(q="HOAN%20KIEM"))) == ["qd-hn-hk"]


def test_it_refuses_a_malformed_date_in_vietnamese(world: ApiWorld) -> None:
    response = client_for(world, "alice").get(units_url(active="hôm-qua"))
    assert response.status_code == 400
    assert response.json()["active"] == ["Nhập một ngày hợp lệ."]


def test_it_lists_only_the_units_in_scope(world: ApiWorld) -> None:
    # alice's subtree, and the counterpart unit paired with it.
    assert sorted(unit_codes(client_for(world, "alice").get(units_url()))) == [
        "ccb-hn",
        "qd-hn",
        "qd-hn-bd",
        "qd-hn-hk",
    ]
    assert unit_codes(client_for(world, "bob").get(units_url())) == ["ccb-hp"]
    assert unit_codes(client_for(world, "dave").get(units_url())) == []


def test_it_shapes_a_unit(world: ApiWorld) -> None:
    unit = world.unit("qd-hn-hk")
    data = client_for(world, "alice").get(reverse("api:unit-detail", args=[unit.pk])).json()
    assert data == {
        "id": unit.pk,
        "version": unit.version,
        "code": "qd-hn-hk",
        "name": "Ban Chỉ huy Quân sự phường Hoàn Kiếm",
        "short_name": "",
        "organisation": "tqd",
        "level": "commune",
        "kind": "",
        "area": None,
        "parent": {"id": world.unit("qd-hn").pk, "code": "qd-hn"},
        "depth": 3,
        "valid_from": None,
        "valid_to": "2025-06-30",
        "successor": "qd-hn-bd",
        "succession_kind": "absorbed",
        "url": "http://testserver" + reverse("api:unit-detail", args=[unit.pk]),
    }


def test_it_gives_roots_no_parent(world: ApiWorld) -> None:
    client = client_for(world, "root")
    for org, code in [("tqd", "qd"), ("tccb", "ccb")]:
        rows = client.get(units_url(organisation=org, level="central")).json()["results"]
        assert [(row["code"], row["parent"]) for row in rows] == [(code, None)]


def test_it_lists_units_in_a_constant_number_of_queries(
    world: ApiWorld, django_assert_num_queries: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(world, "alice")
    client.get(units_url(page_size="1"))  # the user's scope is cached on the user from here on
    with django_assert_max_num_queries(3) as small:
        assert len(unit_codes(client.get(units_url(page_size="1")))) == 1
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(unit_codes(client.get(units_url(page_size="50")))) == 4


# --- scope: out of scope is "not found" --------------------------------------------------


def test_it_answers_404_for_a_unit_out_of_scope_like_a_missing_one(world: ApiWorld) -> None:
    client = client_for(world, "alice")
    hidden = client.get(reverse("api:unit-detail", args=[world.unit("ccb-hp").pk]))
    missing = client.get(reverse("api:unit-detail", args=[999_999]))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json() == {"detail": "Không tìm thấy."}


# --- unit edits --------------------------------------------------------------------------


def test_it_lets_a_unit_admin_rename_a_unit_and_records_who(world: ApiWorld) -> None:
    unit = world.unit("qd-hn-bd")
    response = client_for(world, "carol").patch(
        reverse("api:unit-detail", args=[unit.pk]),
        {"short_name": "Ban CHQS Ba Đình", "kind": "ban-chqs"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["short_name"] == "Ban CHQS Ba Đình"
    unit.refresh_from_db()
    assert (unit.short_name, unit.kind) == ("Ban CHQS Ba Đình", "ban-chqs")
    latest = unit.history.first()
    assert latest is not None
    assert latest.history_user == world.users["carol"]
    assert latest.short_name == "Ban CHQS Ba Đình"


def test_it_answers_404_to_an_edit_out_of_scope_and_changes_nothing(world: ApiWorld) -> None:
    unit = world.unit("ccb-hp")
    rows_before = unit.history.count()
    response = client_for(world, "carol").patch(
        reverse("api:unit-detail", args=[unit.pk]), {"name": "Đổi tên trái phép"}, format="json"
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}
    unit.refresh_from_db()
    assert unit.name == "Hội Cựu chiến binh thành phố Hải Phòng"
    assert unit.history.count() == rows_before


@pytest.mark.parametrize(
    ("username", "code"),
    [
        ("alice", "qd-hn"),  # her own unit, but approvers do not manage units
        ("carol", "ccb-hn"),  # the counterpart unit: seen, not hers to change
    ],
)
def test_it_answers_403_where_the_unit_is_seen_but_not_changeable(world: ApiWorld, username: str, code: str) -> None:
    unit = world.unit(code)
    rows_before = unit.history.count()
    response = client_for(world, username).patch(
        reverse("api:unit-detail", args=[unit.pk]), {"name": "Tên mới"}, format="json"
    )
    assert response.status_code == 403
    assert "ngoài phạm vi" in response.json()["detail"]
    assert OrgUnit.objects.get(pk=unit.pk).name == unit.name
    assert unit.history.count() == rows_before


def test_it_answers_400_with_field_errors_from_the_service(world: ApiWorld) -> None:
    unit = world.unit("qd-hn-hk")  # closed on 30/6/2025: it cannot start later
    response = client_for(world, "carol").patch(
        reverse("api:unit-detail", args=[unit.pk]), {"valid_from": "2026-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"valid_to": ["Ngày kết thúc không được trước ngày bắt đầu."]}
    unit.refresh_from_db()
    assert unit.valid_from is None


def test_it_answers_400_to_a_blank_name(world: ApiWorld) -> None:
    unit = world.unit("qd-hn-bd")
    response = client_for(world, "carol").patch(reverse("api:unit-detail", args=[unit.pk]), {"name": ""}, format="json")
    assert response.status_code == 400
    assert response.json() == {"name": ["Trường này không được bỏ trống."]}


def test_it_does_not_allow_replacing_or_deleting_units(world: ApiWorld) -> None:
    client = client_for(world, "root")
    url = reverse("api:unit-detail", args=[world.unit("qd-hn").pk])
    assert client.put(url, {"name": "x"}, format="json").status_code == 405
    assert client.delete(url).status_code == 405


# --- the demo data (loaded for the test session by conftest.py) -----------------------------


def test_it_counts_the_34_provinces_of_the_demo_data(api_client_as: Any) -> None:
    response = api_client_as("admin").get(units_url(organisation="ccb", level="province", active="2026-01-01"))
    assert response.status_code == 200
    assert response.json()["count"] == 34
