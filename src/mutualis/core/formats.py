"""Numbers written the French way in messages and reports: comma decimals, narrow no-break spaces
between thousands so that amounts never wrap."""

from decimal import ROUND_HALF_UP, Decimal

NNBSP = "\u202f"


def number(value: Decimal, decimals: int = 2) -> str:
    """1234567.8 → « 1 234 567,80 »."""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    return f"{rounded:,.{decimals}f}".replace(",", NNBSP).replace(".", ",")


def euros(value: Decimal, decimals: int = 2) -> str:
    return f"{number(value, decimals)}{NNBSP}€"


def weight(value: Decimal) -> str:
    """A weight or a share in per cent without its stored zeros: 50.00 → « 50 », 12.50 → « 12,5 »."""
    text = format(Decimal(value).normalize(), "f")
    return text.replace(".", ",")


def percent(share: Decimal) -> str:
    """A share written in per cent: 0.8 → « 80 % »."""
    return f"{weight(Decimal(share) * 100)}{NNBSP}%"
