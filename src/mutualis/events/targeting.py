"""Whom to invite to a matinale, read from the data: the internal clients who launched the most procurement
projects and made the most service requests in the 24 months before the event, the entities they belong
to, and, when the matinale is open to the territory, the referents of the other member entities.

A person's activity = projects they created (`Project.created_by`) + requests they made
(`ServiceRequest.requested_by`), both dated by their creation, in [event − 24 months, event). Only active
people holding a client role count (prescriber, referent, family correspondent): the team that buys
creates most projects and is not the audience. Ties are broken by last name, first name, then id, so the
ranking never depends on the database's order."""

from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q

from mutualis.clients.models import ServiceRequest
from mutualis.organisations.models import Entity, Membership, User
from mutualis.organisations.roles import Role
from mutualis.procurements.models import Project

# A product choice of issue 18, not a legal period: the activity that counts.
WINDOW_MONTHS = 24
CLIENT_ROLES = (Role.PRESCRIBER, Role.REFERENT, Role.FAMILY_CORRESPONDENT)


@dataclass(frozen=True)
class Ranked:
    rank: int
    person: User
    projects: int
    requests: int

    @property
    def activity(self) -> int:
        return self.projects + self.requests


@dataclass(frozen=True)
class RankedEntity:
    rank: int
    entity: Entity
    projects: int
    requests: int

    @property
    def activity(self) -> int:
        return self.projects + self.requests


def window(event) -> tuple:
    """[start, end) of the activity that counts: the 24 months before the event's start."""
    return event.starts_at - relativedelta(months=WINDOW_MONTHS), event.starts_at


def _audience_entities(event):
    """The organiser entity alone, or every active member when the matinale is open to them."""
    entities = Entity.objects.active()
    return entities if event.open_to_members else entities.filter(pk=event.organiser_entity_id)


def people_ranking(event, limit: int | None = None) -> list[Ranked]:
    """The clients of the audience's entities with some activity in the window, most active first."""
    start, end = window(event)
    clients = Membership.objects.filter(role__in=CLIENT_ROLES, entity__in=_audience_entities(event))
    people = (
        User.objects.filter(is_active=True, pk__in=clients.values("user_id"))
        .annotate(
            project_count=Count(
                "project",
                filter=Q(project__created_at__gte=start, project__created_at__lt=end),
                distinct=True,
            ),
            request_count=Count(
                "service_requests",
                filter=Q(service_requests__created_at__gte=start, service_requests__created_at__lt=end),
                distinct=True,
            ),
        )
        .filter(Q(project_count__gt=0) | Q(request_count__gt=0))
    )
    rows = sorted(
        people,
        key=lambda u: (-(u.project_count + u.request_count), u.last_name, u.first_name, u.pk),
    )[:limit]
    return [Ranked(i, u, u.project_count, u.request_count) for i, u in enumerate(rows, start=1)]


def entity_ranking(event, limit: int | None = None) -> list[RankedEntity]:
    """The services (entities) of the audience by the same activity: projects concerning them and
    requests made for them in the window; ties by name, then id."""
    start, end = window(event)
    projects = dict(
        Project.objects.filter(created_at__gte=start, created_at__lt=end)
        .values_list("entities")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    requests = dict(
        ServiceRequest.objects.filter(created_at__gte=start, created_at__lt=end)
        .values_list("entity")
        .annotate(n=Count("pk"))
        .order_by()
    )
    entities = [e for e in _audience_entities(event) if projects.get(e.pk) or requests.get(e.pk)]
    entities.sort(key=lambda e: (-(projects.get(e.pk, 0) + requests.get(e.pk, 0)), e.name, e.pk))
    return [
        RankedEntity(i, e, projects.get(e.pk, 0), requests.get(e.pk, 0))
        for i, e in enumerate(entities[:limit], start=1)
    ]


def member_referents(event):
    """When the matinale is open: the active referents of the other active member entities."""
    if not event.open_to_members:
        return User.objects.none()
    referents = Membership.objects.filter(role=Role.REFERENT, entity__is_active=True).exclude(
        entity_id=event.organiser_entity_id
    )
    return User.objects.filter(is_active=True, pk__in=referents.values("user_id")).order_by(
        "last_name", "first_name", "pk"
    )
