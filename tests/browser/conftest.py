"""Browser tests: Debian's Chromium, driven by Playwright, against a live server thread.

Run apart from the other tests (``pytest -m browser``, as ``make test`` does).

* ``live_url``: one Django ``LiveServerThread`` for the session, on 127.0.0.1 and a free
  port, serving the test database that ``django_db_setup`` created and filled with the demo
  data. Unlike pytest-django's ``live_server`` it never flushes the database.
* ``browser`` (session) and ``page`` (one fresh browser context per test, Vietnamese
  locale, ``base_url`` = ``live_url`` so ``page.goto("/accounts/login/")`` works).
* ``tests.browser.helpers.login(page, username)`` signs a demo user in through the form.
* Every ``page`` listens to the browser's console and uncaught errors
  (``helpers.watch_console``): a Content-Security-Policy violation ("Refused to ...") or a
  JavaScript error fails the test when it ends.

Browser tests must not use the database themselves (no ``django_db`` mark, no ``db``
fixture): a test wrapped in a transaction would, on SQLite with IMMEDIATE transactions,
hold the write lock the server thread needs to sign anyone in, and a transactional test
would flush the demo data when it ends. Read and check everything through the browser.

Playwright never downloads a browser here (never use its browser-download command): it launches
``/usr/bin/chromium`` from the Debian package. Without it the tests are skipped, except
when ``CI`` is set, where they fail.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.helpers import watch_console

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEFAULT_TIMEOUT_MS = 15_000
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-results"
HERE = Path(__file__).resolve().parent

_reports = pytest.StashKey[dict[str, pytest.TestReport]]()


def _on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no", "off"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test in this folder is a browser test, and none may use the database."""
    for item in items:
        if HERE not in Path(str(item.path)).resolve().parents:
            continue
        if item.get_closest_marker("browser") is None:
            item.add_marker(pytest.mark.browser)
        if item.get_closest_marker("django_db") is not None:
            raise pytest.UsageError(
                f"{item.nodeid}: browser tests must not use the django_db mark; "
                "read the data through the live server (see tests/browser/conftest.py)."
            )


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[pytest.TestReport]:
    report: pytest.TestReport = yield
    item.stash.setdefault(_reports, {})[report.when] = report
    return report


@pytest.fixture(scope="session")
def live_url(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """Base URL of a live server on the session's test database (demo data loaded)."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread
    from django.test.utils import modify_settings

    host = "127.0.0.1"
    # The server thread's requests open their own connections: let them through
    # pytest-django's database blocker for as long as the server runs.
    with django_db_blocker.unblock(), modify_settings(ALLOWED_HOSTS={"append": host}):
        # StaticFilesHandler (as StaticLiveServerTestCase uses) serves static files from
        # the finders, so the tests need no collectstatic run.
        thread = LiveServerThread(host, StaticFilesHandler, connections_override={}, port=0)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        try:
            yield f"http://{host}:{thread.port}"
        finally:
            thread.terminate()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.access(CHROMIUM, os.X_OK):
        message = f"{CHROMIUM} is missing: apt-get install chromium (Playwright must not download browsers)"
        if _on_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)

    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as mp:
        # Playwright's sync API keeps an event loop running in this thread; Django would
        # otherwise refuse ORM calls made here (fixtures' teardown) as "async unsafe".
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                yield chromium
            finally:
                chromium.close()


@pytest.fixture
def page(browser: Any, live_url: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A page in a fresh context (no cookies), Vietnamese locale, relative URLs on live_url.

    On failure a screenshot and the page's HTML go to test-results/.
    """
    context = browser.new_context(base_url=live_url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    problems = watch_console(page)
    try:
        yield page
        # After the test's own assertions: a page that works only because the test did not
        # look still fails on a CSP violation or an uncaught script error.
        if problems:
            pytest.fail("the browser reported:\n" + "\n".join(problems), pytrace=False)
    finally:
        report = request.node.stash.get(_reports, {}).get("call")
        if report is not None and report.failed:
            ARTEFACTS.mkdir(exist_ok=True)
            stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-150:]
            try:
                page.screenshot(path=str(ARTEFACTS / f"{stem}.png"), full_page=True)
                (ARTEFACTS / f"{stem}.html").write_text(page.content(), encoding="utf-8")
            except Exception as exc:  # a crashed page must not hide the test's own failure
                print(f"could not save browser artefacts: {exc}")
        context.close()
