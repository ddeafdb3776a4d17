from django.apps import AppConfig


class GainsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mutualis.gains"
    verbose_name = "Gains achats et plan d'actions"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the award and notification receivers)
