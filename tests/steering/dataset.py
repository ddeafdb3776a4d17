"""A small territory built by hand for the indicators' tests: every expected figure is worked out in the
docstring of the test that checks it, from the rows below.

Year 2025, contracts notified (amount HT, procedure, offers, considerations, holders):
  C1 support   100 000  open tender       1 offer   social clause             PME (21)
  C2 hospital  300 000  open tender       4 offers  environmental criterion   PME (21) + GE (75)
  C3 support    50 000  no competition    1 offer   reserved + social clause, environmental clause   unknown
  C4 other      50 000  adapted           unknown   none                      GE (75)
plus one contract notified in 2024 and one never notified, which no 2025 figure counts.
"""

from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from mutualis.gains.models import GainStatus, GainTarget
from mutualis.procurements.models import Lot, Project, StageTransition
from mutualis.procurements.services import lot_save
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.contracts.factories import make_contract
from tests.gains.factories import gain
from tests.procurements.factories import new_project
from tests.spend.spendmap_rows import make_line
from tests.suppliers.factories import SupplierFactory

NONE_SOCIAL, NONE_ENV = ["Pas de considération sociale"], ["Pas de considération environnementale"]


def _aware(day: date):
    return timezone.make_aware(datetime.combine(day, time(10)))


def build(*, support, hospital, other_hospital, buyer):
    hospital.insee_code = "21054"
    hospital.save()
    other_hospital.insee_code = "21231"
    other_hospital.save()
    family = PurchaseFamilyFactory()
    sme = SupplierFactory(size_category="PME", insee_code="21231")
    large = SupplierFactory(size_category="GE", insee_code="75056")
    unknown = SupplierFactory(size_category="", insee_code="")
    c1 = make_contract(
        buyer=support, reference="C1", amount=Decimal(100000), procedure="Appel d'offres ouvert",
        offers_received=1, notification_date=date(2025, 3, 10), social_considerations=["Clause sociale"],
        environmental_considerations=NONE_ENV, holders=[sme], family=family,
    )  # fmt: skip
    c2 = make_contract(
        buyer=hospital, reference="C2", amount=Decimal(300000), procedure="Appel d'offres ouvert",
        offers_received=4, notification_date=date(2025, 3, 31), social_considerations=NONE_SOCIAL,
        environmental_considerations=["Critère environnemental"], holders=[sme, large],
    )  # fmt: skip
    c3 = make_contract(
        buyer=support, reference="C3", amount=Decimal(50000),
        procedure="Marché passé sans publicité ni mise en concurrence préalable", offers_received=1,
        notification_date=date(2025, 6, 15), social_considerations=["Marché réservé", "Clause sociale"],
        environmental_considerations=["Clause environnementale"], holders=[unknown], family=family,
    )  # fmt: skip
    c4 = make_contract(
        buyer=other_hospital, reference="C4", amount=Decimal(50000), procedure="Procédure adaptée",
        offers_received=None, notification_date=date(2025, 1, 31), holders=[large],
    )  # fmt: skip
    make_contract(buyer=support, reference="C0", notification_date=date(2024, 12, 31), offers_received=1)
    make_contract(buyer=support, reference="C5", notification_date=None)
    # DECP publication: C1 ten days after, C2 on its last day (61 days), C3 never, C4 a day late (60 days).
    for contract, day in ((c1, date(2025, 3, 20)), (c2, date(2025, 5, 31)), (c4, date(2025, 4, 1))):
        contract.data_published_on = day
        contract.save(update_fields=["data_published_on"])

    projects = _projects(support, buyer, family)
    # Gains of 1 000 € a year: one notified on 1 Jan 2025 (all of it in 2025), one on 1 Jul 2024 (184 of
    # the 366 days of 2024 in its year N, so 182/366 × 1 000 = 497.27 in 2025).
    gain(entity=support, notification_date=date(2025, 1, 1), status=GainStatus.DECLARED)
    gain(entity=support, notification_date=date(2024, 7, 1), status=GainStatus.VALIDATED)
    gain(entity=support, notification_date=date(2025, 7, 1), status=GainStatus.PROPOSED)  # not counted
    GainTarget.objects.create(year=2025, amount=Decimal(5000))
    # Spend 2025: 1 000 € on C1, 3 000 € off contract.
    make_line(entity=support, year=2025, amount="1000.00", contract=c1)
    make_line(entity=support, year=2025, amount="3000.00")
    return {"family": family, "contracts": (c1, c2, c3, c4), "projects": projects}


def _projects(support, buyer, family):
    """P1 created 1 Jan 2025, lots notified 1 Mar and 10 Apr (99 days); P2 created 1 Dec 2024, notified
    1 Feb 2025 (62 days); P3 created 1 May 2025, notified 30 Jun 2025 (60 days).
    Stages left in 2025: P1 « besoin » after 10 days (on time), « sourcing » after 30 (late);
    P2 « sourcing » after 20 days (on time), its « besoin » left in 2024."""
    p1 = new_project(buyer, entities=[support], buyer=buyer, buyer_entity=support, value="150000",
                     family=family)  # fmt: skip
    p2 = new_project(buyer, entities=[support], buyer=buyer, buyer_entity=support, value="80000")
    p3 = new_project(buyer, entities=[support], buyer=buyer, buyer_entity=support, value="200000")
    lot_save(actor=buyer, lot=Lot(project=p1, number=2, title="Lot 2", estimated_value=Decimal(1)))
    for project, created, launched, notified in (
        (p1, date(2025, 1, 1), date(2025, 2, 1), [date(2025, 3, 1), date(2025, 4, 10)]),
        (p2, date(2024, 12, 1), date(2024, 12, 10), [date(2025, 2, 1)]),
        (p3, date(2025, 5, 1), date(2025, 5, 15), [date(2025, 6, 30)]),
    ):
        Project.objects.filter(pk=project.pk).update(created_at=_aware(created), launched_on=launched)
        for lot, day in zip(project.lots.order_by("number"), notified, strict=True):
            Lot.objects.filter(pk=lot.pk).update(notified_on=day)
    StageTransition.objects.filter(project__in=[p1, p2, p3]).delete()
    stages = {stage.code: stage for stage in p1.process_map.stages.all()}
    for project, day, code, late in (
        (p1, date(2025, 1, 11), "besoin", False),
        (p1, date(2025, 2, 10), "sourcing", True),
        (p2, date(2024, 12, 20), "besoin", False),
        (p2, date(2025, 1, 9), "sourcing", False),
    ):
        StageTransition.objects.create(
            project=project, action="advance", from_stage=stages[code], at=_aware(day), was_late=late
        )
    return p1, p2, p3
