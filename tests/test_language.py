"""Vietnamese first: the interface is Vietnamese whatever the browser asks, English on request."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse


def test_it_serves_vietnamese_to_a_browser_that_asks_for_english(client: Client) -> None:
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert "Đăng nhập" in response.content.decode()
    assert response["Content-Language"] == "vi"


def test_it_serves_english_once_the_user_switches_to_it(client: Client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="vi")
    assert response["Content-Language"] == "en"
    assert "Sign in" in response.content.decode() or "Log in" in response.content.decode()
