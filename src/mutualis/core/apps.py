from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mutualis.core"
    verbose_name = "Socle"
