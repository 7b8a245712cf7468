from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EntryConfig(AppConfig):
    """Figures (of activities and entered per period) and the locks that close a period."""

    name = "phoihop.entry"
    verbose_name = _("Số liệu và khóa số liệu")

    def ready(self) -> None:
        from phoihop.entry import permissions  # noqa: F401  (registers the policies of its models)
