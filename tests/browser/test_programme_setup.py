"""The guided set-up of a programme in a browser (issue 15, item 2), as a system administrator
does it: the parties chosen with the unit pickers (typed without diacritics, narrowed by the
organisation chosen beside them), a row added and removed, then a field, two indicators, two
phases (an overlapping one refused first), a target and a signing, with no id or code typed by
hand; on a laptop and on a phone, with no horizontal scrolling."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.helpers import assert_fits, click_picker, login

pytestmark = [pytest.mark.browser]


def fits(page: Any, viewport: dict) -> None:
    assert_fits(page)


def submit(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).first.click()


def pick(page: Any, select_id: str, typed: str, wanted: str) -> None:
    """Type into a picker, wait for the answer to that search, choose ``wanted``, move on (Tab)."""
    click_picker(page, select_id)
    query = "q=" + typed.replace(" ", "+")
    with page.expect_response(lambda r: "autocomplete" in r.url and r.url.endswith(query)):
        page.keyboard.type(typed)
    option = page.locator(f"#{select_id}-ts-dropdown .option", has_text=re.compile(wanted)).first
    option.wait_for()
    option.click()
    page.keyboard.press("Tab")
    assert page.locator(f"#{select_id}").input_value().isdigit()


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 768}, {"width": 390, "height": 844}])
def test_a_programme_is_set_up_through_the_pages_with_pickers(page: Any, viewport: dict) -> None:
    page.set_viewport_size(viewport)
    title = f"Chương trình phối hợp thử trên trình duyệt ({viewport['width']})"
    login(page, "admin")
    page.goto("/programmes/")
    submit(page, "[data-testid=programme-create]")
    assert "Bước 1/6" in page.locator("[data-testid=setup-steps]").inner_text()
    fits(page, viewport)

    # Step 1: the title, then each party's organisation and its unit, chosen with the picker.
    page.fill("#id_title", title)
    page.select_option("#id_form-0-organisation", label="QĐND Việt Nam")
    pick(page, "id_form-0-unit", "quang ninh", r"Quân sự tỉnh Quảng Ninh")
    page.select_option("#id_form-1-organisation", label="Hội CCB Việt Nam")
    pick(page, "id_form-1-unit", "tinh quang ninh", r"binh tỉnh Quảng Ninh")
    # A third row is added, then removed: what was chosen stays.
    submit(page, "[data-testid=add-party]")
    assert page.locator("[data-testid=party-row]").count() == 3
    assert page.locator("#id_title").input_value() == title
    submit(page, "button[name=remove_party][value='2']")
    assert page.locator("[data-testid=party-row]").count() == 2
    assert "Bộ Chỉ huy Quân sự tỉnh Quảng Ninh" in page.locator("[data-testid=parties]").inner_text()
    submit(page, "[data-testid=save]")
    assert "/setup/fields/" in page.url, page.locator(".alert, .invalid-feedback").all_inner_texts()
    code = page.url.split("/programmes/")[1].split("/")[0]
    assert code.startswith("qs-quangninh-ccb-quangninh")

    # Step 2: a field.
    assert "Bước 2/6" in page.locator("[data-testid=setup-steps]").inner_text()
    page.fill("#id_add-name", "Tuyên truyền, giáo dục")
    submit(page, "[data-testid=field-add] button[type=submit]")
    assert page.locator("[data-testid=field-row]").count() == 1
    fits(page, viewport)
    submit(page, "[data-testid=next-step]")

    # Step 3: two indicators in that field, their codes made from their names.
    for name, unit_of_measure in (("Số buổi tuyên truyền", "buổi"), ("Số lượt người tham gia", "lượt người")):
        page.select_option("#id_add-field", label="Tuyên truyền, giáo dục")
        page.fill("#id_add-name", name)
        page.fill("#id_add-unit_of_measure", unit_of_measure)
        submit(page, "[data-testid=indicator-add] button[type=submit]")
    assert page.locator("[data-testid=indicator-row]").count() == 2
    assert "so-buoi-tuyen-truyen" in page.locator("[data-testid=indicator-group]").inner_text()
    fits(page, viewport)
    submit(page, "[data-testid=next-step]")

    # Step 4: two phases; one that overlaps is refused on the form, in Vietnamese, dates kept.
    page.fill("#id_start", "2021-01-01")
    page.fill("#id_end", "2026-01-01")
    page.select_option("#id_status", "closed")
    submit(page, "[data-testid=phase-add] button[type=submit]")
    page.fill("#id_start", "2025-06-01")
    page.fill("#id_end", "2030-12-31")
    page.select_option("#id_status", "active")
    submit(page, "[data-testid=phase-add] button[type=submit]")
    assert "Giai đoạn trùng thời gian với giai đoạn 2021–2026" in page.locator("[data-testid=phase-add]").inner_text()
    assert page.locator("#id_end").input_value() == "2030-12-31"
    fits(page, viewport)
    page.fill("#id_start", "2026-01-01")
    submit(page, "[data-testid=phase-add] button[type=submit]")
    assert page.locator("[data-testid=phases] .list-group-item").count() == 2
    submit(page, "[data-testid=next-step]")

    # Step 5: a target for the association of the province, in the running phase.
    assert "Giai đoạn 2026–2030" in page.locator("[data-testid=phase-tabs] .active").inner_text()
    pick(page, "id_unit", "tinh quang ninh", r"binh tỉnh Quảng Ninh")
    page.select_option("#id_indicator", label="Số buổi tuyên truyền (buổi)")
    page.fill("#id_value", "24")
    submit(page, "[data-testid=target-add] button[type=submit]")
    assert "/setup/targets/" in page.url
    assert "Số buổi tuyên truyền" in page.locator("[data-testid=targets]").inner_text()
    fits(page, viewport)
    submit(page, "[data-testid=next-step]")

    # Step 6: the running phase's signing, through its page and back to the step.
    submit(page, "[data-testid=signings] .list-group-item >> nth=1 >> a")
    assert "Bước 6/6" in page.locator("[data-testid=setup-steps]").inner_text()
    page.fill("#id_signed_on", "2025-12-20")
    page.fill("#id_place", "Hạ Long")
    submit(page, "main form button[type=submit]")
    assert page.url.endswith(f"/programmes/{code}/setup/signing/")
    assert "Hạ Long" in page.locator("[data-testid=signings]").inner_text()
    submit(page, "[data-testid=finish]")

    # The programme's page: its parties, and what is still missing (the closed phase's signing).
    assert page.url.endswith(f"/programmes/{code}/")
    assert title in page.locator("h1").inner_text()
    gaps = page.locator("[data-testid=setup-gaps]").inner_text()
    assert "Giai đoạn chưa có thông tin ký kết: 2021–2026." in gaps
    assert "Chưa có lĩnh vực phối hợp nào." not in gaps and "Chưa có giai đoạn nào." not in gaps
    fits(page, viewport)
