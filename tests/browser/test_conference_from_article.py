"""A conference recorded from the seed's news report in a browser (issue 16): the clerk pastes the
article, reads the draft beside the highlighted text, confirms, and finds the conference of
23/9/2022 with its co-chairs' ranks and positions of that day, the 2022–2027 signing and the article
kept as its source; on a laptop and on a phone, with no horizontal scrolling.

The demo already holds that conference (written from the same article), so the page offers to
complete it rather than record it twice, and the test takes that offer; recording a new conference
from the article is covered in tests/test_conference_from_article.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.helpers import assert_fits, login

pytestmark = [pytest.mark.browser]

SEED = (Path(__file__).resolve().parents[1] / "data" / "articles" / "000_seed-qdnd-hoi-ccb-2022.txt").read_text("utf-8")
VIEWPORTS = {"laptop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_the_seed_becomes_the_conference_of_23_9_2022(page: Any, device: str) -> None:
    viewport = VIEWPORTS[device]
    page.set_viewport_size(viewport)
    login(page, "tcct")
    page.goto("/conferences/")
    if device == "phone":
        page.goto("/conferences/from-article/")
    else:
        with page.expect_navigation():
            page.get_by_role("link", name="Ghi từ bài viết").click()
    page.get_by_label("Dán nội dung bài viết").fill(SEED)
    page.get_by_label("Nguồn (địa chỉ trang, tên báo)").fill("Báo Quân đội nhân dân")
    with page.expect_navigation():
        page.get_by_role("button", name="Đọc bài viết").click()

    article = page.get_by_test_id("article-text")
    assert article.locator("mark.ev-chairs", has_text="Thiếu tướng Nguyễn Văn Gấu").count() >= 1
    assert article.locator("mark.ev-date").first.inner_text() == "Ngày 23-9"
    assert article.locator("mark.ev-place").first.inner_text() == "Hà Nội"
    assert page.locator("#id_held_on").input_value() == "2022-09-23"
    assert page.locator("#id_signed_years").input_value() == "2022-2027"
    assert page.locator("#id_organiser_codes").input_value() == "TCCT, CCB-TW"
    assert page.locator("#id_people-0-name").input_value() == "Nguyễn Văn Gấu"
    assert page.locator("#id_people-0-rank").input_value() == "thieu-tuong"
    assert_fits(page)
    # The demo holds this conference: completing it is offered, and chosen.
    assert page.locator("#into-existing").is_checked()

    with page.expect_navigation():
        page.get_by_role("button", name="Xác nhận và ghi hội nghị").click()
    assert "Đã bổ sung hội nghị từ bài viết." in page.content()
    cochairs = page.get_by_test_id("cochairs").inner_text()
    assert "Thiếu tướng Nguyễn Văn Gấu" in " ".join(cochairs.split())
    assert "Ủy viên Trung ương Đảng, Phó Chủ nhiệm Tổng cục Chính trị Quân đội nhân dân Việt Nam" in cochairs
    assert "Trung tướng Khuất Việt Dũng" in " ".join(cochairs.split())
    assert "Phó Chủ tịch Hội Cựu chiến binh Việt Nam" in cochairs
    assert "Giai đoạn 2022–2027, ký ngày 23/9/2022 tại Hà Nội" in page.get_by_test_id("signing").inner_text()
    source = page.get_by_test_id("source-article")
    source.locator("summary").click()
    assert "Báo Quân đội nhân dân" in source.inner_text()
    assert "Tại Hội nghị, Tổng cục Chính trị và Hội CCB Việt Nam đã ký kết" in source.inner_text()
    assert_fits(page)
