from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferencesConfig(AppConfig):
    name = "phoihop.conferences"
    verbose_name = _("Hội nghị")

    def ready(self) -> None:
        from phoihop.conferences import permissions  # noqa: F401  (registers the policies of its models)
