from django.apps import AppConfig


class NeedsConfig(AppConfig):
    name = "mutualis.needs"
    verbose_name = "Besoins et procédures"
