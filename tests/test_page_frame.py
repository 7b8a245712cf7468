"""What every page pays before its own content (issue 13, item 9), made cheaper without changing
what it answers: the user's role assignments read in one plain statement, the session read the
same way, the page's frame drawn once per process where it is the same for everyone."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.template import engines
from django.test import Client, override_settings
from django.utils import timezone, translation

from phoihop.core.scoping import Role, _grant_rows, get_scope

pytestmark = pytest.mark.django_db


# --- the user's role assignments -------------------------------------------------------------------


def _orm_grants(user: Any, day: date) -> list[tuple[int, str, str, int]]:
    from phoihop.accounts.models import RoleAssignment

    return list(
        RoleAssignment.objects.unrestricted("the test's own reference")
        .active_on(day)
        .filter(user=user)
        .order_by("unit__path", "pk")
        .values_list("unit_id", "unit__path", "role", "unit__organisation_id")
    )


def test_the_grants_are_the_dated_role_assignments_of_the_orm(user_with_role: Callable[..., Any]) -> None:
    from phoihop.accounts.models import RoleAssignment
    from phoihop.orgunits.models import OrgUnit

    user = user_with_role("frame.many", "CCB-HANOI", role=Role.APPROVER, valid_from=date(2025, 1, 1))
    today = timezone.localdate()
    for code, role, start, end in [
        ("CCB-CAMAU", Role.VIEWER, today + timedelta(days=3), None),  # not yet
        ("CCB-X00070", Role.REPORTER, None, today - timedelta(days=1)),  # ended yesterday
        ("CCB-X00070", Role.VIEWER, today, today),  # today only
    ]:
        unit = OrgUnit.objects.unrestricted("test").get(code=code)
        RoleAssignment.objects.create(user=user, unit=unit, role=role, valid_from=start, valid_to=end)
    users = [user, *get_user_model().objects.unrestricted("test").filter(is_active=True)]
    for someone in users:
        for day in (today - timedelta(days=1), today, today + timedelta(days=3), date(2020, 1, 1)):
            assert _grant_rows(someone.pk, day) == _orm_grants(someone, day), (someone.username, day)
    roles = {(g.path, g.role) for g in get_scope(user).grants}
    assert len(roles) == 2 and Role.VIEWER in {r for _p, r in roles}  # the approver's and today's viewer


# --- the session ---------------------------------------------------------------------------------------


def test_a_session_is_read_until_it_expires(client_as: Callable[[str], Client]) -> None:
    client = client_as("hanoi.ccb")
    assert client.get("/units/").status_code == 200
    key = client.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/units/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_session_store_reads_what_djangos_reads(client_as: Callable[[str], Client]) -> None:
    from django.contrib.sessions.backends.db import SessionStore as DjangoStore

    from phoihop.core.sessions import SessionStore

    key = client_as("hanoi.ccb").cookies["sessionid"].value
    assert SessionStore(key).load() == DjangoStore(key).load() != {}
    missing = SessionStore("x" * 32)
    assert missing.load() == {} and missing.session_key is None  # a new key will be made


# --- the frame drawn once per process --------------------------------------------------------------


def test_a_fragment_drawn_once_follows_its_key_and_the_language() -> None:
    template = engines["django"].from_string(
        '{% load i18n once %}{% once kind %}{{ kind }} {{ name }} {% translate "Trang chủ" %}{% endonce %}'
    )
    assert template.render({"kind": "a", "name": "first"}) == "a first Trang chủ"
    assert template.render({"kind": "a", "name": "second"}) == "a first Trang chủ"  # kept: same key
    assert template.render({"kind": "b", "name": "second"}) == "b second Trang chủ"
    with translation.override("en"):
        assert template.render({"kind": "a", "name": "third"}) == "a third Home"
    with override_settings(STATIC_URL="/other/"):  # any setting changed: drawn again
        assert template.render({"kind": "a", "name": "fourth"}) == "a fourth Trang chủ"


def _frame(html: str) -> str:
    return html.split('<main id="main"', 1)[0]


def test_the_frame_keeps_what_is_each_users_own(client_as: Callable[[str], Client], demo_user: Any) -> None:
    hanoi, admin = client_as("hanoi.ccb"), client_as("admin")
    for _round in range(2):  # the second draws the kept fragments
        hanoi_page = hanoi.get("/units/?q=%3Cb%3E%22x%22").content.decode()
        admin_page = admin.get("/units/").content.decode()
        hanoi_user = demo_user("hanoi.ccb")
        assert hanoi_user.get_full_name() in _frame(hanoi_page)
        assert hanoi_user.get_full_name() not in _frame(admin_page)
        assert 'value="&lt;b&gt;&quot;x&quot;"' in hanoi_page  # the search box: the query, escaped
        assert 'name="q" value=""' in admin_page
        assert 'href="/admin/"' in admin_page and 'href="/admin/"' not in hanoi_page
        hanoi_tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', hanoi_page))
        admin_tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', admin_page))
        assert hanoi_tokens and admin_tokens and not hanoi_tokens & admin_tokens
        assert '<input type="hidden" name="next" value="/units/">' in hanoi_page  # the switcher's path


def test_the_request_user_is_the_user_itself(client_as: Callable[[str], Client]) -> None:
    from django.utils.functional import LazyObject

    response = client_as("hanoi.ccb").get("/units/")
    user = response.wsgi_request.user
    assert not isinstance(user, LazyObject)
    assert user.username == "hanoi.ccb" and user.is_verified() is False and user.otp_device is None
