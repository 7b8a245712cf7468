"""Unit administrators manage the users of their own subtree, and nobody else's.

``hanoi_admin`` is a fresh unit administrator of CCB-HANOI (see tests/conftest.py); the demo
users hanoi.ccb (approver on CCB-HANOI) and hoankiem.ccb (reporter on a Hà Nội commune) are
inside that subtree, camau.ccb (approver on CCB-CAMAU) is outside it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from phoihop.accounts import services
from phoihop.accounts.models import RoleAssignment, User
from phoihop.core.scoping import Role
from phoihop.core.services import OutOfScope
from phoihop.orgunits.models import OrgUnit

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Cuu-chien-binh-2026!"


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def test_it_shows_a_unit_admin_the_users_of_their_subtree_only(hanoi_admin: Any) -> None:
    response = signed_in(hanoi_admin).get(reverse("accounts:user-list"))
    assert response.status_code == 200
    listed = {u.username for u in response.context["page"]}
    assert {"hanoi.ccb", "hoankiem.ccb", "hanoi.admin"} <= listed
    assert not listed & {"camau.ccb", "tuhoi", "tcct", "hanoi.qs", "admin"}
    assert "camau.ccb" not in response.content.decode()


def test_it_creates_a_user_on_a_unit_of_the_subtree(hanoi_admin: Any) -> None:
    hoan_kiem = unit("CCB-X00070")
    response = signed_in(hanoi_admin).post(
        reverse("accounts:user-create"),
        {"username": "hoankiem.moi", "full_name": "Ngô Thị Mai", "role": Role.REPORTER, "unit": hoan_kiem.pk},
    )
    user = User.objects.get(username="hoankiem.moi")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:user", kwargs={"pk": user.pk})
    assert user.must_change_password
    assert (user.last_name, user.first_name) == ("Ngô Thị", "Mai")
    assert list(user.role_assignments.values_list("unit__code", "role")) == [("CCB-X00070", Role.REPORTER)]


def test_it_refuses_to_create_a_user_on_a_unit_outside_the_subtree(hanoi_admin: Any) -> None:
    users = User.objects.count()
    response = signed_in(hanoi_admin).post(
        reverse("accounts:user-create"),
        {"username": "camau.moi", "full_name": "Ngô Thị Mai", "role": Role.REPORTER, "unit": unit("CCB-CAMAU").pk},
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert User.objects.count() == users
    assert not User.objects.filter(username="camau.moi").exists()


def test_it_refuses_a_user_outside_the_subtree_in_the_service_too(hanoi_admin: Any) -> None:
    users = User.objects.count()
    with pytest.raises(OutOfScope):
        services.user_create(
            acting_user=hanoi_admin,
            username="camau.moi",
            full_name="Ngô Thị Mai",
            unit=unit("CCB-CAMAU"),
            role=Role.VIEWER,
        )
    assert User.objects.count() == users


def test_it_makes_a_user_change_a_reset_password_before_anything_else(hanoi_admin: Any) -> None:
    target = User.objects.get(username="hoankiem.ccb")
    assert not target.must_change_password
    response = signed_in(hanoi_admin).post(reverse("accounts:password-reset", kwargs={"pk": target.pk}), follow=True)
    assert response.status_code == 200
    target.refresh_from_db()
    assert target.must_change_password
    message = " ".join(str(m) for m in response.context["messages"])
    temporary = re.search(r"hoankiem\.ccb: (\S+) —", message).group(1)

    client = Client()
    # Through the sign-in page (the lockout backend needs the request that client.login lacks).
    assert client.post(reverse("login"), {"username": "hoankiem.ccb", "password": temporary}).status_code == 302
    change_url = reverse("password_change")
    for path in (
        reverse("home"),
        reverse("orgunits:tree"),
        reverse("orgunits:unit", kwargs={"pk": unit("CCB-X00070").pk}),
    ):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == change_url, path
    assert client.get("/api/v1/units/").status_code == 403
    assert client.get(change_url).status_code == 200

    response = client.post(
        change_url, {"old_password": temporary, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert not target.must_change_password
    assert target.check_password(NEW_PASSWORD)
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("username", ["camau.ccb", "tuhoi", "admin"])
def test_it_answers_404_to_a_password_reset_outside_the_subtree(hanoi_admin: Any, username: str) -> None:
    target = User.objects.get(username=username)
    password = target.password
    response = signed_in(hanoi_admin).post(reverse("accounts:password-reset", kwargs={"pk": target.pk}))
    assert response.status_code == 404
    target.refresh_from_db()
    assert target.password == password
    assert not target.must_change_password


def test_it_refuses_a_role_on_a_unit_outside_the_subtree(hanoi_admin: Any) -> None:
    target = User.objects.get(username="hoankiem.ccb")
    roles = list(target.role_assignments.values_list("pk", flat=True))
    response = signed_in(hanoi_admin).post(
        reverse("accounts:role-add", kwargs={"pk": target.pk}), {"role": Role.APPROVER, "unit": unit("CCB-CAMAU").pk}
    )
    assert response.status_code == 302
    assert list(target.role_assignments.values_list("pk", flat=True)) == roles
    with pytest.raises(OutOfScope):
        services.role_assign(acting_user=hanoi_admin, user=target, unit=unit("CCB-CAMAU"), role=Role.APPROVER)
    assert list(target.role_assignments.values_list("pk", flat=True)) == roles


def test_it_answers_404_to_a_role_for_a_user_outside_the_subtree(hanoi_admin: Any) -> None:
    target = User.objects.get(username="camau.ccb")
    roles = RoleAssignment.objects.count()
    response = signed_in(hanoi_admin).post(
        reverse("accounts:role-add", kwargs={"pk": target.pk}), {"role": Role.VIEWER, "unit": unit("CCB-X00070").pk}
    )
    assert response.status_code == 404
    assert RoleAssignment.objects.count() == roles


def test_it_refuses_a_unit_admin_a_role_for_themselves(hanoi_admin: Any) -> None:
    """A unit administrator manages users; granting themselves approval rights is another's job
    (the pages already refuse them their own password reset and lock, and hide the role form)."""
    roles = list(hanoi_admin.role_assignments.values_list("role", flat=True))
    response = signed_in(hanoi_admin).post(
        reverse("accounts:role-add", kwargs={"pk": hanoi_admin.pk}),
        {"role": Role.APPROVER, "unit": unit("CCB-HANOI").pk},
    )
    assert response.status_code in (302, 403, 404)
    assert list(hanoi_admin.role_assignments.values_list("role", flat=True)) == roles
    assert not OrgUnit.objects.restrict(User.objects.get(pk=hanoi_admin.pk), "approve").exists()


def test_it_stops_granting_access_once_a_role_has_ended(
    demo_user: Callable[[str], Any], user_with_role: Callable[..., Any]
) -> None:
    user = user_with_role("hanoi.approver2", "CCB-HANOI", role=Role.APPROVER, valid_from=date(2025, 1, 1))
    hoan_kiem = unit("CCB-X00070")
    page = reverse("orgunits:unit", kwargs={"pk": hoan_kiem.pk})
    api = f"/api/v1/units/{hoan_kiem.pk}/"
    api_client = APIClient()
    api_client.force_login(user)
    assert signed_in(user).get(page).status_code == 200
    assert api_client.get(api).status_code == 200

    assignment = user.role_assignments.get()
    services.role_end(acting_user=demo_user("admin"), assignment=assignment)

    assignment.refresh_from_db()
    assert assignment.valid_to == timezone.localdate() - timedelta(days=1)
    assert signed_in(user).get(page).status_code == 404
    assert api_client.get(api).status_code == 404
    assert not OrgUnit.objects.restrict(User.objects.get(pk=user.pk), "view").exists()


def test_it_lets_a_unit_admin_end_a_role_in_the_subtree_from_the_page(
    hanoi_admin: Any, user_with_role: Callable[..., Any]
) -> None:
    user = user_with_role("hanoi.viewer2", "CCB-X00070", role=Role.VIEWER, valid_from=date(2025, 1, 1))
    assignment = user.role_assignments.get()
    response = signed_in(hanoi_admin).post(
        reverse("accounts:role-end", kwargs={"pk": user.pk, "assignment_pk": assignment.pk})
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.valid_to == timezone.localdate() - timedelta(days=1)
    assert signed_in(user).get(reverse("orgunits:unit", kwargs={"pk": unit("CCB-X00070").pk})).status_code == 404
