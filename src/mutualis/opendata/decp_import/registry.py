"""Records of the territory's own buyers go to the registry, when they hold what the registry needs.

An incomplete one (typically the 2019 format, which had no techniques, considerations or offers) is
kept with the external contracts instead, with a warning naming what is missing, so nothing is lost;
so is one the registry refuses (a value its checks reject), with a warning naming the field.

A batch of records is written at once (contracts/bulk.py): its stored contracts and suppliers read in
one query each, each new contract checked as contract_save would, then every row inserted per batch.
"""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db.models import Prefetch, Q

from mutualis.contracts import enums
from mutualis.contracts.bulk import Lookups, amendment_next, contract_check, registry_write, supplier_check
from mutualis.contracts.models import Amendment, Contract
from mutualis.contracts.services import HolderInput
from mutualis.suppliers.identifiers import normalise
from mutualis.suppliers.models import Supplier

from .external import CREATED, UNCHANGED, UPDATED
from .normalize import Record

REQUIRED = {
    "procedure": frozenset(enums.Procedure.values),
    "price_form": frozenset(enums.PriceForm.values),
    "techniques": None,
    "price_types": None,
    "social": None,
    "environmental": None,
}


# The enumerations' values, read once (each `.values` builds a new list).
NATURES, CCAGS = frozenset(enums.ContractNature.values), frozenset(enums.Ccag.values)
GROUPINGS, PLACE_TYPES = frozenset(enums.GroupingKind.values), frozenset(enums.PlaceCodeType.values)


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


def upsert_registry(items: list[tuple[Record, int]], lookups: Lookups) -> tuple[dict, dict]:
    """Create or complete the registry contracts of (record, buyer id) pairs with distinct uids.

    Returns uid -> outcome for the records written, and uid -> reason for those the registry refused
    (nothing of them is written)."""
    stored = _stored_contracts(items)
    suppliers = _stored_suppliers(items)
    new, amendments, outcomes, refused = [], [], {}, {}
    for record, buyer_id in items:
        contract = stored.get((buyer_id, record.reference))
        if contract is not None:
            added = _amendments(contract, list(contract.amendments.all()), record)
            amendments += added
            outcomes[record.uid] = UPDATED if added else UNCHANGED
            continue
        contract = _contract(record, buyer_id)
        try:
            holders = _holders(record, suppliers)
            contract_check(contract, holders, lookups)
        except ValidationError as error:
            refused[record.uid] = _reason(error)
            continue
        for holder in holders:  # the next records of the batch share a supplier new to the directory
            suppliers.setdefault(
                (holder.supplier.identifier_kind, holder.supplier.identifier), holder.supplier
            )
        new.append((contract, holders))
        amendments += _amendments(contract, [], record)
        outcomes[record.uid] = CREATED
    if new or amendments:
        registry_write(actor=None, new=new, amendments=amendments)
    return outcomes, refused


def _stored_contracts(items) -> dict:
    references = defaultdict(set)
    for record, buyer_id in items:
        references[buyer_id].add(record.reference)
    wanted = Q(pk__in=[])
    for buyer_id, names in references.items():
        wanted |= Q(buyer_id=buyer_id, reference__in=names)
    contracts = Contract.objects.filter(wanted).prefetch_related(
        Prefetch("amendments", queryset=Amendment.objects.order_by("number"))
    )
    return {(c.buyer_id, c.reference): c for c in contracts}


def _key(kind: str, identifier: str) -> tuple[str, str]:
    """A holder as the directory stores it (Supplier.clean normalises the identifier)."""
    return kind, normalise(kind, identifier)


def _stored_suppliers(items) -> dict:
    keys = {_key(kind, identifier) for record, _ in items for kind, identifier, _ in record.holders}
    found = Supplier.objects.filter(identifier__in={identifier for _, identifier in keys})
    return {(s.identifier_kind, s.identifier): s for s in found if (s.identifier_kind, s.identifier) in keys}


def _holders(record: Record, suppliers: dict) -> list[HolderInput]:
    holders = []
    for kind, identifier, name in dict.fromkeys(record.holders):
        supplier = suppliers.get(_key(kind, identifier))
        if supplier is None:
            # DECP 2022 publishes no company names: the identifier stands in until someone completes it.
            supplier = Supplier(
                identifier_kind=kind, identifier=identifier, name=name or f"{kind} {identifier}"
            )
            try:
                supplier_check(supplier)
            except ValidationError as error:
                raise ValidationError(f"titulaire {kind} {identifier} : {_reason(error, Supplier)}") from None
        holders.append(HolderInput(supplier=supplier))
    return holders


def _reason(error: ValidationError, model=Contract) -> str:
    """The checks' messages, each after the label of its field."""
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    parts = []
    for name, messages in error.message_dict.items():
        try:
            label = model._meta.get_field(name).verbose_name if name != NON_FIELD_ERRORS else ""
        except FieldDoesNotExist:
            label = name
        parts.append(f"{label} : {' '.join(messages)}" if label else " ".join(messages))
    return " ; ".join(parts)


def _contract(record: Record, buyer_id: int) -> Contract:
    return Contract(
        buyer_id=buyer_id,
        reference=record.reference,
        object=record.object[:1000],
        nature=record.nature if record.nature in NATURES else enums.ContractNature.CONTRACT,
        techniques=record.techniques,
        execution_modes=record.execution_modes or [enums.ExecutionMode.NONE],
        cpv_id=record.cpv,
        procedure=record.procedure,
        ccag=record.ccag if record.ccag in CCAGS else enums.Ccag.NONE,
        offers_received=record.offers_received or None,
        price_types=record.price_types,
        price_form=record.price_form,
        amount=record.amount,
        notification_date=record.notification_date,
        firm_duration_months=record.duration_months,
        grouping_kind=record.grouping_kind if record.grouping_kind in GROUPINGS else enums.GroupingKind.NONE,
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
        if record.place_type in PLACE_TYPES
        else enums.PlaceCodeType.COMMUNE,
        data_published_on=record.published_on,
    )


def _amendments(contract: Contract, previous: list[Amendment], record: Record) -> list[Amendment]:
    """Modifications not in the registry yet become amendments; the new totals give the deltas."""
    known = {a.number for a in previous}
    total = contract.amount + sum((a.amount_change or Decimal(0) for a in previous), Decimal(0))
    added = []
    for modification in sorted(record.modifications, key=lambda m: m.number or 0):
        if modification.number in known or modification.notified_on is None:
            continue
        change = modification.amount - total if modification.amount is not None else None
        duration = (
            modification.duration_months - contract.duration_months if modification.duration_months else None
        )
        try:
            amendment = amendment_next(
                actor=None,
                contract=contract,
                previous=previous,
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
        amendment.data_published_on = modification.published_on
        previous.append(amendment)
        added.append(amendment)
        total = modification.amount if modification.amount is not None else total
    return added
