"""hanoi.ccb signs in, opens the unit tree, sees Hà Nội's subtree, and gets 404 for Cà Mau."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.helpers import login

pytestmark = [pytest.mark.browser]


@pytest.fixture
def unit_ids(django_db_blocker: Any) -> dict[str, int]:
    from phoihop.orgunits.models import OrgUnit

    with django_db_blocker.unblock():
        return dict(OrgUnit.objects.filter(code__in=["CCB-HANOI", "CCB-CAMAU", "CCB-X00070"]).values_list("code", "pk"))


def test_it_shows_hanoi_subtree_and_hides_ca_mau(page: Any, unit_ids: dict[str, int]) -> None:
    login(page, "hanoi.ccb")
    page.goto("/units/")
    tree = page.get_by_test_id("unit-tree")
    root = tree.locator("li[data-unit='CCB-HANOI']")
    assert root.count() == 1
    # The tree starts at the user's unit: no other province's association is listed.
    assert tree.locator("li[data-unit='CCB-CAMAU']").count() == 0

    root.locator("button.toggle").first.click()
    communes = root.locator(".subtree > ul > li")
    communes.first.wait_for()
    assert communes.count() == 126
    assert root.locator("li[data-unit='CCB-X00070']").count() == 1

    response = page.goto(f"/units/{unit_ids['CCB-CAMAU']}/")
    assert response is not None and response.status == 404
    assert page.get_by_test_id("error-404").is_visible()
    assert "Cà Mau" not in page.content()
