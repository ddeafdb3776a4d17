from django.apps import AppConfig


class EventsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mutualis.events"
    verbose_name = "Matinales de la cellule achats"
