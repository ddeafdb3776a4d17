"""What a write to the registry means for the steering cube (steering/cube.py): the cells of the contract's
(year, buyer, family) before and after are summed again. A supplier counts only through its size and
commune (the SME and local shares)."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from mutualis.contracts.models import Contract, ContractHolder
from mutualis.contracts.signals import contracts_updated
from mutualis.suppliers.models import Supplier
from mutualis.suppliers.signals import suppliers_updated

from .cube import contract_keys, cube_ready, cube_refresh_contracts, cube_touch, key_of

CELL_FIELDS = ("notification_date", "buyer_id", "family_id")
SUPPLIER_FIELDS = ("size_category", "insee_code")


def _stored(instance, fields):
    """The row as stored before this save (None: a new row, or the cube is not built yet)."""
    if instance.pk is None or not cube_ready():
        return None
    return type(instance).objects.filter(pk=instance.pk).values(*fields).first()


@receiver(pre_save, sender=Contract, dispatch_uid="steering_cube_contract_before")
def contract_before(instance, **kwargs) -> None:
    stored = _stored(instance, CELL_FIELDS)
    day = stored and stored["notification_date"]
    instance._cube_key_before = (day.year, stored["buyer_id"], stored["family_id"]) if day else None


@receiver(post_save, sender=Contract, dispatch_uid="steering_cube_contract_saved")
def contract_saved(instance, **kwargs) -> None:
    before = getattr(instance, "_cube_key_before", None)
    cube_touch({key_of(instance), *([before] if before else [])})


@receiver(post_delete, sender=Contract, dispatch_uid="steering_cube_contract_deleted")
def contract_deleted(instance, **kwargs) -> None:
    cube_touch({key_of(instance)})


@receiver(post_save, sender=ContractHolder, dispatch_uid="steering_cube_holder_saved")
@receiver(post_delete, sender=ContractHolder, dispatch_uid="steering_cube_holder_deleted")
def holder_changed(instance, **kwargs) -> None:
    if not cube_ready():
        return
    # A contract deleted with its holders is gone already: its own receiver refreshed its cells.
    contract = Contract.objects.filter(pk=instance.contract_id).only(*CELL_FIELDS).first()
    if contract is not None:
        cube_touch({key_of(contract)})


@receiver(pre_save, sender=Supplier, dispatch_uid="steering_cube_supplier_before")
def supplier_before(instance, **kwargs) -> None:
    stored = _stored(instance, SUPPLIER_FIELDS)
    instance._cube_changed = stored is not None and any(
        stored[name] != getattr(instance, name) for name in SUPPLIER_FIELDS
    )


@receiver(post_save, sender=Supplier, dispatch_uid="steering_cube_supplier_saved")
def supplier_saved(instance, **kwargs) -> None:
    if getattr(instance, "_cube_changed", False):
        cube_touch(contract_keys(Contract.objects.filter(holder_links__supplier=instance)))


@receiver(contracts_updated, dispatch_uid="steering_cube_contracts_updated")
def contracts_bulk_updated(contract_ids, **kwargs) -> None:
    if cube_ready():
        cube_refresh_contracts(Contract.objects.filter(pk__in=contract_ids))


@receiver(suppliers_updated, dispatch_uid="steering_cube_suppliers_updated")
def suppliers_bulk_updated(supplier_ids, **kwargs) -> None:
    if cube_ready():
        cube_refresh_contracts(Contract.objects.filter(holder_links__supplier_id__in=supplier_ids).distinct())
