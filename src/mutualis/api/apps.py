from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "mutualis.api"
    verbose_name = "API REST"
