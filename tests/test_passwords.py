"""Password rules speak Vietnamese: at least 10 characters, no common or all-digit password, not
like the person's own names (phoihop/accounts/passwords.py, settings.AUTH_PASSWORD_VALIDATORS)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from phoihop.accounts.models import User

DEMO_PASSWORD = "phoihop-demo"
ENGLISH = re.compile(r"\b(password|characters?|too|common|numeric|similar|must|contain)\b", re.IGNORECASE)


def refusal(password: str, user: Any = None) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        validate_password(password, user)
    return caught.value.messages


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Ng4n-qua", "Mật khẩu quá ngắn: cần ít nhất 10 ký tự."),
        ("password123", "Mật khẩu này quá phổ biến, dễ bị đoán ra. Hãy chọn mật khẩu khác."),
        ("matkhau123", "Mật khẩu này quá phổ biến, dễ bị đoán ra. Hãy chọn mật khẩu khác."),
        ("9081726354", "Mật khẩu không được chỉ gồm chữ số."),
    ],
)
def test_it_refuses_a_weak_password_in_vietnamese(password: str, expected: str) -> None:
    messages = refusal(password)
    assert expected in messages
    assert not any(ENGLISH.search(m) for m in messages), messages


def test_nine_characters_are_too_short_and_ten_are_enough() -> None:
    assert "Mật khẩu quá ngắn: cần ít nhất 10 ký tự." in refusal("Xy7-kq2!w")
    validate_password("Xy7-kq2!wz")  # ten characters, not common: accepted


def test_it_refuses_a_password_like_the_persons_name() -> None:
    user = User(username="nguyenvanminh", first_name="Minh", last_name="Nguyễn Văn")
    messages = refusal("nguyenvanminh1", user)
    assert any(m.startswith("Mật khẩu quá giống") for m in messages), messages
    assert not any(ENGLISH.search(m) for m in messages), messages


def test_the_help_texts_are_vietnamese() -> None:
    texts = password_validators_help_texts()
    assert len(texts) == 4
    assert "Mật khẩu phải có ít nhất 10 ký tự." in texts
    assert not any(ENGLISH.search(t) for t in texts), texts


@pytest.mark.django_db
def test_the_password_change_page_explains_the_refusal_in_vietnamese(demo_user: Any) -> None:
    client = Client()
    client.force_login(demo_user("hoankiem.ccb"))
    response = client.post(
        reverse("password_change"),
        {"old_password": DEMO_PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mật khẩu quá ngắn: cần ít nhất 10 ký tự." in page
    assert "Mật khẩu này quá phổ biến" in page
    assert "too short" not in page and "too common" not in page
    assert demo_user("hoankiem.ccb").check_password(DEMO_PASSWORD)
