"""A demo needs campaign: every member hospital declared needs in a few families."""

import random
from datetime import date
from decimal import Decimal

from mutualis.catalogue.models import PurchaseFamily
from mutualis.needs.models import Campaign, NeedLine, NeedStatus
from mutualis.needs.services import campaign_save, need_line_save, need_line_transition

DESCRIPTIONS = {
    "HOT-01": "Denrées pour la cuisine centrale",
    "HOT-02": "Location-entretien du linge des unités de soins",
    "HOT-03": "Nettoyage des locaux administratifs",
    "LOG-01": "Enlèvement des DASRI",
    "MED-02": "Seringues et aiguilles à usage unique",
    "NUM-01": "Renouvellement des postes de travail",
    "MAI-01": "Maintenance des ascenseurs",
    "TRA-01": "Réfection de la toiture du bâtiment B",
}


def load_campaign(
    entities: list, today: date, *, buyer, descriptions: dict = DESCRIPTIONS, quiet: tuple = ()
) -> Campaign:
    """Created once, its lines declared and moved by the demo buyer through the needs services; left alone
    afterwards, like the demo registry. `descriptions`: the campaign's family codes, with the need each
    entity may declare in it; `quiet`: codes of families open in the campaign where the demo declares
    nothing (left for a walk-through to fill)."""
    year = today.year + 1
    title = f"Recensement des besoins {year}"
    if Campaign.objects.filter(title=title).exists():
        return Campaign.objects.get(title=title)
    campaign = campaign_save(
        actor=buyer,
        campaign=Campaign(
            title=title,
            year=year,
            deadline=date(today.year, 12, 15),
            launch_date=date(year, 2, 1),
            instructions="Déclarez vos besoins récurrents sur 12 mois, en euros HT.",
        ),
        families=PurchaseFamily.objects.filter(code__in=[*descriptions, *quiet]),
    )
    families = list(PurchaseFamily.objects.filter(code__in=descriptions))
    rng = random.Random(2027)
    for entity in entities:
        for family in rng.sample(families, 5):
            works = family.nature == "travaux"
            line = need_line_save(
                actor=buyer,
                line=NeedLine(
                    campaign=campaign,
                    entity=entity,
                    family=family,
                    description=descriptions[family.code],
                    estimated_amount=Decimal(rng.randrange(8_000, 95_000, 500)),
                    recurrence="one_off" if works else "recurring",
                ),
            )
            status = rng.choice(
                [NeedStatus.DRAFT, NeedStatus.SUBMITTED, NeedStatus.VALIDATED, NeedStatus.VALIDATED]
            )
            path = {NeedStatus.SUBMITTED: ["submitted"], NeedStatus.VALIDATED: ["submitted", "validated"]}
            for step in path.get(status, []):
                line = need_line_transition(actor=buyer, line=line, to_status=step)
    return campaign
