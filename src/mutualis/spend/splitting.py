"""The ex-post splitting check: in one fiscal year, a buyer's off-contract spend on one purchase family
that reaches a procedure threshold (R2121-6/7: the value of homogeneous supplies or services, or of one
works operation, is their total over the year). The value is the buyer's (R2121-1): the spend of the
entities one buyer key covers adds up (a GHT's members, whose support establishment buys for them), that
of independent buyers never does (organisations.models.buyer_key). Such spend should have gone through a
consultation; the check flags it with the rows behind it, for a buyer to examine (an exclusive right, an
urgency, a contract missing from the registry…). It judges nothing by itself.

Which thresholds: those in force on 1 January of the fiscal year (`rules_day`). The year's homogeneous
purchases are estimated before its first order, so a buyer who had bought them in one go would have
launched the consultation at the start of the year, under the thresholds then in force. A change during
the year (the supplies and services waiver raised in April 2026) therefore counts from the next fiscal
year on; every crossing names the row it used (value, date, reference). The registry's splitting alerts
(needs/opportunities.py) use the year's last day because they look at consultations launched during it.

Lines without a family are not checked (no nature, no homogeneous group): they are counted apart as
« non classées », so that users see what the account mapping misses."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from mutualis.catalogue.models import PurchaseFamily
from mutualis.legal.procedure import MissingThreshold, thresholds_in
from mutualis.legal.rules import in_force, rule_rows
from mutualis.legal.vocabulary import BuyerKind, ThresholdKind
from mutualis.organisations.models import Entity

ZERO = Decimal(0)


@dataclass(frozen=True)
class OffSpend:
    """One entity's off-contract spend on one family in the year (family None: not classified)."""

    entity_id: int
    family_id: int | None
    amount: Decimal
    lines: int


@dataclass(frozen=True)
class Crossing:
    """A threshold reached: which one, its value, the text it comes from and the date it applies from."""

    kind: str
    label: str
    value: Decimal
    reference: str
    valid_from: date


@dataclass
class SplittingFlag:
    year: int
    buyer: Entity  # the buyer key whose spend adds up
    family: PurchaseFamily
    amount: Decimal
    lines: int
    crossings: list[Crossing]
    entities: list[Entity] = field(default_factory=list)  # whose lines are behind the flag

    @property
    def entity(self) -> Entity:
        """The flag's entity: its buyer."""
        return self.buyer

    @property
    def highest(self) -> Crossing:
        return max(self.crossings, key=lambda crossing: crossing.value)

    @property
    def params(self) -> dict:
        """The list's filters that show the rows behind the flag: one entity's, or the buyer's."""
        who = {"entity": self.entities[0].pk} if len(self.entities) == 1 else {"buyer": self.buyer.pk}
        return {"fiscal_year": self.year, **who, "family": self.family.pk, "off_contract": "oui"}


@dataclass
class Unclassified:
    """Off-contract spend without a family, per entity: not checked."""

    year: int
    entity: Entity
    amount: Decimal
    lines: int

    @property
    def params(self) -> dict:
        return {"fiscal_year": self.year, "entity": self.entity.pk, "family": "null", "off_contract": "oui"}


@dataclass
class SplittingCheck:
    year: int
    rules_day: date
    flags: list[SplittingFlag] = field(default_factory=list)
    unclassified: list[Unclassified] = field(default_factory=list)
    # Set when the legal table has no threshold for that date: nothing could be checked.
    missing: str = ""

    @property
    def unclassified_amount(self) -> Decimal:
        return sum((item.amount for item in self.unclassified), ZERO)


def rules_day(year: int) -> date:
    """The date whose thresholds apply to a fiscal year's spend (see the module's docstring)."""
    return date(year, 1, 1)


def _crossings(amount: Decimal, thresholds, buyer_kind: str) -> list[Crossing]:
    # Below the waiver nothing is due, even above the publicity threshold (the works waiver is higher
    # than it), as in legal.procedure.estimate_procedure.
    if amount < thresholds.waiver.value:
        return []
    checked = [(ThresholdKind.WAIVER, thresholds.waiver), (ThresholdKind.EU, thresholds.eu)]
    # An entité adjudicatrice has no national publicity threshold (R2131-12 concerns the others).
    if buyer_kind != BuyerKind.UTILITY:
        checked.insert(1, (ThresholdKind.PUBLICITY, thresholds.publicity))
    return [
        Crossing(kind.value, kind.label, applied.value, applied.reference, applied.valid_from)
        for kind, applied in checked
        if amount >= applied.value
    ]


def _per_buyer(spend: Iterable[OffSpend], buyers: dict[int, int]) -> dict[tuple, list[OffSpend]]:
    """(buyer id, family id) → the entities' spend it adds up; without a family, per entity."""
    grouped: dict[tuple, list[OffSpend]] = {}
    for item in spend:
        buyer = item.entity_id if item.family_id is None else buyers.get(item.entity_id, item.entity_id)
        grouped.setdefault((buyer, item.family_id), []).append(item)
    return grouped


def splitting_check(
    year: int,
    spend: Iterable[OffSpend],
    *,
    families: dict[int, PurchaseFamily],
    entities: dict[int, Entity],
    buyer_kind: str,
    rows: list | None = None,
    buyers: dict[int, int] | None = None,
) -> SplittingCheck:
    """The flags of the year from its grouped off-contract spend, per buyer and family. `buyers`: entity
    id → its buyer key's id (EntityQuerySet.buyer_keys(); default: each entity buys alone), every buyer
    in `entities`; `rows` (legal.rules.rule_rows()) saves the query on the legal table. Flags come
    largest first."""
    day = rules_day(year)
    book = in_force(day, rows=rule_rows() if rows is None else rows)
    check = SplittingCheck(year=year, rules_day=day)
    by_nature: dict[str, object] = {}
    for (buyer_id, family_id), items in _per_buyer(spend, buyers or {}).items():
        entity = entities[buyer_id]
        amount, lines = sum((item.amount for item in items), ZERO), sum(item.lines for item in items)
        if family_id is None:
            check.unclassified.append(Unclassified(year, entity, amount, lines))
            continue
        family = families[family_id]
        if family.nature not in by_nature:
            try:
                by_nature[family.nature] = thresholds_in(book, nature=family.nature, buyer_kind=buyer_kind)
            except MissingThreshold as error:
                check.missing = str(error)
                by_nature[family.nature] = None
        thresholds = by_nature[family.nature]
        crossings = _crossings(amount, thresholds, buyer_kind) if thresholds else []
        if crossings:
            behind = sorted((entities[item.entity_id] for item in items), key=lambda e: (e.name, e.pk))
            check.flags.append(SplittingFlag(year, entity, family, amount, lines, crossings, behind))
    check.flags.sort(key=lambda flag: (-flag.amount, flag.buyer.name, flag.family.code))
    check.unclassified.sort(key=lambda item: (-item.amount, item.entity.name))
    return check
