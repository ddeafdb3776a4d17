"""Records of the territory's own buyers go to the registry, when they hold what the registry needs.

An incomplete one (typically the 2019 format, which had no techniques, considerations or offers) is
kept with the external contracts instead, with a warning naming what is missing, so nothing is lost.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from mutualis.contracts import enums
from mutualis.contracts.models import Amendment, Contract
from mutualis.contracts.services import HolderInput, amendment_add, contract_save
from mutualis.suppliers.models import Supplier

from .external import CREATED, UNCHANGED, UPDATED
from .normalize import Record

REQUIRED = {
    "procedure": enums.Procedure.values,
    "price_form": enums.PriceForm.values,
    "techniques": None,
    "price_types": None,
    "social": None,
    "environmental": None,
}


def missing_for_registry(record: Record) -> list[str]:
    missing = [
        name
        for name in ("object", "cpv", "amount", "notification_date", "duration_months")
        if not getattr(record, name)
    ]
    for name, allowed in REQUIRED.items():
        value = getattr(record, name)
        if not value or (allowed is not None and value not in allowed):
            missing.append(name)
    if len(record.reference) > 16:
        missing.append("id (plus de 16 caractères)")
    if not record.holders:
        missing.append("titulaires")
    return missing


def _supplier(kind: str, identifier: str, name: str) -> Supplier:
    supplier = Supplier.objects.filter(identifier_kind=kind, identifier=identifier).first()
    if supplier is None:
        # DECP 2022 publishes no company names: the identifier stands in until someone completes it.
        supplier = Supplier(identifier_kind=kind, identifier=identifier, name=name or f"{kind} {identifier}")
    return supplier


def upsert_registry(record: Record, buyer) -> str:
    """Create or complete the registry contract; raises ValidationError when the record does not fit."""
    contract = Contract.objects.filter(buyer=buyer, reference=record.reference).first()
    if contract is None:
        with transaction.atomic():
            contract = Contract(
                buyer=buyer,
                reference=record.reference,
                object=record.object[:1000],
                nature=record.nature
                if record.nature in enums.ContractNature.values
                else enums.ContractNature.CONTRACT,
                techniques=record.techniques,
                execution_modes=record.execution_modes or [enums.ExecutionMode.NONE],
                cpv_id=record.cpv,
                procedure=record.procedure,
                ccag=record.ccag if record.ccag in enums.Ccag.values else enums.Ccag.NONE,
                offers_received=record.offers_received or None,
                price_types=record.price_types,
                price_form=record.price_form,
                amount=record.amount,
                notification_date=record.notification_date,
                firm_duration_months=record.duration_months,
                grouping_kind=record.grouping_kind
                if record.grouping_kind in enums.GroupingKind.values
                else enums.GroupingKind.NONE,
                subcontracting_declared=bool(record.subcontracting),
                social_considerations=record.social,
                environmental_considerations=record.environmental,
                is_innovative=bool(record.innovative),
                advance_paid=bool(record.advance_paid),
                advance_rate=record.advance_rate if record.advance_paid else None,
                origin_eu_share=record.origin_eu,
                origin_france_share=record.origin_france,
                execution_place_code=record.place_code[:10],
                execution_place_type=record.place_type
                if record.place_type in enums.PlaceCodeType.values
                else enums.PlaceCodeType.COMMUNE,
                data_published_on=record.published_on,
            )
            holders = [HolderInput(supplier=_supplier(*holder)) for holder in dict.fromkeys(record.holders)]
            contract_save(actor=None, contract=contract, holders=holders, available_to=[])
            _append_amendments(contract, record)
        return CREATED
    return UPDATED if _append_amendments(contract, record) else UNCHANGED


def _append_amendments(contract: Contract, record: Record) -> int:
    """Modifications not in the registry yet become amendments; the new totals give the deltas."""
    known = set(contract.amendments.values_list("number", flat=True))
    total = contract.amount + sum(
        (a.amount_change or Decimal(0) for a in contract.amendments.all()), Decimal(0)
    )
    added = 0
    for modification in sorted(record.modifications, key=lambda m: m.number or 0):
        if modification.number in known or modification.notified_on is None:
            continue
        change = modification.amount - total if modification.amount is not None else None
        duration = (
            modification.duration_months - contract.duration_months if modification.duration_months else None
        )
        try:
            amendment = amendment_add(
                actor=None,
                contract=contract,
                notified_on=modification.notified_on,
                kind=enums.AmendmentKind.UNSPECIFIED,
                description="Modification importée des données essentielles publiées",
                amount_change=change or None,
                duration_change_months=duration or None,
            )
        except ValidationError as error:
            record.warnings.append(
                f"modification {modification.number} non reprise : {' '.join(error.messages)}"
            )
            continue
        if modification.published_on:
            Amendment.objects.filter(pk=amendment.pk).update(data_published_on=modification.published_on)
        total = modification.amount if modification.amount is not None else total
        added += 1
    return added
