from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "phoihop.api"
    verbose_name = "API"
