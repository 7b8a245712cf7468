"""Figure entry on a phone (390×844): one indicator per row, no horizontal scrolling, the name of
each indicator on full lines (not one word per line), the box to type in beside its unit."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.helpers import assert_fits, login

pytestmark = [pytest.mark.browser]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


def test_the_entry_page_fits_a_phone_one_indicator_per_row(page: Any) -> None:
    page.set_viewport_size(PHONE)
    login(page, "hoankiem.ccb")
    page.goto("/entry/")
    rows = page.locator("tr.entry-row")
    assert rows.count() >= 5
    assert_fits(page)
    # Nothing inside the table scrolls sideways either.
    table_box = page.locator(".table-responsive").first.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert table_box[0] <= table_box[1]
    for i in range(rows.count()):
        row = rows.nth(i)
        name = row.locator("td.entry-name").bounding_box()
        value = row.locator("td.entry-value input").bounding_box()
        assert name is not None and value is not None
        # The name runs across the phone (not a narrow column of single words) ...
        assert name["width"] >= 250, (i, name)
        # ... and the box to type in is below it, wide enough for a number, within the screen.
        label = row.locator("td.entry-name label").bounding_box()
        assert value["y"] >= label["y"] + label["height"] - 1, (i, label, value)
        assert value["width"] >= 150 and value["x"] + value["width"] <= PHONE["width"], (i, value)


def test_the_entry_page_keeps_its_table_on_a_laptop(page: Any) -> None:
    page.set_viewport_size(LAPTOP)
    login(page, "hoankiem.ccb")
    page.goto("/entry/")
    assert_fits(page)
    header = page.locator(".entry-table thead th").nth(1).bounding_box()
    assert header is not None and header["height"] > 10  # the column heads are shown
    row = page.locator("tr.entry-row").first
    name, value = row.locator("td.entry-name").bounding_box(), row.locator("td.entry-value").bounding_box()
    assert abs(name["y"] - value["y"]) < 2  # name and box side by side, as a table row
