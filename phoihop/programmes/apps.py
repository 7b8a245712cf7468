from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "phoihop.programmes"
    verbose_name = _("Chương trình phối hợp")
