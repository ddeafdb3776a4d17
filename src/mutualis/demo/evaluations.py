"""The demo's supplier evaluation, written through the services as people would:

- incidents declared by the referents of the Hospices civils de Beaune and of the CH de Semur-en-Auxois on
  a contract both use, one closed with its penalties;
- a completed QCD campaign on a family over the previous half-year, answered by those two referents (the
  other establishments, without a referent account, did not answer), whose poor score on that contract
  opened an improvement action at closing;
- a campaign in progress on another contract over the last half-year, answered by Semur, Beaune's still
  to fill in (the referent finds it on his home page).

Built once, then left alone."""

from datetime import date, timedelta

from django.db.models import Count

from mutualis.contracts.models import Contract
from mutualis.evaluations.campaign_workflow import CAMPAIGN
from mutualis.evaluations.models import Axis, EvaluationCampaign, Incident, IncidentKind, IncidentSeverity
from mutualis.evaluations.services.answers import evaluation_answer
from mutualis.evaluations.services.campaigns import campaign_launch
from mutualis.evaluations.services.incidents import incident_save, incident_transition
from mutualis.organisations.models import Entity, User
from mutualis.spend.models import SpendLine

from .authorship import acting_as

BEAUNE, SEMUR = "20004782700015", "26210018300017"  # the establishments with a referent account
CLOSED_FAMILY, OPEN_FAMILY = "HOT-01", "PI-01"
# Marks per axis given by each referent: the closed campaign's contract is found wanting on delays.
POOR = {Axis.QUALITY: 2, Axis.COST: 3, Axis.DELAY: 1}
GOOD = {Axis.QUALITY: 4, Axis.COST: 3, Axis.DELAY: 3}


def _shared_contract(family_code: str, entities, start: date, end: date) -> Contract | None:
    """A contract of the family that both establishments paid for during the period."""
    row = (
        SpendLine.objects.filter(
            contract__family__code=family_code, entity__in=entities, paid_on__gte=start, paid_on__lte=end
        )
        .order_by()
        .values("contract_id")
        .annotate(payers=Count("entity", distinct=True))
        .filter(payers=len(entities))
        .order_by("contract_id")
        .first()
    )
    return Contract.objects.get(pk=row["contract_id"]) if row else None


def _answer(person: User, campaign: EvaluationCampaign, entity: Entity, marks_for, comment: str) -> None:
    """The entity's referent answers each of its evaluations: `marks_for(contract)` gives the marks per
    axis."""
    for evaluation in campaign.evaluations.filter(entity=entity).select_related("contract"):
        marks = marks_for(evaluation.contract)
        with acting_as(person):
            evaluation_answer(
                actor=person,
                evaluation=evaluation,
                marks={c.pk: marks[c.axis] for c in campaign.criteria.all()},
                comment=comment if marks is POOR else "",
            )


def _incidents(people, beaune, semur, contract: Contract, start: date) -> None:
    late = Incident(
        contract=contract,
        entity=semur,
        kind=IncidentKind.LATE_DELIVERY,
        severity=IncidentSeverity.MAJOR,
        occurred_on=start + timedelta(days=40),
        description="Livraison arrivée avec quatre jours de retard : les services se sont dépannés ailleurs.",
        penalty_amount=150,
    )
    with acting_as(people["referente"]):
        late = incident_save(actor=people["referente"], incident=late)
    with acting_as(people["acheteur"]):
        incident_transition(actor=people["acheteur"], incident=late, name="handle")
        incident_transition(
            actor=people["acheteur"],
            incident=late,
            name="close",
            comment="Pénalités de retard appliquées (150 € HT), tournées revues avec le titulaire.",
        )
    wrong = Incident(
        contract=contract,
        entity=beaune,
        kind=IncidentKind.NON_CONFORMITY,
        severity=IncidentSeverity.MINOR,
        occurred_on=start + timedelta(days=75),
        description="Références substituées sans accord préalable dans une livraison.",
    )
    with acting_as(people["referent"]):
        wrong = incident_save(actor=people["referent"], incident=wrong)
    with acting_as(people["acheteur"]):
        incident_transition(actor=people["acheteur"], incident=wrong, name="handle")


def load_evaluations(people: dict[str, User], today: date) -> int:
    """Create the demo's incidents and campaigns unless campaigns exist; returns the number of campaigns."""
    if EvaluationCampaign.objects.exists():
        return EvaluationCampaign.objects.count()
    beaune, semur = Entity.objects.get(siret=BEAUNE), Entity.objects.get(siret=SEMUR)
    buyer = people["acheteur"]
    previous = (today - timedelta(days=365), today - timedelta(days=183))
    recent = (today - timedelta(days=182), today - timedelta(days=1))
    poor = _shared_contract(CLOSED_FAMILY, [beaune, semur], *previous)
    if poor is not None:
        _incidents(people, beaune, semur, poor, previous[0])
        with acting_as(buyer):
            closed = campaign_launch(
                actor=buyer,
                campaign=EvaluationCampaign(
                    title=f"{poor.family.label} : semestre au {previous[1]:%d/%m/%Y}",
                    family=poor.family,
                    period_start=previous[0],
                    period_end=previous[1],
                    answer_by=today,
                ),
            )

        def marks_for(contract):
            return POOR if contract == poor else GOOD

        _answer(people["referent"], closed, beaune, marks_for, "Retards répétés, relances nécessaires.")
        _answer(people["referente"], closed, semur, marks_for, "Livraisons en retard à plusieurs reprises.")
        with acting_as(buyer):
            CAMPAIGN.apply(closed, "close", buyer)
    ongoing = _shared_contract(OPEN_FAMILY, [beaune, semur], *recent)
    if ongoing is not None:
        with acting_as(buyer):
            running = campaign_launch(
                actor=buyer,
                campaign=EvaluationCampaign(
                    title=f"Évaluation du contrat {ongoing.reference} : semestre écoulé",
                    contract=ongoing,
                    period_start=recent[0],
                    period_end=recent[1],
                    answer_by=today + timedelta(days=21),
                ),
            )
        _answer(people["referente"], running, semur, lambda contract: GOOD, "")
    return EvaluationCampaign.objects.count()
