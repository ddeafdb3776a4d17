"""The demo's matinales, written through the services as the team and the clients would: two past ones
(« Sourcing et benchmark », « Co-construction du DCE ») with their invitations, attendance and at least five
answered questionnaires each, so that their results show; one in twelve days, open to the territory's
members, its invitations sent (the invitation date is past), three places taken and one person waiting.

Four more internal clients of the member hospitals come to them (the four demo accounts with a client role
would stay under the anonymity threshold). A past matinale is registered while it is still coming, then
dated back: registrations close when a matinale starts. Built once, then left alone."""

from datetime import timedelta

from django.utils import timezone

from mutualis.clients.models import ServiceModule
from mutualis.events.models import Event, EventQuestion, EventSurvey
from mutualis.events.services.events import event_save, event_transition
from mutualis.events.services.invitations import invitations_prepare
from mutualis.events.services.registrations import attendance_save, register
from mutualis.events.services.surveys import survey_answer
from mutualis.organisations.models import Entity, User
from mutualis.organisations.roles import Role

from .authorship import acting_as
from .common import load_users

# (username, first name, last name, role, SIRET of the entity, job title): clients who come to matinales.
PARTICIPANTS = [
    ("cadre.chartreuse", "Lucie", "Garnier", Role.PRESCRIBER, "26210006800010", "Cadre supérieure de santé"),
    ("technique.istille", "Hugo", "Perrin", Role.PRESCRIBER, "26210008400017", "Responsable technique"),
    ("cadre.hco", "Camille", "Renaud", Role.PRESCRIBER, "20004781900012", "Cadre de santé, pôle médecine"),
    ("biomedical.beaune", "Paul", "Chevalier", Role.PRESCRIBER, "20004782700015", "Ingénieur biomédical"),
]
CLIENTS = ["prescripteur", "referent", "referente", "correspondant",
           *(spec[0] for spec in PARTICIPANTS)]  # fmt: skip

# (title, module, days from today, place, capacity, registered, present, answers: (scores, comment))
PAST = (
    ("Sourcing et benchmark : trouver et comparer les fournisseurs", "sourcing", -90,
     "CHU Dijon Bourgogne, salle du conseil de surveillance", 12, CLIENTS[:7], CLIENTS[:6],
     [((5, 4, 4, 5), "Des outils concrets pour le sourcing."), ((4, 4, 3, 4), ""),
      ((5, 5, 4, 5), "À refaire sur les achats numériques."), ((3, 4, 4, 4), ""),
      ((4, 3, 5, 4), "Un peu court pour les questions.")]),
    ("Co-construction du DCE : le prescripteur et l'acheteur", "dce", -40,
     "CHU Dijon Bourgogne, amphithéâtre Bourgogne", 10, CLIENTS[1:8], CLIENTS[1:7],
     [((4, 5, 4, 5), "Enfin clair sur le rôle de chacun."), ((5, 5, 4, 5), ""), ((4, 4, 4, 4), ""),
      ((3, 4, 3, 4), "Prévoir un exemple de cahier des charges."), ((5, 4, 5, 5), ""),
      ((4, 4, 4, 3), "")]),
)  # fmt: skip
UPCOMING = ("Analyse du besoin : bien exprimer son besoin", "analyse-besoin", 12,
            "CHU Dijon Bourgogne, salle du conseil de surveillance", 3,
            ["referent", "referente", "correspondant", "cadre.chartreuse"])  # fmt: skip


def _event(buyer: User, entity: Entity, title, module, days, place, capacity, *, open_to_members) -> Event:
    start = timezone.localtime().replace(hour=8, minute=30, second=0, microsecond=0)
    # A past one is made as if still coming (registrations need it), then dated back by `days`.
    start += timedelta(days=max(days, 1))
    with acting_as(buyer):
        return event_save(
            actor=buyer,
            event=Event(
                title=title, theme=ServiceModule.objects.get(code=module), starts_at=start,
                ends_at=start + timedelta(hours=2), place=place, capacity=capacity, organiser_entity=entity,
                open_to_members=open_to_members, targeted_count=6,
                description="Accueil café à 8 h 15, présentation de la cellule achats, cas pratiques, "
                "questions.",
            ),
        )  # fmt: skip


def _register(event: Event, people: dict[str, User], usernames) -> None:
    for username in usernames:
        with acting_as(people[username]):
            register(actor=people[username], event=event)


def _past(buyer: User, entity: Entity, people: dict[str, User], spec) -> Event:
    title, module, days, place, capacity, registered, present, answers = spec
    event = _event(buyer, entity, title, module, days, place, capacity, open_to_members=True)
    with acting_as(buyer):
        event = event_transition(actor=buyer, event=event, name="invite")
    _register(event, people, registered)
    start = event.starts_at + timedelta(days=days - 1)
    Event.objects.filter(pk=event.pk).update(starts_at=start, ends_at=start + timedelta(hours=2))
    event.refresh_from_db()
    with acting_as(buyer):
        event = event_transition(actor=buyer, event=event, name="hold")
        attendance_save(actor=buyer, event=event, present_ids=[people[u].pk for u in present])
        event = event_transition(actor=buyer, event=event, name="close")
    questions = list(EventQuestion.objects.filter(is_active=True))
    for username, (scores, comment) in zip(present, answers, strict=False):
        person = people[username]
        with acting_as(person):
            survey_answer(
                actor=person,
                survey=EventSurvey.objects.get(event=event, person=person),
                scores={q.pk: score for q, score in zip(questions, scores, strict=False)},
                comment=comment,
            )
    return event


def load_events(people: dict[str, User], entities: dict[str, Entity], support_siret: str) -> int:
    """The demo's matinales (once); returns how many there are."""
    if Event.objects.exists():
        return Event.objects.count()
    people = dict(people)
    with acting_as(people["admin"]):
        people.update({u.username: u for u in load_users(entities, PARTICIPANTS)})
    buyer, support = people["acheteur"], entities[support_siret]
    for spec in PAST:
        _past(buyer, support, people, spec)
    title, module, days, place, capacity, registered = UPCOMING
    event = _event(buyer, support, title, module, days, place, capacity, open_to_members=True)
    with acting_as(buyer):
        invitations_prepare(actor=buyer, event=event, chosen=[people[u] for u in CLIENTS])
        event_transition(actor=buyer, event=event, name="invite")  # its invitation date is past
    _register(event, people, registered)
    return Event.objects.count()
