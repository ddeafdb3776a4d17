from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "mutualis.portal"
    verbose_name = "Portail public"
