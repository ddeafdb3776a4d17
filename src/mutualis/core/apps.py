from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mutualis.core"
    verbose_name = "Socle"

    def ready(self):
        from . import json_lookups  # noqa: F401  (registers the `has_element` lookup of JSON lists)
