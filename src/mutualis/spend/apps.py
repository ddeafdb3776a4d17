from django.apps import AppConfig


class SpendConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mutualis.spend"
    verbose_name = "Dépense et exécution"

    def ready(self):
        from django.db import transaction
        from django.db.models.signals import post_delete

        from mutualis.contracts.models import Contract

        from .cube import spend_cube_refresh

        def contract_deleted(**kwargs):
            # Its lines were set off contract by the deletion: the map's sums follow once it is committed.
            transaction.on_commit(spend_cube_refresh)

        post_delete.connect(contract_deleted, sender=Contract, dispatch_uid="spend_cube_contract_deleted")
