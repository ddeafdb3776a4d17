from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mutualis.core"
    verbose_name = "Socle"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import checks, json_lookups  # noqa: F401  (register the deploy checks, the `has_element` lookup)
        from .fulltext import ensure_indexes

        # After every migrate, not in a migration: see core/fulltext/index.py.
        post_migrate.connect(ensure_indexes, sender=self, dispatch_uid="mutualis_fulltext")
