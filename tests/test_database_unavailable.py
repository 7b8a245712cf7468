"""A request in flight when the database server dies (issue 17, item 3): a 503 in Vietnamese with
Retry-After, JSON for the API, never a 500 page with a trace; the broken connection is closed, so
the next request connects again."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client

from phoihop.core.outages import database_down
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
    assert client.get("/conferences/").status_code == 200  # the next request is served


def test_the_api_answers_503_in_json(demo_user: Callable[[str], Any], monkeypatch: pytest.MonkeyPatch) -> None:
    client = APIClient()
    client.force_authenticate(demo_user("tcct"))
    monkeypatch.setattr("phoihop.conferences.api.conferences_for", _dead)
    response = client.get("/api/v1/conferences/")
    assert response.status_code == 503
    assert response.json()["code"] == "database_unavailable"
    assert "thử lại sau ít giây" in response.json()["detail"]


class _PgError(Exception):
    """What psycopg raises: an error with its SQLSTATE (None for a connection that failed)."""

    def __init__(self, sqlstate: str | None) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def _wrapped(cause: BaseException, kind: type[Exception] = OperationalError) -> Exception:
    error = kind(str(cause))
    error.__cause__ = cause  # as Django wraps the driver's error
    return error


@pytest.mark.parametrize(
    ("cause", "down"),
    [
        (_PgError(None), True),  # server closed the connection, connection refused
        (_PgError("08006"), True),  # connection failure
        (_PgError("57P01"), True),  # the server shut down (Patroni stopped the primary)
        (_PgError("57P03"), True),  # the server is starting (a standby not yet promoted)
        (_PgError("57014"), False),  # a statement timeout: slow code, not an outage
        (_PgError("42703"), False),  # no such column: a bug
        (sqlite3.OperationalError("database is locked"), True),
        (sqlite3.OperationalError("unable to open database file"), True),
        (sqlite3.OperationalError("no such column: x"), False),
    ],
)
def test_only_a_server_out_of_reach_counts_as_an_outage(cause: BaseException, down: bool) -> None:
    assert database_down(_wrapped(cause)) is down
    assert database_down(_wrapped(cause, InterfaceError)) is True
    assert database_down(ValueError("x")) is False


def test_a_bug_in_a_query_stays_a_500_page_never_a_failover_message(
    demo_user: Callable[[str], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise _wrapped(sqlite3.OperationalError("no such column: conferences_conference.nothing"))

    client = Client(raise_request_exception=False)
    client.force_login(demo_user("tcct"))
    monkeypatch.setattr("phoihop.conferences.views.conferences_for", broken)
    response = client.get("/conferences/")
    assert response.status_code == 500
    assert "Cơ sở dữ liệu tạm thời không phản hồi" not in response.content.decode()
