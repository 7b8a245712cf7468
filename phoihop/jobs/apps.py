from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "phoihop.jobs"
    verbose_name = _("Việc chạy nền")

    def ready(self) -> None:
        from phoihop.jobs import kinds, permissions  # noqa: F401  (registers the policy and the kinds of job)
