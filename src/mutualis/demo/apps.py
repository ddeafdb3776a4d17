from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "mutualis.demo"
    verbose_name = "Démonstration"
