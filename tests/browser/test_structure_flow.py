"""The unit tree managed in the browser (issue 15, item 1): from a unit's page a unit
administrator adds two branches below it, then merges the first into the second from the
second's page, choosing it with the searchable picker (typed without diacritics), on a laptop;
the merge page has no horizontal scrolling on a phone either."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.helpers import assert_fits, click_picker, login

pytestmark = [pytest.mark.browser]

FIRST, SECOND = "Chi hội Cựu chiến binh thử trình duyệt một", "Chi hội Cựu chiến binh thử trình duyệt hai"


def unit_id(page: Any, query: str) -> int:
    """The harness finds the unit's page (the user would click through the tree)."""
    answer = page.request.get(f"/units/autocomplete/?q={query}&organisation=ccb").json()
    assert answer["results"], query
    return int(answer["results"][0]["id"])


def add_branch(page: Any, parent: int, name: str, code: str) -> None:
    page.goto(f"/units/{parent}/")
    page.get_by_test_id("unit-add").click()
    page.get_by_label("Tên đầy đủ").fill(name)
    page.get_by_label("Mã đơn vị").fill(code)
    page.get_by_label("Cấp").select_option(label="Chi hội")
    assert page.get_by_label("Hoạt động từ ngày").input_value() == "2026-11-27"  # today, by default
    with page.expect_navigation():
        page.get_by_test_id("unit-add-submit").click()
    assert page.get_by_test_id("unit-name").inner_text() == name
    assert "Đã thêm đơn vị trực thuộc." in page.locator("body").inner_text()


def test_a_unit_administrator_adds_branches_and_merges_one_into_the_other(page: Any) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, "admin")
    parent = unit_id(page, "phuong hoan kiem")
    add_branch(page, parent, FIRST, "CCB-X00070-TD1")
    add_branch(page, parent, SECOND, "CCB-X00070-TD2")

    page.get_by_test_id("unit-merge").click()
    click_picker(page, "id_units")
    page.keyboard.type("thu trinh duyet mot")
    option = page.locator(".ts-dropdown .option", has_text=FIRST).first
    option.wait_for()
    option.click()
    page.keyboard.press("Escape")
    chosen = page.locator("select#id_units").evaluate("s => Array.from(s.selectedOptions).map(o => [o.value, o.text])")
    assert len(chosen) == 1 and chosen[0][0].isdigit() and FIRST in chosen[0][1], chosen
    page.get_by_label("Ngày hoạt động cuối cùng của các đơn vị sáp nhập").fill("2026-11-27")
    page.set_viewport_size({"width": 390, "height": 844})
    assert_fits(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Sáp nhập").click()
    body = page.locator("body").inner_text()
    assert "Đã sáp nhập các đơn vị vào đơn vị này." in body
    assert FIRST in page.locator("body").inner_text()  # among its predecessors
    assert_fits(page)
