from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "mutualis.contracts"
    verbose_name = "Registre des contrats"
