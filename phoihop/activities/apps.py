from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "phoihop.activities"
    verbose_name = _("Hoạt động phối hợp")

    def ready(self) -> None:
        from phoihop.activities import permissions  # noqa: F401  (registers the policies of its models)
