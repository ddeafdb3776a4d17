from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "mutualis.organisations"
    verbose_name = "Territoire et organisations"

    def ready(self):
        from . import login_guard  # noqa: F401  (connects the login failure counters)
