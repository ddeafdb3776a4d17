"""Procurement projects built through the services and walked along the map as the team would, with
ready-made states (a consultation in analysis with three scored offers, an awarded project)."""

from datetime import date, timedelta
from decimal import Decimal

from mutualis.procurements.analysis import project_analysis
from mutualis.procurements.models import Criterion, Offer, Project, StageCode
from mutualis.procurements.services import (
    criterion_save,
    lot_award,
    lot_notify,
    offer_save,
    project_save,
    project_transition,
)
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.suppliers.factories import SupplierFactory

LAUNCH = date(2026, 9, 1)  # after the Loi Climat obligations start


def new_project(
    actor, *, entities, value="150000", buyer=None, legal_officer=None, buyer_entity=None, **fields
):
    family = fields.pop("family", None) or PurchaseFamilyFactory()
    project = Project(
        object=fields.pop("object", "Consommables de laboratoire"),
        family=family,
        cpv_id=fields.pop("cpv_id", "33141000"),
        estimated_value=Decimal(value),
        planned_launch_quarter=fields.pop("planned_launch_quarter", "2026-T3"),
        buyer=buyer,
        legal_officer=legal_officer,
        buyer_entity=buyer_entity,
        environmental_condition=fields.pop("environmental_condition", True),
        social_condition=fields.pop("social_condition", True),
        price_types=fields.pop("price_types", ["Définitif révisable"]),
        **fields,
    )
    return project_save(actor=actor, project=project, entities=entities, today=LAUNCH)


def declare_grid(actor, project, *, environmental=True):
    criteria = [("Prix", "price", "50"), ("Valeur technique", "technical", "40")]
    criteria.append(
        ("Performance environnementale", "environmental", "10")
        if environmental
        else ("Délais", "delay", "10")
    )
    for position, (label, kind, weight) in enumerate(criteria):
        criterion_save(
            actor=actor,
            criterion=Criterion(
                project=project, label=label, kind=kind, weight=Decimal(weight), position=position
            ),
        )


def add_offers(actor, project, prices=("100000", "120000", "130000"), technical=("8", "9", "6")):
    criteria = list(project.criteria.all())
    offers = []
    for lot in project.lots.all():
        for price, score in zip(prices, technical, strict=True):
            scores = {c.pk: Decimal(score) for c in criteria if not c.is_price}
            offer = Offer(lot=lot, supplier=SupplierFactory(), price=Decimal(price), received_on=LAUNCH)
            offers.append(offer_save(actor=actor, offer=offer, scores=scores))
    return offers


def advance(actor, project, today=None):
    return project_transition(actor=actor, project=project, action="advance", today=today or LAUNCH)


def prepare(project, *, buyer, legal, today=LAUNCH):
    """Fill what the project's current stage needs before it can be validated."""
    stage = project.stage.code
    if stage == StageCode.DOCUMENTS and not project.criteria.exists():
        declare_grid(buyer, project)
    if stage == StageCode.PUBLICATION:
        project.published_on = today
        project.tender_deadline = today + timedelta(days=35)
        project = project_save(actor=buyer, project=project, today=today)
    if stage == StageCode.ANALYSIS and not Offer.objects.filter(lot__project=project).exists():
        add_offers(buyer, project)
    if stage == StageCode.AWARD:
        for analysis in project_analysis(project)[1]:
            if analysis.lot.status == "open":
                offer = analysis.best.offer if analysis.best else analysis.offers[0].offer
                lot_award(
                    actor=legal, lot=analysis.lot, offer=offer, awarded_on=today, rejections_sent_on=today
                )
    if stage == StageCode.NOTIFICATION:
        for lot in project.lots.filter(status="awarded", notified_on__isnull=True):
            lot_notify(
                actor=legal,
                lot=lot,
                signed_on=today + timedelta(days=11),
                notified_on=today + timedelta(days=12),
            )
    return project


def walk_to(project, code, *, buyer, legal, today=LAUNCH):
    """Fill what each stage needs and validate it, by the role the map gives it, until `code`."""
    people = {"buyer": buyer, "legal_officer": legal}
    while project.stage.code != code:
        project = prepare(project, buyer=buyer, legal=legal, today=today)
        project = advance(people[project.stage.responsible_role], project, today)
    return project


def project_in_analysis(*, buyer, legal, entities, buyer_entity=None, **fields):
    """An open tender at the offer analysis stage, with three regular offers scored on every criterion."""
    project = new_project(
        buyer, entities=entities, value="300000", buyer=buyer, legal_officer=legal,
        buyer_entity=buyer_entity or entities[0], **fields,
    )  # fmt: skip
    project = walk_to(project, StageCode.ANALYSIS, buyer=buyer, legal=legal)
    add_offers(buyer, project)
    return project


def project_awarded(*, buyer, legal, entities, buyer_entity=None, **fields):
    """The same consultation once its lot is awarded to the best offer: its contract is in the registry,
    waiting for signature and notification."""
    project = project_in_analysis(
        buyer=buyer, legal=legal, entities=entities, buyer_entity=buyer_entity, **fields
    )
    return walk_to(project, StageCode.NOTIFICATION, buyer=buyer, legal=legal)
