"""Writes on the supplier directory."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Perm

from .models import Supplier


@transaction.atomic
def supplier_save(*, actor, supplier: Supplier) -> Supplier:
    """Create or change a supplier, checked as its form is; actor None = the system."""
    if actor is not None and not access_for(actor).has(Perm.MANAGE_SUPPLIERS):
        raise PermissionDenied
    supplier.full_clean()
    supplier.save()
    return supplier
