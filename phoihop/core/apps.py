from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "phoihop.core"
    verbose_name = "Lõi hệ thống"

    def ready(self) -> None:
        # admin_site restricts the admin to superusers; checks registers the deployment's checks.
        from phoihop.core import admin_site, checks  # noqa: F401
