import pytest

pytestmark = [pytest.mark.browser]


def test_login_page_is_served(page):
    response = page.goto("/accounts/login/")
    assert response is not None
    assert response.status == 200
    assert "Đăng nhập" in page.content()
