"""Fixtures shared by the whole test suite.

Every test sees the full demo data set (``manage.py load_demo``: the 34 provinces, the
communes, the demo users), loaded once per test database session, committed, and kept
for the whole session:

* non-transactional tests (``db`` / ``@pytest.mark.django_db``) run inside a transaction
  that is rolled back, so the demo data is never disturbed;
* transactional tests (``transactional_db`` / ``django_db(transaction=True)`` /
  ``live_server``) end with Django's flush of every table; the fixture
  ``_demo_data_after_flush`` below loads the demo data again before the next one;
* browser tests (``tests/browser/``) do not touch the database themselves: they drive a
  live server thread that reads the committed demo data (see tests/browser/conftest.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

# pytest-django only imports the settings named in DJANGO_SETTINGS_MODULE before this file
# is read when the variable comes from the environment or the command line; otherwise it
# is set here, after a test-only SECRET_KEY, because the settings refuse to load without a
# SECRET_KEY when DEBUG is off (and tests must run with DEBUG off, as production does).
os.environ.setdefault("SECRET_KEY", "test-only-key-not-for-production")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phoihop.settings")

import pytest
from django.conf import settings

# Load the settings now, so that pytest-django's pytest_configure finds them configured and
# sets Django up (app registry, database blocker) before collection imports any models.
settings.INSTALLED_APPS  # noqa: B018
# WhiteNoise warns on every test client when STATIC_ROOT is missing (no collectstatic run).
Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)

DEMO_PASSWORD = "phoihop-demo"


def has_load_demo() -> bool:
    """True once ``manage.py load_demo`` exists (it is being written alongside the tests)."""
    from django.core.management import get_commands

    return "load_demo" in get_commands()


def load_demo() -> None:
    from django.core.management import call_command, get_commands, load_command_class

    command = load_command_class(get_commands()["load_demo"], "load_demo")
    options: dict[str, Any] = {"verbosity": 0}
    # Tests run with DEBUG off, as production does; load_demo refuses that unless told.
    if any(action.dest == "allow_production" for action in command.create_parser("", "load_demo")._actions):
        options["allow_production"] = True
    call_command(command, **options)


_names_before_setup = pytest.StashKey[str]()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings: None, request: pytest.FixtureRequest) -> None:
    """Note the database name in use before pytest-django sets the test database up."""
    from django.db import connections

    request.config.stash[_names_before_setup] = str(connections["default"].settings_dict["NAME"])


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any, request: pytest.FixtureRequest) -> Iterator[None]:
    """pytest-django's test database, plus the demo data, committed once for the session."""
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases

    created = None
    with django_db_blocker.unblock():
        # pytest-django creates test databases only for the aliases that collected tests ask
        # for with the django_db mark or the db fixtures. The browser tests ask for none (they
        # reach the database through the live server), so in a browser-only session the
        # connection would still point at the development or production database: set the
        # test database up here instead.
        if str(connections["default"].settings_dict["NAME"]) == request.config.stash[_names_before_setup]:
            keepdb = request.getfixturevalue("django_db_keepdb") and not request.getfixturevalue("django_db_createdb")
            created = setup_databases(
                verbosity=request.config.option.verbose, interactive=False, keepdb=keepdb, aliases={"default"}
            )
        if has_load_demo():
            load_demo()
    yield
    if created is not None and not request.getfixturevalue("django_db_keepdb"):
        with django_db_blocker.unblock():
            teardown_databases(created, verbosity=request.config.option.verbose)


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
    """Reload the demo data before a transactional test when an earlier one flushed it."""
    if not _is_transactional(request):
        yield
        return
    stash = request.config.stash
    # Set the transactional database up first (it is not rolled back, so loading is real).
    request.getfixturevalue("transactional_db")
    if stash.get(_flushed, False) and has_load_demo():
        load_demo()
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
    from rest_framework.test import APIClient

    def make(username: str) -> APIClient:
        client = APIClient()
        client.force_login(demo_user(username))
        return client

    return make


@pytest.fixture(scope="session", autouse=True)
def _private_media_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Uploads made by tests go to a temporary folder, never to var/media."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield
