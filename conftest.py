"""Fixtures shared by the whole test suite.

* **The clock.** Every test runs on the demo's "today", 27/11/2026 at 09:00 in Hà Nội,
  whatever the machine's date (time-machine moves the clock for the whole process, the live
  server thread included, and lets it tick from there). The demo data is written around that
  day (phoihop/demo/), so the suite passes on any date. A test that needs another day travels
  further with the ``time_machine`` fixture.
* **The database.** A test that asks for one (``db`` / ``@pytest.mark.django_db``) gets the
  full demo data set (the 34 provinces, the communes, the demo users), built once per run of
  the same code and copied for each process (tests/support/database.py). Tests that need no
  database never pay for it.
  - non-transactional tests run inside a transaction that is rolled back, so the demo data
    is never disturbed;
  - transactional tests (``transactional_db`` / ``django_db(transaction=True)``) end with
    Django's flush of every table; the next one finds the copy restored from the snapshot;
  - browser tests (``tests/browser/``) do not touch the database themselves: they drive a
    live server thread that reads the committed demo data (see tests/browser/conftest.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

# pytest-django only imports the settings named in DJANGO_SETTINGS_MODULE before this file
# is read when the variable comes from the environment or the command line; otherwise it
# is set here, after a test-only SECRET_KEY, because the settings refuse to load without a
# SECRET_KEY when DEBUG is off (and tests must run with DEBUG off, as production does).
os.environ.setdefault("SECRET_KEY", "test-only-key-not-for-production")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phoihop.settings")

import pytest
import time_machine
from django.conf import settings

# Load the settings now, so that pytest-django's pytest_configure finds them configured and
# sets Django up (app registry, database blocker) before collection imports any models.
settings.INSTALLED_APPS  # noqa: B018
# WhiteNoise warns on every test client when STATIC_ROOT is missing (no collectstatic run).
Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)

DEMO_PASSWORD = "phoihop-demo"
# The demo's "today" (phoihop/demo/: activities up to it, H1 2026 reports due before it).
TEST_NOW = datetime(2026, 11, 27, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))

_clock = pytest.StashKey[Any]()
_test_database = pytest.StashKey[Any]()


def pytest_configure(config: pytest.Config) -> None:
    # A read of a scoped model that skipped the gate fails the test that made it.
    settings.PHOIHOP_GATE = "raise"
    # The demo users sign in without a second factor, as in `make demo` (force_login gives no
    # second factor); tests/test_two_factor.py turns the exemption off where it tests the code.
    settings.PHOIHOP_2FA_DEMO_EXEMPT = True
    traveller = time_machine.travel(TEST_NOW, tick=True)
    traveller.start()
    config.stash[_clock] = traveller


def pytest_unconfigure(config: pytest.Config) -> None:
    traveller = config.stash.get(_clock, None)
    if traveller is not None:
        traveller.stop()


@pytest.fixture(scope="session")
def django_db_setup(django_db_blocker: Any, request: pytest.FixtureRequest) -> Iterator[None]:
    """This process's copy of the demo database (built once per run, then copied)."""
    from django.db import connections

    from tests.support.database import TestDatabase

    settings_dict = connections["default"].settings_dict
    database = TestDatabase(settings_dict=settings_dict, original_name=str(settings_dict["NAME"]))
    # The snapshot is built an hour before the tests' "now": what the tests write is always
    # later than what the demo wrote (history rows in order), however long the build took.
    with django_db_blocker.unblock(), time_machine.travel(TEST_NOW - timedelta(hours=1), tick=True):
        database.ensure_snapshot(verbosity=request.config.option.verbose)
    with django_db_blocker.unblock():
        database.create_copy()
    request.config.stash[_test_database] = database
    yield
    with django_db_blocker.unblock():
        database.drop_copy()


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return any(
        name in request.fixturenames for name in ("transactional_db", "live_server", "django_db_reset_sequences")
    )


_flushed = pytest.StashKey[bool]()


@pytest.fixture(autouse=True)
def _demo_data_after_flush(request: pytest.FixtureRequest) -> Iterator[None]:
    """Restore the demo data before a transactional test when an earlier one flushed it."""
    if not _is_transactional(request):
        yield
        return
    stash = request.config.stash
    if stash.get(_flushed, False):
        blocker = request.getfixturevalue("django_db_blocker")
        with blocker.unblock():
            stash[_test_database].restore()
    # Set the transactional database up (it is not rolled back, so what it writes is real).
    request.getfixturevalue("transactional_db")
    stash[_flushed] = True  # TransactionTestCase flushes every table when this test ends.
    yield


@pytest.fixture
def demo_user(db: None) -> Callable[[str], Any]:
    """``demo_user("tcct")`` returns that demo user (admin, tcct, tuhoi, hanoi.qs, hanoi.ccb,
    camau.ccb, hoankiem.ccb; password ``phoihop-demo``)."""
    from django.contrib.auth import get_user_model

    def get(username: str) -> Any:
        return get_user_model().objects.get(username=username)

    return get


@pytest.fixture
def client_as(demo_user: Callable[[str], Any]) -> Callable[[str], Any]:
    """``client_as("hanoi.ccb")`` returns a django.test.Client signed in as that user."""
    from django.test import Client

    def make(username: str) -> Client:
        client = Client()
        client.force_login(demo_user(username))
        return client

    return make


@pytest.fixture
def api_client_as(demo_user: Callable[[str], Any]) -> Callable[[str], Any]:
    """``api_client_as("tcct")`` returns a DRF APIClient signed in as that user.

    Signed in through the session (``force_login``) rather than ``force_authenticate``, so
    the request passes through the middleware (password-change gate, history) as a real
    one does.
    """
    from tests.support.api_world import VersionedAPIClient

    def make(username: str) -> VersionedAPIClient:
        # It sends If-Match on PUT and PATCH, as the API requires (tests/support/api_world.py).
        client = VersionedAPIClient()
        client.force_login(demo_user(username))
        return client

    return make


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Every test starts with an empty cache: the inbox badge kept for a user of an earlier test
    (the same ids, other rows after its rollback) is not this test's count."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _vietnamese_first() -> Iterator[None]:
    """Every test starts in Vietnamese, as every request does (VietnameseFirstMiddleware): a test
    that switched the language for its thread does not leave it to the next one."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session", autouse=True)
def _private_media_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Uploads made by tests go to a temporary folder, never to var/media."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield
