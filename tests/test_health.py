"""The state of the system (issue 17): the system administrators' page lists every part with its
state (the database, each replica with its lag, the cache, the job queue, the stored files);
nobody else opens it; /healthz answers a load balancer "ok", or 503 when the database is out of
reach, and says nothing else."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from phoihop.core import health

pytestmark = pytest.mark.django_db


def web(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_shows_every_part_to_a_system_administrator(demo_user: Callable[[str], Any]) -> None:
    page = web(demo_user("admin")).get("/system/health/")
    assert page.status_code == 200
    text = page.content.decode()
    for part in ("Cơ sở dữ liệu chính", "Bộ nhớ đệm", "Hàng đợi việc nền", "Kho tệp lưu trữ"):
        assert part in text
    assert text.count('data-testid="health-part"') == 4  # no replica configured here
    assert "Mọi phần đang hoạt động." in text


def test_nobody_else_opens_it(demo_user: Callable[[str], Any]) -> None:
    assert web(demo_user("hanoi.ccb")).get("/system/health/").status_code == 403
    assert Client().get("/system/health/").status_code == 302  # to the sign-in page


def test_a_part_out_of_order_is_shown(demo_user: Callable[[str], Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(health, "storage_part", lambda: health.Part("Kho tệp lưu trữ", False, "đĩa đầy"))
    text = web(demo_user("admin")).get("/system/health/").content.decode()
    assert "Có phần đang gặp sự cố." in text and "đĩa đầy" in text


def test_healthz_answers_ok_or_503(monkeypatch: pytest.MonkeyPatch) -> None:
    client = Client()
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"
    monkeypatch.setattr(health, "database_reachable", lambda alias="default": False)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.content == b"database unavailable"
    # The load balancer's check asks only whether the process serves.
    response = client.get("/healthz", {"live": "1"})
    assert response.status_code == 200 and response.content == b"ok"
