"""Where purchases are split, and where entities could buy together (DOMAIN.md §2.3 rule 5, R2121-4).

Splitting: in one family and one year, purchases one buyer launched separately (contracts of the
registry, needs of a campaign) each stay under a threshold that their total crosses; the value is the
buyer's (R2121-1), so two independent buyers' purchases never add up. Pooling: in one family, several
buyers hold separate running contracts that one procurement could replace; between independent buyers
(distinct buyer keys) that procurement is a groupement de commandes (L2113-6) or a central purchasing
body's, whose procedure follows the combined value.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Max, Min, Sum
from django.db.models.functions import ExtractYear

from mutualis.catalogue.models import PurchaseFamily
from mutualis.contracts.models import Contract, ContractHolder
from mutualis.legal.procedure import MissingThreshold, ProcedureEstimate, estimate_procedure, thresholds_in
from mutualis.legal.rules import in_force, rule_rows
from mutualis.organisations.models import Entity, buyer_key

from .procedure import territory_buyer_kind


@dataclass
class SplittingAlert:
    family: PurchaseFamily
    year: int
    purchases: int
    total: Decimal
    largest: Decimal
    threshold_name: str
    threshold: Decimal
    buyer: Entity | None = None  # the contracts' buyer: alerts never add two buyers' purchases


@dataclass
class PoolingOpportunity:
    family: PurchaseFamily
    entities: int  # buyers named on the contracts
    contracts: int
    suppliers: int
    combined_amount: Decimal
    first_end: date
    align_by: date  # when the last of them ends: the date one joint contract could start from
    buyers: int = 1  # independent buyers (buyer keys) among them
    estimate: ProcedureEstimate | None = None  # the procedure one consultation for the combined value needs
    # The buyer keys' ids, the largest combined amount first: the members a groupement would have.
    member_ids: list[int] = field(default_factory=list)

    @property
    def needs_groupement(self) -> bool:
        """Independent buyers buy together through a groupement de commandes (L2113-6) or a central
        purchasing body; under one buyer key, that buyer replaces them alone."""
        return self.buyers > 1

    @property
    def group_create_query(self) -> str:
        """The GET parameters that prefill the groupement's creation form (organisations:group_create)."""
        return group_create_query(self.family, self.member_ids)


def group_create_query(family: PurchaseFamily, member_ids: list[int]) -> str:
    """The GET parameters PurchasingGroupCreateView.get_initial reads to prefill a groupement for the
    family: `name`, `coordinator` (the first member: the one with the largest value), `members` (repeated)
    and `scope_families`. Initial values only: the user checks and submits the form."""
    return urlencode(
        [
            ("name", f"Groupement {family.label}"),
            *((("coordinator", member_ids[0]),) if member_ids else ()),
            *(("members", pk) for pk in member_ids),
            ("scope_families", family.pk),
        ]
    )


def splitting_alerts(years: int = 3, today: date | None = None, contracts=None) -> list[SplittingAlert]:
    """Per buyer, family and year (R2121-1: the value is the buyer's; R2121-4: no splitting).
    `contracts`: the registry rows to read (default: all of them); the steering flags pass a reader's."""
    today = today or date.today()
    contracts = Contract.objects.all() if contracts is None else contracts
    rows = (
        contracts.notified()
        .filter(
            family__isnull=False, framework__isnull=True, notification_date__year__gte=today.year - years + 1
        )
        .annotate(year=ExtractYear("notification_date"))
        .values("buyer", "family", "year")
        .annotate(n=Count("pk"), total=Sum("amount"), largest=Max("amount"))
        .filter(n__gte=2)
        .order_by("family", "year", "buyer")
    )
    return splitting_alerts_of(rows)


def splitting_alerts_of(rows) -> list[SplittingAlert]:
    """The alerts of rows {buyer, family, year, n, total, largest}: contracts passed separately by one
    buyer in one family and year (at least two), their total and the largest of them."""
    families = {f.pk: f for f in PurchaseFamily.objects.filter(pk__in={r["family"] for r in rows})}
    buyers = Entity.objects.in_bulk({r["buyer"] for r in rows} - {None})
    buyer_kind, table = territory_buyer_kind(), rule_rows()  # read once, not per row
    # Only the thresholds matter here, and they depend on the nature and year alone: read once for
    # each, not once per row (hundreds of rows a year made this the cockpit's slowest computation).
    thresholds: dict[tuple[str, int], dict | None] = {}
    alerts = []
    for row in rows:
        family = families[row["family"]]
        when = (family.nature, row["year"])
        if when not in thresholds:
            thresholds[when] = _year_thresholds(family.nature, buyer_kind, row["year"], table)
        if thresholds[when] is None:
            continue  # a year before the thresholds the table holds: nothing to compare with
        for name, key in (("dispense de procédure", "waiver"), ("seuil européen", "eu")):
            threshold = Decimal(thresholds[when][key])
            if row["largest"] < threshold <= row["total"]:
                alerts.append(
                    SplittingAlert(
                        family,
                        row["year"],
                        row["n"],
                        row["total"],
                        row["largest"],
                        name,
                        threshold,
                        buyers.get(row["buyer"]),
                    )
                )
    return alerts


def _year_thresholds(nature: str, buyer_kind: str, year: int, table: list) -> dict | None:
    """The thresholds of the year's last day, what a single consultation would have had to follow;
    None before the first thresholds the table holds."""
    try:
        found = thresholds_in(in_force(date(year, 12, 31), rows=table), nature=nature, buyer_kind=buyer_kind)
    except MissingThreshold:
        return None
    return found.as_dict()


def _pooling_estimate(family, amount, today, buyer_kind, thresholds) -> ProcedureEstimate | None:
    """The procedure one consultation for the combined value would follow if launched today; the
    consolidation's computation (legal.procedure), on the contracts' amounts."""
    try:
        return estimate_procedure(
            nature=family.nature, buyer_kind=buyer_kind, launch_date=today, amount=amount, rows=thresholds
        )
    except MissingThreshold:
        return None


def pooling_opportunities(today: date | None = None) -> list[PoolingOpportunity]:
    """Families where several buyers hold running contracts one consultation could replace. `buyers`
    counts the independent ones (buyer keys): two or more need a groupement de commandes."""
    today = today or date.today()
    in_force = Contract.objects.in_force(today).filter(family__isnull=False)
    rows = (
        in_force.values("family")
        .annotate(
            entities=Count("buyer", distinct=True),
            buyers=Count(buyer_key("buyer__"), distinct=True),
            contracts=Count("pk"),
            amount=Sum("amount"),
            first_end=Min("end_date"),
            last_end=Max("end_date"),
        )
        .filter(entities__gte=2)
        .order_by("-buyers", "-entities", "family")
    )
    # Counted apart: joining holders to the sums above would count each contract once per holder.
    suppliers = dict(
        ContractHolder.objects.filter(contract__in=in_force)
        .values("contract__family")
        .annotate(n=Count("supplier", distinct=True))
        .values_list("contract__family", "n")
    )
    members: dict[int, list[int]] = {}
    per_buyer = (
        in_force.filter(family__in=[r["family"] for r in rows])
        .annotate(key=buyer_key("buyer__"))
        .values("family", "key")
        .annotate(amount=Sum("amount", default=Decimal(0)))
        .order_by("family", "-amount", "key")
    )
    for r in per_buyer:
        members.setdefault(r["family"], []).append(r["key"])
    families = {f.pk: f for f in PurchaseFamily.objects.filter(pk__in={r["family"] for r in rows})}
    buyer_kind, thresholds = territory_buyer_kind(), rule_rows()
    return [
        PoolingOpportunity(
            families[r["family"]],
            r["entities"],
            r["contracts"],
            suppliers.get(r["family"], 0),
            r["amount"],
            r["first_end"],
            r["last_end"],
            buyers=r["buyers"],
            estimate=_pooling_estimate(families[r["family"]], r["amount"], today, buyer_kind, thresholds),
            member_ids=members.get(r["family"], []),
        )
        for r in rows
    ]
