"""Every edit leaves a history row naming who made it, through the pages and the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from phoihop.orgunits.models import OrgUnit
from tests.support.api_world import VersionedAPIClient as APIClient  # sends If-Match on PATCH
from tests.support.api_world import token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(user_with_role: Callable[..., Any]) -> Any:
    return user_with_role("hanoi.unitadmin", "CCB-HANOI")


@pytest.fixture
def unit() -> OrgUnit:
    return OrgUnit.objects.get(code="CCB-X00070")


def latest_history(unit: OrgUnit) -> Any:
    return unit.history.order_by("-history_date", "-history_id").first()


def test_it_records_the_unit_admin_who_edits_a_unit_through_the_page(editor: Any, unit: OrgUnit) -> None:
    rows = unit.history.count()
    client = Client()
    client.force_login(editor)
    response = client.post(
        reverse("orgunits:unit-edit", kwargs={"pk": unit.pk}),
        {
            "name": "Hội CCB phường Hoàn Kiếm (sửa qua trang)",
            "short_name": unit.short_name,
            "kind": unit.kind,
            "valid_from": "2025-07-01",
            "version": unit.version,
        },
    )
    assert response.status_code == 302
    assert unit.history.count() == rows + 1
    row = latest_history(unit)
    assert row.history_type == "~"
    assert row.name == "Hội CCB phường Hoàn Kiếm (sửa qua trang)"
    assert row.history_user_id == editor.pk


def test_it_records_the_unit_admin_who_edits_a_unit_through_the_api(editor: Any, unit: OrgUnit) -> None:
    rows = unit.history.count()
    client = APIClient()
    client.force_login(editor)
    response = client.patch(
        f"/api/v1/units/{unit.pk}/", {"name": "Hội CCB phường Hoàn Kiếm (sửa qua API)"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert unit.history.count() == rows + 1
    row = latest_history(unit)
    assert row.name == "Hội CCB phường Hoàn Kiếm (sửa qua API)"
    assert row.history_user_id == editor.pk


def test_it_records_the_unit_admin_who_edits_a_unit_with_an_api_token(editor: Any, unit: OrgUnit) -> None:
    # A token is read by DRF inside the view, after the history middleware has seen an anonymous request.
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(editor)}")
    response = client.patch(f"/api/v1/units/{unit.pk}/", {"short_name": "Hội CCB Hoàn Kiếm"}, format="json")
    assert response.status_code == 200, response.content
    row = latest_history(unit)
    assert row.short_name == "Hội CCB Hoàn Kiếm"
    assert row.history_user_id == editor.pk


def test_it_leaves_no_history_row_for_a_refused_edit(demo_user: Callable[[str], Any], unit: OrgUnit) -> None:
    rows = unit.history.count()
    client = APIClient()
    client.force_login(demo_user("camau.ccb"))
    response = client.patch(f"/api/v1/units/{unit.pk}/", {"name": "Không được sửa"}, format="json")
    assert response.status_code == 404
    assert unit.history.count() == rows
