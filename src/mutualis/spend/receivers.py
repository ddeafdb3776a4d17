"""What other apps' events mean for spend: a deleted contract's lines are off contract (SET_NULL), so
the spend map's cubes are summed again once the deletion is committed."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from mutualis.contracts.models import Contract

from .cube import spend_cube_refresh


@receiver(post_delete, sender=Contract, dispatch_uid="spend_cube_contract_deleted")
def contract_deleted(**kwargs) -> None:
    transaction.on_commit(spend_cube_refresh)
