"""Django's password validators, speaking Vietnamese (settings.AUTH_PASSWORD_VALIDATORS).

Same rules as Django's own validators (and the same error codes); only the words a person
reads are ours. A few passwords common in Vietnamese are refused along with Django's list of
20,000 common passwords.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation as django_validators
from django.utils.translation import gettext as _

# Lower case, as CommonPasswordValidator compares them.
VIETNAMESE_COMMON = frozenset(
    {
        "matkhau",
        "matkhau1",
        "matkhau12",
        "matkhau123",
        "matkhau1234",
        "matkhau@123",
        "matkhaumoi",
        "matkhaumoi123",
        "anhyeuem",
        "anhyeuem123",
        "emyeuanh",
        "emyeuanh123",
        "vietnam",
        "vietnam123",
        "vietnam@123",
        "hanoi123",
        "123456789a",
        "a123456789",
        "quandoi123",
        "cuuchienbinh",
        "cuuchienbinh123",
    }
)


class MinimumLengthValidator(django_validators.MinimumLengthValidator):
    def __init__(self, min_length: int = 10) -> None:
        super().__init__(min_length=min_length)

    def get_error_message(self) -> str:
        return _("Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.") % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return _("Mật khẩu phải có ít nhất %(min_length)d ký tự.") % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(django_validators.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        return _("Mật khẩu quá giống %(verbose_name)s của bạn.")

    def get_help_text(self) -> str:
        return _("Mật khẩu không được quá giống tên đăng nhập, họ tên hoặc thư điện tử của bạn.")


class CommonPasswordValidator(django_validators.CommonPasswordValidator):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.passwords = self.passwords | VIETNAMESE_COMMON

    def get_error_message(self) -> str:
        return _("Mật khẩu này quá phổ biến, dễ bị đoán ra. Hãy chọn mật khẩu khác.")

    def get_help_text(self) -> str:
        return _("Mật khẩu không được là mật khẩu phổ biến (như 12345678, matkhau123).")


class NumericPasswordValidator(django_validators.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return _("Mật khẩu không được chỉ gồm chữ số.")

    def get_help_text(self) -> str:
        return _("Mật khẩu không được chỉ gồm chữ số.")
