from django.apps import AppConfig


class InboxConfig(AppConfig):
    """Việc cần làm: what waits for the user (approvals, returned items, reports due,
    nominations to decide, unread exchanges), on its own page, the home page and the API."""

    name = "phoihop.inbox"
    verbose_name = "Việc cần làm"

    def ready(self) -> None:
        from phoihop.inbox import badge

        badge.connect()  # the badge's cache forgets what an action changes
