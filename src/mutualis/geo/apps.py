from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "mutualis.geo"
    verbose_name = "Géographie"
