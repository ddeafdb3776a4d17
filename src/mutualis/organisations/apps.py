from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "mutualis.organisations"
    verbose_name = "Territoire et organisations"
