"""Matinales made through the services, as the pages do."""

from datetime import timedelta

from django.utils import timezone

from mutualis.clients.models import ServiceModule
from mutualis.events.models import Event
from mutualis.events.services.events import event_save


def make_event(actor, *, entity, starts_at=None, capacity=20, **fields) -> Event:
    starts_at = starts_at or timezone.now() + timedelta(days=30)
    event = Event(
        title=fields.pop("title", "Sourcing et benchmark"),
        theme=fields.pop("theme", ServiceModule.objects.get(code="sourcing")),
        starts_at=starts_at,
        ends_at=fields.pop("ends_at", starts_at + timedelta(hours=2)),
        place=fields.pop("place", "Salle du conseil, bâtiment A"),
        capacity=capacity,
        organiser_entity=entity,
        **fields,
    )
    return event_save(actor=actor, event=event)
