"""Helpers for browser tests."""

from __future__ import annotations

from typing import Any

DEMO_PASSWORD = "phoihop-demo"
LOGIN_PATH = "/accounts/login/"


def login(page: Any, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign ``username`` in through Django's login form at /accounts/login/.

    Leaves the page wherever the login redirects (the home page, or the password change
    form for a user who must change their password). Fails if the form comes back.
    """
    page.goto(LOGIN_PATH)
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        form.locator("button:not([type=button]):not([type=reset]), input[type=submit]").first.click()
    if page.url.split("?")[0].endswith(LOGIN_PATH):
        errors = page.locator(".errorlist, .alert, .invalid-feedback").all_inner_texts()
        raise AssertionError(f"login as {username!r} failed: {' '.join(errors) or 'the login form came back'}")
