from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "phoihop.accounts"
    verbose_name = _("Tài khoản và phân quyền")

    def ready(self) -> None:
        from phoihop.accounts import (
            lockout,  # noqa: F401  (carries an API lockout to AxesMiddleware)
            permissions,  # noqa: F401  (registers the policies of its models)
            tokens,  # noqa: F401  (a password change or a deactivation kills the API tokens)
        )
