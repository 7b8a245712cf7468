"""Setting up a programme through the API alone (issue 15, item 3): a programme between two
provincial units of the demo's two organisations, its phases, a field, indicators and a
reporter, whose activity then shows in the province's figures; and the refusals, in Vietnamese.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from phoihop.accounts.models import RoleAssignment, User
from phoihop.programmes.models import Field, Indicator, Party, Phase, Programme

pytestmark = pytest.mark.django_db

CODE = "ct-quangninh-2026"
PARTIES = ["QS-QUANGNINH", "CCB-QUANGNINH"]
PASSWORD = "Bao-cao-Quang-Ninh-2026"


def post(client: Any, name: str, data: dict[str, Any]) -> Any:
    return client.post(reverse(f"api:{name}-list"), data, format="json")


def programme_payload(**extra: Any) -> dict[str, Any]:
    return {"code": CODE, "title": "Chương trình phối hợp tỉnh Quảng Ninh", "parties": PARTIES, **extra}


def phase_payload(**extra: Any) -> dict[str, Any]:
    return {
        "programme": CODE,
        "code": "2026-2031",
        "name": "2026–2031",
        "start": "2026-01-01",
        "end": "2030-12-31",
        "status": "active",
        **extra,
    }


@pytest.fixture
def admin(api_client_as: Callable[[str], Any]) -> Any:
    return api_client_as("admin")


@pytest.fixture
def programme(admin: Any) -> dict[str, Any]:
    """The programme and one active phase, set up by the system administrator."""
    response = post(admin, "programme", programme_payload())
    assert response.status_code == 201, response.json()
    assert post(admin, "phase", phase_payload()).status_code == 201
    return response.json()


def indicator_payload(**extra: Any) -> dict[str, Any]:
    return {
        "programme": CODE,
        "field": "Tuyên truyền, giáo dục",
        "code": "qn-buoi",
        "name": "Số buổi tuyên truyền",
        "unit_of_measure": "buổi",
        "aggregation": "sum",
        **extra,
    }


def test_it_sets_up_a_programme_whose_reporter_records_an_activity_seen_in_the_figures(
    admin: Any, api_client_as: Callable[[str], Any]
) -> None:
    response = post(admin, "programme", programme_payload())
    assert response.status_code == 201, response.json()
    data = response.json()
    assert response["Location"].endswith(reverse("api:programme-detail", args=[CODE]))
    assert [(p["organisation"], p["representative_unit"]["code"], p["root_unit"]["code"]) for p in data["parties"]] == [
        ("qdnd", "QS-QUANGNINH", "QS-QUANGNINH"),
        ("ccb", "CCB-QUANGNINH", "CCB-QUANGNINH"),
    ]
    programme = Programme.objects.unrestricted("test").get(code=CODE)
    assert programme.history.get().history_change_reason == "programme.create"

    closed = post(admin, "phase", phase_payload(code="2021-2026", name="2021–2026", start="2021-01-01",
                                                 end="2026-01-01", status="closed"))  # fmt: skip
    assert closed.status_code == 201, closed.json()
    active = post(admin, "phase", phase_payload())
    assert active.status_code == 201, active.json()
    assert (active.json()["status"], active.json()["status_label"]) == ("active", "Đang thực hiện")

    field = post(admin, "field", {"programme": CODE, "name": "Tuyên truyền, giáo dục", "order": 1})
    assert field.status_code == 201, field.json()
    assert field.json() == {
        "programme": CODE,
        "code": "tuyen-truyen-giao-duc",
        "name": "Tuyên truyền, giáo dục",
        "order": 1,
    }
    # The field by its name, with or without diacritics.
    first = post(admin, "indicator", indicator_payload())
    second = post(admin, "indicator", indicator_payload(field="tuyen truyen, giao duc", code="qn-luot",
                                                        name="Số lượt người nghe", unit_of_measure="lượt"))  # fmt: skip
    assert (first.status_code, second.status_code) == (201, 201), (first.json(), second.json())
    assert (second.json()["field"], second.json()["unit_of_measure"]) == ("tuyen-truyen-giao-duc", "lượt")

    reporter = post(
        admin,
        "user",
        {
            "username": "quangninh.ccb",
            "password": PASSWORD,
            "full_name": "Vũ Thị Hạnh",
            "must_change_password": False,
            "roles": [{"unit": "CCB-QUANGNINH", "role": "reporter", "valid_from": "2026-01-01"}],
        },
    )
    assert reporter.status_code == 201, reporter.json()
    assert reporter.json()["roles"] == [
        {"unit": "CCB-QUANGNINH", "role": "reporter", "valid_from": "2026-01-01", "valid_to": None}
    ]
    user = User.objects.get(username="quangninh.ccb")
    assert (user.get_full_name(), user.must_change_password, user.check_password(PASSWORD)) == (
        "Vũ Thị Hạnh",
        False,
        True,
    )

    client = api_client_as("quangninh.ccb")
    activity = client.post(
        reverse("api:activity-list"),
        {
            "phase": active.json()["id"],
            "title": "Tuyên truyền Luật Cựu chiến binh tại Hạ Long",
            "start_date": "2026-10-05",
            "end_date": "2026-10-05",
            "lead_unit": "CCB-QUANGNINH",
            "values": [{"indicator": "qn-buoi", "value": 3}, {"indicator": "qn-luot", "value": 240}],
            "submit": True,
        },
        format="json",
    )
    assert activity.status_code == 201, activity.json()
    figures = client.get(
        reverse("api:figures"),
        {"unit": "CCB-QUANGNINH", "programme": CODE, "start": "2026-01-01", "end": "2026-12-31"},
    )
    assert figures.status_code == 200, figures.json()
    assert figures.json()["values"] == {"qn-buoi": 3, "qn-luot": 240}
    # The province's dashboard figures as the administrator reads them, too.
    again = admin.get(
        reverse("api:figures"),
        {
            "unit": "CCB-QUANGNINH",
            "programme": CODE,
            "indicator": "qn-luot",
            "start": "2026-01-01",
            "end": "2026-12-31",
        },
    )
    assert again.json()["value"] == 240


@pytest.mark.parametrize(
    ("parties", "message"),
    [
        (["CCB-QUANGNINH"], "Chương trình phối hợp phải có ít nhất hai bên ký kết."),
        (["CCB-QUANGNINH", "CCB-QUANGNINH"], "Chương trình phối hợp phải có ít nhất hai bên ký kết."),
        (
            ["CCB-QUANGNINH", "CCB-HAIPHONG"],
            "“Hội CCB Quảng Ninh” và “Hội CCB Hải Phòng” cùng thuộc "
            "Hội Cựu chiến binh Việt Nam: mỗi bên ký kết phải là một tổ chức khác nhau.",
        ),
        (["QS-QUANGNINH", "KHONG-CO"], "Không tìm thấy đơn vị có mã “KHONG-CO”."),
    ],
)
def test_it_refuses_a_programme_without_two_organisations(admin: Any, parties: list[str], message: str) -> None:
    response = post(admin, "programme", programme_payload(parties=parties))
    assert response.status_code == 400
    assert message in str(response.json()["parties"])
    assert not Programme.objects.unrestricted("test").filter(code=CODE).exists()
    assert not Party.objects.unrestricted("test").filter(programme__code=CODE).exists()


def test_it_refuses_a_programme_code_taken(admin: Any, programme: dict[str, Any]) -> None:
    response = post(admin, "programme", programme_payload(parties=["QS-HAIPHONG", "CCB-HAIPHONG"]))
    assert response.status_code == 400
    assert response.json() == {"code": [f"Đã có chương trình mã “{CODE}”."]}


def test_it_refuses_overlapping_phases_and_an_end_before_the_start(admin: Any, programme: dict[str, Any]) -> None:
    overlapping = post(admin, "phase", phase_payload(code="2028-2033", name="2028–2033", start="2028-01-01",
                                                      end="2032-12-31"))  # fmt: skip
    assert overlapping.status_code == 400
    assert overlapping.json() == {
        "start": ["Giai đoạn trùng thời gian với giai đoạn 2026–2031 (1/1/2026 – 31/12/2030) của chương trình."]
    }
    backwards = post(admin, "phase", phase_payload(code="2031-2036", start="2036-01-01", end="2031-01-01"))
    assert backwards.json() == {"end": ["Ngày kết thúc không được trước ngày bắt đầu."]}
    # Two phases may share their boundary day (one ends the day the next is signed).
    following = post(admin, "phase", phase_payload(code="2030-2035", name="2030–2035", start="2030-12-31",
                                                    end="2035-12-31", status="draft"))  # fmt: skip
    assert following.status_code == 201, following.json()
    assert list(Phase.objects.unrestricted("test").filter(programme__code=CODE).values_list("code", flat=True)) == [
        "2026-2031",
        "2030-2035",
    ]


def test_it_refuses_a_duplicate_indicator_code_a_foreign_field_and_an_unknown_aggregation(
    admin: Any, programme: dict[str, Any]
) -> None:
    assert post(admin, "field", {"programme": CODE, "name": "Tuyên truyền, giáo dục"}).status_code == 201
    assert post(admin, "indicator", indicator_payload()).status_code == 201
    duplicate = post(admin, "indicator", indicator_payload(name="Số buổi khác"))
    assert duplicate.status_code == 400
    assert duplicate.json() == {"code": ["Mã chỉ tiêu “qn-buoi” đã được dùng trong chương trình này."]}
    # A field of another programme (the national one) is not found in this one.
    foreign = post(admin, "indicator", indicator_payload(code="qn-khac", field="tuyen-truyen"))
    assert foreign.status_code == 400
    assert foreign.json()["field"] == [f"Không tìm thấy lĩnh vực “tuyen-truyen” trong chương trình {CODE}."]
    aggregation = post(admin, "indicator", indicator_payload(code="qn-tb", aggregation="avg"))
    assert aggregation.status_code == 400
    assert aggregation.json() == {"aggregation": ["Cách tổng hợp “avg” không có; chỉ nhận sum (cộng dồn)."]}
    same_name = post(admin, "field", {"programme": CODE, "name": "Tuyen truyen, giao duc"})
    assert same_name.json() == {"name": ["Chương trình đã có lĩnh vực “Tuyen truyen, giao duc”."]}
    assert list(Indicator.objects.unrestricted("test").filter(programme__code=CODE).values_list("code", flat=True)) == [
        "qn-buoi"
    ]


def test_the_service_refuses_a_field_of_another_programme(demo_user: Callable[[str], Any], admin: Any,
                                                          programme: dict[str, Any]) -> None:  # fmt: skip
    from django.core.exceptions import ValidationError

    from phoihop.programmes.services import indicator_create

    mine = Programme.objects.unrestricted("test").get(code=CODE)
    national = Field.objects.unrestricted("test").filter(programme__code="QDND-CCB").first()
    with pytest.raises(ValidationError) as refused:
        indicator_create(acting_user=demo_user("admin"), programme=mine, field=national, code="x",
                         name="x", unit_of_measure="x")  # fmt: skip
    assert refused.value.message_dict == {"field": [f"Lĩnh vực “{national.name}” không thuộc chương trình này."]}


def test_it_refuses_a_weak_password_and_creates_nothing(admin: Any) -> None:
    count = RoleAssignment.objects.unrestricted("test").count()
    response = post(
        admin,
        "user",
        {
            "username": "quangninh.yeu",
            "password": "matkhau123",
            "full_name": "Vũ Văn Yếu",
            "roles": [{"unit": "CCB-QUANGNINH", "role": "reporter"}],
        },
    )
    assert response.status_code == 400
    assert response.json() == {"password": ["Mật khẩu này quá phổ biến, dễ bị đoán ra. Hãy chọn mật khẩu khác."]}
    # A second role the writer may not give rolls the first one back (one transaction).
    refused = post(
        admin,
        "user",
        {
            "username": "quangninh.hai",
            "password": PASSWORD,
            "full_name": "Vũ Văn Hai",
            "roles": [{"unit": "CCB-QUANGNINH", "role": "reporter"}, {"unit": "KHONG-CO", "role": "viewer"}],
        },
    )
    assert refused.status_code == 400
    assert not User.objects.filter(username__startswith="quangninh.").exists()
    assert RoleAssignment.objects.unrestricted("test").count() == count


@pytest.mark.parametrize("username", ["hanoi.ccb", "tcct", "hoankiem.ccb"])
def test_it_answers_403_to_users_who_may_not_set_up(
    api_client_as: Callable[[str], Any], admin: Any, username: str
) -> None:
    client = api_client_as(username)
    assert post(client, "programme", programme_payload()).status_code == 403
    assert not Programme.objects.unrestricted("test").filter(code=CODE).exists()
    assert post(admin, "programme", programme_payload()).status_code == 201
    for name, payload in (
        ("phase", phase_payload()),
        ("field", {"programme": CODE, "name": "Tuyên truyền"}),
        ("indicator", indicator_payload()),
        (
            "user",
            {
                "username": "x.y",
                "password": PASSWORD,
                "full_name": "X Y",
                "roles": [{"unit": "CCB-QUANGNINH", "role": "viewer"}],
            },
        ),
    ):
        response = post(client, name, payload)
        assert response.status_code == 403, (name, response.json())
    assert not Phase.objects.unrestricted("test").filter(programme__code=CODE).exists()
    assert not Field.objects.unrestricted("test").filter(programme__code=CODE).exists()


def test_it_lets_a_unit_administrator_set_up_a_programme_of_their_unit_only(
    user_with_role: Callable[..., Any], api_client_as: Callable[[str], Any]
) -> None:
    user_with_role("quangninh.admin", "CCB-QUANGNINH")
    client = api_client_as("quangninh.admin")
    # Another province's units: not found, as if they did not exist.
    other = post(client, "programme", programme_payload(parties=["QS-HAIPHONG", "CCB-HAIPHONG"]))
    assert other.status_code == 400
    response = post(client, "programme", programme_payload())
    assert response.status_code == 201, response.json()
    assert post(client, "phase", phase_payload()).status_code == 201
    # A unit administrator gives no role above a reporter's.
    approver = post(
        client,
        "user",
        {"username": "qn.duyet", "password": PASSWORD, "full_name": "Vũ Văn Duyệt",
         "roles": [{"unit": "CCB-QUANGNINH", "role": "approver"}]},
    )  # fmt: skip
    assert approver.status_code == 403


def test_a_system_administrator_sees_every_role_assignment() -> None:
    admin = User.objects.get(username="admin")
    everyone = RoleAssignment.objects.unrestricted("tests").count()
    assert everyone > 1
    assert RoleAssignment.objects.restrict(admin, "view").count() == everyone
