from django.apps import AppConfig


class SuppliersConfig(AppConfig):
    name = "mutualis.suppliers"
    verbose_name = "Fournisseurs"
