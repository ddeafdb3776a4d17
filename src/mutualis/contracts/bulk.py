"""Many registry rows written at once (the DECP import of the member buyers' records).

The checks are those of contract_save and amendment_add (the same functions and model validators) minus
the per-record queries: the foreign keys full_clean would look up are looked up once per value for a
whole import (`Lookups`), uniqueness is the caller's (it read the batch's contracts and suppliers first).
The rows then go in a few statements per batch, each with its history row, recorded the way save() does
(same user, no change reason), and what listens to the registry hears of them through contracts_updated.
"""

from collections import defaultdict
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from mutualis.core.batching import batched
from mutualis.suppliers.models import Supplier

from .models import Amendment, Contract, ContractHolder, RenewalDecision
from .models.contract import FRAMEWORK
from .services import (
    HolderInput,
    check_amendment_order,
    check_holders,
    contract_refresh_schedule,
    retender_lead_months_of_territory,
)
from .signals import contracts_updated

# Foreign keys a new imported contract sets: full_clean would query each one per record.
CONTRACT_KEYS = ("buyer", "cpv")
BATCH = 500


class Lookups:
    """What full_clean looks up in the database, memoised for a series of records: whether a foreign key's
    value exists (the buyers and CPV codes repeat from one record to the next)."""

    def __init__(self):
        self._errors: dict[tuple, ValidationError | None] = {}

    def check_keys(self, instance, names) -> None:
        errors = {}
        for name in names:
            field = instance._meta.get_field(name)
            value = getattr(instance, field.attname)
            key = (field, value)
            if key not in self._errors:
                try:
                    field.validate(value, instance)
                    self._errors[key] = None
                except ValidationError as error:
                    self._errors[key] = error
            if self._errors[key] is not None:
                errors[name] = self._errors[key].messages
        if errors:
            raise ValidationError(errors)


def contract_check(contract: Contract, holders: list[HolderInput], lookups: Lookups) -> None:
    """contract_save's checks on a new contract without purchasing group (ValidationError as full_clean's).

    Its table's check constraints are not queried: the field validators already hold them for what the
    import sets (an amount of at least 1, no minimum, no renewal)."""
    check_holders(holders)
    contract.full_clean(exclude=CONTRACT_KEYS, validate_unique=False, validate_constraints=False)
    lookups.check_keys(contract, CONTRACT_KEYS)


def supplier_check(supplier) -> None:
    """A new supplier's checks but the query for duplicates: the caller looked its identifier up."""
    supplier.clean_fields()
    supplier.clean_identifier()


def amendment_next(*, actor, contract: Contract, previous: list[Amendment], **values) -> Amendment:
    """amendment_add's checks and numbering against the contract's amendments in memory; saves nothing."""
    last = max(previous, key=lambda a: a.number, default=None)
    notified_on = values["notified_on"]
    check_amendment_order(contract, last, notified_on)
    amendment = Amendment(
        contract=contract, number=(last.number if last else 0) + 1, created_by=actor, **values
    )
    amendment.full_clean(
        exclude=["contract", "created_by"], validate_unique=False, validate_constraints=False
    )
    return amendment


@transaction.atomic
def registry_write(
    *,
    actor,
    new: list[tuple[Contract, list[HolderInput]]],
    amendments: list[Amendment],
    today: date | None = None,
) -> None:
    """Insert checked new contracts with their holders (and the suppliers new to the directory), and
    amendments to new or stored contracts; then the stored schedules of every contract concerned."""
    today = today or timezone.localdate()
    lead = retender_lead_months_of_territory()
    by_contract = defaultdict(list)
    for amendment in amendments:
        by_contract[id(amendment.contract)].append(amendment)
    with batched():
        suppliers = {}
        for _, holders in new:
            for holder in holders:
                if holder.supplier.pk is None:
                    suppliers[id(holder.supplier)] = holder.supplier
        bulk_create_with_history(list(suppliers.values()), Supplier, BATCH, default_user=actor)
        contracts = [contract for contract, _ in new]
        for contract in contracts:
            # What save() and contract_refresh_schedule would write after it, set before the insert.
            contract.is_framework = FRAMEWORK in (contract.techniques or [])
            contract_refresh_schedule(
                contract,
                today=today,
                retender_lead_months=lead,
                save=False,
                amendments=by_contract[id(contract)],
                decisions={},
            )
        bulk_create_with_history(contracts, Contract, BATCH, default_user=actor)
        links = [
            ContractHolder(
                contract=contract,
                supplier=holder.supplier,
                role=holder.role,
                contact_name=holder.contact_name,
                contact_email=holder.contact_email,
                contact_phone=holder.contact_phone,
                position=position,
            )
            for contract, holders in new
            for position, holder in enumerate(holders)
        ]
        bulk_create_with_history(links, ContractHolder, BATCH, default_user=actor)
        bulk_create_with_history(amendments, Amendment, BATCH, default_user=actor)
        created = {contract.pk for contract in contracts}
        stored = {a.contract_id: a.contract for a in amendments if a.contract_id not in created}
        _refresh_schedules(list(stored.values()), today, lead)
        contracts_updated.send(sender=Contract, contract_ids=[*created, *stored])


def _refresh_schedules(contracts: list[Contract], today: date, lead: int) -> None:
    """Stored contracts given amendments: their end and next decision again, from their rows read once."""
    if not contracts:
        return
    ids = [contract.pk for contract in contracts]
    amendments, decisions = defaultdict(list), defaultdict(dict)
    for amendment in Amendment.objects.filter(contract_id__in=ids).only(
        "contract_id", "duration_change_months"
    ):
        amendments[amendment.contract_id].append(amendment)
    for contract_id, period, kind in RenewalDecision.objects.filter(contract_id__in=ids).values_list(
        "contract_id", "period", "kind"
    ):
        decisions[contract_id][period] = kind
    for contract in contracts:
        contract_refresh_schedule(
            contract,
            today=today,
            retender_lead_months=lead,
            save=False,
            amendments=amendments[contract.pk],
            decisions=decisions[contract.pk],
        )
    # As contract_refresh_schedule: derived columns, written past save() (no version, no history row).
    Contract.objects.bulk_update(
        contracts, ["end_date", "decision_due_on", "decision_kind"], batch_size=BATCH
    )
