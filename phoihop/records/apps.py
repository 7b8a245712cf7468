from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    """Good-practice models, information exchanges, lessons and proposals."""

    name = "phoihop.records"
    verbose_name = _("Mô hình, trao đổi thông tin, bài học, đề xuất")

    def ready(self) -> None:
        from phoihop.records import permissions  # noqa: F401  (registers the policies of its models)
