"""The bell (phoihop/notices): its count, its list loaded when it opens, and opening a notice,
at 1366×768 (menu open) and 390×844 (in the phone's menu), with no horizontal scrolling."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.helpers import assert_fits, login

pytestmark = [pytest.mark.browser]

SIZES = {"laptop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


def unread(page: Any) -> int:
    badge = page.locator("[data-testid=notice-unread]")
    return int(badge.inner_text().split()[-1]) if badge.count() else 0


@pytest.mark.parametrize("size", SIZES)
def test_the_bell_lists_the_latest_and_opening_one_reads_it(page: Any, size: str) -> None:
    viewport = SIZES[size]
    page.set_viewport_size(viewport)
    login(page, "hanoi.ccb")  # the demo's nominations and report requests told the province's approver
    page.goto("/notices/")
    before = unread(page)
    assert before >= 1
    bell = page.locator("[data-testid=notice-bell] > button")  # in sight without opening the menu
    assert page.locator("#mainnav").is_hidden() if size == "phone" else page.locator("#mainnav").is_visible()
    bell.click()
    items = page.locator("[data-testid=notice-item]")
    items.first.wait_for()
    assert 1 <= items.count() <= 5
    assert_fits(page)
    menu = page.locator("[data-testid=notice-bell] .dropdown-menu").bounding_box()
    assert menu is not None and menu["x"] >= 0 and menu["x"] + menu["width"] <= viewport["width"]
    first = page.locator("[data-testid=notice-item][data-unread]").first
    with page.expect_navigation():
        first.click()
    assert "/notices/" not in page.url  # it went to the item the notice is about
    page.goto("/notices/")
    assert unread(page) == before - 1
    assert_fits(page)
