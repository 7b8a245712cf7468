"""Guessing passwords: after 5 wrong passwords for one account from one address, that account is
refused from that address for 15 minutes, even with the right password, on the sign-in page,
the API token endpoint and the admin's sign-in. The answer says when to try again; a system
administrator can unlock (phoihop/accounts/lockout.py, services.login_unlock)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from axes.models import AccessAttempt
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from phoihop.accounts.lockout import client_ip
from phoihop.audit.models import ActionLog

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "phoihop-demo"
TEST_NOW = datetime(2026, 11, 27, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))  # the suite's "now"

TOKEN_URL = "/api/v1/auth/token/"
LOCKED = "Tài khoản tạm khoá do nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau 15 phút (lúc 09:15)."


@pytest.fixture
def frozen(time_machine: Any) -> Any:
    """09:00:00 in Hà Nội, standing still: the message's times are exact."""
    time_machine.move_to(TEST_NOW, tick=False)
    return time_machine


def page_login(client: Client, username: str, password: str, **extra: Any) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_sixth_attempt_on_the_page_is_refused_even_with_the_right_password(frozen: Any) -> None:
    client = Client()
    for _ in range(4):
        response = page_login(client, "hanoi.ccb", "sai-mat-khau")
        assert response.status_code == 200
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    fifth = page_login(client, "hanoi.ccb", "sai-mat-khau")
    assert fifth.status_code == 429
    assert LOCKED in fifth.content.decode()

    sixth = page_login(client, "hanoi.ccb", DEMO_PASSWORD)
    assert sixth.status_code == 429
    assert LOCKED in sixth.content.decode()
    assert sixth["Retry-After"] == str(15 * 60)
    assert not signed_in(client)


def test_the_lockout_is_per_account_and_address(frozen: Any) -> None:
    for _ in range(5):
        page_login(Client(), "hanoi.ccb", "sai-mat-khau")
    assert page_login(Client(), "hanoi.ccb", DEMO_PASSWORD).status_code == 429
    # Another address, or another account from the same address, is not locked.
    elsewhere = Client(REMOTE_ADDR="10.1.2.3")
    assert page_login(elsewhere, "hanoi.ccb", DEMO_PASSWORD).status_code == 302
    assert signed_in(elsewhere)
    assert page_login(Client(), "camau.ccb", DEMO_PASSWORD).status_code == 302


def test_the_lockout_ends_after_the_cool_off_and_refusals_do_not_prolong_it(frozen: Any) -> None:
    for _ in range(5):
        page_login(Client(), "hanoi.ccb", "sai-mat-khau")
    frozen.shift(timedelta(minutes=10))
    later = page_login(Client(), "hanoi.ccb", DEMO_PASSWORD)
    assert later.status_code == 429
    assert "Vui lòng thử lại sau 5 phút (lúc 09:15)." in later.content.decode()
    frozen.shift(timedelta(minutes=5, seconds=1))
    client = Client()
    assert page_login(client, "hanoi.ccb", DEMO_PASSWORD).status_code == 302
    assert signed_in(client)


def test_the_case_of_the_username_does_not_give_more_tries(frozen: Any) -> None:
    for name in ("hanoi.ccb", "HANOI.CCB", "Hanoi.Ccb", " hanoi.ccb", "hanoi.CCB"):
        page_login(Client(), name, "sai-mat-khau")
    assert page_login(Client(), "hanoi.ccb", DEMO_PASSWORD).status_code == 429


def test_a_forged_forwarded_header_gives_no_new_address(frozen: Any) -> None:
    for n in range(5):
        page_login(Client(), "hanoi.ccb", "sai-mat-khau", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert page_login(Client(), "hanoi.ccb", DEMO_PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429


def test_behind_a_proxy_the_named_header_gives_the_address(rf: Any) -> None:
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.5")
    assert client_ip(request) == "127.0.0.1"
    with override_settings(PHOIHOP_CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR"):
        # The last address is the one the proxy saw; what the client wrote before it is ignored.
        assert client_ip(request) == "203.0.113.5"


def test_the_token_endpoint_locks_out_too(frozen: Any) -> None:
    api = APIClient()
    for _ in range(4):
        response = api.post(TOKEN_URL, {"username": "hanoi.qs", "password": "sai-mat-khau"}, format="json")
        assert response.status_code == 400
    fifth = api.post(TOKEN_URL, {"username": "hanoi.qs", "password": "sai-mat-khau"}, format="json")
    assert fifth.status_code == 429
    assert fifth.json() == {"detail": LOCKED}

    sixth = api.post(TOKEN_URL, {"username": "hanoi.qs", "password": DEMO_PASSWORD}, format="json")
    assert sixth.status_code == 429
    assert sixth.json() == {"detail": LOCKED}
    assert "token" not in sixth.json()
    # The page shares the count: the same account from the same address is locked there as well.
    assert page_login(Client(), "hanoi.qs", DEMO_PASSWORD).status_code == 429


def test_the_admin_sign_in_locks_out_too(frozen: Any) -> None:
    client = Client()
    url = reverse("admin:login")
    for _ in range(5):
        client.post(url, {"username": "admin", "password": "sai-mat-khau", "next": "/admin/"})
    response = client.post(url, {"username": "admin", "password": DEMO_PASSWORD, "next": "/admin/"})
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not signed_in(client)


def test_a_system_administrator_unlocks_with_a_trace(frozen: Any, client_as: Any, demo_user: Any) -> None:
    for _ in range(5):
        page_login(Client(), "hanoi.ccb", "sai-mat-khau")
    target = demo_user("hanoi.ccb")
    admin = client_as("admin")
    page = admin.get(reverse("accounts:user", kwargs={"pk": target.pk})).content.decode()
    assert 'data-testid="login-locked"' in page
    assert "Mở khóa đăng nhập" in page

    response = admin.post(reverse("accounts:user-unlock", kwargs={"pk": target.pk}), follow=True)
    assert response.status_code == 200
    assert "Đã mở khóa đăng nhập cho hanoi.ccb." in response.content.decode()
    assert not AccessAttempt.objects.filter(username="hanoi.ccb").exists()
    log = ActionLog.objects.get(action="user.unlock")
    assert (log.actor, log.target_id, log.count) == (demo_user("admin"), str(target.pk), 1)
    assert page_login(Client(), "hanoi.ccb", DEMO_PASSWORD).status_code == 302


def test_only_a_system_administrator_unlocks(frozen: Any, hanoi_admin: Any, demo_user: Any) -> None:
    for _ in range(5):
        page_login(Client(), "hoankiem.ccb", "sai-mat-khau")
    target = demo_user("hoankiem.ccb")
    client = Client()
    client.force_login(hanoi_admin)
    page = client.get(reverse("accounts:user", kwargs={"pk": target.pk})).content.decode()
    assert "Mở khóa đăng nhập" not in page
    assert client.post(reverse("accounts:user-unlock", kwargs={"pk": target.pk})).status_code == 404
    assert AccessAttempt.objects.filter(username="hoankiem.ccb").exists()
    assert not ActionLog.objects.filter(action="user.unlock").exists()


def test_a_success_clears_the_earlier_failures(frozen: Any) -> None:
    for _ in range(4):
        page_login(Client(), "hanoi.ccb", "sai-mat-khau")
    assert page_login(Client(), "hanoi.ccb", DEMO_PASSWORD).status_code == 302
    for _ in range(4):
        page_login(Client(), "hanoi.ccb", "sai-mat-khau")
    assert page_login(Client(), "hanoi.ccb", DEMO_PASSWORD).status_code == 302
