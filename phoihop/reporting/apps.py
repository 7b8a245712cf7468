from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "phoihop.reporting"
    verbose_name = _("Báo cáo định kỳ")

    def ready(self) -> None:
        from phoihop.reporting import permissions  # noqa: F401  (registers the policies of its models)
