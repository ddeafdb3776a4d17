"""The year's synthesis of purchasing gains: what the year counts, broken down by establishment, family,
buyer, lever and stage, against the year's target.

A year Y counts the N share of the gains notified in Y and the N+1 share of those notified in Y−1
(PHARE's twelve-month base). Only declared and validated gains count; the validated part is given
beside. Every figure is a SQL sum (GainQuerySet.year_totals): one query per breakdown, one for the names
of the establishments, families and buyers found, and one for the target, whatever the number of gains."""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.text import format_lazy

from mutualis.catalogue.models import PurchaseFamily
from mutualis.organisations.models import Entity, User
from mutualis.organisations.vocabulary import word

from .method import to_cent
from .models import GainQuerySet, GainStage, GainStatus, GainTarget, Lever

ZERO = Decimal(0)
NULL = "null"  # the filter value of « no family », « no buyer » (django-filter's null_value)


@dataclass
class Figures:
    """The sums behind one line: counted gains (declared or validated), and the validated ones."""

    gain_n: Decimal = ZERO  # N share of the gains notified in the year
    gain_n1: Decimal = ZERO  # N+1 share of the gains notified the year before
    annual: Decimal = ZERO  # annual gain of the gains notified in the year
    records: int = 0
    validated_gain_n: Decimal = ZERO
    validated_gain_n1: Decimal = ZERO
    validated_records: int = 0

    @property
    def total(self) -> Decimal:
        return self.gain_n + self.gain_n1

    @property
    def validated_total(self) -> Decimal:
        return self.validated_gain_n + self.validated_gain_n1

    def add(self, row: dict) -> None:
        # SQLite sums decimals in floating point (357626388.09999971): every stored figure is in cents,
        # so each sum is brought back to its exact cent before anything is added or shown.
        gain_n, gain_n1, annual = (to_cent(Decimal(row[name])) for name in ("gain_n", "gain_n1", "annual"))
        self.gain_n += gain_n
        self.gain_n1 += gain_n1
        self.annual += annual
        self.records += row["records"]
        if row["status"] == GainStatus.VALIDATED:
            self.validated_gain_n += gain_n
            self.validated_gain_n1 += gain_n1
            self.validated_records += row["records"]


@dataclass
class Line:
    key: str  # the value of the list's filter that shows the gains behind the line
    label: str
    figures: Figures = field(default_factory=Figures)


@dataclass
class Breakdown:
    param: str  # the list's filter (entity, family…), also the breakdown's id
    title: str  # « Par établissement »
    heading: str  # the first column's header
    lines: list[Line]


@dataclass(frozen=True)
class Dimension:
    param: str  # the gain's field, also the list's filter
    title: str
    heading: str
    none: str  # the label of the gains without one (no family, no buyer)
    names: Callable[[set], dict]  # keys found → their labels, in one query at most


def _entities(keys: set) -> dict:
    return dict(Entity.objects.filter(pk__in=keys).values_list("pk", "name"))


def _families(keys: set) -> dict:
    rows = PurchaseFamily.objects.filter(pk__in=keys).values_list("pk", "code", "label")
    return {pk: f"{code} — {label}" for pk, code, label in rows}


def _buyers(keys: set) -> dict:
    rows = User.objects.filter(pk__in=keys).values_list("pk", "first_name", "last_name", "username")
    return {pk: f"{first} {last}".strip() or username for pk, first, last, username in rows}


def _choices(choices) -> Callable[[set], dict]:
    return lambda keys: dict(choices)


DIMENSIONS = (
    # Lazy: the territory's word for its members, read when the synthesis is shown.
    Dimension(
        "entity",
        format_lazy("Par {}", word("one")),
        word("one_cap"),
        format_lazy("Sans {}", word("one")),
        _entities,
    ),
    Dimension("family", "Par famille d'achat", "Famille d'achat", "Sans famille", _families),
    Dimension("buyer", "Par acheteur", "Acheteur", "Sans acheteur", _buyers),
    Dimension("lever", "Par levier", "Levier", "Sans levier", _choices(Lever.choices)),
    Dimension("stage", "Par stade", "Stade", "Sans stade", _choices(GainStage.choices)),
)


@dataclass
class YearSummary:
    year: int
    breakdowns: list[Breakdown]
    target: GainTarget | None

    @property
    def totals(self) -> Figures:
        """Every counted gain has exactly one stage: the stage lines add up to the year."""
        totals = Figures()
        for line in self.breakdown("stage").lines:
            for name in ("gain_n", "gain_n1", "annual", "records", "validated_gain_n", "validated_gain_n1",
                         "validated_records"):  # fmt: skip
                setattr(totals, name, getattr(totals, name) + getattr(line.figures, name))
        return totals

    def breakdown(self, param: str) -> Breakdown:
        return next(b for b in self.breakdowns if b.param == param)

    @property
    def achieved_share(self) -> Decimal | None:
        """Counted total over the target (1 = reached), None without a target."""
        if self.target is None or not self.target.amount:
            return None
        return self.totals.total / self.target.amount


def _breakdown(gains: GainQuerySet, year: int, dimension: Dimension) -> Breakdown:
    # Grouped on the gain's own column only, so the sums read the gains table (its covering index)
    # without a join per row; the few names are read afterwards.
    rows = gains.year_totals(year, dimension.param, "status")
    names = dimension.names({row[dimension.param] for row in rows} - {None})
    lines: dict[str, Line] = {}
    for row in rows:
        value = row[dimension.param]
        key = NULL if value is None else str(value)
        if key not in lines:
            label = str(dimension.none) if value is None else names.get(value, str(value))
            lines[key] = Line(key=key, label=label)
        lines[key].figures.add(row)
    ordered = sorted(lines.values(), key=lambda line: (-line.figures.total, line.label))
    # str(): the lazy words become text here, so the pages and the workbooks get plain strings.
    return Breakdown(dimension.param, str(dimension.title), str(dimension.heading), ordered)


def year_summary(gains: GainQuerySet, year: int, *, with_target: bool = True) -> YearSummary:
    """The synthesis of `gains` (already scoped to the reader) for the year: at most 9 queries."""
    counted = gains.counted()
    breakdowns = [_breakdown(counted, year, dimension) for dimension in DIMENSIONS]
    target = GainTarget.objects.filter(year=year).first() if with_target else None
    return YearSummary(year=year, breakdowns=breakdowns, target=target)
