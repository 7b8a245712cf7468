"""The searchable pickers in a browser: typed without diacritics, chosen with the keyboard, on a
laptop and on a phone, with no horizontal scrolling and nothing the Content-Security-Policy
blocks (the page fixture fails on a CSP report or a script error)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.helpers import assert_fits, click_picker, login

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
    assert_fits(page)


def _height(locator: Any) -> float:
    return float(locator.evaluate("e => e.getBoundingClientRect().height"))


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 768}, {"width": 390, "height": 844}])
def test_a_single_picker_keeps_its_height_when_focused_so_the_next_click_lands(page: Any, viewport: dict) -> None:
    """Tom Select puts its search box after the chosen item: with a long name the box went onto a
    second line on focus and came back on blur, so whatever lay below moved from under the mouse
    between the press and the release, and the first click after a choice was lost."""
    page.set_viewport_size(viewport)
    login(page, "admin")
    page.goto("/programmes/new/")
    page.select_option("#id_form-1-organisation", label="QĐND Việt Nam")
    wrapper = page.locator(".ts-wrapper:has(#id_form-1-unit-ts-control)")
    control = wrapper.locator(".ts-control")
    item = control.locator(".item")
    search = page.locator("#id_form-1-unit-ts-control")

    def search_for(typed: str) -> None:
        with page.expect_response(lambda r: "autocomplete" in r.url and r.url.endswith("q=" + typed.replace(" ", "+"))):
            page.keyboard.type(typed)
        # The answer has reached the browser; wait until Tom Select has shown it and has no other
        # search in flight (its wrapper is .loading until the last one is back). On a loaded
        # machine the keys come slowly, so the picker also asks for a part of the text on the
        # way, and that answer can come back last: it re-drew the list under the mouse, or came
        # after the choice.
        page.locator(".ts-wrapper.loading:has(#id_form-1-unit-ts-control)").wait_for(state="detached")

    def choose(typed: str, wanted: str) -> None:
        search_for(typed)
        page.locator("#id_form-1-unit-ts-dropdown .option", has_text=wanted).first.click()

    def blur() -> None:
        page.locator("#id_title").focus()  # by the keyboard: no mouse over the picker

    search.click()
    choose("quang ninh", "Quân sự tỉnh Quảng Ninh")
    assert "focus" in (wrapper.get_attribute("class") or "")  # the choice leaves the focus there
    focused = _height(wrapper)
    blur()
    assert _height(wrapper) == focused

    # At any width around the name's own (one line nearly full, or two lines), focusing the
    # picker and typing in it leave its height as it was.
    for width in range(160, 481, 40):
        wrapper.evaluate("(w, px) => { w.style.width = px + 'px'; }", width)
        blur()
        blurred = _height(wrapper)
        click_picker(page, "id_form-1-unit")
        assert _height(wrapper) == blurred, (width, "focused")
        typed = f"ha noi {width}"  # a new search each time (the picker keeps what it loaded)
        search_for(typed)
        assert _height(wrapper) == blurred, (width, "typing")
        # What is typed is readable across the picker; the chosen name under it is hidden.
        assert search.input_value() == typed
        assert search.is_visible() and item.is_hidden()
        assert search.evaluate("e => e.getBoundingClientRect().width") > 0.5 * control.evaluate("e => e.clientWidth"), (
            width
        )
        page.keyboard.press("Escape")  # the search is dropped, the chosen name shows again
        assert search.input_value() == "" and item.is_visible(), width
        assert _height(wrapper) == blurred, (width, "escaped")
    wrapper.evaluate("w => { w.style.width = ''; }")
    blur()

    # Chosen again (the focus stays in the picker), then a click on the button right below lands.
    click_picker(page, "id_form-1-unit")
    choose("quan su tinh quang ninh", "Quân sự tỉnh Quảng Ninh")
    with page.expect_navigation():
        page.locator("[data-testid=add-party]").click()
    assert page.locator("[data-testid=party-row]").count() == 3
    assert "Bộ Chỉ huy Quân sự tỉnh Quảng Ninh" in page.locator("[data-testid=parties]").inner_text()
    assert_fits(page)


def test_a_search_answered_after_the_choice_does_not_open_the_list_again(page: Any) -> None:
    """A pause in the typing makes the picker ask for part of the text; when that answer comes
    back only after the user chose from what was already shown, the list stays shut: opened again,
    it lay over the button below on a phone, and the next click picked an option instead."""
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "admin")
    page.goto("/programmes/new/")
    page.select_option("#id_form-1-organisation", label="QĐND Việt Nam")
    dropdown = page.locator("#id_form-1-unit-ts-dropdown")
    held: list[Any] = []

    def hold_the_partial_search(route: Any) -> None:
        if route.request.url.endswith("q=quan+su"):
            held.append(route)  # answered below, once the choice is made
        else:
            route.continue_()

    page.route(lambda url: "autocomplete" in url, hold_the_partial_search)
    page.locator("#id_form-1-unit-ts-control").click()
    with page.expect_request(lambda r: r.url.endswith("q=quan+su")):
        page.keyboard.type("quan su")  # the picker asks once the typing pauses
    with page.expect_response(lambda r: r.url.endswith("q=quan+su+tinh+quang+ninh")):
        page.keyboard.type(" tinh quang ninh")
    # Every answer but the held one is back and shown (nothing re-draws the list under the mouse).
    page.wait_for_function("() => document.getElementById('id_form-1-unit').tomselect.loading === 1")
    dropdown.locator(".option", has_text="Quân sự tỉnh Quảng Ninh").first.click()
    assert dropdown.is_hidden()  # the choice shut the list
    assert len(held) == 1
    held[0].fulfill(response=held[0].fetch())
    page.locator(".ts-wrapper.loading:has(#id_form-1-unit-ts-control)").wait_for(state="detached")
    assert dropdown.is_hidden()  # the late answer added its options and opened nothing
    with page.expect_navigation():
        page.locator("[data-testid=add-party]").click()
    assert page.locator("[data-testid=party-row]").count() == 3
    assert "Bộ Chỉ huy Quân sự tỉnh Quảng Ninh" in page.locator("[data-testid=parties]").inner_text()
