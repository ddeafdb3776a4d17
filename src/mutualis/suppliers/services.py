"""Writes on the supplier directory."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Perm

from .identifiers import IdentifierKind
from .models import Supplier, SupplierCandidate


@transaction.atomic
def supplier_save(*, actor, supplier: Supplier) -> Supplier:
    """Create or change a supplier, checked as its form is; actor None = the system."""
    if actor is not None and not access_for(actor).has(Perm.MANAGE_SUPPLIERS):
        raise PermissionDenied
    supplier.full_clean()
    supplier.save()
    return supplier


@transaction.atomic
def candidate_promote(*, actor, candidate: SupplierCandidate) -> Supplier:
    """Make a candidate a supplier of the directory, on a buyer's explicit decision: its interests follow."""
    if not access_for(actor).has(Perm.MANAGE_SUPPLIERS):
        raise PermissionDenied
    candidate = SupplierCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.supplier_id:
        raise ValidationError(f"{candidate.name} est déjà au répertoire : {candidate.supplier}.")
    # Someone may have entered the company by hand since it showed interest: no duplicate.
    supplier = Supplier.objects.filter(
        identifier_kind=IdentifierKind.SIRET, identifier=candidate.siret
    ).first()
    if supplier is None:
        supplier = supplier_save(
            actor=actor,
            supplier=Supplier(
                identifier_kind=IdentifierKind.SIRET, identifier=candidate.siret, name=candidate.name
            ),
        )
    candidate.supplier = supplier
    candidate.save()
    for interest in candidate.interests.filter(supplier=None):
        interest.supplier = supplier
        interest.save(update_fields=["supplier"])
    return supplier
