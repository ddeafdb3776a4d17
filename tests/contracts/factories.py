"""Factories of the registry: contracts saved through the service, and contracts in ready-made states."""

import random
from datetime import date, timedelta
from decimal import Decimal

from mutualis.contracts.models import Contract
from mutualis.contracts.services import HolderInput, amendment_add, contract_save
from tests.suppliers.factories import SupplierFactory

_random = random.Random(20261124)


def make_contract(*, buyer, reference=None, holders=None, available_to=(), **fields):
    """A valid notified contract saved through the service, as the pages do."""
    defaults = {
        "object": "Fourniture de consommables médicaux",
        "techniques": ["Sans objet"],
        "execution_modes": ["Sans objet"],
        "cpv_id": "33141000",
        "procedure": "Procédure adaptée",
        "price_types": ["Définitif ferme"],
        "price_form": "Forfaitaire",
        "amount": Decimal("100000.00"),
        "notification_date": date(2026, 1, 1),
        "firm_duration_months": 12,
        "social_considerations": ["Pas de considération sociale"],
        "environmental_considerations": ["Pas de considération environnementale"],
    }
    defaults.update(fields)
    contract = Contract(buyer=buyer, reference=reference or f"C{_random.randint(0, 10**9):09d}", **defaults)
    suppliers = holders or [SupplierFactory()]
    inputs = [HolderInput(supplier=s) for s in suppliers]
    return contract_save(actor=None, contract=contract, holders=inputs, available_to=list(available_to))


def contract_with_amendments(*, buyer, changes=(("5000", 0), ("0", 6)), every_days=45, **fields):
    """A notified contract and its amendments, one per (amount change, months added), on distinct days."""
    contract = make_contract(buyer=buyer, **fields)
    for number, (amount, months) in enumerate(changes, start=1):
        amendment_add(
            actor=None,
            contract=contract,
            notified_on=contract.notification_date + timedelta(days=number * every_days),
            kind="non_substantial",
            description=f"Avenant n° {number}",
            amount_change=Decimal(amount),
            duration_change_months=months or None,
        )
    contract.refresh_from_db()
    return contract
