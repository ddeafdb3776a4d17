"""The territory's objectives for the year, set by management control: the SPASER's shares of
responsible purchasing, the team's lead-time and competition targets, and « 50 % of contracts with an
environmental consideration » in ten purchase families."""

from decimal import Decimal

from mutualis.catalogue.models import PurchaseFamily
from mutualis.organisations.models import User
from mutualis.steering.models import Objective
from mutualis.steering.services.objectives import objective_save

from .authorship import acting_as

SPASER = "Schéma de promotion des achats socialement et écologiquement responsables (SPASER)"
ROADMAP = "Feuille de route de la cellule achats, validée par le comité stratégique"
TERRITORY_TARGETS = (
    ("environmental_share", "50", SPASER),
    ("social_share", "30", SPASER),
    ("reserved_share", "5", SPASER),
    ("sme_amount_share", "40", SPASER),
    ("single_offer_share", "25", ROADMAP),
    ("lead_time_median", "120", ROADMAP),
    ("decp_on_time_share", "100", "Obligation de publication des données essentielles (R2196-1)"),
    ("spend_under_contract_share", "90", ROADMAP),
)
FAMILY_TARGET_COUNT = 10


def load_objectives(controller: User, year: int, skip: tuple = ()) -> int:
    """Once per year: a rerun leaves the objectives (and any change made to them) alone. `skip`: the
    indicators a territory has no data for (an objective nobody can measure only shows a gap)."""
    if Objective.objects.filter(year=year).exists():
        return Objective.objects.filter(year=year).count()
    objectives = [
        Objective(indicator=code, year=year, target=Decimal(target), source=source)
        for code, target, source in TERRITORY_TARGETS
        if code not in skip
    ]
    families = PurchaseFamily.objects.active().order_by("code")[:FAMILY_TARGET_COUNT]
    objectives += [
        Objective(
            indicator="environmental_share", year=year, family=family, target=Decimal(50), source=SPASER
        )
        for family in families
    ]
    with acting_as(controller):
        for objective in objectives:
            objective_save(actor=controller, objective=objective)
    return len(objectives)
