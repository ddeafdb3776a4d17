from django.apps import AppConfig


class SteeringConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mutualis.steering"
    verbose_name = "Pilotage"

    def ready(self):
        from . import figures_cache, receivers  # noqa: F401  (receivers keep the cube up to date)

        figures_cache.connect()  # the cached territory-wide figures follow the writes
