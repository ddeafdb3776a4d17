"""Registrations: within capacity a person is registered, beyond it waits, in the order of registration; a
withdrawal gives the place to the first one waiting (who is told); the team notes attendance afterwards.
The matinale's row is locked while places are counted, so two last-minute registrations cannot both take
the last place."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mutualis.notifications.models import Kind
from mutualis.notifications.services import Message, notify
from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Perm

from ..models import Event, EventStatus, Registration, RegistrationStatus
from .events import require_manager

ACTIVE = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)


def may_register(user, event: Event) -> bool:
    """Those invited; when the matinale is open to the members, also any internal client."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if event.invitations.filter(person=user).exists():
        return True
    return event.open_to_members and access_for(user).has(Perm.REQUEST_SERVICES)


def _locked(event: Event) -> Event:
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if not locked.registrations_open:
        raise ValidationError("Les inscriptions à cette matinale sont closes.")
    return locked


@transaction.atomic
def register(*, actor, event: Event) -> Registration:
    """Register the person (or put them on the waiting list when every place is taken)."""
    locked = _locked(event)
    if not may_register(actor, locked):
        raise PermissionDenied
    current = Registration.objects.filter(event=locked, person=actor).first()
    if current is not None and current.status in ACTIVE:
        raise ValidationError(f"Vous êtes déjà {current.get_status_display().lower()} pour cette matinale.")
    taken = Registration.objects.filter(event=locked, status=RegistrationStatus.REGISTERED).count()
    registration = current or Registration(event=locked, person=actor)
    registration.status = (
        RegistrationStatus.REGISTERED if taken < locked.capacity else RegistrationStatus.WAITING
    )
    registration.registered_at = timezone.now()  # back at the end of the line after a withdrawal
    registration.save()
    return registration


@transaction.atomic
def unregister(*, actor, event: Event) -> Registration | None:
    """Withdraw the person; a freed place goes to the first one waiting. Returns who was promoted."""
    locked = _locked(event)
    current = Registration.objects.filter(event=locked, person=actor, status__in=ACTIVE).first()
    if current is None:
        raise ValidationError("Vous n'êtes pas inscrit à cette matinale.")
    freed = current.status == RegistrationStatus.REGISTERED
    current.status = RegistrationStatus.CANCELLED
    current.save()
    return _promote(locked) if freed else None


def _promote(event: Event) -> Registration | None:
    first = (
        Registration.objects.filter(event=event, status=RegistrationStatus.WAITING)
        .order_by("registered_at", "pk")
        .select_related("person")
        .first()
    )
    if first is None:
        return None
    first.status = RegistrationStatus.REGISTERED
    first.save()
    start = timezone.localtime(event.starts_at)
    notify(
        recipients=[first.person],
        message=Message(
            key=f"event-{event.pk}-promoted-{first.pk}-{first.registered_at:%Y%m%d%H%M%S%f}",
            subject=f"Matinale « {event.title} » : une place s'est libérée pour vous",
            body="Vous étiez en liste d'attente : vous êtes maintenant inscrit, "
            f"le {start:%d/%m/%Y à %H:%M}, {event.place}.",
            url=event.get_absolute_url(),
            kind=Kind.EVENT_INVITATION,
        ),
    )
    return first


@transaction.atomic
def attendance_save(*, actor, event: Event, present_ids) -> int:
    """The team notes who came among the registered (the others absent), once the matinale is held."""
    require_manager(actor)
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.status != EventStatus.HELD:
        raise ValidationError("La présence se note quand la matinale a eu lieu, avant de la clore.")
    registered = Registration.objects.filter(event=locked, status=RegistrationStatus.REGISTERED)
    registered_ids = set(registered.values_list("person_id", flat=True))
    present = set()
    for pk in present_ids:
        if not str(pk).isdigit() or int(pk) not in registered_ids:
            raise ValidationError({"present": "Cochez seulement des personnes inscrites à la matinale."})
        present.add(int(pk))
    for registration in registered:  # saved one by one: each change goes to the history
        registration.attended = registration.person_id in present
        registration.save()
    return len(present)
