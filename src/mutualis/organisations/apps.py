from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "mutualis.organisations"
    verbose_name = "Territoire et organisations"

    def ready(self):
        from django.core.signals import request_finished, request_started
        from django.db.models.signals import post_delete, post_save

        from . import (
            login_guard,  # noqa: F401  (connects the login failure counters)
            vocabulary,
        )
        from .models import Territory

        # The territory is read once per request (vocabulary.current_territory), then forgotten.
        request_started.connect(vocabulary.open_request_cache, dispatch_uid="vocabulary_open")
        request_finished.connect(vocabulary.close_request_cache, dispatch_uid="vocabulary_close")
        post_save.connect(vocabulary.forget_territory, sender=Territory, dispatch_uid="vocabulary_save")
        post_delete.connect(vocabulary.forget_territory, sender=Territory, dispatch_uid="vocabulary_delete")
