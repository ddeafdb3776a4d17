"""A demo needs campaign: every member hospital declared needs in a few families."""

import random
from datetime import date
from decimal import Decimal

from mutualis.catalogue.models import PurchaseFamily
from mutualis.needs.models import Campaign, NeedLine, NeedStatus, NeedTransition

FAMILIES = ["HOT-01", "HOT-02", "HOT-03", "LOG-01", "MED-02", "NUM-01", "MAI-01", "TRA-01"]
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


def load_campaign(entities: list, today: date) -> Campaign:
    """Created once; left alone afterwards, like the demo registry."""
    year = today.year + 1
    campaign, created = Campaign.objects.get_or_create(
        title=f"Recensement des besoins {year}",
        defaults={
            "year": year,
            "deadline": date(today.year, 12, 15),
            "launch_date": date(year, 2, 1),
            "instructions": "Déclarez vos besoins récurrents sur 12 mois, en euros HT.",
        },
    )
    if not created:
        return campaign
    families = list(PurchaseFamily.objects.filter(code__in=FAMILIES))
    campaign.families.set(families)
    rng = random.Random(2027)
    for entity in entities:
        for family in rng.sample(families, 5):
            works = family.nature == "travaux"
            line = NeedLine.objects.create(
                campaign=campaign,
                entity=entity,
                family=family,
                description=DESCRIPTIONS[family.code],
                estimated_amount=Decimal(rng.randrange(8_000, 95_000, 500)),
                recurrence="one_off" if works else "recurring",
            )
            status = rng.choice(
                [NeedStatus.DRAFT, NeedStatus.SUBMITTED, NeedStatus.VALIDATED, NeedStatus.VALIDATED]
            )
            path = {NeedStatus.SUBMITTED: ["submitted"], NeedStatus.VALIDATED: ["submitted", "validated"]}
            previous = NeedStatus.DRAFT
            for step in path.get(status, []):
                NeedTransition.objects.create(line=line, from_status=previous, to_status=step)
                previous = step
            NeedLine.objects.filter(pk=line.pk).update(status=status)
    return campaign
