"""Invitations: prepared from the data (events/targeting.py) and the organiser's choices, sent once through
the notifications (in the application, and by e-mail unless the person opted out of the kind), on the
invitation date by the daily command `send_event_invitations`."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mutualis.notifications.models import Kind
from mutualis.notifications.services import Message, notify

from ..models import Event, EventStatus, Invitation, InvitationReason, Registration, RegistrationStatus
from ..targeting import member_referents, people_ranking
from ..workflow import EVENT
from .events import require_manager

EDITABLE = (EventStatus.PLANNED, EventStatus.INVITED)


def _editable(event: Event) -> None:
    if event.status not in EDITABLE or event.has_started:
        raise ValidationError("Les invitations d'une matinale passée, close ou annulée ne changent plus.")


@transaction.atomic
def invitations_prepare(*, actor, event: Event, chosen=()) -> list[Invitation]:
    """Invite the top N clients of the ranking, the chosen people and, when open, the other members'
    referents; a person already invited keeps the first reason. Sent at once if the invitations are out."""
    require_manager(actor)
    _editable(event)
    wanted: dict[int, Invitation] = {}
    for ranked in people_ranking(event, limit=event.targeted_count):
        wanted.setdefault(ranked.person.pk, Invitation(
            event=event, person=ranked.person, reason=InvitationReason.TARGETED, rank=ranked.rank,
            activity=ranked.activity,
        ))  # fmt: skip
    for person in chosen:
        wanted.setdefault(person.pk, Invitation(event=event, person=person, reason=InvitationReason.CHOSEN))
    for person in member_referents(event):
        wanted.setdefault(person.pk, Invitation(event=event, person=person, reason=InvitationReason.MEMBER))
    existing = set(event.invitations.values_list("person_id", flat=True))
    created = []
    for pk, invitation in wanted.items():
        if pk not in existing:
            invitation.save()
            created.append(invitation)
    if event.status == EventStatus.INVITED:
        invitations_send(event)
    return created


@transaction.atomic
def invitation_add(*, actor, event: Event, person) -> Invitation:
    """The organiser invites one more person of his choice."""
    require_manager(actor)
    _editable(event)
    if person is None or not person.is_active:
        raise ValidationError({"person": "Choisissez une personne active."})
    if event.invitations.filter(person=person).exists():
        raise ValidationError({"person": f"{person} est déjà invité."})
    invitation = Invitation.objects.create(event=event, person=person, reason=InvitationReason.CHOSEN)
    if event.status == EventStatus.INVITED:
        invitations_send(event)
    return invitation


def invitations_send(event: Event) -> int:
    """Notify every invitation not sent yet (once: the notification's key and `sent_at`); how many."""
    pending = list(event.invitations.filter(sent_at=None).select_related("person"))
    if not pending:
        return 0
    start = timezone.localtime(event.starts_at)
    notify(
        recipients=[invitation.person for invitation in pending],
        message=Message(
            key=f"event-{event.pk}-invitation",
            subject=f"Matinale « {event.title} » le {start:%d/%m/%Y} : vous êtes invité",
            body=f"La cellule achats vous invite le {start:%d/%m/%Y à %H:%M}, {event.place}. "
            f"{event.capacity} places : inscrivez-vous depuis la page de la matinale.",
            url=event.get_absolute_url(),
            kind=Kind.EVENT_INVITATION,
        ),
    )
    sent_at = timezone.now()
    for invitation in pending:  # saved one by one: the sending goes to each invitation's history
        invitation.sent_at = sent_at
        invitation.save(update_fields=["sent_at"])
    return len(pending)


def send_due_invitations(*, today: date | None = None) -> tuple[int, list[str]]:
    """The daily job: each programmed matinale whose invitation date has come has its invitations sent, in
    its organiser's name. Run twice, it sends nothing more (the matinale is no longer programmed).
    Returns (matinales sent, French messages about those that could not be)."""
    today = today or timezone.localdate()
    sent, problems = 0, []
    for event in Event.objects.filter(status=EventStatus.PLANNED, starts_at__gt=timezone.now()):
        if event.invitation_date > today:
            continue
        organiser = event.organiser
        try:
            if organiser is None or not organiser.is_active:
                raise PermissionDenied
            EVENT.apply(event, "invite", organiser)
        except (PermissionDenied, ValidationError):
            problems.append(f"« {event} » : son organisateur ne peut plus envoyer les invitations.")
        else:
            sent += 1
    return sent, problems


def tell_cancelled(event: Event, reason: str) -> None:
    """Those invited (once told) and registered hear of the cancellation and its reason."""
    invited = [i.person for i in event.invitations.exclude(sent_at=None).select_related("person")]
    registered = [
        r.person
        for r in Registration.objects.filter(event=event)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("person")
    ]
    notify(
        recipients=invited + registered,
        message=Message(
            key=f"event-{event.pk}-cancelled",
            subject=f"Matinale « {event.title} » annulée",
            body=f"La matinale du {timezone.localtime(event.starts_at):%d/%m/%Y} est annulée. "
            f"Motif : {reason}",
            url=event.get_absolute_url(),
            kind=Kind.EVENT_INVITATION,
        ),
    )
