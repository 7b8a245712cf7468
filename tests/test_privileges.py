"""Privilege boundaries (issue 12): who marks a person public, and who manages privileged accounts.

Demo users: hoankiem.ccb is a reporter on the Hoàn Kiếm ward association (CCB-X00070), hanoi.ccb
an approver on the Hà Nội association (CCB-HANOI, province level), tuhoi an approver on the
association's Central Committee (CCB-TW, above Hà Nội), camau.ccb an approver on Cà Mau's
association. ``hanoi_admin`` (tests/conftest.py) is a unit administrator of CCB-HANOI.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from phoihop.accounts import services
from phoihop.accounts.models import RoleAssignment, User
from phoihop.audit.actions import parse
from phoihop.core.scoping import Role
from phoihop.core.services import OutOfScope
from phoihop.orgunits.models import OrgUnit, Person

pytestmark = pytest.mark.django_db

HOAN_KIEM = "CCB-X00070"
REASON = "Chủ tịch Hội, đồng chủ trì hội nghị sơ kết của phường"


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


@pytest.fixture
def ward_person() -> Person:
    person = Person.objects.filter(unit__code=HOAN_KIEM, is_public_figure=False).order_by("pk").first()
    assert person is not None
    return person


def patch_person(client: APIClient, person: Person, payload: dict[str, Any]) -> Any:
    url = reverse("api:person-detail", kwargs={"pk": person.pk})
    etag = client.get(url).headers.get("ETag")
    headers = {"HTTP_IF_MATCH": etag} if etag else {}
    return client.patch(url, payload, format="json", **headers)


def person_form(person: Person, **extra: Any) -> dict[str, Any]:
    data = {
        "full_name": person.full_name,
        "birth_year": person.birth_year or "",
        "gender": person.gender,
        "rank": person.rank,
        "unit": person.unit_id,
        "affiliation": person.affiliation,
        "member_card_number": person.member_card_number,
        "positions_text": "\n".join(person.positions),
    }
    version = getattr(person, "version", None)
    if version is not None:
        data["version"] = version
    data.update(extra)
    return data


# --- public figures ---------------------------------------------------------------------------


def test_a_ward_reporter_is_not_offered_the_public_mark_and_cannot_post_it(
    demo_user: Callable[[str], Any], ward_person: Person
) -> None:
    client = signed_in(demo_user("hoankiem.ccb"))
    url = reverse("orgunits:person-edit", kwargs={"pk": ward_person.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert "is_public_figure" not in page.context["form"].fields
    assert 'name="is_public_figure"' not in page.content.decode()

    client.post(url, person_form(ward_person, is_public_figure="on", public_reason=REASON))
    ward_person.refresh_from_db()
    assert not ward_person.is_public_figure


def test_a_ward_reporter_is_refused_the_public_mark_by_the_api(
    demo_user: Callable[[str], Any], ward_person: Person
) -> None:
    rows = ward_person.history.count()
    response = patch_person(
        api_for(demo_user("hoankiem.ccb")), ward_person, {"is_public_figure": True, "public_reason": REASON}
    )
    assert response.status_code == 403
    assert "phê duyệt cấp tỉnh" in response.json()["detail"]
    ward_person.refresh_from_db()
    assert not ward_person.is_public_figure
    assert ward_person.history.count() == rows
    # Other edits still go through for the reporter.
    response = patch_person(api_for(demo_user("hoankiem.ccb")), ward_person, {"affiliation": "Tổ dân phố số 3"})
    assert response.status_code == 200, response.content


def test_a_ward_reporter_cannot_create_a_public_figure_through_the_api(demo_user: Callable[[str], Any]) -> None:
    before = Person.objects.count()
    response = api_for(demo_user("hoankiem.ccb")).post(
        reverse("api:person-list"),
        {"full_name": "Nguyễn Văn Mới", "unit": HOAN_KIEM, "is_public_figure": True, "public_reason": REASON},
        format="json",
    )
    assert response.status_code == 403
    assert Person.objects.count() == before


def test_a_province_approver_marks_a_person_public_on_the_page_with_a_reason(
    demo_user: Callable[[str], Any], ward_person: Person
) -> None:
    approver = demo_user("hanoi.ccb")
    client = signed_in(approver)
    url = reverse("orgunits:person-edit", kwargs={"pk": ward_person.pk})
    assert "is_public_figure" in client.get(url).context["form"].fields

    # Without a reason: refused, with the reason asked for in Vietnamese.
    response = client.post(url, person_form(ward_person, is_public_figure="on", public_reason=""))
    assert response.status_code == 200
    assert "Hãy ghi lý do" in response.content.decode()
    ward_person.refresh_from_db()
    assert not ward_person.is_public_figure

    response = client.post(url, person_form(ward_person, is_public_figure="on", public_reason=REASON))
    assert response.status_code == 302
    ward_person.refresh_from_db()
    assert ward_person.is_public_figure
    row = ward_person.history.first()
    assert row.history_user == approver
    assert parse(row.history_change_reason) == ("person.publicise", REASON)
    # The reason shows in the person's history on the page.
    detail = client.get(reverse("orgunits:person", kwargs={"pk": ward_person.pk})).content.decode()
    assert REASON in detail and "Đánh dấu nhân vật công khai" in detail


def test_a_province_approver_marks_and_unmarks_through_the_api(
    demo_user: Callable[[str], Any], ward_person: Person
) -> None:
    client = api_for(demo_user("hanoi.ccb"))
    response = patch_person(client, ward_person, {"is_public_figure": True})
    assert response.status_code == 400
    assert "public_reason" in response.json()
    response = patch_person(client, ward_person, {"is_public_figure": True, "public_reason": REASON})
    assert response.status_code == 200, response.content
    assert response.json()["is_public_figure"] is True
    assert "public_reason" not in response.json()
    response = patch_person(client, ward_person, {"is_public_figure": False, "public_reason": "Đã nghỉ công tác"})
    assert response.status_code == 200
    ward_person.refresh_from_db()
    assert not ward_person.is_public_figure
    assert parse(ward_person.history.first().history_change_reason) == ("person.unpublicise", "Đã nghỉ công tác")


def test_an_approver_elsewhere_or_below_province_level_may_not_mark_public(
    demo_user: Callable[[str], Any], user_with_role: Callable[..., Any], ward_person: Person
) -> None:
    from phoihop.core.permissions import perms

    ward_approver = user_with_role("hoankiem.approver", HOAN_KIEM, role=Role.APPROVER)
    assert perms(ward_approver).for_(ward_person).can("change")
    assert not perms(ward_approver).for_(ward_person).can("publicise")
    assert not perms(demo_user("camau.ccb")).for_(ward_person).can("publicise")
    assert perms(demo_user("tuhoi")).for_(ward_person).can("publicise")
    assert perms(demo_user("admin")).for_(ward_person).can("publicise")


# --- privileged accounts ------------------------------------------------------------------------


def test_a_unit_admin_cannot_reset_an_approvers_password(hanoi_admin: Any, demo_user: Callable[[str], Any]) -> None:
    approver = demo_user("hanoi.ccb")
    password = approver.password
    client = signed_in(hanoi_admin)
    page = client.get(reverse("accounts:user", kwargs={"pk": approver.pk}))
    assert page.status_code == 200
    assert reverse("accounts:password-reset", kwargs={"pk": approver.pk}) not in page.content.decode()
    assert "người phê duyệt cấp trên" in page.content.decode()

    response = client.post(reverse("accounts:password-reset", kwargs={"pk": approver.pk}))
    assert response.status_code == 403
    with pytest.raises(OutOfScope):
        services.password_reset(acting_user=hanoi_admin, user=approver)
    approver.refresh_from_db()
    assert approver.password == password and not approver.must_change_password
    assert mail.outbox == []


def test_a_unit_admin_cannot_switch_off_or_change_the_roles_of_an_approver(
    hanoi_admin: Any, demo_user: Callable[[str], Any]
) -> None:
    approver = demo_user("hanoi.ccb")
    assignment = approver.role_assignments.get()
    client = signed_in(hanoi_admin)
    assert client.post(reverse("accounts:user-toggle-active", kwargs={"pk": approver.pk})).status_code == 403
    end = reverse("accounts:role-end", kwargs={"pk": approver.pk, "assignment_pk": assignment.pk})
    assert client.post(end).status_code == 403
    client.post(
        reverse("accounts:role-add", kwargs={"pk": approver.pk}), {"role": Role.VIEWER, "unit": unit(HOAN_KIEM).pk}
    )
    approver.refresh_from_db()
    assignment.refresh_from_db()
    assert approver.is_active and assignment.valid_to is None
    assert approver.role_assignments.count() == 1


def test_a_unit_admin_cannot_create_an_approver_account(hanoi_admin: Any) -> None:
    client = signed_in(hanoi_admin)
    form = client.get(reverse("accounts:user-create")).context["form"]
    assert {value for value, _label in form.fields["role"].choices} == {Role.VIEWER, Role.REPORTER}
    for role in (Role.APPROVER, Role.UNIT_ADMIN):
        response = client.post(
            reverse("accounts:user-create"),
            {"username": "hoankiem.pheduyet", "full_name": "Lê Văn Duyệt", "role": role, "unit": unit(HOAN_KIEM).pk},
        )
        assert response.status_code == 200
        assert not User.objects.filter(username="hoankiem.pheduyet").exists()
        with pytest.raises(OutOfScope):
            services.user_create(
                acting_user=hanoi_admin, username="hoankiem.pheduyet", full_name="Lê Văn Duyệt",
                unit=unit(HOAN_KIEM), role=role,
            )  # fmt: skip
        assert not User.objects.filter(username="hoankiem.pheduyet").exists()


def test_a_unit_admin_cannot_grant_the_approver_role(hanoi_admin: Any, demo_user: Callable[[str], Any]) -> None:
    reporter = demo_user("hoankiem.ccb")
    before = list(RoleAssignment.objects.filter(user=reporter).values_list("pk", flat=True))
    response = signed_in(hanoi_admin).post(
        reverse("accounts:role-add", kwargs={"pk": reporter.pk}), {"role": Role.APPROVER, "unit": unit(HOAN_KIEM).pk}
    )
    assert response.status_code == 302
    with pytest.raises(OutOfScope):
        services.role_assign(acting_user=hanoi_admin, user=reporter, unit=unit(HOAN_KIEM), role=Role.APPROVER)
    assert list(RoleAssignment.objects.filter(user=reporter).values_list("pk", flat=True)) == before
    # A reporter's role is still theirs to give, and the system administrator gives any.
    services.role_assign(acting_user=hanoi_admin, user=reporter, unit=unit(HOAN_KIEM), role=Role.VIEWER)
    services.role_assign(acting_user=demo_user("admin"), user=reporter, unit=unit(HOAN_KIEM), role=Role.APPROVER)


def test_the_approver_above_resets_an_approvers_password_and_the_owner_is_told(
    demo_user: Callable[[str], Any],
) -> None:
    approver = demo_user("hanoi.ccb")
    approver.email = "huong.pt@hoiccb.hanoi.vn"
    approver.save(update_fields=["email"])
    above = demo_user("tuhoi")
    client = signed_in(above)
    page = client.get(reverse("accounts:user", kwargs={"pk": approver.pk}))
    assert page.status_code == 200
    assert reverse("accounts:password-reset", kwargs={"pk": approver.pk}) in page.content.decode()

    response = client.post(reverse("accounts:password-reset", kwargs={"pk": approver.pk}), follow=True)
    assert response.status_code == 200
    approver.refresh_from_db()
    assert approver.must_change_password
    message = " ".join(str(m) for m in response.context["messages"])
    temporary = message.split("hanoi.ccb: ")[1].split(" ")[0]
    assert approver.check_password(temporary)

    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["huong.pt@hoiccb.hanoi.vn"]
    assert "Mật khẩu tài khoản hanoi.ccb đã được cấp lại" in sent.subject
    assert "Trần Thị Lan" in sent.body and "đổi mật khẩu khi đăng nhập" in sent.body
    assert temporary not in sent.body, "the temporary password never travels by e-mail"
    row = approver.history.first()
    assert parse(row.history_change_reason) == ("user.password_reset", "Đã gửi thư báo tới huong.pt@hoiccb.hanoi.vn.")
    assert row.history_user == above


@pytest.mark.parametrize("username", ["camau.ccb", "hanoi.qs", "hoankiem.ccb"])
def test_other_approvers_and_reporters_cannot_reset_an_approvers_password(
    demo_user: Callable[[str], Any], username: str
) -> None:
    approver = demo_user("hanoi.ccb")
    password = approver.password
    response = signed_in(demo_user(username)).post(reverse("accounts:password-reset", kwargs={"pk": approver.pk}))
    assert response.status_code == 404
    approver.refresh_from_db()
    assert approver.password == password
    assert mail.outbox == []


def test_an_approver_does_not_reset_a_reporters_password(demo_user: Callable[[str], Any]) -> None:
    reporter = demo_user("hoankiem.ccb")
    response = signed_in(demo_user("hanoi.ccb")).post(reverse("accounts:password-reset", kwargs={"pk": reporter.pk}))
    assert response.status_code == 404


def test_a_unit_admin_resets_a_reporter_without_email_and_history_says_so(
    hanoi_admin: Any, demo_user: Callable[[str], Any]
) -> None:
    reporter = demo_user("hoankiem.ccb")
    assert not reporter.email
    response = signed_in(hanoi_admin).post(reverse("accounts:password-reset", kwargs={"pk": reporter.pk}))
    assert response.status_code == 302
    reporter.refresh_from_db()
    assert reporter.must_change_password
    assert mail.outbox == []
    action, reason = parse(reporter.history.first().history_change_reason)
    assert action == "user.password_reset"
    assert reason == "Tài khoản không có địa chỉ thư điện tử: chưa báo được cho chủ tài khoản."
