from django.apps import AppConfig


class SteeringConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mutualis.steering"
    verbose_name = "Pilotage"
