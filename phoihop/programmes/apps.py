from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "phoihop.programmes"
    verbose_name = _("Chương trình phối hợp")

    def ready(self) -> None:
        from phoihop.programmes import permissions  # noqa: F401  (registers the policies of its models)
