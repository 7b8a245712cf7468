"""The main menu at every width where it is open (navbar-expand-xl, from 1200 px).

The system administrator's menu is the longest (the import link, a three-digit inbox count). At
1200 px it once ran 43 px past the window, and at 1366 px a few more words would have pushed it
out too: its links now take a second row rather than widen the page.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.helpers import assert_fits, login

pytestmark = [pytest.mark.browser]

WIDTHS = (1200, 1280, 1366, 1500, 1700, 1920)


def test_the_longest_menu_never_widens_the_page(page: Any) -> None:
    page.set_viewport_size({"width": WIDTHS[0], "height": 800})
    login(page, "admin")
    page.goto("/units/people/")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        assert page.locator("#mainnav").is_visible(), width  # open, not folded behind the toggler
        assert page.get_by_test_id("nav-imports").is_visible(), width
        assert page.locator(".main-nav .nav-search input").is_visible(), width
        assert_fits(page)
        for end in (page.locator(".main-nav .nav-user"), page.get_by_test_id("notice-bell")):
            box = end.bounding_box()
            assert box is not None and box["x"] + box["width"] <= width, (width, box)
