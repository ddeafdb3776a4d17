"""Figures over several years, for the trend charts: one grouped query."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear

from mutualis.contracts.models import Contract
from mutualis.core.replica import replica_reads

from ..cube import reads_cube
from ..measures import grouped
from ..models import ContractCell
from ..scope import Scope
from .base import cents

YEARS = 5


@dataclass
class Year:
    year: int
    count: int = 0
    amount: object = 0
    by_procedure: dict = field(default_factory=dict)


@replica_reads()
def contracts_by_year(scope: Scope, user, years: int = YEARS) -> list[Year]:
    """Contracts notified in each of the `years` years up to the scope's, by procedure."""
    first = scope.year - years + 1
    if reads_cube(user):
        sums = {"count": Sum("contracts"), "total": Sum("amount")}
        cells = grouped(_cells(scope, first), ("year", "procedure"), sums)
        rows = [{"year": year, "procedure": procedure, **row} for (year, procedure), row in cells.items()]
    else:
        rows = _rows(scope, user, first)
    by_year: dict[int, Year] = defaultdict(lambda: Year(0))
    for row in rows:
        year = by_year[row["year"]]
        year.count += row["count"]
        year.amount = cents(year.amount) + cents(row["total"])
        year.by_procedure[row["procedure"]] = year.by_procedure.get(row["procedure"], 0) + row["count"]
    return [
        Year(y, by_year[y].count, cents(by_year[y].amount), by_year[y].by_procedure)
        for y in range(first, scope.year + 1)
    ]


def _cells(scope: Scope, first: int):
    cells = ContractCell.objects.filter(year__range=(first, scope.year)).order_by()
    if scope.entity:
        cells = cells.filter(buyer=scope.entity)
    if scope.family:
        cells = cells.filter(family=scope.family)
    return cells


def _rows(scope: Scope, user, first: int):
    contracts = Contract.objects.for_user(user).filter(
        notification_date__range=(date(first, 1, 1), date(scope.year, 12, 31))
    )
    if scope.entity:
        contracts = contracts.filter(buyer=scope.entity)
    if scope.family:
        contracts = contracts.filter(family=scope.family)
    return (
        contracts.annotate(year=ExtractYear("notification_date"))
        .order_by()
        .values("year", "procedure")
        .annotate(count=Count("pk"), total=Sum("amount"))
    )
