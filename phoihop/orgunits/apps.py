from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgUnitsConfig(AppConfig):
    name = "phoihop.orgunits"
    verbose_name = _("Tổ chức và đơn vị")

    def ready(self) -> None:
        from phoihop.orgunits import permissions  # noqa: F401  (registers the policies of its models)
