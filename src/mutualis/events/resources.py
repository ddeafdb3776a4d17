"""Export columns of the matinales' list (French headings); export only: matinales are written on their
pages."""

from django.utils import timezone
from import_export import resources
from import_export.fields import Field

from .models import RegistrationStatus


def _column(name, attribute=None, **kwargs):
    return Field(attribute=attribute, column_name=name, **kwargs)


def _count(event, status):
    return sum(1 for r in event.registrations.all() if r.status == status)


class EventResource(resources.Resource):
    id = _column("Numéro", "pk")
    title = _column("Titre", "title")
    theme = _column("Thème", dehydrate_method=lambda e: str(e.theme or ""))
    starts_at = _column(
        "Début", dehydrate_method=lambda e: f"{timezone.localtime(e.starts_at):%d/%m/%Y %H:%M}"
    )
    place = _column("Lieu", "place")
    capacity = _column("Places", "capacity")
    open_to_members = _column(
        "Ouverte aux membres", dehydrate_method=lambda e: "Oui" if e.open_to_members else "Non"
    )
    status = _column("État", dehydrate_method=lambda e: e.get_status_display())
    invited = _column("Invités", dehydrate_method=lambda e: len(e.invitations.all()))
    registered = _column("Inscrits", dehydrate_method=lambda e: _count(e, RegistrationStatus.REGISTERED))
    waiting = _column("En liste d'attente", dehydrate_method=lambda e: _count(e, RegistrationStatus.WAITING))
    attended = _column(
        "Présents", dehydrate_method=lambda e: sum(1 for r in e.registrations.all() if r.attended)
    )

    class Meta:
        export_order = ["id", "title", "theme", "starts_at", "place", "capacity", "open_to_members", "status",
                        "invited", "registered", "waiting", "attended"]  # fmt: skip
