"""Writes on the registry: contracts with their holders and users, amendments, renewals, documents."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from mutualis.core.batching import batched
from mutualis.organisations.access import access_for
from mutualis.organisations.models import Territory
from mutualis.organisations.roles import Perm

from .enums import HolderRole
from .lifecycle import compute_schedule
from .models import Amendment, Contract, ContractDocument, ContractHolder, RenewalDecision
from .signals import contracts_updated

DEFAULT_RETENDER_LEAD_MONTHS = 9


@dataclass(frozen=True)
class HolderInput:
    supplier: object
    role: str = HolderRole.SOLE
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""


def _require(actor, perm: Perm) -> None:
    if actor is not None and not access_for(actor).has(perm):
        raise PermissionDenied


def retender_lead_months_of_territory() -> int:
    territory = Territory.current()
    return territory.retender_lead_months if territory else DEFAULT_RETENDER_LEAD_MONTHS


def schedule_of(
    contract: Contract,
    *,
    today: date | None = None,
    retender_lead_months: int | None = None,
    amendments=None,
    decisions: dict | None = None,
):
    """The contract's periods, end date and next decision; None before it has a start date.

    `amendments` and `decisions` (period -> kind) spare the queries when the caller has them (a batch)."""
    start = contract.effective_start
    if start is None:
        return None
    if retender_lead_months is None:
        retender_lead_months = retender_lead_months_of_territory()
    if amendments is None:
        amendments = contract.amendments.all()
    if decisions is None:
        decisions = {d.period: d.kind for d in contract.renewal_decisions.all()}
    extra = sum(a.duration_change_months or 0 for a in amendments)
    return compute_schedule(
        start=start,
        firm_months=contract.firm_duration_months,
        renewal_count=contract.renewal_count,
        renewal_months=contract.renewal_period_months or 0,
        notice_months=contract.renewal_notice_months,
        decisions=decisions,
        extra_months=extra,
        terminated_on=contract.terminated_on,
        retender_lead_months=retender_lead_months,
        plan_retender=contract.framework_id is None,  # a subsequent contract follows its framework
        today=today or timezone.localdate(),
    )


def contract_refresh_schedule(
    contract: Contract, *, today=None, retender_lead_months=None, save=True, amendments=None, decisions=None
) -> Contract:
    """Recompute the stored end date and next decision (used by lists, alerts and the timeline)."""
    schedule = schedule_of(
        contract,
        today=today,
        retender_lead_months=retender_lead_months,
        amendments=amendments,
        decisions=decisions,
    )
    contract.end_date = schedule.end_date if schedule else None
    decision = schedule.next_decision if schedule else None
    contract.decision_due_on = decision.due_on if decision else None
    contract.decision_kind = decision.kind if decision else ""
    if save:
        Contract.objects.filter(pk=contract.pk).update(
            end_date=contract.end_date,
            decision_due_on=contract.decision_due_on,
            decision_kind=contract.decision_kind,
        )
    return contract


@transaction.atomic
def contract_save(*, actor, contract: Contract, holders: list[HolderInput], available_to) -> Contract:
    """Create or update a contract with its holders and the entities that may use it."""
    _require(actor, Perm.MANAGE_CONTRACTS)
    check_holders(holders)
    users = set(available_to)
    if contract.purchasing_group_id:
        group = contract.purchasing_group
        contract.buyer = group.coordinator  # DECP: the coordinator that ran the procedure is the buyer
        users |= set(group.members.all())
    contract.full_clean()
    with batched():  # the contract and its holders refresh what is summed from them once
        contract.save()
        for holder in holders:
            if holder.supplier.pk is None:  # a holder new to the directory, typed on the contract form
                holder.supplier.full_clean()
                holder.supplier.save()
        _set_holders(contract, holders)
    contract.available_to.set([e for e in users if e.pk != contract.buyer_id])
    return contract_refresh_schedule(contract)


def check_holders(holders: list[HolderInput]) -> None:
    if not holders:
        raise ValidationError("Un contrat a au moins un titulaire.")
    if len({(h.supplier.identifier_kind, h.supplier.identifier) for h in holders}) != len(holders):
        raise ValidationError("Un même fournisseur figure deux fois parmi les titulaires.")


def _set_holders(contract: Contract, holders: list[HolderInput]) -> None:
    kept = []
    for position, holder in enumerate(holders):
        link, _ = ContractHolder.objects.update_or_create(
            contract=contract,
            supplier=holder.supplier,
            defaults={
                "role": holder.role,
                "contact_name": holder.contact_name,
                "contact_email": holder.contact_email,
                "contact_phone": holder.contact_phone,
                "position": position,
            },
        )
        kept.append(link.pk)
    contract.holder_links.exclude(pk__in=kept).delete()


@transaction.atomic
def amendment_add(
    *,
    actor,
    contract: Contract,
    notified_on: date,
    kind: str,
    description: str,
    amount_change: Decimal | None = None,
    duration_change_months: int | None = None,
) -> Amendment:
    """Append an amendment, numbered in notification order; the initial values stay as they were."""
    _require(actor, Perm.MANAGE_CONTRACTS)
    locked = Contract.objects.select_for_update().get(pk=contract.pk)
    check_amendment_order(locked, locked.amendments.order_by("-number").first(), notified_on)
    number = (locked.amendments.aggregate(n=Max("number"))["n"] or 0) + 1
    amendment = Amendment(
        contract=locked,
        number=number,
        notified_on=notified_on,
        kind=kind,
        description=description,
        amount_change=amount_change,
        duration_change_months=duration_change_months,
        created_by=actor,
    )
    amendment.full_clean()
    amendment.save()
    contract_refresh_schedule(locked)
    return amendment


def check_amendment_order(contract: Contract, last: Amendment | None, notified_on: date) -> None:
    """An amendment follows the contract's notification and the last amendment's (numbered in order)."""
    if contract.notification_date is None:
        raise ValidationError("Le contrat doit être notifié avant d'être modifié par avenant.")
    if notified_on < contract.notification_date:
        raise ValidationError({"notified_on": "Un avenant ne peut être notifié avant le contrat."})
    if last is not None and notified_on < last.notified_on:
        raise ValidationError(
            {"notified_on": f"L'avenant n° {last.number} a été notifié le {last.notified_on:%d/%m/%Y} : "
             "les avenants sont numérotés dans l'ordre de notification."}
        )  # fmt: skip


@transaction.atomic
def renewal_decide(
    *, actor, contract: Contract, period: int, kind: str, decided_on: date, comment: str = ""
) -> RenewalDecision:
    """Record the decision on a renewal period (or on the end of the contract) and recompute dates."""
    _require(actor, Perm.MANAGE_CONTRACTS)
    if not 1 <= period <= contract.renewal_count + 1:
        raise ValidationError({"period": "Cette période n'existe pas pour ce contrat."})
    decision = RenewalDecision(
        contract=contract, period=period, kind=kind, decided_on=decided_on, decided_by=actor, comment=comment
    )
    decision.full_clean()
    decision.save()
    contract_refresh_schedule(contract)
    return decision


@transaction.atomic
def document_attach(*, actor, contract: Contract, kind: str, title: str, file) -> ContractDocument:
    _require(actor, Perm.MANAGE_CONTRACTS)
    document = ContractDocument(contract=contract, kind=kind, title=title, file=file, uploaded_by=actor)
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def document_delete(*, actor, document: ContractDocument) -> None:
    _require(actor, Perm.MANAGE_CONTRACTS)
    storage, name = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def contract_mark_published(*, actor, contracts, on: date, amendment_ids=None) -> int:
    """Record the first publication of these contracts' essential data and of their amendments (only
    those of `amendment_ids` when given: the ones the published file held)."""
    _require(actor, Perm.MANAGE_CONTRACTS)
    # DECP datePublicationDonnees is the FIRST publication: a date already recorded never moves.
    ids = [contract.pk for contract in contracts]
    first = list(Contract.objects.filter(pk__in=ids, data_published_on__isnull=True))
    amendments = Amendment.objects.filter(contract_id__in=ids, data_published_on__isnull=True)
    if amendment_ids is not None:
        amendments = amendments.filter(pk__in=amendment_ids)
    amendments = list(amendments)
    for record in [*first, *amendments]:
        record.data_published_on = on
    bulk_update_with_history(first, Contract, ["data_published_on"], default_user=actor)
    bulk_update_with_history(amendments, Amendment, ["data_published_on"], default_user=actor)
    contracts_updated.send(sender=Contract, contract_ids=[contract.pk for contract in first])
    return len(first)
