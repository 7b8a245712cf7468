"""Two-factor sign-in: outside the demo, a system administrator, a unit administrator and an
approver of a province or above give a code from an authenticator (TOTP) or a backup code after
their password; without an authenticator they set one up before anything else. The demo
exemption (``make demo``) lets the demo users in with their password, and says so
(phoihop/accounts/twofactor.py, middleware.py, twofactor_views.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from phoihop.accounts import services, twofactor
from phoihop.audit.models import ActionLog
from phoihop.core.scoping import Role

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "phoihop-demo"
TEST_NOW = datetime(2026, 11, 27, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))  # the suite's "now"


@pytest.fixture(autouse=True)
def not_the_demo() -> Iterator[None]:
    """As in production: the rules of PHOIHOP_2FA_REQUIRED apply (the suite runs as the demo)."""
    with override_settings(PHOIHOP_2FA_DEMO_EXEMPT=False):
        yield


@pytest.fixture
def frozen(time_machine: Any) -> Any:
    time_machine.move_to(TEST_NOW, tick=False)
    return time_machine


def code_of(device: TOTPDevice) -> str:
    """The code the person's phone shows now."""
    return str(totp(device.bin_key, device.step, device.t0, device.digits, device.drift)).zfill(device.digits)


def sign_in(username: str) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def with_authenticator(user: Any) -> TOTPDevice:
    device = services.two_factor_begin(user=user)
    assert services.two_factor_confirm(user=user, device=device, code=code_of(device)) is not None
    device.refresh_from_db()
    return device


@pytest.mark.parametrize(
    ("username", "required"),
    [
        ("admin", True),  # system administrator
        ("tcct", True),  # approver at the centre
        ("hanoi.qs", True),  # approver of a province (QĐND)
        ("hanoi.ccb", True),  # approver of a province (CCB)
        ("hoankiem.ccb", False),  # reporter of a ward
    ],
)
def test_the_rules_name_who_needs_a_second_factor(demo_user: Any, username: str, required: bool) -> None:
    assert twofactor.required_by_role(demo_user(username)) is required
    assert twofactor.requires_second_factor(demo_user(username)) is required
    with override_settings(PHOIHOP_2FA_DEMO_EXEMPT=True):
        assert twofactor.requires_second_factor(demo_user(username)) is False


def test_a_unit_admin_of_a_province_needs_it_and_an_approver_of_a_ward_does_not(
    hanoi_admin: Any, user_with_role: Any
) -> None:
    assert twofactor.required_by_role(hanoi_admin)
    ward_approver = user_with_role("hoankiem.pd", "CCB-X00070", role=Role.APPROVER)
    assert not twofactor.required_by_role(ward_approver)
    with override_settings(PHOIHOP_2FA_REQUIRED=["approver"]):
        assert twofactor.required_by_role(ward_approver)
        assert not twofactor.required_by_role(hanoi_admin)


def test_a_province_approver_without_authenticator_sets_one_up_before_anything_else(
    demo_user: Any, frozen: Any
) -> None:
    client = sign_in("hanoi.ccb")
    for path in (reverse("home"), reverse("orgunits:tree"), reverse("password_change")):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("two-factor-setup")), path
    assert client.get("/api/v1/orgunits/").status_code == 403

    page = client.get(reverse("two-factor-setup"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "<script" not in html.split("<main", 1)[-1].split("</main>")[0]
    device = TOTPDevice.objects.get(user=demo_user("hanoi.ccb"), confirmed=False)
    secret = re.search(r'data-testid="two-factor-secret">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    assert secret == __import__("base64").b32encode(device.bin_key).decode()

    wrong = client.post(reverse("two-factor-setup"), {"code": "000000" if code_of(device) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert "Mã không khớp" in wrong.content.decode()
    frozen.shift(timedelta(seconds=2))  # past the throttle of one failure

    done = client.post(reverse("two-factor-setup"), {"code": code_of(device)})
    assert done.status_code == 302 and done["Location"] == reverse("two-factor-backup-codes")
    codes_page = client.get(reverse("two-factor-backup-codes")).content.decode()
    codes = re.findall(r'<span class="border rounded px-2 py-1 d-inline-block">([a-z2-7]+)</span>', codes_page)
    assert len(codes) == 10
    assert not re.findall(r"[a-z2-7]{8}</span>", client.get(reverse("two-factor-backup-codes")).content.decode())
    assert client.get(reverse("home")).status_code == 200
    assert ActionLog.objects.filter(action="user.2fa_enable", actor=demo_user("hanoi.ccb")).exists()


def test_login_as_a_province_approver_asks_for_the_code(demo_user: Any, frozen: Any) -> None:
    device = with_authenticator(demo_user("hanoi.qs"))
    frozen.shift(timedelta(seconds=30))  # the next time step: the set-up code is used up

    client = sign_in("hanoi.qs")
    response = client.get(reverse("orgunits:tree"))
    assert response.status_code == 302
    assert response["Location"] == reverse("two-factor-verify") + "?next=%2Funits%2F"
    page = client.get(response["Location"])
    assert "Xác thực hai lớp" in page.content.decode()

    right = code_of(device)
    wrong = client.post(reverse("two-factor-verify"), {"code": "999999" if right != "999999" else "888888"})
    assert wrong.status_code == 200
    assert "Mã không đúng hoặc đã hết hạn" in wrong.content.decode()
    assert client.get(reverse("home")).status_code == 302
    frozen.shift(timedelta(seconds=2))  # past the throttle of one failure

    right = code_of(device)
    ok = client.post(reverse("two-factor-verify"), {"code": right, "next": "/units/"})
    assert ok.status_code == 302 and ok["Location"] == "/units/"
    assert client.get(reverse("home")).status_code == 200
    # A code is good once: another session cannot replay it.
    other = sign_in("hanoi.qs")
    assert other.post(reverse("two-factor-verify"), {"code": right}).status_code == 200
    assert other.get(reverse("home")).status_code == 302


def test_a_backup_code_lets_in_once(demo_user: Any, frozen: Any) -> None:
    user = demo_user("tcct")
    with_authenticator(user)
    backup = StaticDevice.objects.get(user=user).token_set.first().token
    client = sign_in("tcct")
    response = client.post(reverse("two-factor-verify"), {"code": backup.upper()}, follow=True)
    assert response.status_code == 200
    assert "còn 9 mã" in response.content.decode()
    assert client.get(reverse("home")).status_code == 200
    assert not twofactor.verify_second_factor(user, backup)
    assert twofactor.backup_codes_left(user) == 9


def test_the_second_factor_checks_for_the_token_endpoint(demo_user: Any, frozen: Any) -> None:
    user = demo_user("hanoi.ccb")
    assert twofactor.requires_second_factor(user)
    assert not twofactor.verify_second_factor(user, "123456")  # no authenticator yet
    device = with_authenticator(user)
    frozen.shift(timedelta(seconds=30))
    assert not twofactor.verify_second_factor(user, "")
    assert twofactor.verify_second_factor(user, code_of(device)[:3] + " " + code_of(device)[3:])
    assert not twofactor.verify_second_factor(user, code_of(device))  # used


def test_the_token_endpoint_asks_for_the_code(demo_user: Any, frozen: Any) -> None:
    device = with_authenticator(demo_user("hanoi.ccb"))
    frozen.shift(timedelta(seconds=30))
    api = APIClient()
    url = "/api/v1/auth/token/"
    without = api.post(url, {"username": "hanoi.ccb", "password": DEMO_PASSWORD}, format="json")
    assert without.status_code == 400 and "otp" in without.json()
    ok = api.post(url, {"username": "hanoi.ccb", "password": DEMO_PASSWORD, "otp": code_of(device)}, format="json")
    assert ok.status_code == 200 and ok.json()["token"]


def test_in_the_demo_the_demo_users_sign_in_with_their_password_and_the_page_says_so() -> None:
    with override_settings(PHOIHOP_2FA_DEMO_EXEMPT=True):
        page = Client().get(reverse("login")).content.decode()
        assert "Bản trình diễn: không hỏi mã xác thực hai lớp." in page
        client = sign_in("hanoi.ccb")
        assert client.get(reverse("home")).status_code == 200
        token = APIClient().post(
            "/api/v1/auth/token/", {"username": "hanoi.ccb", "password": DEMO_PASSWORD}, format="json"
        )
        assert token.status_code == 200
    assert "Bản trình diễn" not in Client().get(reverse("login")).content.decode()


def test_a_reporter_signs_in_with_the_password_alone() -> None:
    client = sign_in("hoankiem.ccb")
    assert client.get(reverse("home")).status_code == 200


def test_a_person_removes_their_authenticator_with_a_current_code(demo_user: Any, frozen: Any) -> None:
    user = demo_user("hoankiem.ccb")
    device = with_authenticator(user)
    frozen.shift(timedelta(seconds=30))
    client = sign_in("hoankiem.ccb")
    assert client.get(reverse("home"))["Location"].startswith(reverse("two-factor-verify"))
    client.post(reverse("two-factor-verify"), {"code": code_of(device)})
    frozen.shift(timedelta(seconds=30))
    refused = client.post(reverse("two-factor"), {"action": "remove", "code": "abc"})
    assert refused.status_code == 200 and twofactor.has_device(user)
    frozen.shift(timedelta(seconds=2))
    removed = client.post(reverse("two-factor"), {"action": "remove", "code": code_of(device)})
    assert removed.status_code == 302
    assert not twofactor.has_device(user) and not StaticDevice.objects.filter(user=user).exists()
    assert ActionLog.objects.get(action="user.2fa_remove").actor == user
    assert client.get(reverse("home")).status_code == 200  # a reporter: no rule asks


def test_a_system_administrator_resets_a_lost_authenticator(
    demo_user: Any, client_as: Any, hanoi_admin: Any, frozen: Any
) -> None:
    target = demo_user("hanoi.ccb")
    with_authenticator(target)
    url = reverse("accounts:user-two-factor-reset", kwargs={"pk": target.pk})
    # Both sign in with force_login, which gives no second factor: the demo exemption lets them act.
    with override_settings(PHOIHOP_2FA_DEMO_EXEMPT=True):
        unit_admin = Client()
        unit_admin.force_login(hanoi_admin)
        assert unit_admin.post(url).status_code == 404
        assert twofactor.has_device(target)

        admin = client_as("admin")
        page = admin.get(reverse("accounts:user", kwargs={"pk": target.pk})).content.decode()
        assert "Đặt lại xác thực hai lớp" in page
        response = admin.post(url, {"reason": "Mất điện thoại"})
    assert response.status_code == 302
    assert not twofactor.has_device(target)
    log = ActionLog.objects.get(action="user.2fa_reset")
    assert (log.actor, log.target_id, log.reason) == (demo_user("admin"), str(target.pk), "Mất điện thoại")
    # The next sign-in sets up a new authenticator before anything else.
    assert sign_in("hanoi.ccb").get(reverse("home"))["Location"].startswith(reverse("two-factor-setup"))
