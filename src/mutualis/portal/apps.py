from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "mutualis.portal"
    verbose_name = "Portail public"

    def ready(self):
        from .cache import connect

        connect()  # a write to published data changes the portal pages' version
