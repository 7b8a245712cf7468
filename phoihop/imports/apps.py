from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "phoihop.imports"
    verbose_name = _("Nhập dữ liệu")

    def ready(self) -> None:
        from phoihop.imports import permissions  # noqa: F401  (registers the policy of import runs)
