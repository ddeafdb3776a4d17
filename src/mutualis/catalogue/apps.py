from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "mutualis.catalogue"
    verbose_name = "Catalogue"
