from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "mutualis.opendata"
    verbose_name = "Données ouvertes (DECP, OCDS)"
