"""Steering figures written the French way, in their unit (pages, report, workbook)."""

from decimal import Decimal

from mutualis.core.formats import NNBSP, number

from .indicators.registry import Unit

SUFFIX = {Unit.EUROS: "€", Unit.PERCENT: "%", Unit.DAYS: "j", Unit.HOURS: "h", Unit.OFFERS: "offres"}


def figure(value, unit: str) -> str:
    """42.9, "%" → « 42,9 % »; None → « non disponible »."""
    if value is None:
        return "non disponible"
    value = Decimal(value)
    decimals = 2 if unit == Unit.EUROS else (0 if value == value.to_integral_value() else 1)
    suffix = SUFFIX.get(unit, "")
    return f"{number(value, decimals)}{NNBSP + suffix if suffix else ''}"


def signed(value, unit: str) -> str:
    """A change with its sign; a change of a share is in points: « +3,2 points », « −1 j », « 0 »."""
    if value is None:
        return "non disponible"
    text = figure(abs(Decimal(value)), unit)
    if unit == Unit.PERCENT:
        text = text.replace("%", "points")
    return text if value == 0 else ("+" if value > 0 else "−") + text
