"""A family's QCD panel: per supplier holding one of the family's contracts, its overall score in each
evaluated period, the trend, its incidents and what the reader's entities paid it in the family.

Read for one reader in a fixed number of queries whatever the number of suppliers and contracts:

- contracts: the family's contracts the reader sees (`Contract.objects.for_user`) that are in force or
  were evaluated, with their holders (one query);
- scores: every evaluation of those contracts, all entities together, as the campaign page shows them
  (the aggregated result is shared; only the answers themselves are scoped);
- incidents: the reader's (`for_user`) on those contracts, counted per supplier in cause (one query);
- spend: the lines of the family (the spend cube has no family per supplier) of the last complete fiscal
  years, per SIREN, scoped like the spend map (one query), for readers of spend only.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from mutualis.contracts.models import Contract, ContractHolder
from mutualis.spend.models import SpendLine
from mutualis.spend.spendmap import to_cent

from ..models import Evaluation, Incident
from ..models.incident import OPEN_STATUSES
from .aggregate import Result
from .results import Period, by_supplier_and_period, period_of

PERIODS_SHOWN = 4
SPEND_YEARS = 3  # the last complete fiscal years summed


@dataclass(frozen=True)
class Cell:
    """A supplier's result in one period (None: not evaluated then) and whether it is under the period's
    alert threshold."""

    result: Result | None
    below: bool = False

    @property
    def score(self) -> Decimal | None:
        return self.result.shown() if self.result is not None and self.result.evaluated else None


@dataclass
class PanelRow:
    supplier: object
    contracts: int
    cells: list[Cell] = field(default_factory=list)  # one per shown period, most recent first
    latest: Decimal | None = None  # the two most recent evaluated scores (shown, rounded), for the trend
    previous: Decimal | None = None
    incidents_open: int = 0
    incidents_total: int = 0
    spend: Decimal | None = None  # None: not shown to the reader, or the supplier's SIREN is unknown

    @property
    def trend(self) -> str:
        """« hausse », « baisse », « stable », or "" with fewer than two evaluated periods."""
        if self.latest is None or self.previous is None:
            return ""
        if self.latest > self.previous:
            return "hausse"
        return "baisse" if self.latest < self.previous else "stable"

    @property
    def change(self) -> Decimal | None:
        return None if not self.trend else self.latest - self.previous


@dataclass
class Panel:
    family: object
    periods: list[Period]
    thresholds: list[Decimal]  # each shown period's alert threshold (the strictest of its campaigns)
    rows: list[PanelRow]
    spend_years: tuple[int, int] | None  # first and last fiscal year summed; None: spend not shown


def _cell(result: Result | None, threshold: Decimal) -> Cell:
    below = result is not None and result.evaluated and result.overall < threshold
    return Cell(result, below)


def complete_years(today=None) -> tuple[int, int]:
    year = (today or timezone.localdate()).year
    return year - SPEND_YEARS, year - 1


def family_panel(family, user, *, with_spend: bool) -> Panel:
    in_force = Contract.objects.in_force().filter(pk=OuterRef("pk"))
    evaluated = Evaluation.objects.filter(contract_id=OuterRef("pk"))
    contracts = (
        Contract.objects.for_user(user)
        .filter(family=family)
        .filter(Q(Exists(in_force)) | Q(Exists(evaluated)))
        .values("pk")
    )
    holders = list(ContractHolder.objects.filter(contract__in=contracts).select_related("supplier"))
    contract_ids = {h.contract_id for h in holders}
    held: dict[int, set[int]] = {}
    suppliers = {}
    for holder in holders:
        held.setdefault(holder.supplier_id, set()).add(holder.contract_id)
        suppliers[holder.supplier_id] = holder.supplier

    evaluations = list(Evaluation.objects.filter(contract_id__in=contract_ids).for_results())
    cells = by_supplier_and_period(evaluations)
    thresholds: dict[Period, Decimal] = {}
    for evaluation in evaluations:
        period = period_of(evaluation)
        thresholds[period] = max(thresholds.get(period, Decimal(0)), evaluation.campaign.alert_below)
    evaluated_periods = {period for (_, period), result in cells.items() if result.evaluated}
    periods = sorted(evaluated_periods, key=lambda p: (p.end, p.start), reverse=True)
    shown = periods[:PERIODS_SHOWN]

    incidents = {
        row["supplier_id"]: row
        for row in Incident.objects.for_user(user)
        .filter(contract_id__in=contract_ids)
        .order_by()
        .values("supplier_id")
        .annotate(total=Count("pk"), open=Count("pk", filter=Q(status__in=OPEN_STATUSES)))
    }
    spend, years = {}, None
    if with_spend:
        years = complete_years()
        sirens = {s.siren for s in suppliers.values() if s.siren}
        spend = {
            row["supplier_siren"]: to_cent(row["total"])
            for row in SpendLine.objects.for_user(user)
            .filter(family=family, fiscal_year__range=years, supplier_siren__in=sirens)
            .order_by()
            .values("supplier_siren")
            .annotate(total=Sum("amount_ht"))
        }

    rows = []
    for pk, supplier in suppliers.items():
        row = PanelRow(supplier=supplier, contracts=len(held[pk]))
        row.cells = [_cell(cells.get((pk, period)), thresholds[period]) for period in shown]
        mine = [cells[(pk, p)].shown() for p in periods if (pk, p) in cells and cells[(pk, p)].evaluated]
        row.latest, row.previous = [*mine, None, None][:2]
        counts = incidents.get(pk, {})
        row.incidents_open, row.incidents_total = counts.get("open", 0), counts.get("total", 0)
        if with_spend and supplier.siren:
            row.spend = spend.get(supplier.siren, Decimal("0.00"))
        rows.append(row)
    rows.sort(key=lambda row: (row.supplier.name.lower(), row.supplier.pk))
    return Panel(
        family=family,
        periods=shown,
        thresholds=[thresholds[p] for p in shown],
        rows=rows,
        spend_years=years,
    )
