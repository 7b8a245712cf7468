from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """What was done, by whom, when and why: the action log and the reading of history rows."""

    name = "phoihop.audit"
    verbose_name = _("Nhật ký thao tác")

    def ready(self) -> None:
        from simple_history.signals import pre_create_historical_record

        from phoihop.audit.actions import fill_default_action

        pre_create_historical_record.connect(fill_default_action, dispatch_uid="phoihop.audit.default_action")
