"""Writing incidents: declared by the team or by an entity's referent or family correspondent (for their
own entities), edited while not closed, moved only through their workflow (INCIDENT).

Penalties recorded here are never a purchasing gain: nothing here (nor in mutualis.gains) adds them to one.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mutualis.contracts.models import Contract
from mutualis.notifications.models import Kind
from mutualis.notifications.services import Message, notify, shorten
from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Perm

from ..incident_workflow import INCIDENT
from ..models import Incident, IncidentStatus, IncidentTransition
from ..permissions import may_declare_for

# What only the workflow writes: a form's values for them are ignored.
WORKFLOW_FIELDS = ("status", "handled_by_id", "closed_on", "outcome", "declared_by_id")
CLOSED_MESSAGE = "L'incident est clos : rouvrez-le avant de le modifier."


def future_date_error(day) -> str:
    """The refusal of a date in the future (an incident is declared once it happened), else ""."""
    today = timezone.localdate()
    if day and day > today:
        return f"La date de l'incident ne peut pas être dans le futur (aujourd'hui : {today:%d/%m/%Y})."
    return ""


def _check(actor, incident: Incident) -> dict[str, list[str]]:
    """The business rules, each error on its field (French, naming the record)."""
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    future = future_date_error(incident.occurred_on)
    if future:
        refuse("occurred_on", future)
    if incident.penalty_amount is not None and incident.penalty_amount < 0:
        refuse("penalty_amount", "Les pénalités appliquées ne peuvent pas être négatives.")
    entity = incident.entity if incident.entity_id else None
    contract = incident.contract if incident.contract_id else None
    if entity is not None and not may_declare_for(actor, entity.pk):
        refuse(
            "entity",
            f"Vous ne pouvez pas déclarer d'incident pour {entity} : ce n'est pas l'une de vos entités.",
        )
    if contract is None:
        return errors
    usable = Contract.objects.usable_by_entities([entity.pk]) if entity is not None else None
    if usable is not None and "entity" not in errors and not usable.filter(pk=contract.pk).exists():
        refuse(
            "contract",
            f"Le contrat {contract.reference} n'est ni acheté par {entity} ni mis à sa disposition.",
        )
    if (
        contract.notification_date
        and incident.occurred_on
        and incident.occurred_on < contract.notification_date
    ):
        refuse(
            "occurred_on",
            f"L'incident ne peut pas précéder la notification du contrat {contract.reference} "
            f"({contract.notification_date:%d/%m/%Y}).",
        )
    holder_ids = list(contract.holder_links.values_list("supplier_id", flat=True))
    if incident.supplier_id is None:
        if len(holder_ids) == 1:
            incident.supplier_id = holder_ids[0]
        elif holder_ids:
            refuse(
                "supplier",
                f"Le contrat {contract.reference} a plusieurs titulaires : choisissez celui en cause.",
            )
        else:
            refuse("supplier", f"Le contrat {contract.reference} n'a aucun titulaire enregistré.")
    elif incident.supplier_id not in holder_ids:
        refuse(
            "supplier",
            f"{incident.supplier} n'est pas titulaire du contrat {contract.reference} : "
            "choisissez l'un de ses titulaires.",
        )
    return errors


@transaction.atomic
def incident_save(*, actor, incident: Incident) -> Incident:
    """Declare a new incident (declared, logged, the contract's buyer told) or correct an open one; its
    state, handler and outcome change only through incident_transition. Nothing is written on refusal."""
    if not access_for(actor).has(Perm.DECLARE_INCIDENTS):
        raise PermissionDenied
    created = incident.pk is None
    if created:
        incident.status, incident.handled_by, incident.closed_on, incident.outcome = (
            IncidentStatus.DECLARED, None, None, "",
        )  # fmt: skip
        incident.declared_by = actor
    else:
        stored = Incident.objects.select_for_update().get(pk=incident.pk)
        if not may_declare_for(actor, stored.entity_id):
            raise PermissionDenied
        if stored.status == IncidentStatus.CLOSED:
            raise ValidationError(CLOSED_MESSAGE)
        for name in WORKFLOW_FIELDS:
            setattr(incident, name, getattr(stored, name))
    errors = _check(actor, incident)
    try:
        # The declarer may have left: his incidents stay editable.
        incident.full_clean(exclude=["declared_by", "handled_by", *errors])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    incident.save()
    if created:
        IncidentTransition.objects.create(
            incident=incident,
            name="declare",
            from_status=IncidentStatus.DECLARED,
            to_status=IncidentStatus.DECLARED,
            by=actor,
        )
        _tell_manager(incident, actor)
    return incident


def _tell_manager(incident: Incident, actor) -> None:
    """The buyer in charge of the contract hears of a new incident, unless he declared it himself."""
    manager = incident.contract.manager
    if manager is None or not manager.is_active or manager.pk == getattr(actor, "pk", None):
        return
    notify(
        recipients=[manager],
        message=Message(
            key=f"incident-{incident.pk}-declared",
            subject=f"Incident déclaré sur le contrat {incident.contract.reference} : "
            f"{shorten(incident.get_kind_display())}",
            body=(
                f"{actor} a déclaré un incident ({incident.get_kind_display().lower()}, gravité "
                f"{incident.get_severity_display().lower()}) survenu le {incident.occurred_on:%d/%m/%Y} "
                f"à {incident.entity} sur le contrat « {incident.contract} », titulaire {incident.supplier}."
            ),
            url=incident.get_absolute_url(),
            kind=Kind.INCIDENT_DECLARED,
        ),
    )


def incident_transition(*, actor, incident: Incident, name: str, comment: str = "") -> Incident:
    """Take in charge, close (the comment is the outcome) or reopen an incident along INCIDENT."""
    return INCIDENT.apply(incident, name, actor, comment=comment).record
