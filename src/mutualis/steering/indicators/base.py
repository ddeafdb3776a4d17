"""What an indicator computes to, and the few statistics every group shares."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .registry import BY_CODE, Indicator, Unit

ONE_DECIMAL = Decimal("0.1")
CENT = Decimal("0.01")


@dataclass
class Value:
    """One indicator for one scope: its value (None: not available, and `note` says why), its target
    when an objective is set, and where its rows are listed."""

    indicator: Indicator
    value: Decimal | int | None
    target: Decimal | None = None
    rows_url: str = ""
    note: str = ""

    @property
    def gap(self) -> Decimal | None:
        """Value minus target, in the indicator's unit (negative: below the target)."""
        if self.value is None or self.target is None:
            return None
        return Decimal(self.value) - self.target

    @property
    def on_target(self) -> bool | None:
        """Whether the target is met: a floor for indicators where more is better, a ceiling otherwise."""
        if self.gap is None or self.indicator.higher_is_better is None:
            return None
        return self.gap >= 0 if self.indicator.higher_is_better else self.gap <= 0


def value(code: str, figure, *, rows_url: str = "", note: str = "") -> Value:
    indicator = BY_CODE[code]
    if figure is not None and indicator.unit == Unit.EUROS:
        figure = Decimal(figure).quantize(CENT, rounding=ROUND_HALF_UP)
    return Value(indicator, figure, rows_url=rows_url, note=note)


def share(part, whole) -> Decimal | None:
    """part / whole in per cent to a tenth, None when there is nothing to divide (never a made-up 0)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def quantile(values: list, q: Decimal) -> Decimal | None:
    """The q-th quantile by linear interpolation between closest ranks (PostgreSQL's percentile_cont,
    Excel's CENTILE.INCLURE), to a tenth; None for an empty list."""
    if not values:
        return None
    ordered = sorted(Decimal(v) for v in values)
    position = (len(ordered) - 1) * Decimal(q)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    result = ordered[low] + (ordered[high] - ordered[low]) * (position - low)
    return result.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def cents(amount) -> Decimal:
    """A SQL sum back to its exact cent (SQLite adds decimals in floating point)."""
    return Decimal(str(amount or 0)).quantize(CENT, rounding=ROUND_HALF_UP)
