"""Every page's floor (issue 13, item 9): the menu's links are a cached fragment, yet the active
section, the system administrator's links and the language still follow the page and the user."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _active(html: str) -> list[str]:
    return re.findall(r'class="nav-link[^"]*\bactive\b[^"]*"[^>]*>([^<]*)<', html)


def test_the_active_section_follows_the_page_with_the_menu_cached(client_as: Callable[[str], Client]) -> None:
    client = client_as("hanoi.ccb")
    for _round in range(2):  # the first draws the fragments, the second reads them from the cache
        assert [a.strip() for a in _active(client.get("/figures/").content.decode())] == ["Số liệu"]
        units = client.get("/units/").content.decode()
        assert [a.strip() for a in _active(units)] == ["Danh mục"]
        assert "/reports/templates/" not in units  # the templates' link is the system admin's


def test_the_system_admins_links_and_the_language_are_kept_apart(client_as: Callable[[str], Client]) -> None:
    hanoi, admin = client_as("hanoi.ccb"), client_as("admin")
    assert ">Figures<" not in hanoi.get("/units/").content.decode()
    admins = admin.get("/units/").content.decode()
    assert 'href="/admin/"' in admins and 'href="/reports/templates/"' in admins
    assert 'href="/admin/"' not in hanoi.get("/units/").content.decode()
    hanoi.cookies["django_language"] = "en"
    assert ">Figures<" in hanoi.get("/units/").content.decode()
