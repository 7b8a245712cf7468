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


def click_picker(page: Any, select_id: str) -> None:
    """Click the searchable picker of ``select#<select_id>`` and wait until it can be typed into.

    Tom Select takes the focus in a timeout after the click; until then the search box of a
    picker with a chosen item is hidden and the keys typed are dropped ("qu" of "quan su ..." was
    lost on a loaded machine). A person cannot type that fast; a test waits as they do.
    """
    wrapper = f".ts-wrapper:has(#{select_id}-ts-control)"  # Tom Select's input is "<id>-ts-control"
    page.locator(f"{wrapper} .ts-control").click()
    page.locator(f"{wrapper}.focus:not(.input-hidden)").wait_for()


# What the browser says when the Content-Security-Policy blocks something.
CSP_MARKERS = ("Content Security Policy", "Content-Security-Policy", "Refused to")


def watch_console(page: Any) -> list[str]:
    """Start collecting ``page``'s CSP violations and JavaScript errors; returns the live list.

    Console messages of type "error" that name the Content-Security-Policy, and uncaught
    exceptions (``pageerror``), are collected. Other console errors (a failed request, for
    example a 404 the test provokes on purpose) are not.
    """
    problems: list[str] = []

    def on_console(message: Any) -> None:
        text = message.text
        if any(marker in text for marker in CSP_MARKERS):
            problems.append(f"CSP violation on {page.url}: {text}")

    def on_page_error(error: Any) -> None:
        problems.append(f"JavaScript error on {page.url}: {error}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    return problems


# The elements whose right edge passes the page's width, outermost first, leaving out what lies
# inside a box that scrolls on its own (a wide table in .table-responsive is meant to).
_STICKING_OUT = """(limit) => {
  const scrolls = (e) => { const s = getComputedStyle(e); return /auto|scroll|hidden/.test(s.overflowX); };
  const inside_scroller = (e) => {
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) { if (scrolls(p)) return true; }
    return false;
  };
  const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
    + (e.dataset.testid ? '[' + e.dataset.testid + ']' : '');
  return [...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > limit + 0.5 && !inside_scroller(e))
    .filter((e) => !e.parentElement || e.parentElement.getBoundingClientRect().right <= limit + 0.5)
    .slice(0, 6)
    .map((e) => `${name(e)} to ${Math.round(e.getBoundingClientRect().right)} px: ${(e.innerText || '').slice(0, 60)}`);
}"""


def assert_fits(page: Any) -> None:
    """Fail when ``page`` scrolls sideways, naming the elements that stick out.

    The page's width is the document's visible width (the window less a vertical scrollbar, if
    the browser draws one), so a page that fits a phone's 390 px and a laptop's 1366 px passes.
    """
    scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    if scroll <= client:
        return
    offenders = page.evaluate(_STICKING_OUT, client)
    raise AssertionError(f"{page.url} scrolls sideways: {scroll} px in {client} px; sticking out: {offenders}")
