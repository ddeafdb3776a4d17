"""The demo's internal clients' requests, written through the services as people would: about a dozen,
asked by the prescriber of the CH d'Auxonne and the referent of the Hospices civils de Beaune, given to
the two buyers and moved through every state (two late on their target date, two declined with their
reason, one withdrawn by its client before it was taken in charge), with a few messages; one became a
need line of the open campaign, one a procurement project.

Four sourcing studies and the Ehpad's linen were delivered and their questionnaires answered (the navettes'
one still waits for the prescriber). The seven modules and the four questions are the data migrations'
(clients 0002, 0004). Built once, then left alone."""

from datetime import date, timedelta
from decimal import Decimal

from mutualis.catalogue.models import PurchaseFamily
from mutualis.clients.models import SatisfactionQuestion, ServiceModule, ServiceRequest
from mutualis.clients.services.conversion import request_to_need_line, request_to_project
from mutualis.clients.services.requests import (
    message_post,
    request_assign,
    request_submit,
    request_transition,
)
from mutualis.clients.services.satisfaction import survey_answer
from mutualis.needs.models import Campaign
from mutualis.organisations.models import User
from mutualis.procurements.models import Project
from mutualis.procurements.services import project_save

from .authorship import acting_as

# (client, family, object, amount, modules, buyer, moves, days ago taken in charge, decline reason)
REQUESTS = (
    ("prescripteur", "MED-02", "Pansements techniques pour les unités de soins", "45000",
     ("analyse-besoin", "sourcing"), "", (), 0, ""),
    ("referent", "NUM-02", "Logiciel de gestion du temps de travail", "180000",
     ("analyse-besoin", "strategie"), "", (), 0, ""),
    ("prescripteur", "HOT-05", "Tenues professionnelles des soignants", "58000",
     ("sourcing",), "acheteuse", (), 0, ""),
    ("prescripteur", "LOG-04", "Mobilier des chambres du service de médecine", "86000",
     ("sourcing", "strategie"), "acheteur", ("take",), 2, ""),
    ("referent", "MAI-02", "Maintenance des échographes", "120000",
     ("strategie", "dce"), "acheteuse", ("take",), 45, ""),
    ("prescripteur", "NUM-01", "Postes de travail des secrétariats médicaux", "72000",
     ("dce",), "acheteur", ("take", "start"), 10, ""),
    ("referent", "HOT-03", "Nettoyage des locaux administratifs", "150000",
     ("dce", "analyse-offres"), "acheteur", ("take", "start"), 50, ""),
    ("prescripteur", "SRV-03", "Étude d'organisation du circuit du médicament", "35000",
     ("analyse-besoin",), "acheteuse", ("take", "start"), 5, ""),
    ("prescripteur", "LOG-02", "Navettes entre les sites du GHT", "200000",
     ("analyse-offres", "negociation"), "acheteuse", ("take", "start", "deliver"), 40, ""),
    ("referent", "HOT-02", "Location-entretien du linge des Ehpad", "250000",
     ("suivi-execution",), "acheteur", ("take", "start", "deliver"), 30, ""),
    # Four sourcing studies delivered, their questionnaires answered (SURVEYS): one more answer and the
    # module's results pass the anonymity threshold (clients.satisfaction.MIN_RESPONSES).
    ("prescripteur", "MED-02", "Champs opératoires stériles à usage unique", "64000", ("sourcing",),
     "acheteur", ("take", "start", "deliver"), 35, ""),
    ("referent", "MED-03", "Réactifs de biochimie du laboratoire", "220000", ("sourcing",), "acheteuse",
     ("take", "start", "deliver"), 60, ""),
    ("prescripteur", "HOT-04", "Produits d'hygiène des mains", "25000", ("sourcing",), "acheteuse",
     ("take", "start", "deliver"), 25, ""),
    ("referent", "NUM-03", "Téléphonie mobile des équipes de nuit", "46000", ("sourcing",), "acheteur",
     ("take", "start", "deliver"), 20, ""),
    ("prescripteur", "VEH-01", "Achat d'un véhicule de service", "30000", ("sourcing",), "acheteur",
     ("decline",), 0, "Un contrat de l'UGAP couvre ce besoin : commandez-le directement, nous vous "
     "envoyons la référence."),
    ("referent", "ENE-01", "Fourniture d'électricité des Hospices", "400000", ("strategie",), "acheteuse",
     ("take", "decline"), 20, "L'électricité est achetée par le groupement du GHT : votre site y est déjà."),
    ("prescripteur", "LOG-04", "Chariots de soins du service de chirurgie", "18000", ("sourcing",), "",
     ("withdraw",), 0, "Le service a trouvé des chariots au catalogue d'un marché en cours."),
)  # fmt: skip


# The questionnaires answered by the clients: the request's object → scores in the questions' order, comment.
SURVEYS = {
    "Location-entretien du linge des Ehpad": ((4, 3, 4, 4), "Suivi sérieux, un peu long à démarrer."),
    "Champs opératoires stériles à usage unique": (
        (5, 4, 5, 5),
        "Note de sourcing claire, avec des prix de référence.",
    ),
    "Réactifs de biochimie du laboratoire": ((4, 3, 4, 4), ""),
    "Produits d'hygiène des mains": ((3, 4, 4, 3), "Il manquait des fournisseurs locaux."),
    "Téléphonie mobile des équipes de nuit": ((5, 5, 4, 5), "Très réactif."),
}


def _request(client: User, spec, today: date) -> ServiceRequest:
    _, code, title, amount, modules, _, _, _, _ = spec
    entity = client.memberships.get().entity
    with acting_as(client):
        return request_submit(
            actor=client,
            request=ServiceRequest(
                entity=entity, family=PurchaseFamily.objects.get(code=code), object=title,
                estimated_amount=Decimal(amount), wished_date=today + timedelta(days=120),
            ),
            modules=ServiceModule.objects.filter(code__in=modules),
        )  # fmt: skip


def _move(request: ServiceRequest, buyer: User, moves, taken_days_ago: int, reason: str, today: date):
    for name in moves:
        # The client withdraws his own request; the team makes every other move.
        actor = request.requested_by if name == "withdraw" else buyer
        options = {"buyer": buyer, "today": today - timedelta(days=taken_days_ago)} if name == "take" else {}
        comment = reason if name in {"decline", "withdraw"} else ""
        with acting_as(actor):
            request = request_transition(actor=actor, request=request, name=name, comment=comment, **options)
    return request


def load_client_requests(people: dict[str, User], today: date) -> int:
    """The demo's requests (once); returns how many there are."""
    if ServiceRequest.objects.exists():
        return ServiceRequest.objects.count()
    made = []
    for spec in REQUESTS:
        client, buyer = people[spec[0]], people.get(spec[5])
        request = _request(client, spec, today)
        if buyer is not None and not spec[6]:
            with acting_as(buyer):  # given to a buyer, not yet taken in charge
                request = request_assign(actor=buyer, request=request, buyer=buyer)
        if spec[6]:
            request = _move(request, buyer, spec[6], spec[7], spec[8], today)
        made.append(request)
    _converse(made, people)
    _answer_surveys(made)
    return len(made)


def _answer_surveys(made: list[ServiceRequest]) -> None:
    """The clients' answers to the questionnaires of some delivered requests (the others still wait)."""
    questions = list(SatisfactionQuestion.objects.filter(is_active=True))
    for request in made:
        if request.object not in SURVEYS:
            continue
        scores, comment = SURVEYS[request.object]
        with acting_as(request.requested_by):
            survey_answer(
                actor=request.requested_by,
                survey=request.survey,
                scores={question.pk: score for question, score in zip(questions, scores, strict=False)},
                comment=comment,
            )


def _converse(made: list[ServiceRequest], people: dict[str, User]) -> None:
    """A short exchange on a request in progress; the hand-offs to a need line and to a project."""
    in_progress, buyer, client = made[5], people["acheteur"], people["prescripteur"]
    with acting_as(client):
        message_post(
            actor=client, request=in_progress, body="Les secrétariats souhaitent des écrans 27 pouces."
        )
    with acting_as(buyer):
        message_post(actor=buyer, request=in_progress, body="C'est noté : je l'ajoute au cahier des charges.")
        campaign = Campaign.objects.open().order_by("-year").first()
        covered = next(
            (r for r in made if r.is_open and campaign and campaign.families.filter(pk=r.family_id).exists()),
            None,
        )
        if covered is not None:
            request_to_need_line(actor=buyer, request=covered)
        project = request_to_project(actor=buyer, request=made[6])
        # The team's legal officer follows it, as every demo project.
        project = Project.objects.get(pk=project.pk)
        project.legal_officer = people["juriste"]
        project_save(actor=buyer, project=project)
