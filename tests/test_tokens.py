"""API tokens (knox): they expire, are kept only as digests, are listed and revoked by their
owner and by whoever manages the account, and die with a password change or reset and with
the account's deactivation (phoihop/accounts/tokens.py)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
import time_machine
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from phoihop.accounts import services
from phoihop.accounts.models import User
from phoihop.audit.models import ActionLog
from tests.support.api_world import token_client, token_for

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "phoihop-demo"
NEW_PASSWORD = "Mat-khau-moi-cua-Duc-2026"
UNITS = "/api/v1/units/"
TOKENS = "/api/v1/auth/tokens/"


@pytest.fixture(autouse=True)
def _no_second_factor(settings: Any) -> None:
    # The demo users sign in with their password alone (the demo setting); the second factor of
    # the token endpoint is tested below with a stand-in.
    settings.PHOIHOP_2FA_DEMO_EXEMPT = True


@pytest.fixture
def reporter(demo_user: Callable[[str], Any]) -> User:
    return demo_user("hoankiem.ccb")  # type: ignore[no-any-return]


def obtain(username: str, password: str = DEMO_PASSWORD, fmt: str = "json", **extra: str) -> Any:
    return APIClient().post(
        reverse("api:auth-token"), {"username": username, "password": password, **extra}, format=fmt
    )


def with_token(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def works(token: str) -> bool:
    status = with_token(token).get(UNITS).status_code
    assert status in (200, 401), status
    return status == 200


# --- issuing ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "multipart"])
def test_it_issues_a_token_that_works_and_says_when_it_expires(fmt: str) -> None:
    before = timezone.now()
    response = obtain("hoankiem.ccb", fmt=fmt)
    assert response.status_code == 200, response.content
    data = response.json()
    assert set(data) == {"token", "expiry"}
    expiry = AuthToken.objects.get(digest=hashlib.sha512(data["token"].encode()).hexdigest()).expiry
    assert before + timedelta(days=30) <= expiry <= timezone.now() + timedelta(days=30)
    assert data["expiry"] == timezone.localtime(expiry).isoformat()
    assert works(data["token"])


def test_it_keeps_the_one_message_for_a_wrong_password() -> None:
    response = obtain("hoankiem.ccb", password="sai-mat-khau")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đã bị khoá."]
    }
    assert not AuthToken.objects.exists()


def test_the_row_stores_no_clear_secret(reporter: User) -> None:
    token = obtain("hoankiem.ccb").json()["token"]
    row = AuthToken.objects.values().get(user=reporter)
    assert len(token) == 64
    assert all(token not in str(value) for value in row.values())
    assert row["digest"] == hashlib.sha512(token.encode()).hexdigest()
    # knox keeps the first 15 characters to find the row; the other 49 hex digits stay secret.
    assert row["token_key"] == token[:15]


def test_the_ttl_comes_from_the_settings(settings: Any) -> None:
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": timedelta(hours=2)}
    before = timezone.now()
    token = obtain("hoankiem.ccb").json()["token"]
    expiry = AuthToken.objects.get(token_key=token[:15]).expiry
    assert before + timedelta(hours=2) <= expiry <= timezone.now() + timedelta(hours=2)


def test_it_refuses_an_expired_token_and_deletes_it(reporter: User) -> None:
    token = obtain("hoankiem.ccb").json()["token"]
    with time_machine.travel(timezone.now() + timedelta(days=29, hours=23)):
        assert works(token)
    with time_machine.travel(timezone.now() + timedelta(days=30, minutes=1)):
        response = with_token(token).get(UNITS)
        assert response.status_code == 401
        assert response.json()["detail"] == "Mã truy cập không hợp lệ."
    assert not AuthToken.objects.filter(user=reporter).exists()


def test_it_records_who_was_issued_a_token(reporter: User) -> None:
    obtain("hoankiem.ccb")
    log = ActionLog.objects.get(action="token.create")
    assert log.actor == reporter
    assert log.target_id == str(reporter.pk)


# --- the second factor -----------------------------------------------------------------------


@pytest.fixture
def second_factor(monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    """A stand-in for phoihop.accounts.twofactor: hoankiem.ccb must give the code 123456."""
    fake = SimpleNamespace(
        requires_second_factor=lambda user: user.username == "hoankiem.ccb",
        verify_second_factor=lambda user, code: code == "123456",
    )
    monkeypatch.setattr("phoihop.api.auth._second_factor", lambda: fake)
    return fake


def test_it_asks_for_the_second_factor_where_the_account_needs_one(second_factor: SimpleNamespace) -> None:
    missing = obtain("hoankiem.ccb")
    assert missing.status_code == 400
    assert "token" not in missing.json()
    assert missing.json()["otp"] == ["Tài khoản này phải xác thực hai lớp: hãy gửi kèm mã xác thực trong trường “otp”."]
    wrong = obtain("hoankiem.ccb", otp="654321")
    assert wrong.status_code == 400
    assert wrong.json()["otp"] == ["Mã xác thực hai lớp không đúng hoặc đã hết hạn."]
    assert not AuthToken.objects.exists()

    assert obtain("hoankiem.ccb", otp="123456").status_code == 200
    # An account without the rule gives its password alone.
    assert obtain("camau.ccb").status_code == 200


def test_a_wrong_password_is_refused_before_the_second_factor_is_asked(second_factor: SimpleNamespace) -> None:
    response = obtain("hoankiem.ccb", password="sai-mat-khau", otp="123456")
    assert response.status_code == 400
    assert "otp" not in response.json()


def test_the_endpoint_uses_the_projects_second_factor_module() -> None:
    from phoihop.api.auth import _second_factor

    module = _second_factor()
    assert module is not None
    assert callable(module.requires_second_factor) and callable(module.verify_second_factor)


# --- the credentials change: the tokens die --------------------------------------------------


def test_a_password_change_on_the_page_kills_the_owners_tokens(
    reporter: User, client_as: Callable[[str], Client], demo_user: Callable[[str], Any]
) -> None:
    token = obtain("hoankiem.ccb").json()["token"]
    other = token_for(demo_user("camau.ccb"))
    response = client_as("hoankiem.ccb").post(
        reverse("password_change"),
        {"old_password": DEMO_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not works(token)
    assert works(other)
    log = ActionLog.objects.get(action="token.revoke_all", target_id=str(reporter.pk))
    assert (log.actor, log.count, log.details["because"]) == (reporter, 1, "password")
    # The new password gives a new token.
    assert works(obtain("hoankiem.ccb", password=NEW_PASSWORD).json()["token"])


def test_set_password_and_save_kill_the_tokens(reporter: User) -> None:
    token = token_for(reporter)
    reporter.set_password(NEW_PASSWORD)
    reporter.save()
    assert not works(token)


def test_setting_the_same_password_again_kills_the_tokens(reporter: User) -> None:
    token = token_for(reporter)
    reporter.set_password(DEMO_PASSWORD)
    reporter.save(update_fields=["password"])
    assert not works(token)


def test_an_administrators_reset_kills_the_tokens(reporter: User, demo_user: Callable[[str], Any]) -> None:
    token = token_for(reporter)
    admin = demo_user("admin")
    services.password_reset(acting_user=admin, user=reporter)
    assert not works(token)
    log = ActionLog.objects.get(action="token.revoke_all", target_id=str(reporter.pk))
    assert log.actor == admin
    assert log.reason == "Mật khẩu đã thay đổi."


def test_deactivation_kills_the_tokens_and_they_stay_dead(reporter: User, demo_user: Callable[[str], Any]) -> None:
    token = token_for(reporter)
    admin = demo_user("admin")
    services.user_set_active(acting_user=admin, user=reporter, active=False)
    assert not works(token)
    assert not AuthToken.objects.filter(user=reporter).exists()
    services.user_set_active(acting_user=admin, user=reporter, active=True)
    assert not works(token)
    assert ActionLog.objects.get(action="token.revoke_all", target_id=str(reporter.pk)).details["because"] == (
        "deactivated"
    )


def test_an_inactive_users_token_is_refused_even_if_its_row_survived(reporter: User) -> None:
    token = token_for(reporter)
    User.objects.filter(pk=reporter.pk).update(is_active=False)  # no signal: a row written behind our back
    assert not works(token)


def test_signing_in_and_upgrading_an_old_hash_keeps_the_tokens(reporter: User) -> None:
    # Django rehashes a password stored with an older hasher when it is next checked; the
    # password is the same, so the tokens live on.
    token = token_for(reporter)
    User.objects.filter(pk=reporter.pk).update(password=make_password(DEMO_PASSWORD, hasher="pbkdf2_sha256"))
    assert obtain("hoankiem.ccb").status_code == 200
    reporter.refresh_from_db()
    assert reporter.password.startswith("argon2")
    assert works(token)


def test_a_sign_in_on_the_page_keeps_the_tokens(reporter: User) -> None:
    token = token_for(reporter)
    response = Client().post(reverse("login"), {"username": "hoankiem.ccb", "password": DEMO_PASSWORD})
    assert response.status_code == 302  # signed in: last_login saved
    assert works(token)


# --- listing and revoking through the API ----------------------------------------------------


def test_the_owner_lists_their_tokens_without_the_secrets(reporter: User) -> None:
    first = obtain("hoankiem.ccb").json()["token"]
    second = obtain("hoankiem.ccb").json()["token"]
    token_for(User.objects.get(username="camau.ccb"))
    response = with_token(second).get(TOKENS)
    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == 2
    assert set(rows[0]) == {"id", "created", "expiry", "current"}
    second_id = hashlib.sha512(second.encode()).hexdigest()[:16]
    assert {row["id"]: row["current"] for row in rows}[second_id] is True
    assert sorted(row["current"] for row in rows) == [False, True]
    body = response.content.decode()
    assert first not in body and second not in body
    assert first[:15] not in body and second[:15] not in body
    ids = {row["id"] for row in rows}
    assert ids == {hashlib.sha512(t.encode()).hexdigest()[:16] for t in (first, second)}


def test_the_owner_revokes_one_token(reporter: User) -> None:
    keep = obtain("hoankiem.ccb").json()["token"]
    drop = obtain("hoankiem.ccb").json()["token"]
    drop_id = hashlib.sha512(drop.encode()).hexdigest()[:16]
    response = with_token(keep).delete(f"{TOKENS}{drop_id}/")
    assert response.status_code == 204
    assert not works(drop)
    assert works(keep)
    assert with_token(keep).delete(f"{TOKENS}{drop_id}/").status_code == 404
    log = ActionLog.objects.get(action="token.revoke")
    assert (log.actor, log.details["token"]) == (reporter, drop_id)


def test_nobody_lists_or_revokes_another_users_tokens(demo_user: Callable[[str], Any]) -> None:
    theirs = token_for(demo_user("camau.ccb"))
    theirs_id = hashlib.sha512(theirs.encode()).hexdigest()[:16]
    mine = token_client(demo_user("hoankiem.ccb"))
    listed = mine.get(TOKENS).json()
    assert [row["current"] for row in listed] == [True]
    assert theirs_id not in {row["id"] for row in listed}
    response = mine.delete(f"{TOKENS}{theirs_id}/")
    assert response.status_code == 404
    # Exactly what a token that does not exist gets: the answer tells nothing.
    assert response.json() == mine.delete(f"{TOKENS}{'0' * 16}/").json()
    # Not even a system administrator revokes someone else's token through this route.
    assert token_client(demo_user("admin")).delete(f"{TOKENS}{theirs_id}/").status_code == 404
    assert works(theirs)


def test_logout_revokes_the_token_it_is_sent_with(reporter: User) -> None:
    current = obtain("hoankiem.ccb").json()["token"]
    other = obtain("hoankiem.ccb").json()["token"]
    assert with_token(current).post("/api/v1/auth/logout/").status_code == 204
    assert not works(current)
    assert works(other)
    assert with_token(current).post("/api/v1/auth/logout/").status_code == 401


def test_logout_needs_a_token(api_client_as: Callable[[str], Any]) -> None:
    assert api_client_as("hoankiem.ccb").post("/api/v1/auth/logout/").status_code == 401


def test_logoutall_revokes_all_the_owners_tokens(reporter: User, demo_user: Callable[[str], Any]) -> None:
    tokens = [obtain("hoankiem.ccb").json()["token"] for _ in range(3)]
    other = token_for(demo_user("camau.ccb"))
    response = with_token(tokens[0]).post("/api/v1/auth/logoutall/")
    assert response.status_code == 200
    assert response.json() == {"revoked": 3}
    assert not any(works(token) for token in tokens)
    assert works(other)


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", TOKENS), ("delete", f"{TOKENS}0123456789abcdef/"), ("post", "/api/v1/auth/logoutall/")],
)
def test_the_token_routes_answer_401_without_credentials(method: str, url: str) -> None:
    response = getattr(APIClient(), method)(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_token_that_is_not_utf8_is_refused_not_crashed() -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token \xe9\xe9\xe9")
    assert client.get(UNITS).status_code == 401


# --- the pages -------------------------------------------------------------------------------


def test_the_owner_sees_and_revokes_their_tokens_on_their_page(
    reporter: User, client_as: Callable[[str], Client]
) -> None:
    token = token_for(reporter)
    token_id = hashlib.sha512(token.encode()).hexdigest()[:16]
    client = client_as("hoankiem.ccb")
    page = client.get(reverse("password_change")).content.decode()
    assert token_id in page
    assert token[:15] not in page
    assert "Thu hồi" in page
    response = client.post(reverse("accounts:token-revoke", args=[token_id]))
    assert response.status_code == 302
    assert not works(token)


def test_nobody_revokes_another_users_token_on_the_page(
    demo_user: Callable[[str], Any], client_as: Callable[[str], Client]
) -> None:
    theirs = token_for(demo_user("camau.ccb"))
    theirs_id = hashlib.sha512(theirs.encode()).hexdigest()[:16]
    assert client_as("hoankiem.ccb").post(reverse("accounts:token-revoke", args=[theirs_id])).status_code == 404
    assert client_as("hoankiem.ccb").get(reverse("accounts:token-revoke", args=[theirs_id])).status_code == 405
    assert works(theirs)


def test_the_manager_of_an_account_revokes_all_its_tokens(
    reporter: User, hanoi_admin: User, camau_admin: User, client_as: Callable[[str], Client]
) -> None:
    tokens = [token_for(reporter), token_for(reporter)]
    page = client_as("hanoi.admin").get(reverse("accounts:user", args=[reporter.pk])).content.decode()
    assert "Thu hồi tất cả mã truy cập" in page
    url = reverse("accounts:user-tokens-revoke-all", args=[reporter.pk])

    # An administrator of another province does not see the account at all.
    assert client_as("camau.admin").post(url).status_code == 404
    assert all(works(token) for token in tokens)

    response = client_as("hanoi.admin").post(url)
    assert response.status_code == 302
    assert not any(works(token) for token in tokens)
    log = ActionLog.objects.get(action="token.revoke_all", target_id=str(reporter.pk))
    assert (log.actor, log.count) == (hanoi_admin, 2)


def test_the_owner_sees_no_revoke_all_button_on_their_own_account(
    reporter: User, client_as: Callable[[str], Client]
) -> None:
    token_for(reporter)
    page = client_as("hoankiem.ccb").get(reverse("accounts:user", args=[reporter.pk])).content.decode()
    assert "Thu hồi tất cả mã truy cập" not in page


# --- the schema ------------------------------------------------------------------------------


def test_the_schema_documents_the_token_scheme_and_routes(api_client_as: Callable[[str], Any]) -> None:
    schema = api_client_as("admin").get(reverse("api:api-schema"), {"format": "json"}).json()
    scheme = schema["components"]["securitySchemes"]["tokenAuth"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")
    assert "Token <mã>" in scheme["description"]
    paths = schema["paths"]
    assert {"204", "401", "403", "404"} <= set(paths["/api/v1/auth/tokens/{token_id}/"]["delete"]["responses"])
    assert {"200", "401", "403"} <= set(paths["/api/v1/auth/tokens/"]["get"]["responses"])
    assert paths["/api/v1/auth/logout/"]["post"]["security"] == [{"tokenAuth": []}]
    assert paths["/api/v1/auth/logoutall/"]["post"]["summary"] == "Thu hồi tất cả mã truy cập của tôi"
    assert {"token", "expiry"} <= set(schema["components"]["schemas"]["TokenResponse"]["properties"])
    assert "otp" in schema["components"]["schemas"]["TokenRequestRequest"]["properties"]
    assert {"tokenAuth": []} in paths["/api/v1/units/"]["get"]["security"]
