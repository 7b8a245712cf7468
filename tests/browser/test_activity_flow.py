"""hoankiem.ccb records a joint activity with three indicator values and submits it; the Hà Nội
and national dashboards show the new totals at once (the daily work's browser flow)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.helpers import login

pytestmark = [pytest.mark.browser]

VALUES = {"tt-buoi": 3, "tt-luot": 245, "qp-hoat-dong": 2}


@pytest.fixture
def ids(django_db_blocker: Any) -> dict[str, int]:
    from phoihop.orgunits.models import OrgUnit
    from phoihop.programmes.models import Indicator

    with django_db_blocker.unblock():
        units = dict(OrgUnit.objects.filter(code__in=["CCB-HANOI", "CCB-TW"]).values_list("code", "pk"))
        indicators = dict(
            Indicator.objects.filter(programme__code="QDND-CCB", code__in=VALUES).values_list("code", "pk")
        )
    return {**units, **indicators}


def dashboard_totals(page: Any, unit_pk: int) -> dict[str, int]:
    response = page.goto(f"/figures/unit/{unit_pk}/")
    assert response is not None and response.status == 200
    return {
        code: int(page.get_by_test_id(f"total-{code}").inner_text().strip().replace(".", "") or 0) for code in VALUES
    }


def test_it_records_an_activity_and_every_dashboard_shows_it_at_once(browser: Any, live_url: str, ids: Any) -> None:
    contexts = {
        name: browser.new_context(base_url=live_url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
        for name in ("hoankiem.ccb", "hanoi.ccb", "tuhoi")
    }
    pages = {name: context.new_page() for name, context in contexts.items()}
    for name, page in pages.items():
        login(page, name)
    before = {
        "hanoi": dashboard_totals(pages["hanoi.ccb"], ids["CCB-HANOI"]),
        "nation": dashboard_totals(pages["tuhoi"], ids["CCB-TW"]),
    }

    page = pages["hoankiem.ccb"]
    page.goto("/activities/new/")
    page.fill("input[name=title]", "Tuyên truyền kỷ niệm Ngày Cựu chiến binh cùng Ban CHQS phường")
    page.fill("input[name=start_date]", "2026-11-20")
    page.fill("input[name=end_date]", "2026-11-20")
    for code, amount in VALUES.items():
        page.fill(f"input[name=value_{ids[code]}]", str(amount))
    with page.expect_navigation():
        page.click("button[name=action][value=submit]")
    assert "/activities/" in page.url and "/new/" not in page.url, page.content()[:3000]
    assert "Đã gửi" in page.content()

    after = {
        "hanoi": dashboard_totals(pages["hanoi.ccb"], ids["CCB-HANOI"]),
        "nation": dashboard_totals(pages["tuhoi"], ids["CCB-TW"]),
    }
    for level in ("hanoi", "nation"):
        assert {code: after[level][code] - before[level][code] for code in VALUES} == VALUES, level
    for context in contexts.values():
        context.close()
