from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The pages every user starts from: the home page with its reminders, and the search."""

    name = "phoihop.home"
    verbose_name = "Trang chủ"
