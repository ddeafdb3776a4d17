"""The demo's purchasing gains and action plan, walked through the services as people would.

Every awarded lot of the demo already has the gain Mutualis proposed at award (procurements.signals).
Here the buyers declare them, management control validates most and returns one with a comment. Some
are negative, as the method gives them: a lot awarded on quality to an offer dearer than the mean of
the offers costs more than the reference, and is shown as such. The
territory's action plan (PAAT) and one establishment's own plan (PAA) hold an action at every status,
linked to the projects and gains that realise them."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from mutualis.contracts.models import Contract
from mutualis.gains.method import GainKind
from mutualis.gains.models import (
    ActionStatus,
    BudgetKind,
    Gain,
    GainOrigin,
    GainStage,
    GainStatus,
    GainTarget,
    Lever,
    PlanAction,
    PlanOrigin,
    ReferenceSource,
)
from mutualis.gains.services import gain_save, gain_target_save, gain_transition, plan_action_save
from mutualis.organisations.models import Entity, User
from mutualis.procurements.models import Project

from .authorship import acting_as

RETURN_COMMENT = (
    "Ce lot est payé sur bordereau : indiquez les quantités annuelles estimées et les prix unitaires "
    "plutôt qu'un forfait annuel, pour que le gain réalisé puisse être constaté sur les volumes."
)


@dataclass(frozen=True)
class People:
    buyer: User
    controller: User


def _declare(gain: Gain, people: People) -> Gain:
    actor = gain.buyer or people.buyer
    with acting_as(actor):
        return gain_transition(actor=actor, gain=gain, name="declare")


def _control(gain: Gain, people: People, name: str, comment: str = "") -> Gain:
    with acting_as(people.controller):
        return gain_transition(actor=people.controller, gain=gain, name=name, comment=comment)


def walk_gains(people: People) -> list[Gain]:
    """Declare, validate or return the proposed gains: every state of the workflow is shown."""
    gains = list(Gain.objects.filter(origin=GainOrigin.AWARD, status=GainStatus.PROPOSED).order_by("pk"))
    for index, gain in enumerate(gains):
        if index == len(gains) - 1 and index > 2:
            continue  # the last one stays proposed: the buyer still has to complete it
        gain = _declare(gain, people)
        if index == 0:
            _control(gain, people, "return", RETURN_COMMENT)
        elif index % 3 != 2:
            _control(gain, people, "validate")
    return gains


def renegotiation_gain(people: People, today: date) -> Gain | None:
    """A gain outside the pipeline: a price renegotiated at a framework's renewal."""
    contract = (
        Contract.objects.filter(
            renewal_count__gt=0,
            notification_date__isnull=False,
            end_date__gte=today,
            replaced_by_projects=None,
        )
        .select_related("buyer", "family")
        .order_by("end_date", "pk")
        .first()
    )
    if contract is None:
        return None
    # The amount covers the whole possible duration: the firm period and every renewal.
    firm, period = contract.firm_duration_months or 12, contract.renewal_period_months or 12
    months = firm + contract.renewal_count * period
    per_year = (contract.amount * 12 / Decimal(months)).quantize(Decimal("0.0001"))
    gain = Gain(
        origin=GainOrigin.RENEGOTIATION,
        contract=contract,
        label=f"Renégociation à la reconduction : {contract.object}"[:500],
        entity=contract.buyer,
        family=contract.family,
        buyer=people.buyer,
        kind=GainKind.RECURRING,
        reference_source=ReferenceSource.PREVIOUS_CONTRACT,
        reference_unit_price=per_year,
        new_unit_price=(per_year * Decimal("0.97")).quantize(Decimal("0.0001")),
        quantity=Decimal(1),
        notification_date=date(today.year, 1, 15),
        lever=Lever.NEGOTIATION,
        stage=GainStage.SECURED,
        comment="Remise de 3 % obtenue du titulaire en contrepartie de la reconduction.",
    )
    with acting_as(people.buyer):
        gain = gain_save(actor=people.buyer, gain=gain)
    return _declare(gain, people)


def _project(object_start: str) -> Project | None:
    return Project.objects.filter(object__startswith=object_start).first()


def load_action_plan(people: People, entities: dict[str, Entity], today: date) -> int:
    """A PAAT with an action at every status, and one establishment's own plan (PAA)."""
    by_name = {entity.short_name: entity for entity in entities.values()}
    everyone = list(entities.values())
    year = today.year
    actions = [
        (
            "Regrouper les contrats de transport sanitaire du territoire",
            PlanOrigin.TERRITORY,
            ActionStatus.IN_PROGRESS,
            Lever.POOLING,
            "T2",
            everyone,
            ("Transport sanitaire",),
            (Decimal("118"), Decimal("104"), Decimal("4200"), None),
        ),
        (
            "Convergence des marchés de blanchisserie",
            PlanOrigin.TERRITORY,
            ActionStatus.PLANNED,
            Lever.POOLING,
            "T4",
            everyone[1:],
            ("Prestations de blanchisserie",),
            (Decimal("2.35"), Decimal("2.12"), Decimal("160000"), None),
        ),
        (
            "Juste besoin en réactifs de biologie : standardiser les automates",
            PlanOrigin.TERRITORY,
            ActionStatus.POSTPONED,
            Lever.SPECIFICATION,
            "T3",
            everyone[:4],
            ("Fourniture de réactifs",),
            (Decimal("1.90"), Decimal("1.74"), Decimal("300000"), None),
        ),
        (
            "Renouvellement des échographes du territoire",
            PlanOrigin.TERRITORY,
            ActionStatus.ABANDONED,
            Lever.PRICE,
            "T1",
            everyone[:3],
            (),
            (Decimal("68000"), Decimal("61500"), Decimal("4"), 7),
        ),
        (
            "Mise en accessibilité de Beaune : allotissement et négociation des travaux",
            PlanOrigin.TERRITORY,
            ActionStatus.IN_PROGRESS,
            Lever.NEGOTIATION,
            "T4",
            [by_name["Hospices civils de Beaune"]],
            ("Travaux de mise en accessibilité",),
            (Decimal("700000"), Decimal("665000"), Decimal("1"), 20),
        ),
    ]
    done = _done_actions(people)
    count = 0
    for title, origin, status, lever, quarter, concerned, projects, prices in actions:
        reference, new, quantity, amortisation = prices
        action = PlanAction.objects.filter(title=title, year=year).first() or PlanAction(
            title=title, year=year
        )
        action.origin, action.status, action.lever = origin, status, lever
        action.planned_quarter = f"{year}-{quarter}"
        action.family = _family_of(projects)
        action.owner = people.buyer
        action.budget = BudgetKind.INVESTMENT if amortisation else BudgetKind.OPERATING
        action.kind = GainKind.INVESTMENT if amortisation else GainKind.RECURRING
        action.reference_unit_price, action.new_unit_price, action.quantity = reference, new, quantity
        action.amortisation_years = amortisation
        linked = [p for p in (_project(start) for start in projects) if p is not None]
        with acting_as(people.buyer):
            plan_action_save(actor=people.buyer, action=action, entities=concerned, projects=linked)
        count += 1
    auxonne = by_name.get("CH d'Auxonne")
    return count + done + (_own_plan(people, auxonne, year) if auxonne else 0)


def _family_of(project_starts):
    for start in project_starts:
        project = _project(start)
        if project is not None:
            return project.family
    return None


def _done_actions(people: People) -> int:
    """Every executed project with a declared gain realises an action of the plan (status done)."""
    count = 0
    for gain in (
        Gain.objects.filter(lot__isnull=False, status__in=[GainStatus.DECLARED, GainStatus.VALIDATED])
        .select_related("lot__project__family")
        .order_by("pk")[:2]
    ):
        project = gain.lot.project
        title = f"Remise en concurrence : {project.family.label}"
        year = gain.notification_date.year
        action = PlanAction.objects.filter(title=title, year=year).first() or PlanAction(
            title=title, year=year
        )
        action.origin, action.status, action.lever = PlanOrigin.TERRITORY, ActionStatus.DONE, gain.lever
        action.planned_quarter = f"{year}-T{(gain.notification_date.month - 1) // 3 + 1}"
        action.family, action.owner = project.family, people.buyer
        action.kind, action.budget = gain.kind, BudgetKind.OPERATING
        action.reference_unit_price = gain.reference_unit_price or gain.figures().reference_unit_price
        action.new_unit_price = (action.reference_unit_price * Decimal("0.93")).quantize(Decimal("0.0001"))
        action.quantity, action.amortisation_years = gain.quantity, None
        with acting_as(people.buyer):
            action = plan_action_save(
                actor=people.buyer,
                action=action,
                entities=Entity.objects.filter(pk__in=project.concerned_entity_ids()),
                projects=[project],
            )
        Gain.objects.filter(pk=gain.pk).update(action=action)
        count += 1
    return count


def _own_plan(people: People, entity: Entity, year: int) -> int:
    title = "Plan de l'établissement : fournitures de bureau en commande groupée UGAP"
    action = PlanAction.objects.filter(title=title, year=year).first() or PlanAction(title=title, year=year)
    action.origin, action.status, action.lever = PlanOrigin.ESTABLISHMENT, ActionStatus.PLANNED, Lever.PROCESS
    action.planned_quarter = f"{year}-T3"
    action.owner, action.budget, action.kind = people.buyer, BudgetKind.OPERATING, GainKind.RECURRING
    action.reference_unit_price, action.new_unit_price = Decimal("18500"), Decimal("17200")
    action.quantity = Decimal(1)
    with acting_as(people.buyer):
        plan_action_save(actor=people.buyer, action=action, entities=[entity])
    return 1


def load_target(admin: User, year: int) -> GainTarget:
    """The year's gain target the purchasing director set (a rerun leaves a changed one alone)."""
    target = GainTarget.objects.filter(year=year).first()
    if target is not None:
        return target
    target = GainTarget(
        year=year,
        amount=Decimal("25000.00"),
        comment="Objectif de la feuille de route achats du GHT, validé par le comité stratégique.",
    )
    with acting_as(admin):
        return gain_target_save(actor=admin, target=target)


def load_gains(users: dict[str, User], entities: dict[str, Entity], today: date) -> tuple[int, int]:
    people = People(buyer=users["acheteur"], controller=users["controleur"])
    load_target(users["admin"], today.year)
    walk_gains(people)
    if not Gain.objects.exclude(origin=GainOrigin.AWARD).exists():
        renegotiation_gain(people, today)
    actions = load_action_plan(people, entities, today)
    return Gain.objects.count(), actions
