from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    """Notices: the bell, the notices page, e-mail through an outbox, per-kind preferences."""

    name = "phoihop.notices"
    verbose_name = _("Thông báo")

    def ready(self) -> None:
        from simple_history.signals import post_create_historical_record

        from phoihop.notices import events, permissions  # noqa: F401  (registers the policies)

        post_create_historical_record.connect(events.on_history_row, dispatch_uid="notices.on_history_row")
        events.connect_model_signals()

        from django.db.models.signals import post_delete, post_save

        from phoihop.notices.models import Notice
        from phoihop.notices.services import on_notice_saved

        post_save.connect(on_notice_saved, sender=Notice, dispatch_uid="notices.bell_saved")
        post_delete.connect(on_notice_saved, sender=Notice, dispatch_uid="notices.bell_deleted")
