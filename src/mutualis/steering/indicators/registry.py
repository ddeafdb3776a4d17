"""Every steering indicator, declared once: its code (the API's key), label, unit, definition and group.

The definitions are shown on hover and focus next to every figure, in the report and in the API's
documentation: they say exactly what is counted, so that a figure can be checked by hand.
"""

from dataclasses import dataclass


class Group:
    ACTIVITY = "activity"
    LEAD_TIMES = "lead_times"
    COMPETITION = "competition"
    RESPONSIBLE = "responsible"
    COMPLIANCE = "compliance"
    PERFORMANCE = "performance"

    LABELS = {
        ACTIVITY: "Activité",
        LEAD_TIMES: "Délais",
        COMPETITION: "Concurrence",
        RESPONSIBLE: "Achats responsables",
        COMPLIANCE: "Conformité juridique",
        PERFORMANCE: "Performance",
    }


class Unit:
    COUNT = "nombre"
    EUROS = "€ HT"
    PERCENT = "%"
    DAYS = "jours"
    OFFERS = "offres"
    HOURS = "heures"


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    group: str
    unit: str
    definition: str
    # True: the higher the better (a target is a floor); False: a ceiling; None: neither (activity).
    higher_is_better: bool | None = None


_CONTRACTS_OF_YEAR = (
    "contrats du registre (marchés, lots, marchés subséquents) notifiés dans la période, "
    "dont l'acheteur est l'entité choisie et la famille d'achat celle choisie"
)

INDICATORS: tuple[Indicator, ...] = (
    # Activity
    Indicator(
        "projects_launched",
        "Consultations lancées",
        Group.ACTIVITY,
        Unit.COUNT,
        "Projets d'achat dont la consultation a été lancée (date de lancement) dans la période.",
    ),
    Indicator(
        "amount_launched",
        "Montant des consultations lancées",
        Group.ACTIVITY,
        Unit.EUROS,
        "Somme des valeurs estimées HT des consultations lancées dans la période.",
    ),
    Indicator(
        "contracts_notified",
        "Contrats notifiés",
        Group.ACTIVITY,
        Unit.COUNT,
        f"Nombre de {_CONTRACTS_OF_YEAR}.",
    ),
    Indicator(
        "amount_notified",
        "Montant notifié",
        Group.ACTIVITY,
        Unit.EUROS,
        f"Somme des montants initiaux HT (maximum pour un accord-cadre) des {_CONTRACTS_OF_YEAR}.",
    ),
    Indicator(
        "projects_in_progress",
        "Projets en cours",
        Group.ACTIVITY,
        Unit.COUNT,
        "Projets d'achat en cours à ce jour (ni terminés, ni sans suite) ; leur répartition par "
        "acheteur donne la charge de chacun.",
    ),
    # Lead times
    Indicator(
        "lead_time_median",
        "Délai médian de passation",
        Group.LEAD_TIMES,
        Unit.DAYS,
        "Médiane, en jours calendaires, du délai entre la création du projet et la notification de son "
        "dernier lot, pour les projets notifiés dans la période.",
        higher_is_better=False,
    ),
    Indicator(
        "lead_time_p90",
        "Délai de passation (9e décile)",
        Group.LEAD_TIMES,
        Unit.DAYS,
        "90e centile du même délai : 9 projets sur 10 ont été notifiés en moins de jours.",
        higher_is_better=False,
    ),
    Indicator(
        "stages_on_time_share",
        "Étapes tenues dans leur délai",
        Group.LEAD_TIMES,
        Unit.PERCENT,
        "Part des étapes de la cartographie quittées dans la période sans dépasser le délai prévu pour "
        "l'étape.",
        higher_is_better=True,
    ),
    # Competition
    Indicator(
        "offers_average",
        "Nombre moyen d'offres",
        Group.COMPETITION,
        Unit.OFFERS,
        f"Moyenne du nombre d'offres reçues, sur les {_CONTRACTS_OF_YEAR} dont ce nombre est connu, "
        "hors marchés passés sans mise en concurrence (qui n'ont qu'une offre par nature).",
        higher_is_better=True,
    ),
    Indicator(
        "single_offer_share",
        "Procédures à offre unique",
        Group.COMPETITION,
        Unit.PERCENT,
        f"Part, parmi les {_CONTRACTS_OF_YEAR} dont le nombre d'offres est connu, de ceux qui n'en ont "
        "reçu qu'une, hors marchés passés sans mise en concurrence.",
        higher_is_better=False,
    ),
    Indicator(
        "no_publicity_share",
        "Marchés sans publicité ni mise en concurrence",
        Group.COMPETITION,
        Unit.PERCENT,
        f"Part des {_CONTRACTS_OF_YEAR} passés sans publicité ni mise en concurrence préalables "
        "(procédure négociée sans publicité, dont l'urgence impérieuse et les achats sous le seuil de "
        "dispense).",
        higher_is_better=False,
    ),
    # Responsible purchasing
    Indicator(
        "social_share",
        "Contrats avec une considération sociale",
        Group.RESPONSIBLE,
        Unit.PERCENT,
        f"Part des {_CONTRACTS_OF_YEAR} comportant une clause sociale, un critère social ou réservés.",
        higher_is_better=True,
    ),
    Indicator(
        "social_amount_share",
        "Montant avec une considération sociale",
        Group.RESPONSIBLE,
        Unit.PERCENT,
        "Même part, en montant initial HT.",
        higher_is_better=True,
    ),
    Indicator(
        "environmental_share",
        "Contrats avec une considération environnementale",
        Group.RESPONSIBLE,
        Unit.PERCENT,
        f"Part des {_CONTRACTS_OF_YEAR} comportant une clause ou un critère environnemental.",
        higher_is_better=True,
    ),
    Indicator(
        "environmental_amount_share",
        "Montant avec une considération environnementale",
        Group.RESPONSIBLE,
        Unit.PERCENT,
        "Même part, en montant initial HT.",
        higher_is_better=True,
    ),
    Indicator(
        "reserved_share",
        "Contrats réservés",
        Group.RESPONSIBLE,
        Unit.PERCENT,
        f"Part des {_CONTRACTS_OF_YEAR} réservés aux structures d'insertion, entreprises adaptées ou "
        "ESAT (considération sociale « Marché réservé »).",
        higher_is_better=True,
    ),
    Indicator(
        "sme_amount_share",
        "Montant attribué aux PME",
        Group.RESPONSIBLE,
        Unit.PERCENT,
        f"Part du montant initial HT des {_CONTRACTS_OF_YEAR} attribuée à des PME : le montant d'un "
        "contrat à plusieurs titulaires est partagé également entre eux ; la part est calculée sur les "
        "titulaires dont la catégorie d'entreprise est connue (non disponible si aucune ne l'est).",
        higher_is_better=True,
    ),
    Indicator(
        "local_amount_share",
        "Montant attribué aux entreprises du territoire",
        Group.RESPONSIBLE,
        Unit.PERCENT,
        f"Part du montant initial HT des {_CONTRACTS_OF_YEAR} attribuée à des titulaires établis dans un "
        "département où le territoire a une entité membre, partagé également entre co-titulaires ; calculée "
        "sur les titulaires dont la commune est connue (non disponible si aucune ne l'est).",
        higher_is_better=True,
    ),
    Indicator(
        "insertion_hours",
        "Heures d'insertion",
        Group.RESPONSIBLE,
        Unit.HOURS,
        "Heures de travail d'insertion réalisées au titre des clauses sociales. Mutualis ne les recueille "
        "pas encore : l'indicateur reste « non disponible ».",
        higher_is_better=True,
    ),
    # Legal compliance
    Indicator(
        "decp_on_time_share",
        "Données essentielles publiées à temps",
        Group.COMPLIANCE,
        Unit.PERCENT,
        "Part des contrats notifiés dans la période et soumis à publication (DECP) dont les données "
        "ont été publiées dans le délai réglementaire ; un contrat dont le délai court encore n'est pas "
        "compté.",
        higher_is_better=True,
    ),
    Indicator(
        "amendments_over_limit",
        "Contrats aux modifications hors limites",
        Group.COMPLIANCE,
        Unit.COUNT,
        "Nombre de signaux « Modifications au-delà des limites » de la période : contrats dont un avenant "
        "notifié dans la période porte les modifications au-delà des limites des articles R2194-3 et "
        "R2194-8 du code de la commande publique.",
        higher_is_better=False,
    ),
    Indicator(
        "renewals_late",
        "Reconductions décidées en retard",
        Group.COMPLIANCE,
        Unit.COUNT,
        "Nombre de signaux « Reconduction décidée après le préavis » : décisions de reconduction prises "
        "dans la période après leur date limite, et décisions attendues dont la date limite est passée.",
        higher_is_better=False,
    ),
    Indicator(
        "splitting_flags",
        "Alertes de saucissonnage",
        Group.COMPLIANCE,
        Unit.COUNT,
        "Nombre de signaux « Saucissonnage » de l'année : familles dont les achats, passés séparément "
        "(registre) ou payés hors marché (dépense d'une entité), atteignent un seuil de procédure que "
        "chacun restait sous. Examinés ou non : la page des signaux dit lesquels l'ont été.",
        higher_is_better=False,
    ),
    # Performance
    Indicator(
        "gains",
        "Gains achats",
        Group.PERFORMANCE,
        Unit.EUROS,
        "Gains achats de l'année selon la méthode nationale (PHARE) : part de l'année N des gains "
        "notifiés dans l'année et part N+1 de ceux de l'année précédente, gains déclarés ou validés.",
        higher_is_better=True,
    ),
    Indicator(
        "spend_under_contract_share",
        "Dépense sous contrat",
        Group.PERFORMANCE,
        Unit.PERCENT,
        "Part du montant des mandats de l'exercice rattachés à un contrat du registre (imports de "
        "dépenses des entités).",
        higher_is_better=True,
    ),
)

BY_CODE = {indicator.code: indicator for indicator in INDICATORS}
CHOICES = [(indicator.code, indicator.label) for indicator in INDICATORS]
