from django.apps import AppConfig


class ClientsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mutualis.clients"
    verbose_name = "Offre de service aux clients internes"
