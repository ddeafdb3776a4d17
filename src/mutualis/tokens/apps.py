from django.apps import AppConfig


class TokensConfig(AppConfig):
    name = "mutualis.tokens"
    verbose_name = "Jetons d'API"
