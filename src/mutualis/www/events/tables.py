"""The matinales' list: when, what, where, where it stands, and its places."""

import django_tables2 as tables
from django.utils import timezone

from mutualis.events.models import Event, RegistrationStatus


class EventTable(tables.Table):
    title = tables.Column(verbose_name="Matinale", linkify=True)
    starts_at = tables.Column(verbose_name="Date")
    theme = tables.Column(verbose_name="Thème", order_by="theme__title")
    place = tables.Column(verbose_name="Lieu")
    status = tables.Column(verbose_name="État")
    places = tables.Column(verbose_name="Inscrits / places", orderable=False, empty_values=())

    class Meta:
        model = Event
        fields = ["title", "starts_at", "theme", "place", "status", "places"]
        empty_text = "Aucune matinale ne correspond à ces critères."

    def render_starts_at(self, value):
        return f"{timezone.localtime(value):%d/%m/%Y %H:%M}"

    def render_places(self, record):
        registered = sum(1 for r in record.registrations.all() if r.status == RegistrationStatus.REGISTERED)
        return f"{registered} / {record.capacity}"
