"""A small territory for the portal's tests: a published planned purchase, a published consultation open
to offers, an unpublished project, an awarded and notified contract, a need line, and the stored DECP file."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from mutualis.needs.models import Campaign, NeedLine
from mutualis.needs.services import campaign_save
from mutualis.opendata.exports.store import build_and_store
from mutualis.opendata.models import ExportKind, OpenDataExport
from mutualis.procurements.models import Project, StageCode
from mutualis.procurements.services import project_save
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.procurements.factories import LAUNCH, new_project, prepare, project_awarded, walk_to

PLANNED = "Fourniture de mobilier de bureau ergonomique"
LATER = "Tonte et élagage des parcs"
CONSULTATION = "Entretien des espaces verts des sites hospitaliers"
CONTACT = "Cellule achats du GHT — achats@chu-test.fr"
PROFILE = "https://marches.example.fr/consultation/4242"


@dataclass
class World:
    planned: Project
    later: Project
    consultation: Project
    unpublished: Project
    awarded: Project
    line: NeedLine


def publish(project: Project, actor, **fields) -> Project:
    for name, value in {"portal_published": True, "portal_contact": CONTACT, **fields}.items():
        setattr(project, name, value)
    return project_save(actor=actor, project=project, today=LAUNCH)


@pytest.fixture
def world(team, support, hospital, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path
    buyer, legal = team
    furniture = PurchaseFamilyFactory(code="MOB-01", label="Mobilier")
    green = PurchaseFamilyFactory(code="ESP-01", label="Espaces verts", nature="services")
    people = {"buyer": buyer, "legal_officer": legal, "buyer_entity": support}
    planned = new_project(buyer, entities=[hospital], value="75000", object=PLANNED, family=furniture,
                          planned_launch_quarter="2027-T2", cpv_id="39130000", **people)  # fmt: skip
    planned = publish(planned, buyer)
    later = new_project(buyer, entities=[support], value="250000", object=LATER, family=green,
                        planned_launch_quarter="2027-T4", cpv_id="77310000", **people)  # fmt: skip
    later = publish(later, buyer)
    consultation = new_project(buyer, entities=[hospital, support], value="150000", object=CONSULTATION,
                               family=green, cpv_id="77310000", **people)  # fmt: skip
    consultation = walk_to(consultation, StageCode.PUBLICATION, buyer=buyer, legal=legal)
    consultation = prepare(consultation, buyer=buyer, legal=legal)
    consultation = publish(
        consultation,
        buyer,
        consultation_url=PROFILE,
        tender_deadline=timezone.localdate() + timedelta(days=20),
    )
    unpublished = new_project(buyer, entities=[hospital], value="50000", object="Projet interne non publié",
                              family=furniture, **people)  # fmt: skip
    awarded = project_awarded(buyer=buyer, legal=legal, entities=[hospital], buyer_entity=support)
    awarded = prepare(awarded, buyer=buyer, legal=legal)  # signed and notified: in the registry
    campaign = campaign_save(
        actor=None,
        campaign=Campaign(title="Besoins 2027", year=2027, deadline=date(2026, 12, 15), launch_date=LAUNCH),
        families=[furniture],
    )
    line = NeedLine.objects.create(
        campaign=campaign, entity=hospital, family=furniture, description="Fauteuils du service",
        estimated_amount=Decimal("12000"), recurrence="recurring",
    )  # fmt: skip
    return World(planned, later, consultation, unpublished, awarded, line)


def store_decp() -> OpenDataExport:
    return build_and_store(OpenDataExport.objects.create(kind=ExportKind.DECP))
