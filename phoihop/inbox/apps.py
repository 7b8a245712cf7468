from django.apps import AppConfig


class InboxConfig(AppConfig):
    """Việc cần làm: what waits for the user (approvals, returned items, reports due,
    nominations to decide, unread exchanges), on its own page, the home page and the API."""

    name = "phoihop.inbox"
    verbose_name = "Việc cần làm"
