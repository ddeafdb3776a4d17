"""The year's synthesis of purchasing gains: what the year counts, broken down by establishment, family,
buyer, lever and stage, against the year's target.

A year Y counts the N share of the gains notified in Y and the N+1 share of those notified in Y−1
(PHARE's twelve-month base). Only declared and validated gains count; the validated part is given
beside. Every figure is a SQL sum (GainQuerySet.year_totals): one query per breakdown and one for the
target, whatever the number of gains."""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

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
        self.gain_n += row["gain_n"]
        self.gain_n1 += row["gain_n1"]
        self.annual += row["annual"]
        self.records += row["records"]
        if row["status"] == GainStatus.VALIDATED:
            self.validated_gain_n += row["gain_n"]
            self.validated_gain_n1 += row["gain_n1"]
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
    param: str
    title: str
    heading: str
    columns: tuple[str, ...]  # the key first, then what the label is made of
    label: Callable[[dict], str]


def _person(row: dict) -> str:
    name = f"{row['buyer__first_name']} {row['buyer__last_name']}".strip()
    return name or row["buyer__username"] or "Sans acheteur"


def _family(row: dict) -> str:
    return f"{row['family__code']} — {row['family__label']}" if row["family"] else "Sans famille"


def _choice(choices, name: str):
    return lambda row: dict(choices).get(row[name], row[name])


DIMENSIONS = (
    Dimension("entity", "Par établissement", "Établissement", ("entity", "entity__name"),
              lambda row: row["entity__name"]),
    Dimension("family", "Par famille d'achat", "Famille d'achat", ("family", "family__code", "family__label"),
              _family),
    Dimension("buyer", "Par acheteur", "Acheteur",
              ("buyer", "buyer__first_name", "buyer__last_name", "buyer__username"), _person),
    Dimension("lever", "Par levier", "Levier", ("lever",), _choice(Lever.choices, "lever")),
    Dimension("stage", "Par stade", "Stade", ("stage",), _choice(GainStage.choices, "stage")),
)  # fmt: skip


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
    lines: dict[str, Line] = {}
    for row in gains.year_totals(year, *dimension.columns, "status"):
        value = row[dimension.columns[0]]
        key = NULL if value is None else str(value)
        line = lines.get(key)
        if line is None:
            line = lines[key] = Line(key=key, label=dimension.label(row))
        line.figures.add(row)
    ordered = sorted(lines.values(), key=lambda line: (-line.figures.total, line.label))
    return Breakdown(dimension.param, dimension.title, dimension.heading, ordered)


def year_summary(gains: GainQuerySet, year: int, *, with_target: bool = True) -> YearSummary:
    """The synthesis of `gains` (already scoped to the reader) for the year: 5 or 6 queries."""
    counted = gains.counted()
    breakdowns = [_breakdown(counted, year, dimension) for dimension in DIMENSIONS]
    target = GainTarget.objects.filter(year=year).first() if with_target else None
    return YearSummary(year=year, breakdowns=breakdowns, target=target)
