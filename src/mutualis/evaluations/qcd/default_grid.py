"""The territory's default QCD grid, written once into the database the first time it is needed; each
family may then have its own copy, edited by the purchasing team. A working grid, not a rule of law."""

from django.db import transaction

from ..models import Axis, EvaluationGrid, GridCriterion

# (axis, criterion, weight, the meaning of 1, 2, 3 and 4)
DEFAULT_CRITERIA = (
    (
        Axis.QUALITY,
        "Conformité des fournitures ou prestations au contrat",
        3,
        "Non-conformités fréquentes ou graves, réserves ou refus répétés",
        "Quelques non-conformités, corrigées après relance",
        "Conforme, écarts rares et mineurs vite corrigés",
        "Toujours conforme, aucune réserve sur la période",
    ),
    (
        Axis.QUALITY,
        "Relation, information et service après-vente",
        2,
        "Interlocuteur injoignable, demandes sans réponse",
        "Réponses tardives ou incomplètes",
        "Interlocuteur disponible, réponses satisfaisantes",
        "Proactif : prévient des difficultés, propose des solutions",
    ),
    (
        Axis.COST,
        "Respect des prix et exactitude de la facturation",
        2,
        "Erreurs de prix ou de facturation fréquentes, litiges",
        "Erreurs occasionnelles, corrigées après réclamation",
        "Factures conformes au bordereau, rares erreurs",
        "Factures toujours exactes et dématérialisées dans les règles",
    ),
    (
        Axis.COST,
        "Propositions d'optimisation du coût complet",
        1,
        "Aucune proposition, hausses non justifiées",
        "Propositions rares, sur demande seulement",
        "Propose des alternatives quand on le lui demande",
        "Propose de lui-même des économies ou des produits moins coûteux à l'usage",
    ),
    (
        Axis.DELAY,
        "Respect des délais de livraison ou d'exécution",
        3,
        "Retards fréquents ayant perturbé le service",
        "Retards réguliers sans conséquence grave",
        "Délais tenus, retards rares et annoncés",
        "Délais toujours tenus",
    ),
    (
        Axis.DELAY,
        "Réactivité aux urgences et aux demandes ponctuelles",
        1,
        "Urgences non traitées",
        "Urgences traitées avec difficulté",
        "Urgences traitées dans des délais raisonnables",
        "Urgences traitées immédiatement",
    ),
)


@transaction.atomic
def default_grid() -> EvaluationGrid:
    """The default grid, created with its criteria on first use."""
    grid, created = EvaluationGrid.objects.get_or_create(family=None)
    if created:
        GridCriterion.objects.bulk_create(
            GridCriterion(
                grid=grid,
                axis=axis,
                label=label,
                weight=weight,
                anchor_1=one,
                anchor_2=two,
                anchor_3=three,
                anchor_4=four,
                position=position,
            )
            for position, (axis, label, weight, one, two, three, four) in enumerate(DEFAULT_CRITERIA)
        )
    return grid


def grid_for(family) -> EvaluationGrid:
    """The family's own grid if it has one, else the default grid."""
    if family is not None:
        own = EvaluationGrid.objects.filter(family=family).first()
        if own is not None:
            return own
    return default_grid()
