"""Organisations and units written through the API (issue 15, items 1 and 3): a system
administrator sets up an organisation with its levels and a unit tree; a unit administrator
adds units below their own; a unit is closed (dissolved, merged or split) where it stands.

The world is tests/support/api_world.py: root is a system administrator, carol the unit
administrator of qd-hn (Bộ CHQS Hà Nội), alice its approver; qd-hn is paired with ccb-hn.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from phoihop.entry.services import figures_enter
from phoihop.figures.selectors import total
from phoihop.orgunits.models import Organisation, OrgUnit, OrgUnitLevel
from phoihop.programmes.models import Indicator
from tests.support.api_world import ApiWorld, build_world

pytestmark = pytest.mark.django_db

UNITS = reverse("api:unit-list")
ORGANISATIONS = reverse("api:organisation-list")
YOUTH_UNION = {
    "code": "doan-tn",
    "name": "Đoàn Thanh niên Cộng sản Hồ Chí Minh",
    "short_name": "Đoàn TN",
    "levels": [
        {"code": "trung-uong", "name": "Trung ương Đoàn"},
        {"code": "tinh", "name": "Tỉnh đoàn, Thành đoàn"},
        {"code": "xa", "name": "Đoàn xã, phường, đặc khu"},
    ],
}


@pytest.fixture
def world(db: Any) -> ApiWorld:
    return build_world()


def client_for(world: ApiWorld, username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.users[username])
    return client


def new_unit(code: str, parent: str | None, *, organisation: str = "tqd", level: str = "commune") -> dict[str, Any]:
    return {
        "code": code,
        "name": f"Đơn vị thử {code}",
        "organisation": organisation,
        "level": level,
        "parent": parent,
        "valid_from": "2025-07-01",
    }


def close_url(unit: OrgUnit) -> str:
    return reverse("api:unit-close", args=[unit.pk])


def unit_history(code: str) -> list[tuple[str | None, str]]:
    """Who changed the unit and how, oldest first (the world's own set-up has no user)."""
    unit = OrgUnit.objects.get(code=code)
    rows = unit.history.order_by("history_id").select_related("history_user")
    return [(row.history_user.username if row.history_user else None, row.history_change_reason) for row in rows]


# --- a system administrator sets up an organisation and its tree -------------------------


def test_it_sets_up_an_organisation_a_province_and_two_communes_as_the_system_administrator(
    world: ApiWorld,
) -> None:
    admin = client_for(world, "root")
    response = admin.post(ORGANISATIONS, YOUTH_UNION, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["levels"] == [
        {"code": "trung-uong", "name": "Trung ương Đoàn", "rank": 0, "closed": False},
        {"code": "tinh", "name": "Tỉnh đoàn, Thành đoàn", "rank": 1, "closed": False},
        {"code": "xa", "name": "Đoàn xã, phường, đặc khu", "rank": 2, "closed": False},
    ]
    assert response["Location"].endswith(reverse("api:organisation-detail", args=["doan-tn"]))

    # The province's union is the top of the tree this organisation keeps in phoihop.
    province = admin.post(
        UNITS,
        {"code": "TD-NGHEAN", "name": "Tỉnh đoàn Nghệ An", "organisation": "doan-tn", "level": "tinh",
         "valid_from": "2025-07-01"},
        format="json",
    )  # fmt: skip
    assert province.status_code == 201, province.json()
    assert (province.json()["parent"], province.json()["depth"], province.json()["level"]) == (None, 1, "tinh")
    for code, name in (("TD-VINH", "Đoàn phường Vinh Phú"), ("TD-CUALO", "Đoàn phường Cửa Lò")):
        commune = admin.post(
            UNITS,
            {"code": code, "name": name, "organisation": "doan-tn", "level": "xa", "parent": "TD-NGHEAN"},
            format="json",
        )
        assert commune.status_code == 201, commune.json()
        assert commune.json()["parent"] == {"id": province.json()["id"], "code": "TD-NGHEAN"}

    # Read back through GET, as any client would.
    organisation = admin.get(reverse("api:organisation-detail", args=["doan-tn"])).json()
    assert (organisation["name"], organisation["short_name"]) == ("Đoàn Thanh niên Cộng sản Hồ Chí Minh", "Đoàn TN")
    children = admin.get(UNITS, {"parent": "TD-NGHEAN"}).json()["results"]
    assert [(u["code"], u["name"], u["level"], u["organisation"]) for u in children] == [
        ("TD-VINH", "Đoàn phường Vinh Phú", "xa", "doan-tn"),
        ("TD-CUALO", "Đoàn phường Cửa Lò", "xa", "doan-tn"),
    ]
    detail = admin.get(reverse("api:unit-detail", args=[province.json()["id"]])).json()
    assert (detail["code"], detail["valid_from"], detail["valid_to"]) == ("TD-NGHEAN", "2025-07-01", None)
    # Audited: who made each, and how.
    assert unit_history("TD-VINH") == [("root", "unit.create")]
    assert [r.history_change_reason for r in Organisation.history.filter(code="doan-tn")] == ["organisation.create"]
    assert OrgUnitLevel.history.filter(organisation_id=organisation_pk("doan-tn")).count() == 3


def organisation_pk(code: str) -> int:
    return Organisation.objects.get(code=code).pk


# --- who may create what ------------------------------------------------------------------


def test_it_lets_a_unit_administrator_create_below_their_unit(world: ApiWorld) -> None:
    response = client_for(world, "carol").post(UNITS, new_unit("qd-hn-tx", "qd-hn"), format="json")
    assert response.status_code == 201, response.json()
    unit = OrgUnit.objects.get(code="qd-hn-tx")
    assert OrgUnit.objects.get(code="qd-hn").path == unit.path[: -OrgUnit.steplen]
    assert unit_history("qd-hn-tx") == [("carol", "unit.create")]


@pytest.mark.parametrize(
    ("username", "payload", "status"),
    [
        # A unit the administrator cannot see is "not found", like a code that does not exist.
        ("carol", new_unit("x-1", "qd-hp"), 400),
        # Their counterpart (paired, so seen) is not theirs to manage.
        ("carol", new_unit("x-2", "ccb-hn", organisation="tccb"), 403),
        # The top of a tree: system administrators only.
        ("carol", new_unit("x-3", None, level="province"), 403),
        # An approver manages no units.
        ("alice", new_unit("x-4", "qd-hn"), 403),
    ],
)
def test_it_refuses_a_unit_outside_the_users_reach(
    world: ApiWorld, username: str, payload: dict[str, Any], status: int
) -> None:
    response = client_for(world, username).post(UNITS, payload, format="json")
    assert response.status_code == status, response.json()
    if status == 400:
        assert response.json() == {"parent": [f"Không tìm thấy đơn vị có mã “{payload['parent']}”."]}
    assert not OrgUnit.objects.filter(code=payload["code"]).exists()


@pytest.mark.parametrize("username", ["carol", "alice", "dave"])
def test_it_lets_only_system_administrators_create_organisations(world: ApiWorld, username: str) -> None:
    response = client_for(world, username).post(ORGANISATIONS, YOUTH_UNION, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Chỉ quản trị hệ thống mới được tạo tổ chức."
    assert not Organisation.objects.filter(code="doan-tn").exists()


# --- bad input: 400 with Vietnamese field errors -------------------------------------------


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"code": "tqd"}, {"code": ["Đã có tổ chức mã “tqd”."]}),
        ({"levels": []}, {"levels": ["Hãy nêu ít nhất một cấp của tổ chức, từ cấp cao nhất xuống."]}),
        (
            {"levels": [{"code": "tinh", "name": "Tỉnh"}, {"code": "xa", "name": "Xã"}, {"code": "tinh", "name": "T"}]},
            {"levels": ["Mỗi mã cấp chỉ được dùng một lần; bị lặp: tinh."]},
        ),
        (
            {"code": "đoàn"},
            {"code": ["Mã chỉ gồm chữ cái không dấu, chữ số, dấu gạch ngang (-) và gạch dưới (_)."]},
        ),
    ],
)
def test_it_refuses_a_bad_organisation(world: ApiWorld, change: dict[str, Any], errors: dict[str, Any]) -> None:
    before = (Organisation.objects.count(), OrgUnitLevel.objects.count())
    response = client_for(world, "root").post(ORGANISATIONS, {**YOUTH_UNION, **change}, format="json")
    assert response.status_code == 400
    assert response.json() == errors
    assert (Organisation.objects.count(), OrgUnitLevel.objects.count()) == before


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        (new_unit("qd-hn-bd", "qd-hn"), {"code": ["Mã đơn vị “qd-hn-bd” đã được dùng cho đơn vị khác."]}),
        (
            new_unit("x-5", "qd-hn", level="province"),
            {"level": ["Cấp của đơn vị mới phải thấp hơn cấp của đơn vị cấp trên (qd-hn là cấp “Tỉnh”)."]},
        ),
        (new_unit("x-6", "qd-hn", level="huyen"), {"level": ["Tổ chức tqd không có cấp mã “huyen”."]}),
        (
            new_unit("x-7", "ccb-hn", organisation="tqd"),
            {"parent": ["Đơn vị cấp trên ccb-hn không thuộc tổ chức tqd."]},
        ),
        (
            # A commune under a commune.
            new_unit("x-8", "qd-hn-hk"),
            {"level": ["Cấp của đơn vị mới phải thấp hơn cấp của đơn vị cấp trên (qd-hn-hk là cấp “Xã”)."]},
        ),
        (
            new_unit("x-9", "qd-hn", organisation="khong-co"),
            {"organisation": ["Không tìm thấy tổ chức có mã “khong-co”."]},
        ),
    ],
)
def test_it_refuses_a_bad_unit(world: ApiWorld, payload: dict[str, Any], errors: dict[str, Any]) -> None:
    before = OrgUnit.objects.count()
    response = client_for(world, "root").post(UNITS, payload, format="json")
    assert response.status_code == 400
    assert response.json() == errors
    assert OrgUnit.objects.count() == before


def test_it_refuses_a_unit_under_a_parent_closed_before_it_begins(world: ApiWorld) -> None:
    OrgUnitLevel.objects.create(organisation=Organisation.objects.get(code="tqd"), code="to", name="Tổ", rank=3)
    response = client_for(world, "root").post(UNITS, new_unit("x-10", "qd-hn-hk", level="to"), format="json")
    assert response.status_code == 400
    assert response.json() == {
        "parent": [
            "Đơn vị cấp trên qd-hn-hk chỉ hoạt động đến ngày 30/6/2025; không thêm được đơn vị bắt đầu sau ngày đó."
        ]
    }


def test_it_refuses_a_level_no_longer_in_use(world: ApiWorld) -> None:
    OrgUnitLevel.objects.create(
        organisation=Organisation.objects.get(code="tqd"), code="huyen", name="Huyện", rank=3, closed=True
    )
    response = client_for(world, "root").post(UNITS, new_unit("x-11", "qd-hn-bd", level="huyen"), format="json")
    assert response.status_code == 400
    assert response.json() == {"level": ["Cấp “Huyện” đã bỏ, không tạo thêm đơn vị ở cấp này."]}


# --- closing: dissolved, merged, split; the figures stay under the closed unit ------------


def test_it_merges_a_unit_into_its_successor_and_keeps_its_figures_in_the_historical_view(world: ApiWorld) -> None:
    root = world.users["root"]
    admin = client_for(world, "root")
    assert admin.post(UNITS, new_unit("qd-hn-moi", "qd-hn"), format="json").status_code == 201
    bd, new = world.unit("qd-hn-bd"), OrgUnit.objects.get(code="qd-hn-moi")
    indicator = Indicator.objects.get(programme=world.programme, code="so-buoi")
    figures_enter(
        acting_user=root, unit=bd, period_start=date(2025, 3, 1), period_end=date(2025, 3, 31), values={indicator: 7}
    )
    year = {"indicator_id": indicator.pk, "start": date(2025, 1, 1), "end": date(2025, 12, 31)}

    response = client_for(world, "carol").post(close_url(bd), {"valid_to": "2025-06-30", "successors": ["qd-hn-moi"]})
    assert response.status_code == 200, response.json()
    data = response.json()
    assert (data["valid_to"], data["successor"], data["succession_kind"], data["note"]) == (
        "2025-06-30",
        "qd-hn-moi",
        "absorbed",
        "",
    )
    bd.refresh_from_db()
    assert (bd.successor_id, bd.succession_date, bd.path) == (new.pk, date(2025, 7, 1), world.unit("qd-hn-bd").path)
    # Historical view: the figures stay with the unit that reported them; today's tree: with its successor.
    assert total(unit_id=bd.pk, view="historical", **year) == 7
    assert total(unit_id=new.pk, view="historical", **year) == 0
    assert total(unit_id=new.pk, view="today", **year) == 7
    assert total(unit_id=world.unit("qd-hn").pk, view="historical", **year) == 7
    assert unit_history("qd-hn-bd")[-1] == ("carol", "unit.close")


def test_it_splits_a_unit_recording_the_first_successor_and_naming_the_others(world: ApiWorld) -> None:
    admin = client_for(world, "root")
    for code in ("qd-hn-a", "qd-hn-b"):
        assert admin.post(UNITS, new_unit(code, "qd-hn"), format="json").status_code == 201
    bd = world.unit("qd-hn-bd")
    response = admin.post(
        close_url(bd), {"valid_to": "2025-06-30", "successors": ["qd-hn-a", "qd-hn-b"]}, format="json"
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["successor"] == "qd-hn-a"
    assert data["note"] == (
        "Chia tách: qd-hn-a được ghi là đơn vị kế thừa và nhận số liệu của đơn vị trong cây hiện hành; "
        "qd-hn-b được ghi vào lịch sử của đơn vị."
    )
    assert unit_history("qd-hn-bd")[-1] == (
        "root",
        "unit.close\nChia tách cho các đơn vị qd-hn-a, qd-hn-b; ghi qd-hn-a là đơn vị kế thừa "
        "(mỗi đơn vị chỉ ghi được một đơn vị kế thừa).",
    )


def test_it_dissolves_a_unit_without_successor(world: ApiWorld) -> None:
    bd = world.unit("qd-hn-bd")
    response = client_for(world, "root").post(close_url(bd), {"valid_to": "2026-06-30"}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["valid_to"], response.json()["successor"], response.json()["succession_kind"]) == (
        "2026-06-30",
        None,
        "",
    )


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        ({"valid_to": "2025-06-30", "successors": ["ccb-hn"]}, {"successors": ["Đơn vị kế thừa phải cùng tổ chức."]}),
        (
            {"valid_to": "2026-06-30", "successors": ["qd-hn-hk"]},
            {"successors": ["Đơn vị kế thừa phải còn hoạt động sau ngày đóng."]},
        ),
        (
            {"valid_to": "2025-06-30", "successors": ["qd-hn-bd"]},
            {"successors": ["Đơn vị không thể kế thừa chính nó."]},
        ),
        (
            {"valid_to": "2025-06-30", "successors": ["qd-hp"]},
            {"successors": {"0": ["Không tìm thấy đơn vị có mã “qd-hp”."]}},
        ),
        ({"valid_to": "3000-01-01"}, {"valid_to": ["Chỉ nhận ngày từ 1/1/1900 đến 31/12/2100."]}),
    ],
)
def test_it_refuses_a_bad_closing(world: ApiWorld, payload: dict[str, Any], errors: dict[str, Any]) -> None:
    bd = world.unit("qd-hn-bd")
    before = bd.history.count()
    response = client_for(world, "carol").post(close_url(bd), payload, format="json")
    assert response.status_code == 400
    assert response.json() == errors
    bd.refresh_from_db()
    assert (bd.valid_to, bd.successor_id, bd.history.count()) == (None, None, before)


@pytest.mark.parametrize(("username", "unit", "status"), [("alice", "qd-hn-bd", 403), ("carol", "qd-hp", 404)])
def test_it_lets_only_the_units_administrators_close_it(world: ApiWorld, username: str, unit: str, status: int) -> None:
    response = client_for(world, username).post(close_url(world.unit(unit)), {"valid_to": "2026-06-30"}, format="json")
    assert response.status_code == status
    assert OrgUnit.objects.get(code=unit).valid_to is None


@pytest.mark.parametrize("route", ["programme", "close"])
def test_a_code_with_a_nul_byte_is_invalid_not_a_server_error(route: str, world: ApiWorld) -> None:
    """PostgreSQL refuses NUL in a query: the code fields answer 400 before any lookup."""
    client = client_for(world, "root")
    if route == "programme":
        body = {"code": "ct-10", "title": "Thử", "parties": ["qd-hn\x00", "ccb-hn"]}
        response = client.post(reverse("api:programme-list"), body, format="json")
        assert response.status_code == 400 and "parties" in response.json()
    else:
        body = {"valid_to": "2026-01-01", "successors": ["\x00"]}
        response = client.post(close_url(world.unit("qd-hn-bd")), body, format="json")
        assert response.status_code == 400 and "successors" in response.json()
    assert "không hợp lệ" in str(response.json())
