from django.apps import AppConfig


class ProcurementsConfig(AppConfig):
    name = "mutualis.procurements"
    verbose_name = "Projets d'achat"
