"""Totals of the action plan, for the territory page, an establishment's page and the PAAT workbook.

An action concerning several establishments counts in full for each of them (it is on each one's
sheet, as in the national template), and once only in the territory's total: totals over a set of
actions always go through distinct actions, never through the establishment join.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from .models import ActionStatus, BudgetKind, Gain, GainStatus, PlanAction

COUNTED = (GainStatus.DECLARED, GainStatus.VALIDATED)
ZERO = Decimal("0.00")


def with_realised(queryset):
    """The actions with `realised`: the annual gain of the declared or validated gains realising each
    (the model's realised_gain, in SQL: one subquery, whatever the number of actions)."""
    gains = (
        Gain.objects.filter(action=OuterRef("pk"), status__in=COUNTED)
        .order_by()
        .values("action")
        .annotate(total=Sum("annual_gain"))
        .values("total")
    )
    money = DecimalField(max_digits=16, decimal_places=2)
    return queryset.annotate(
        realised=Coalesce(Subquery(gains, output_field=money), Value(ZERO), output_field=money)
    )


@dataclass
class Totals:
    """The figures of a set of actions: how many, expected (annual, N, N+1) and realised."""

    count: int = 0
    annual: Decimal = ZERO
    year_n: Decimal = ZERO
    year_n1: Decimal = ZERO
    realised: Decimal = ZERO

    def add(self, action) -> None:
        self.count += 1
        self.annual += action.expected_annual_gain
        self.year_n += action.expected_gain_year_n
        self.year_n1 += action.expected_gain_year_n1
        self.realised += action.realised

    @property
    def realised_share(self) -> Decimal | None:
        """Realised over expected annual gain, when something is expected."""
        return self.realised / self.annual if self.annual > 0 else None


@dataclass
class Breakdown:
    """Totals of a set of actions, overall and by budget (operating / investment)."""

    total: Totals = field(default_factory=Totals)
    by_budget: dict = field(default_factory=lambda: {kind: Totals() for kind in BudgetKind.values})

    def add(self, action) -> None:
        self.total.add(action)
        self.by_budget[action.budget].add(action)

    def budget_rows(self):
        """(label, totals) per budget, then the total: the rows of the workbook's summary."""
        return [
            *((label, self.by_budget[value]) for value, label in BudgetKind.choices),
            ("Total", self.total),
        ]


@dataclass
class PlanSummary:
    """The year's plan: the territory (each action once), by status, and by establishment."""

    territory: Breakdown
    by_status: list  # (value, label, Totals), every status in order
    by_entity: list  # (entity, Breakdown), the establishments asked for, in order
    actions: list


def summarise(actions, entities) -> PlanSummary:
    """`actions`: a queryset of the year's actions; `entities`: the establishments to break down."""
    actions = list(with_realised(actions).prefetch_related("entities").order_by("pk"))
    territory = Breakdown()
    statuses = {value: Totals() for value in ActionStatus.values}
    per_entity = {entity.pk: Breakdown() for entity in entities}
    for action in actions:
        territory.add(action)
        statuses[action.status].add(action)
        for entity in action.entities.all():
            if entity.pk in per_entity:
                per_entity[entity.pk].add(action)
    return PlanSummary(
        territory=territory,
        by_status=[(value, label, statuses[value]) for value, label in ActionStatus.choices],
        by_entity=[(entity, per_entity[entity.pk]) for entity in entities],
        actions=actions,
    )


def actions_of_year(user, year: int):
    """The year's actions the user may see."""
    return PlanAction.objects.for_user(user).of_year(year)
