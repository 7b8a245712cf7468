from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "phoihop.core"
    verbose_name = "Lõi hệ thống"

    def ready(self) -> None:
        from phoihop.core import admin_site  # noqa: F401  (restricts the admin to superusers)
