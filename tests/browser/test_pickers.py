"""The searchable pickers in a browser: typed without diacritics, chosen with the keyboard, on a
laptop and on a phone, with no horizontal scrolling and nothing the Content-Security-Policy
blocks (the page fixture fails on a CSP report or a script error)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.helpers import login

pytestmark = [pytest.mark.browser]


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 768}, {"width": 390, "height": 844}])
def test_a_unit_is_found_without_diacritics_and_chosen_with_the_keyboard(page: Any, viewport: dict) -> None:
    page.set_viewport_size(viewport)
    login(page, "hanoi.ccb")
    page.goto("/commendations/nominations/new/")
    select = page.locator("select#id_nominee_unit")
    assert select.get_attribute("data-autocomplete-url")
    assert select.locator("option").count() <= 2  # the page sends only what is chosen
    control = page.locator("#id_nominee_unit-ts-control")
    control.click()
    page.keyboard.type("hoan kiem")
    option = page.locator(".ts-dropdown .option", has_text="Hoàn Kiếm").first
    option.wait_for()
    if page.locator(".ts-dropdown .option.active").count() == 0:
        page.keyboard.press("ArrowDown")  # the keyboard reaches the first answer
    page.keyboard.press("Enter")
    chosen = select.evaluate("s => [s.value, s.options[s.selectedIndex] ? s.options[s.selectedIndex].text : '']")
    assert chosen[0].isdigit(), chosen
    assert "Hoàn Kiếm" in chosen[1] and "CCB-" not in chosen[1], chosen
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
