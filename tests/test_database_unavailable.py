"""A request in flight when the database server dies (issue 17, item 3): a 503 in Vietnamese with
Retry-After, JSON for the API, never a 500 page with a trace; the broken connection is closed, so
the next request connects again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client

from tests.support.api_world import VersionedAPIClient as APIClient

pytestmark = pytest.mark.django_db


def _dead(*args: Any, **kwargs: Any) -> Any:
    raise OperationalError("server closed the connection unexpectedly")


def test_a_page_says_the_database_is_unavailable_and_the_next_request_works(
    demo_user: Callable[[str], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Client()
    client.force_login(demo_user("tcct"))
    with monkeypatch.context() as patch:
        patch.setattr("phoihop.conferences.views.conferences_for", _dead)
        response = client.get("/conferences/")
    assert response.status_code == 503 and response["Retry-After"] == "15"
    page = response.content.decode()
    assert "Cơ sở dữ liệu tạm thời không phản hồi" in page and "Traceback" not in page
    assert "nội dung đã nhập vẫn còn trên biểu mẫu" in page
    assert client.get("/conferences/").status_code == 200  # connected again


def test_the_api_answers_503_in_json(demo_user: Callable[[str], Any], monkeypatch: pytest.MonkeyPatch) -> None:
    client = APIClient()
    client.force_authenticate(demo_user("tcct"))
    monkeypatch.setattr("phoihop.conferences.api.conferences_for", _dead)
    response = client.get("/api/v1/conferences/")
    assert response.status_code == 503
    assert response.json()["code"] == "database_unavailable"
    assert "thử lại sau ít giây" in response.json()["detail"]
