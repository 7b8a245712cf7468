"""The day's work loop in a browser (issue 13's acceptance), on a laptop and on a phone.

hoankiem.ccb records and submits an activity; hanoi.ccb's inbox shows it and an e-mail lands in
the mail folder as an .eml; hanoi.ccb returns it with a reason; hoankiem.ccb's bell and inbox
show the reason; hoankiem.ccb fixes it and sends it again; hanoi.ccb approves it. At 1366×768
the main menu is open (not folded behind the toggler); at 390×844 no page scrolls sideways.
"""

from __future__ import annotations

import email
from email import policy
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from tests.browser.helpers import assert_fits, login

pytestmark = [pytest.mark.browser]

SIZES = {"laptop": (1366, 768), "phone": (390, 844)}
REASON = "Thiếu số lượt người tham gia; bổ sung rồi gửi lại."
MENU = ("Số liệu", "Hoạt động", "Nhập số liệu", "Báo cáo", "Hội nghị", "Trao đổi", "Danh mục")


@pytest.fixture
def mail_dir(tmp_path: Path) -> Any:
    """Mail written as .eml files to a folder of the test's own (the live server thread shares
    the settings), as the demo does without a mail server."""
    folder = tmp_path / "mail"
    with override_settings(EMAIL_BACKEND="phoihop.notices.mail.EmlFileBackend", NOTICES_MAIL_DIR=folder):
        yield folder


@pytest.fixture
def indicator_id(django_db_blocker: Any) -> int:
    from phoihop.programmes.models import Indicator

    with django_db_blocker.unblock():
        return int(Indicator.objects.get(programme__code="QDND-CCB", code="tt-buoi").pk)


def _mails(folder: Path) -> list[str]:
    texts = []
    for path in sorted(folder.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        body = message.get_body(preferencelist=("plain", "html"))
        texts.append(f"{message['Subject']}\n{body.get_content() if body else ''}")  # type: ignore[attr-defined]
    return texts


def _check_menu(page: Any, size: str) -> None:
    nav = page.locator("#mainnav")
    if size == "laptop":
        # The full menu, not the toggler: every top link is visible at an office laptop's width.
        assert page.locator(".navbar-toggler").is_hidden()
        for label in MENU:
            assert nav.locator(".nav-link", has_text=label).first.is_visible(), label
        assert page.get_by_test_id("nav-inbox").is_visible()
    else:
        assert page.locator(".navbar-toggler").is_visible()


def _inbox_card(page: Any, key: str) -> Any:
    response = page.goto("/inbox/")
    assert response is not None and response.status == 200
    return page.get_by_test_id(f"inbox-{key}")


@pytest.mark.parametrize("size", list(SIZES))
def test_the_day_goes_round_submit_return_fix_approve(
    browser: Any, live_url: str, mail_dir: Path, indicator_id: int, size: str
) -> None:
    width, height = SIZES[size]
    title = f"Giao lưu văn nghệ mừng Ngày Cựu chiến binh ({size})"
    contexts = {
        name: browser.new_context(
            base_url=live_url,
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
            viewport={"width": width, "height": height},
        )
        for name in ("hoankiem.ccb", "hanoi.ccb")
    }
    pages = {name: context.new_page() for name, context in contexts.items()}
    for name, page in pages.items():
        login(page, name)
    reporter, approver = pages["hoankiem.ccb"], pages["hanoi.ccb"]
    _check_menu(reporter, size)

    # 1. The reporter starts from the home page's button, records and sends.
    reporter.goto("/")
    assert_fits(reporter)
    with reporter.expect_navigation():
        reporter.get_by_test_id("start-activity").click()
    reporter.fill("input[name=title]", title)
    reporter.fill("input[name=start_date]", "2026-11-20")
    reporter.fill("input[name=end_date]", "2026-11-20")
    reporter.fill(f"input[name=value_{indicator_id}]", "2")
    with reporter.expect_navigation():
        reporter.click("button[name=action][value=submit]")
    assert "/new/" not in reporter.url, reporter.content()[:3000]
    activity_url = reporter.url.split("?")[0]
    assert "Đã gửi" in reporter.content()

    # 2. The approver's inbox shows it, and the e-mail telling them was written.
    _check_menu(approver, size)
    card = _inbox_card(approver, "activities_to_approve")
    assert card.get_by_role("link", name=title).is_visible()
    assert approver.get_by_test_id("nav-inbox-count").count() == 1
    assert_fits(approver)
    assert any(title in text for text in _mails(mail_dir)), _mails(mail_dir)

    # 3. The approver opens it from the inbox and returns it with a reason.
    with approver.expect_navigation():
        card.get_by_role("link", name=title).click()
    assert approver.url.split("?")[0] == activity_url
    approver.get_by_role("button", name="Trả lại").click()
    # Wait until Bootstrap has finished opening the form (.collapse.show comes only when its
    # height animation ends). While it is still .collapsing (overflow hidden), focusing the
    # textarea scrolls that box, and the box scrolls back as it grows: the submit button moved
    # between Playwright's mouse press (which it checks lands on the button) and the release,
    # so the click went to the form and nothing was sent. No person types a reason that fast.
    approver.locator("#return-form.collapse.show").wait_for(state="visible")
    approver.fill("#id_reason", REASON)
    with approver.expect_navigation():
        approver.get_by_role("button", name="Trả lại cho đơn vị chủ trì").click()
    assert "Bị trả lại" in approver.content()

    # 4. The reporter's bell and inbox show the reason.
    reporter.goto("/")
    bell = reporter.get_by_test_id("notice-bell")  # in sight on a phone too, beside the toggler
    bell.get_by_test_id("notice-unread").wait_for(state="visible")
    bell.locator("button").click()
    item = bell.get_by_test_id("notice-item").filter(has_text=title).first
    item.wait_for()
    assert REASON[:30] in item.inner_text()
    card = _inbox_card(reporter, "activities_returned")
    assert card.get_by_role("link", name=title).is_visible()
    assert REASON in card.get_by_test_id("inbox-reason").first.inner_text()
    assert_fits(reporter)

    # 5. The reporter fixes it and sends it again.
    reporter.goto(f"{activity_url}edit/")
    reporter.fill(f"input[name=value_{indicator_id}]", "3")
    reporter.fill("input[name=title]", f"{title} – đã bổ sung")
    with reporter.expect_navigation():
        reporter.click("button[name=action][value=submit]")
    assert "Đã gửi" in reporter.content(), reporter.content()[:3000]
    assert _inbox_card(reporter, "activities_returned").get_by_role("link", name=title).count() == 0

    # 6. The approver finds it waiting again and approves it.
    card = _inbox_card(approver, "activities_to_approve")
    link = card.get_by_role("link", name=f"{title} – đã bổ sung")
    assert link.is_visible()
    with approver.expect_navigation():
        link.click()
    with approver.expect_navigation():
        approver.locator("form[action$='/approve/'] button[type=submit]").click()
    assert "Đã duyệt" in approver.content()
    assert _inbox_card(approver, "activities_to_approve").get_by_role("link", name=title).count() == 0
    for context in contexts.values():
        context.close()
