"""Honest, idempotent writes through the API (issue 12).

* Every create answers its true status on every server: under wsgiref (``runserver``, so
  ``make demo``) a create answered 500 after saving, because its ``Location`` header was DRF's
  ``Hyperlink`` (a ``str`` subclass that wsgiref refuses).
* A POST retried with the same ``Idempotency-Key`` gets the first answer and writes nothing
  again: one activity, and the figures grow once.

On the demo data (national programme QDND-CCB, Phường Hoàn Kiếm); dates in 2027, after the demo's.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from phoihop.activities.models import Activity
from phoihop.api.models import IdempotentRequest
from phoihop.programmes.models import Phase

pytestmark = pytest.mark.django_db

LIST = reverse("api:activity-list")
FIGURES = reverse("api:figures")
# The activities below end on 3/2/2027 and are submitted: the clock moves after that day (an
# activity dated after today is a plan, never submitted nor counted; ADR 0014).
CLOCK = datetime(2027, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture(autouse=True)
def after_the_dates(time_machine: Any) -> None:
    time_machine.move_to(CLOCK)


def payload(**extra: Any) -> dict[str, Any]:
    phase = Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")
    return {
        "phase": phase.pk,
        "title": "Nói chuyện truyền thống",
        "start_date": "2027-02-03",
        "end_date": "2027-02-03",
        "lead_unit": "CCB-X00070",
        "submit": True,
        "values": [{"indicator": "tt-buoi", "value": 3}, {"indicator": "tt-luot", "value": 120}],
        **extra,
    }


def total(client: Any, unit_code: str = "CCB-X00070") -> int:
    response = client.get(
        FIGURES, {"unit": unit_code, "indicator": "tt-buoi", "start": "2027-01-01", "end": "2027-12-31"}
    )
    assert response.status_code == 200, response.json()
    return int(response.json()["value"])


def activities_titled(title: str) -> int:
    return Activity.objects.unrestricted("test").filter(title=title).count()


# --- a create under wsgiref (runserver) answers 201 ----------------------------------------------


def test_a_create_answers_201_with_its_location_under_the_wsgiref_server_of_runserver(
    client_as: Callable[[str], Client],
) -> None:
    # Django's own development server (runserver's WSGIServer and handler) on a free port. It
    # handles the request in this thread, inside the test's transaction (rolled back after);
    # the client sends it from another thread.
    session = client_as("hoankiem.ccb").cookies["sessionid"].value
    csrf = "a" * 32
    server = WSGIServer(("127.0.0.1", 0), WSGIRequestHandler, ipv6=False)
    server.set_app(get_wsgi_application())
    port = server.server_address[1]
    title = "Tọa đàm qua máy chủ wsgiref"
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{LIST}",
        data=json.dumps(payload(title=title)).encode(),
        method="POST",
        headers={
            "Host": "testserver",
            "Content-Type": "application/json",
            "Cookie": f"sessionid={session}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "Referer": "http://testserver/",
        },
    )
    answer: dict[str, Any] = {}

    def send() -> None:
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                answer.update(status=response.status, location=response.headers["Location"])
        except urllib.error.HTTPError as exc:
            answer.update(status=exc.code, body=exc.read()[:500])

    client = threading.Thread(target=send)
    client.start()
    # As Django's test client does: the request must not close the test's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        server.timeout = 30
        server.handle_request()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        client.join(30)
        server.server_close()

    assert answer.get("status") == 201, answer
    created = Activity.objects.unrestricted("test").get(title=title)
    assert answer["location"].endswith(reverse("api:activity-detail", kwargs={"pk": created.pk}))


# --- Idempotency-Key -------------------------------------------------------------------------------


def test_a_post_retried_with_the_same_key_creates_one_activity_and_the_figures_grow_once(
    api_client_as: Callable[[str], Any],
) -> None:
    reporter = api_client_as("hoankiem.ccb")
    title = "Hoạt động gửi lại khi mất mạng"
    before = total(reporter)

    first = reporter.post(LIST, payload(title=title), format="json", HTTP_IDEMPOTENCY_KEY="b7e1c0de-0001")
    assert first.status_code == 201, first.json()
    assert total(reporter) == before + 3

    retry = reporter.post(LIST, payload(title=title), format="json", HTTP_IDEMPOTENCY_KEY="b7e1c0de-0001")
    assert retry.status_code == 201
    assert retry.content == first.content
    assert retry["Location"] == first["Location"]
    assert retry["Idempotent-Replayed"] == "true"
    assert activities_titled(title) == 1
    assert total(reporter) == before + 3

    # Another key is another request.
    other = reporter.post(LIST, payload(title=title), format="json", HTTP_IDEMPOTENCY_KEY="b7e1c0de-0002")
    assert other.status_code == 201
    assert activities_titled(title) == 2
    assert total(reporter) == before + 6


def test_the_same_key_with_another_body_is_refused_and_writes_nothing(api_client_as: Callable[[str], Any]) -> None:
    reporter = api_client_as("hoankiem.ccb")
    assert reporter.post(LIST, payload(), format="json", HTTP_IDEMPOTENCY_KEY="k-1").status_code == 201
    count = Activity.objects.unrestricted("test").count()

    response = reporter.post(LIST, payload(title="Nội dung khác"), format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["detail"] and "khóa mới" in response.json()["detail"]
    assert Activity.objects.unrestricted("test").count() == count


def test_keys_belong_to_their_user_and_expire_after_a_day(
    api_client_as: Callable[[str], Any], demo_user: Callable[[str], Any]
) -> None:
    reporter, other = api_client_as("hoankiem.ccb"), api_client_as("hanoi.ccb")
    title = "Hoạt động của hai người cùng khóa"
    assert reporter.post(LIST, payload(title=title), format="json", HTTP_IDEMPOTENCY_KEY="same").status_code == 201
    # Another user's key of the same text is theirs: their request runs, nothing is replayed.
    answer = other.post(LIST, payload(title=title), format="json", HTTP_IDEMPOTENCY_KEY="same")
    assert answer.status_code == 201
    assert "Idempotent-Replayed" not in answer
    assert activities_titled(title) == 2

    IdempotentRequest.objects.filter(user=demo_user("hoankiem.ccb")).update(
        created=timezone.now() - timedelta(hours=25)
    )
    again = reporter.post(LIST, payload(title=title), format="json", HTTP_IDEMPOTENCY_KEY="same")
    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again
    assert activities_titled(title) == 3


def test_a_refused_request_keeps_no_answer_so_the_corrected_retry_runs(api_client_as: Callable[[str], Any]) -> None:
    reporter = api_client_as("hoankiem.ccb")
    bad = reporter.post(LIST, payload(lead_unit="KHONG-CO"), format="json", HTTP_IDEMPOTENCY_KEY="fix-me")
    assert bad.status_code == 400
    assert not IdempotentRequest.objects.filter(key="fix-me").exists()

    good = reporter.post(LIST, payload(title="Sửa rồi gửi lại"), format="json", HTTP_IDEMPOTENCY_KEY="fix-me")
    assert good.status_code == 201
    assert activities_titled("Sửa rồi gửi lại") == 1


@pytest.mark.parametrize("key", ["", "x" * 256, "khóa-có-dấu"])
def test_a_malformed_key_is_a_400_in_vietnamese(api_client_as: Callable[[str], Any], key: str) -> None:
    count = Activity.objects.unrestricted("test").count()
    response = api_client_as("hoankiem.ccb").post(
        LIST, payload(), format="json", HTTP_IDEMPOTENCY_KEY=key.encode().decode("latin-1")
    )
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["Idempotency-Key"][0]
    assert Activity.objects.unrestricted("test").count() == count


def test_the_csrf_refusal_of_the_api_is_in_vietnamese(demo_user: Callable[[str], Any]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(demo_user("hoankiem.ccb"))

    response = client.post(LIST, payload(), content_type="application/json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"] and "Failed" not in response.json()["detail"]
    assert "tải lại trang" in response.json()["detail"]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_retries_with_the_same_key_write_once(demo_user: Callable[[str], Any]) -> None:
    # Two connections at once (as a client whose first attempt timed out and retried): the
    # unique (user, key) makes the second wait for the first and answer what it stored.
    from rest_framework.test import APIClient

    title = "Hai lần gửi cùng lúc"
    body = payload(title=title)
    user = demo_user("hoankiem.ccb")
    barrier = threading.Barrier(2)
    answers: list[Any] = []

    def send() -> None:
        client = APIClient()
        client.force_authenticate(user)
        barrier.wait()
        answers.append(client.post(LIST, body, format="json", HTTP_IDEMPOTENCY_KEY="cung-luc"))
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(answer.status_code for answer in answers) == [201, 201]
    assert answers[0].content == answers[1].content
    assert activities_titled(title) == 1
