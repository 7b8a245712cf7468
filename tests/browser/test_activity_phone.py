"""The activity list and form on a phone (390×844) and a laptop (1366×768): no sideways
scrolling, the list as cards on the phone, numeric keypads for numbers, the counterpart ticked,
and the outlier warning with its confirmation checkbox (issue 13, items 3 and 4)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.helpers import assert_fits, login

pytestmark = [pytest.mark.browser]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


def no_sideways_scroll(page: Any) -> None:
    """The page fits, and no table inside it scrolls sideways either."""
    assert_fits(page)
    for box in page.locator(".table-responsive").all():
        scroll, client = box.evaluate("e => [e.scrollWidth, e.clientWidth]")
        assert scroll <= client + 1


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_the_activity_list_fits(page: Any, size: dict[str, int]) -> None:
    page.set_viewport_size(size)
    login(page, "hoankiem.ccb")
    page.goto("/activities/")
    rows = page.locator("[data-testid=activity-table] tbody tr[data-activity]")
    assert rows.count() >= 3
    no_sideways_scroll(page)
    first = rows.first.bounding_box()
    assert first is not None
    if size is PHONE:
        # A card: the row spans the screen, its cells one under the other with their names.
        assert first["width"] >= 300
        assert page.locator("thead").first.is_hidden()
        status = rows.first.locator("td[data-label]").nth(3)
        assert status.evaluate("e => getComputedStyle(e, '::before').content").strip('"') == "Trạng thái"
    else:
        assert page.locator("[data-testid=activity-table] thead").is_visible()


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_the_activity_form_fits_and_asks_to_confirm_an_outlier(page: Any, size: dict[str, int]) -> None:
    page.set_viewport_size(size)
    login(page, "hoankiem.ccb")
    page.goto("/activities/new/")
    no_sideways_scroll(page)
    # Numbers come with the numeric keypad.
    assert page.locator("input[name=participants_lead]").get_attribute("inputmode") == "numeric"
    assert page.locator("input[name^=value_]").first.get_attribute("inputmode") == "numeric"
    # The lead unit's counterpart is ticked on a new activity.
    assert page.locator("#partner-options input[type=checkbox]:checked").count() >= 1

    page.fill("input[name=title]", "Hội thao thử số liệu bất thường")
    page.fill("input[name=participants_lead]", "9999999")
    with page.expect_navigation():
        page.click("button[name=action][value=draft]")
    warning = page.get_by_test_id("outlier-warning")
    assert warning.is_visible()
    assert "Tôi xác nhận số liệu này là đúng" in warning.inner_text()
    no_sideways_scroll(page)
    page.check("input[name=confirm_outliers]")
    with page.expect_navigation():
        page.click("button[name=action][value=draft]")
    assert "/new/" not in page.url
    assert page.get_by_test_id("activity-title").inner_text() == "Hội thao thử số liệu bất thường"
    assert "Rút lại" not in page.content()  # a draft: nothing to withdraw
