from django.apps import AppConfig


class SteeringConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mutualis.steering"
    verbose_name = "Pilotage"

    def ready(self):
        from . import receivers  # noqa: F401  (keeps the steering cube up to date with the registry)
