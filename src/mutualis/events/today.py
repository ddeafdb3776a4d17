"""The home page's section of an invited person: the coming matinales they are invited or registered to,
with where they stand (steering/today.py's shape)."""

from django.db.models import Q
from django.utils import timezone

from mutualis.steering.today import TOP, Item, Records, link

from .models import Event, RegistrationStatus

LABELS = {
    RegistrationStatus.REGISTERED: "vous êtes inscrit",
    RegistrationStatus.WAITING: "en liste d'attente",
}


def my_matinales(user) -> Records:
    """Coming matinales to which the person is invited (invitation sent) or registered, soonest first."""
    events = (
        Event.objects.upcoming(timezone.now())
        .filter(
            Q(invitations__person=user, invitations__sent_at__isnull=False) | Q(registrations__person=user)
        )
        .distinct()
        .order_by("starts_at", "pk")
    )
    rows = []
    for event in events[:TOP]:
        registration = (
            event.registrations.filter(person=user).exclude(status=RegistrationStatus.CANCELLED).first()
        )
        where = LABELS[registration.status] if registration else "pas encore inscrit"
        start = timezone.localtime(event.starts_at)
        rows.append(
            Item(
                f"{event.title}",
                0,
                event.get_absolute_url(),
                detail=f"Le {start:%d/%m/%Y à %H:%M}, {event.place} : {where}",
            )
        )
    return Records(
        rows, events.count(), link("events:event_list", upcoming="true"), "Toutes les matinales à venir"
    )
