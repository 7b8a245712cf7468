"""The commendations' browser flow: a commune association proposes an individual for the Bằng khen of
the Veterans' Association Central Committee; the province endorses it; the national level
decides; the decision's Word document downloads, names the veteran with the rank and position
of the day in its list, and LibreOffice opens it."""

from __future__ import annotations

import io
import os
import re
import zipfile
from typing import Any

import pytest

from tests.browser.helpers import click_picker, login

pytestmark = [pytest.mark.browser]

PERSON = "Ngô Đức Lâm"  # a demo veteran of Hoàn Kiếm's association (CCB-X00070), rank Đại úy
AWARD = "Bằng khen của Ban Chấp hành Trung ương Hội Cựu chiến binh Việt Nam"
SUMMARY = "Gương mẫu vận động hội viên tham gia xây dựng nông thôn mới, đô thị văn minh (thử trên trình duyệt)."


def option_value(page: Any, select: str, text: str) -> str:
    """The value of the first option of ``select`` whose label contains ``text``."""
    value = page.locator(f"{select} option", has_text=text).first.get_attribute("value")
    assert value, f"no option {text!r} in {select}"
    return str(value)


def test_commune_proposes_province_endorses_nation_decides(browser: Any, live_url: str) -> None:
    contexts = {
        name: browser.new_context(
            base_url=live_url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", accept_downloads=True
        )
        for name in ("hoankiem.ccb", "hanoi.ccb", "tuhoi")
    }
    pages = {name: context.new_page() for name, context in contexts.items()}
    for name, page in pages.items():
        page.on("dialog", lambda dialog: dialog.accept())
        login(page, name)

    # The commune proposes one of its veterans.
    page = pages["hoankiem.ccb"]
    page.goto("/commendations/nominations/new/")
    # The proposing unit is the user's own, shown by name; the veteran is found by typing (pickers).
    assert "Hoàn Kiếm" in page.locator("select[name=proposing_unit] option:checked").inner_text()
    page.check("input[name=nominee_kind][value=individual]")
    click_picker(page, "id_person")
    page.keyboard.type("ngo duc lam")
    page.locator(".ts-dropdown .option", has_text=PERSON).first.click()
    assert PERSON in page.locator("select[name=person] option:checked").inner_text()
    page.select_option("select[name=award]", option_value(page, "select[name=award]", AWARD))
    page.select_option("select[name=phase]", option_value(page, "select[name=phase]", "2022–2027"))
    page.fill("input[name=year]", "2026")
    page.fill("textarea[name=summary]", SUMMARY)
    with page.expect_navigation():
        page.get_by_test_id("nomination-form").locator("button[type=submit]").click()
    match = re.search(r"/commendations/nominations/(\d+)/$", page.url)
    assert match, page.locator("main").inner_text()[:3000]
    detail = f"/commendations/nominations/{match.group(1)}/"
    assert PERSON in page.content() and "Đang soạn" in page.content()
    with page.expect_navigation():
        page.get_by_test_id("submit").click()
    assert "Đang xét" in page.content()
    # The proposer cannot endorse its own nomination.
    assert page.get_by_test_id("endorse").count() == 0

    # The province endorses: it goes on up to the Central Committee.
    page = pages["hanoi.ccb"]
    page.goto(detail)
    with page.expect_navigation():
        page.get_by_test_id("endorse").click()
    assert "Trung ương Hội Cựu chiến binh Việt Nam" in page.content()
    assert page.get_by_test_id("decide-form").count() == 0  # not the awarding level

    # The national level decides, in a new decision.
    page = pages["tuhoi"]
    page.goto(detail)
    form = page.get_by_test_id("decide-form")
    form.locator("input[name=issued_on]").fill("2026-11-27")
    # Numbered only with a named signer of the body on that day (its signatories): the deputy,
    # whose capacity (TM. BAN THƯỜNG VỤ) the decision takes from the list.
    form.locator("input[name=signer_title]").fill("Phó Chủ tịch")
    form.locator("input[name=signer_name]").fill("Khuất Việt Dũng")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    # The decision's page lists the veteran with the rank of the day.
    assert re.search(r"/commendations/decisions/\d+/$", page.url), page.locator("main").inner_text()[:3000]
    assert PERSON in page.content() and "Đại úy" in page.content()
    page.goto(detail)
    assert "Đã khen thưởng" in page.locator("main").inner_text()
    page.locator("main a[href*='/commendations/decisions/']").first.click()
    with page.expect_download() as download_info:
        page.locator("a[href$='decision.docx']").click()
    path = download_info.value.path()
    data = open(path, "rb").read()

    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "QUYẾT ĐỊNH" in xml and "ngày 27 tháng 11 năm 2026" in xml
    assert "TM. BAN THƯỜNG VỤ" in xml and "Khuất Việt Dũng" in xml
    assert PERSON in xml and "Đại úy" in xml and AWARD in xml

    from phoihop.documents import pdf

    if not pdf.pdf_available():
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail("LibreOffice (soffice) is missing: CI installs libreoffice-writer-nogui")
        pytest.skip("LibreOffice (soffice) is not installed")
    assert pdf.docx_to_pdf(data).startswith(b"%PDF")
    for context in contexts.values():
        context.close()
