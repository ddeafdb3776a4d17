"""The daily alert job: contracts ending within the territory's horizon, overdue decisions,
essential data published late and contracts consumed at 80 % and 100 % of their ceiling.

Run once a day by the scheduler (`mutualis send_contract_alerts`, see README); safe to run twice:
a notification is keyed by contract and date, and sent once per person.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from mutualis.notifications.models import Kind
from mutualis.notifications.services import Message, notify
from mutualis.organisations.models import Membership, Territory
from mutualis.organisations.roles import Role
from mutualis.spend.consumption import (
    REACHED_SHARE,
    WARNING_SHARE,
    projected_date,
    share_of,
    with_consumption,
)

from .models import Contract
from .services import DEFAULT_RETENDER_LEAD_MONTHS, contract_refresh_schedule

DEFAULT_HORIZON_DAYS = 180
# The consumption alerts' keys start so: the home page finds a person's unread ones by it.
CONSUMPTION_KEY_PREFIX = "contract-consumption:"


@dataclass
class AlertReport:
    refreshed: int = 0
    ending: int = 0
    overdue: int = 0
    publication_late: int = 0
    consumption: int = 0
    notifications: int = 0


def _recipients_by_entity() -> dict[int, list]:
    """Referents of each entity: they tell their services where to order next."""
    recipients: dict[int, list] = {}
    for membership in Membership.objects.filter(role=Role.REFERENT, user__is_active=True).select_related(
        "user"
    ):
        recipients.setdefault(membership.entity_id, []).append(membership.user)
    return recipients


def _team(contract: Contract) -> list:
    family_buyer = contract.family.responsible_buyer if contract.family else None
    return [user for user in (contract.manager, family_buyer) if user is not None]


@transaction.atomic
def send_contract_alerts(*, today: date | None = None, horizon_days: int | None = None) -> AlertReport:
    today = today or timezone.localdate()
    territory = Territory.current()
    if horizon_days is None:
        horizon_days = territory.contract_alert_days if territory else DEFAULT_HORIZON_DAYS
    lead = territory.retender_lead_months if territory else DEFAULT_RETENDER_LEAD_MONTHS
    report = AlertReport()
    # Tacit renewals move with time: bring the stored dates up to today first, in one bulk update.
    contracts = [
        contract_refresh_schedule(contract, today=today, retender_lead_months=lead, save=False)
        for contract in Contract.objects.notified()
        .filter(end_date__gte=today)
        .prefetch_related("amendments", "renewal_decisions")
    ]
    Contract.objects.bulk_update(contracts, ["end_date", "decision_due_on", "decision_kind"], batch_size=500)
    report.refreshed = len(contracts)

    referents = _recipients_by_entity()
    admins = [
        m.user
        for m in Membership.objects.filter(role=Role.ADMIN, user__is_active=True).select_related("user")
    ]
    related = ("buyer", "manager", "family__responsible_buyer")
    for contract in (
        Contract.objects.expiring_within(horizon_days, today)
        .select_related(*related)
        .prefetch_related("available_to")
    ):
        users = _ending_recipients(contract, referents)
        message = Message(
            key=f"contract-ending:{contract.pk}:{contract.end_date.isoformat()}",
            subject=f"Contrat {contract.reference} : fin le {contract.end_date:%d/%m/%Y}",
            body=(
                f"Le contrat « {contract.object} » ({contract.buyer}) se termine le "
                f"{contract.end_date:%d/%m/%Y}, "
                f"dans {(contract.end_date - today).days} jours. Anticipez la suite : reconduction, "
                "nouvelle consultation ou commande sur un autre contrat."
            ),
            url=contract.get_absolute_url(),
            kind=Kind.CONTRACT_ENDING,
        )
        report.notifications += len(notify(recipients=users, message=message))
        report.ending += 1
    for contract in Contract.objects.decision_overdue(today).select_related(*related):
        what = "la reconduction" if contract.decision_kind == "renewal" else "la relance de la consultation"
        message = Message(
            key=f"decision-overdue:{contract.pk}:{contract.decision_kind}:{contract.decision_due_on.isoformat()}",
            subject=f"Contrat {contract.reference} : décision en retard",
            body=(
                f"La décision sur {what} du contrat « {contract.object} » était attendue le "
                f"{contract.decision_due_on:%d/%m/%Y}. Enregistrez-la sur la page du contrat."
            ),
            url=contract.get_absolute_url(),
            kind=Kind.DECISION_OVERDUE,
        )
        report.notifications += len(notify(recipients=_team(contract) + admins, message=message))
        report.overdue += 1
    report.publication_late, sent = _publication_late(today, related, admins)
    report.notifications += sent
    report.consumption, sent = consumption_alerts_for(None, today=today, referents=referents)
    report.notifications += sent
    return report


def _ending_recipients(contract: Contract, referents: dict[int, list]) -> list:
    """Who hears of a contract's end: its team and the referents of the entities that use it."""
    users = _team(contract) + referents.get(contract.buyer_id, [])
    for entity in contract.available_to.all():
        users += referents.get(entity.pk, [])
    return users


def _publication_late(today: date, related: tuple, admins: list) -> tuple[int, int]:
    """Contracts whose essential data are unpublished past the deadline: told once per contract."""
    count = sent = 0
    for contract in Contract.objects.publication_late(today).select_related(*related):
        message = Message(
            # Keyed by contract only: one reminder, however many days the job runs before publication.
            key=f"publication-late:{contract.pk}",
            subject=f"Contrat {contract.reference} : données essentielles non publiées",
            body=(
                f"Le contrat « {contract.object} » ({contract.buyer}), notifié le "
                f"{contract.notification_date:%d/%m/%Y}, n'est toujours pas publié dans les données "
                "essentielles (DECP), alors que le délai après la notification est dépassé (R2196-1). "
                "Publiez l'export des données ouvertes."
            ),
            url=contract.get_absolute_url(),
            kind=Kind.PUBLICATION_LATE,
        )
        sent += len(notify(recipients=_team(contract) + admins, message=message))
        count += 1
    return count, sent


def consumption_alerts_for(contract_ids, *, today: date | None = None, referents=None) -> tuple[int, int]:
    """Tell the people of the end-of-contract alerts when a running contract's consumption crosses 80 %
    and 100 % of its ceiling; `contract_ids` None = every contract (the daily job), else those an import
    touched. Keyed by contract, threshold and ceiling: once each, and again after an amendment changes
    the ceiling. Returns (contracts over a threshold, notifications sent)."""
    today = today or timezone.localdate()
    referents = _recipients_by_entity() if referents is None else referents
    contracts = (
        with_consumption(Contract.objects.notified())
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .exclude(terminated_on__lt=today)
        .filter(consumption_ceiling__gt=0, consumed_amount__gte=F("consumption_ceiling") * WARNING_SHARE)
        .select_related("buyer", "manager", "family__responsible_buyer")
        .prefetch_related("available_to")
    )
    if contract_ids is not None:
        contracts = contracts.filter(pk__in=list(contract_ids))
    count = sent = 0
    for contract in contracts:
        sent += len(
            notify(recipients=_ending_recipients(contract, referents), message=_consumption_message(contract))
        )
        count += 1
    return count, sent


def _consumption_message(contract: Contract) -> Message:
    ceiling = contract.consumption_ceiling
    share = share_of(contract.consumed_amount, ceiling)
    figures = (
        f"{_euros(contract.consumed_amount)} € HT consommés sur {_euros(ceiling)} € HT, soit "
        f"{_percent(share)} %"
    )
    reached = share >= REACHED_SHARE
    what = "son maximum" if contract.is_framework else "son montant"
    if reached:
        body = f"Le contrat « {contract.object} » ({contract.buyer}) a atteint {what} : {figures}."
        if contract.is_framework:
            body += " Le maximum d'un accord-cadre ne peut être dépassé sans avenant."
    else:
        when = projected_date(
            start=contract.effective_start,
            first=contract.first_spent_on,
            last=contract.last_spent_on,
            consumed=contract.consumed_amount,
            ceiling=ceiling,
        )
        body = f"Le contrat « {contract.object} » ({contract.buyer}) a atteint 80 % de {what} : {figures}."
        body += (
            f" Au rythme actuel, {what} sera atteint vers le {when:%d/%m/%Y}."
            if when
            else " Le rythme actuel ne permet pas encore d'estimer quand il sera atteint."
        )
    threshold = 100 if reached else 80
    return Message(
        key=f"{CONSUMPTION_KEY_PREFIX}{contract.pk}:{threshold}:{ceiling:.2f}",
        subject=f"Contrat {contract.reference} : consommé à {threshold} %",
        body=body + " Anticipez la suite : avenant, nouvelle consultation ou autre contrat.",
        url=contract.get_absolute_url(),
        kind=Kind.CONTRACT_CONSUMPTION,
    )


def _euros(amount) -> str:
    return f"{amount:,.2f}".replace(",", "\u202f").replace(".", ",")


def _percent(share) -> str:
    return f"{share * 100:.1f}".replace(".", ",")
