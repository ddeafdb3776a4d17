from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "mutualis.legal"
    verbose_name = "Droit de la commande publique"
