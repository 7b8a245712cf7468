"""The "Dữ liệu cá nhân" page in Chromium, at a laptop's and a phone's size (ADR 0011).

The system administrator opens the page of Phạm Văn Thành (a demo awardee of Hoàn Kiếm: kept
by the retention rules, so the page says why it cannot be anonymised). Screenshots go to
test-results/ for a person to look at.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import ARTEFACTS
from tests.browser.helpers import assert_fits, login


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_the_personal_data_page_reads_at_both_sizes(page: Any, width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    login(page, "admin")
    page.goto("/units/people/?q=pham van thanh")
    page.get_by_role("link", name="Phạm Văn Thành").first.click()
    page.get_by_test_id("personal-data-link").click()
    page.get_by_test_id("personal-data-title").wait_for()
    assert "Phạm Văn Thành" in page.get_by_test_id("personal-fields").inner_text()
    assert "Được khen thưởng" in page.get_by_test_id("personal-mentions").inner_text()
    assert "phải lưu giữ theo quy định" in page.get_by_test_id("anonymise-refused").inner_text()
    # Nothing runs off the side of a phone's screen.
    assert_fits(page)
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"personal-data-{width}x{height}.png"), full_page=True)
