from django.apps import AppConfig


class SpendConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mutualis.spend"
    verbose_name = "Dépense et exécution"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the contract deletion receiver)
