from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data set (``manage.py load_demo``): the seed's programme at national scale."""

    name = "phoihop.demo"
    verbose_name = "Dữ liệu minh họa"
