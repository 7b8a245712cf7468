from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EsignConfig(AppConfig):
    """Electronic signatures: certificates of the issuing bodies, signing PDFs, checking them."""

    name = "phoihop.esign"
    verbose_name = _("Chữ ký số")

    def ready(self) -> None:
        from phoihop.esign import permissions  # noqa: F401  (registers the policies)
