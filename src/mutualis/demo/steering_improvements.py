"""The demo's improvement log (ISO 9001): a few non-conformities and actions at every state, recorded by
the team and moved by their owners through the services, about stages of the map, a project of the
Hospices civils de Beaune (whose referent owns one) and a contract they use."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from mutualis.contracts.models import Contract
from mutualis.organisations.models import User
from mutualis.procurements.models import Project, StageCode
from mutualis.steering.models import ImprovementAction, ImprovementKind
from mutualis.steering.services.improvements import improvement_save, improvement_transition

from .authorship import acting_as

BEAUNE_SIRET = "20004782700015"  # the referent's establishment


@dataclass(frozen=True)
class Spec:
    author: str
    owner: str
    kind: str
    title: str
    description: str
    due_in_days: int
    stage: str = ""
    about: str = ""  # "project" or "contract" of the referent's establishment
    moves: tuple[tuple[str, str, str], ...] = ()  # (person, transition, comment)


SPECS = (
    Spec(
        "admin",
        "juriste",
        ImprovementKind.NON_CONFORMITY,
        "Règlement de consultation sans délai de validité des offres",
        "Relevé à la relecture de deux dossiers de consultation du semestre.",
        20,
        stage=StageCode.DOCUMENTS,
    ),
    Spec(
        "acheteur",
        "referent",
        ImprovementKind.CORRECTIVE,
        "Besoins transmis sans quantités estimées",
        "L'analyse des offres a dû reprendre les quantités des bordereaux.",
        -5,
        stage=StageCode.ANALYSIS,
        about="project",
        moves=(("referent", "start", ""),),
    ),
    Spec(
        "acheteur",
        "acheteur",
        ImprovementKind.IMPROVEMENT,
        "Commandes passées hors du marché par méconnaissance du titulaire",
        "Des mandats hors marché pour des fournitures couvertes par le contrat.",
        -30,
        about="contract",
        moves=(
            ("acheteur", "start", ""),
            (
                "acheteur",
                "close",
                "Fiche du contrat diffusée aux services et rappel dans la lettre achats : plus aucun "
                "mandat hors marché le mois suivant.",
            ),
        ),
    ),
    Spec(
        "admin",
        "acheteuse",
        ImprovementKind.NON_CONFORMITY,
        "Notification envoyée avant la fin du délai de suspension",
        "",
        10,
        stage=StageCode.NOTIFICATION,
        moves=(("admin", "cancel", "Vérification faite : le délai avait bien été respecté."),),
    ),
    Spec(
        "controleur",
        "controleur",
        ImprovementKind.CORRECTIVE,
        "Avis d'attribution publiés hors délai",
        "Trois avis publiés plus de 30 jours après la signature.",
        -10,
        stage=StageCode.PUBLICATION,
    ),
)


def _about(kind: str) -> dict:
    if kind == "project":
        project = Project.objects.filter(entities__siret=BEAUNE_SIRET).order_by("pk").first()
        return {"project": project or Project.objects.order_by("pk").first()}
    if kind == "contract":
        contract = Contract.objects.filter(available_to__siret=BEAUNE_SIRET).order_by("pk").first()
        return {"contract": contract or Contract.objects.order_by("pk").first()}
    return {}


def load_improvement_actions(today: date | None = None) -> int:
    """Create the demo's actions unless the log has some already; returns the number of actions."""
    if ImprovementAction.objects.exists():
        return ImprovementAction.objects.count()
    today = today or timezone.localdate()
    people = {user.username: user for user in User.objects.filter(is_active=True)}
    for spec in SPECS:
        author = people[spec.author]
        action = ImprovementAction(
            kind=spec.kind,
            title=spec.title,
            description=spec.description,
            stage_code=spec.stage,
            owner=people[spec.owner],
            due_on=today + timedelta(days=spec.due_in_days),
            **_about(spec.about),
        )
        with acting_as(author):
            action = improvement_save(actor=author, action=action)
        for person, name, comment in spec.moves:
            with acting_as(people[person]):
                action = improvement_transition(
                    actor=people[person], action=action, name=name, comment=comment
                )
    return ImprovementAction.objects.count()
