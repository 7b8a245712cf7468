from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommendationsConfig(AppConfig):
    name = "phoihop.commendations"
    verbose_name = _("Thi đua, khen thưởng")

    def ready(self) -> None:
        from phoihop.commendations import permissions  # noqa: F401  (registers the policies of its models)
