"""What a signed-in user is shown is never cached by a browser or a proxy (ASVS 8.1.1): pages,
API answers (session or token) and downloads say ``Cache-Control: no-store``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.support.api_world import token_client

pytestmark = pytest.mark.django_db


def no_store(response: Any) -> bool:
    return "no-store" in response.get("Cache-Control", "") and "private" in response.get("Cache-Control", "")


@pytest.mark.parametrize("path", ["/", "/activities/", "/units/people/", "/figures/"])
def test_pages_of_a_signed_in_user_are_not_kept(client_as: Callable[[str], Client], path: str) -> None:
    response = client_as("hoankiem.ccb").get(path, follow=True)
    assert response.status_code == 200
    assert no_store(response), response.get("Cache-Control")


def test_api_answers_to_a_token_are_not_kept(demo_user: Callable[[str], Any]) -> None:
    response = token_client(demo_user("hanoi.ccb")).get("/api/v1/persons/")
    assert response.status_code == 200
    assert no_store(response), response.get("Cache-Control")
