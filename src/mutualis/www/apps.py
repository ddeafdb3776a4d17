from django.apps import AppConfig


class WwwConfig(AppConfig):
    name = "mutualis.www"
    verbose_name = "Interface web"
