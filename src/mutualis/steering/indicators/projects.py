"""Indicators read from the procurement pipeline: consultations launched, projects in progress and lead
times (end to end and per stage of the process map)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, F, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from mutualis.organisations.access import access_for
from mutualis.procurements.models import Lot, Project, StageTransition
from mutualis.procurements.models.process import ProcessMap, StageCode
from mutualis.procurements.models.project import TransitionAction

from ..scope import Scope
from .base import Value, cents, quantile, share, value

MEDIAN, P90 = Decimal("0.5"), Decimal("0.9")


def projects_of(scope: Scope, user):
    """The user's projects, bought by the scope's entity, of its family."""
    projects = Project.objects.for_user(user)
    if scope.entity:
        projects = projects.filter(buyer_entity=scope.entity)
    if scope.family:
        projects = projects.filter(family=scope.family)
    return projects


def _narrowed(moves, scope: Scope, user):
    """`moves` (lots, stage moves) of the scope's projects; a reader of every project over the whole
    territory needs no semi-join to the projects (it read all 20,000 of them at each call)."""
    if scope.entity or scope.family or access_for(user).entity_ids is not None:
        return moves.filter(project__in=projects_of(scope, user).values("pk"))
    return moves


def _list_url(scope: Scope, **params) -> str:
    if scope.family:
        params["family"] = scope.family.pk
    if scope.entity:
        params["entity"] = scope.entity.pk
    return f"{reverse('procurements:project_list')}?{urlencode(params)}"


@dataclass(frozen=True)
class LeadTime:
    """One project notified in the period: from its creation to the notification of its last lot."""

    project_id: int
    label: str
    created_on: date
    notified_on: date

    @property
    def days(self) -> int:
        return (self.notified_on - self.created_on).days


def lead_times(scope: Scope, user) -> list[LeadTime]:
    """The projects whose last notified lot was notified in the period, in one query."""
    rows = (
        _last_notified(scope, user)
        .values("project", "project__object", "project__created_at")
        .annotate(last=Max("notified_on"))
        .order_by("last", "project")
    )
    return [
        LeadTime(
            row["project"],
            row["project__object"],
            timezone.localtime(row["project__created_at"]).date(),
            row["last"],
        )
        for row in rows
    ]


def _last_notified(scope: Scope, user):
    """The lots notified in the period of the projects none of whose lots was notified after it: their
    MAX per project is the project's last notification. Read by the lots' notification index alone (a
    semi-join over every notified lot scanned the lots and the projects whole)."""
    later = Lot.objects.filter(project=OuterRef("project"), notified_on__gt=scope.end)
    lots = Lot.objects.filter(notified_on__range=(scope.start, scope.end)).filter(~Exists(later))
    return _narrowed(lots, scope, user)


@dataclass
class StageFigures:
    code: str
    label: str
    moves: int = 0
    late: int = 0
    durations: list | None = None
    expected_days: int | None = None  # the target of the map in force (projects keep their own version)

    @property
    def on_time_share(self) -> Decimal | None:
        return share(self.moves - self.late, self.moves)

    @property
    def median(self) -> Decimal | None:
        return quantile(self.durations or [], MEDIAN)

    @property
    def p90(self) -> Decimal | None:
        return quantile(self.durations or [], P90)


def stage_figures(scope: Scope, user) -> list[StageFigures]:
    """Per stage of the map, the stages left forward in the period: days spent in them (from entering
    the stage, or from the project's creation for the first one) and whether they beat their target.
    One query over the period's forward moves, each with the instant of the project's move before it
    (an index lookup): reading every move of those projects in Python took over a second at 20,000
    projects."""
    before = (
        StageTransition.objects.filter(project=OuterRef("project"))
        # Up to its instant (a range the index serves), itself and later moves at the same instant out.
        .filter(at__lte=OuterRef("at"))
        .exclude(at=OuterRef("at"), pk__gte=OuterRef("pk"))
        .order_by("-at", "-pk")
        .values("at")[:1]
    )
    moves = _narrowed(
        StageTransition.objects.filter(
            action=TransitionAction.ADVANCE, at__gte=scope.instants[0], at__lt=scope.instants[1]
        ),
        scope,
        user,
    ).annotate(
        left_on=TruncDate("at"),
        entered_on=TruncDate(Coalesce(Subquery(before), F("project__created_at"))),
    )
    current = ProcessMap.objects.current()
    expected = dict(current.stages.values_list("code", "expected_days")) if current else {}
    figures = {
        code: StageFigures(code, label, durations=[], expected_days=expected.get(code))
        for code, label in StageCode.choices
    }
    for code, late, left_on, entered_on in moves.order_by().values_list(
        "from_stage__code", "was_late", "left_on", "entered_on"
    ):
        stage = figures[code]
        stage.moves += 1
        stage.late += late
        stage.durations.append((left_on - entered_on).days)
    # Execution is the contract's life after notification, not a lead time of the purchase.
    return [stage for stage in figures.values() if stage.moves and stage.code != StageCode.EXECUTION]


def launch_indicators(scope: Scope, user) -> list[Value]:
    projects = projects_of(scope, user)
    launched = projects.aggregate(
        count=Count("pk", filter=Q(launched_on__range=(scope.start, scope.end))),
        total=Sum("estimated_value", filter=Q(launched_on__range=(scope.start, scope.end))),
        in_progress=Count("pk", filter=Q(status="in_progress")),
    )
    return [
        value("projects_launched", launched["count"], rows_url=_list_url(scope)),
        value("amount_launched", cents(launched["total"]), rows_url=_list_url(scope)),
        value(
            "projects_in_progress", launched["in_progress"], rows_url=_list_url(scope, status="in_progress")
        ),
    ]


def _detail(scope: Scope) -> str:
    return f"{reverse('steering:indicator_detail', args=['lead_time_median'])}?{urlencode(scope.query())}"


def lead_time_indicators(scope: Scope, user) -> list[Value]:
    # Only the days: the creation's local date and the last notification, without the projects' labels.
    rows = (
        _last_notified(scope, user)
        .values("project")
        .annotate(last=Max("notified_on"), created=TruncDate("project__created_at"))
        .values_list("created", "last")
    )
    times = [(last - created).days for created, last in rows]
    return [
        value("lead_time_median", quantile(times, MEDIAN), rows_url=_detail(scope)),
        value("lead_time_p90", quantile(times, P90), rows_url=_detail(scope)),
    ]


def stage_indicators(scope: Scope, user) -> list[Value]:
    moves = _narrowed(
        StageTransition.objects.filter(
            action=TransitionAction.ADVANCE, at__gte=scope.instants[0], at__lt=scope.instants[1]
        ),
        scope,
        user,
    ).aggregate(total=Count("pk"), late=Count("pk", filter=Q(was_late=True)))
    on_time = share(moves["total"] - moves["late"], moves["total"])
    return [value("stages_on_time_share", on_time, rows_url=_detail(scope))]
