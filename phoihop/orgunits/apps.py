from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgUnitsConfig(AppConfig):
    name = "phoihop.orgunits"
    verbose_name = _("Tổ chức và đơn vị")
