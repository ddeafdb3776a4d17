"""Writes on the territory's nomenclature of purchase families."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Perm

from .models import CpvCode, PurchaseFamily


@transaction.atomic
def family_save(*, actor, family: PurchaseFamily, cpv_codes: list[CpvCode]) -> PurchaseFamily:
    """Create or change a purchase family and its CPV codes; actor None = the system (demo, loaders)."""
    if actor is not None and not access_for(actor).has(Perm.MANAGE_CATALOGUE):
        raise PermissionDenied
    family.full_clean()
    family.save()
    family.cpv_codes.set(cpv_codes)
    return family
