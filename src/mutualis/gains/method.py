"""The purchasing-gain computation of the national hospital method (PHARE, DGOS note of 2 August 2019).

Pure functions on exact decimals, used by the gain records, the action plan, the pages, the exports
and the API: one computation, so that a figure is the same wherever it is shown.

- recurring: SR = reference unit price × annual quantity, SN = new unit price × annual quantity;
- one-off: the reference unit price is the one given, otherwise the mean of every offer received
  (the winning one included); SR and SN over the quantity bought; the whole gain counts in year N;
- investment: SR and SN as for one-off, each divided by the amortisation duration in years.

Gain = SR − SN: positive is a saving, a dearer new situation gives a negative gain, shown as such.
A recurring or investment annual gain is spread over the first twelve months after notification
("12-month base"): year N gets the share of days from the notification date to 31 December (both
included) over the days of that year, year N+1 the rest. Nothing is rounded but the outputs, to the
cent, half up (away from zero on a tie, as accountants round a negative amount too): the intermediate
results are exact fractions, since a quotient cut at any precision (a mean of three offers, a third of
an investment, a day over 365) can fall on the wrong side of a half-cent tie.
"""

import calendar
import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import models

# Precision of the figures shown unrounded (the offers' mean, the share of year N); the outputs are
# computed from exact fractions, never from these.
PRECISION = 40


class GainKind(models.TextChoices):
    RECURRING = "recurring", "Récurrent (fonctionnement)"
    ONE_OFF = "one_off", "Ponctuel"
    INVESTMENT = "investment", "Investissement (amorti)"


class GainInputError(ValueError):
    """An input the method cannot compute, with the field it concerns (French message)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class GainFigures:
    """The outputs, rounded to the cent: annual SR and SN, the annual gain and its N / N+1 split."""

    reference_unit_price: Decimal  # the one used: given, or the mean of the offers (exact, unrounded)
    reference_amount: Decimal
    new_amount: Decimal
    annual_gain: Decimal
    gain_year_n: Decimal
    gain_year_n1: Decimal
    year_n: int
    share_of_year_n: Decimal  # exact fraction of the annual gain counted in year N
    explanation: str

    def as_dict(self) -> dict[str, str]:
        return {
            "reference_amount": f"{self.reference_amount:.2f}",
            "new_amount": f"{self.new_amount:.2f}",
            "annual_gain": f"{self.annual_gain:.2f}",
            "gain_year_n": f"{self.gain_year_n:.2f}",
            "gain_year_n1": f"{self.gain_year_n1:.2f}",
            "explanation": self.explanation,
        }


def to_cent(value: Decimal | Fraction) -> Decimal:
    """Rounded to the cent, half away from zero, from the exact value."""
    cents = Fraction(value) * 100
    whole = math.floor(abs(cents) + Fraction(1, 2))
    # From text, exact whatever the size (no context rounding); an int zero has no sign: never "-0.00".
    return Decimal(f"{whole if cents >= 0 else -whole}E-2")


def _exact_share_of_year_n(notification_date: date) -> Fraction:
    year = notification_date.year
    days_in_year = 366 if calendar.isleap(year) else 365
    days_left = (date(year, 12, 31) - notification_date).days + 1  # both days included
    return Fraction(days_left, days_in_year)


def _decimal(value: Fraction) -> Decimal:
    with localcontext() as context:
        context.prec = PRECISION
        return Decimal(value.numerator) / Decimal(value.denominator)


def share_of_year_n(notification_date: date) -> Decimal:
    """Share of a twelve-month gain that falls in the notification year, pro rata of days."""
    return _decimal(_exact_share_of_year_n(notification_date))


def mean(values: list[Decimal]) -> Decimal:
    with localcontext() as context:
        context.prec = PRECISION
        return sum(values, Decimal(0)) / Decimal(len(values))


def _positive(field: str, value: Decimal | None, label: str, *, required: bool = True) -> None:
    if value is None:
        if required:
            raise GainInputError(field, f"Indiquez {label}.")
        return
    if not isinstance(value, Decimal) or not value.is_finite():
        raise GainInputError(field, f"{label.capitalize()} n'est pas un nombre décimal.")
    if value < 0:
        raise GainInputError(field, f"{label.capitalize()} ne peut pas être négatif.")


def compute(
    *,
    kind: str,
    new_unit_price: Decimal | None,
    notification_date: date | None,
    reference_unit_price: Decimal | None = None,
    annual_quantity: Decimal | None = None,
    quantity: Decimal | None = None,
    offers: list[Decimal] | tuple[Decimal, ...] = (),
    amortisation_years: int | None = None,
    recurring_from_offers: bool = False,
) -> GainFigures:
    """The gain of one purchase by the PHARE method; GainInputError names the field that is wrong.

    A recurring purchase needs its reference price (the price paid), unless `recurring_from_offers`:
    a gain record of a new recurring need, whose reference is the offers' mean like a one-off's."""
    if kind not in GainKind.values:
        raise GainInputError(
            "kind", f"Nature de gain inconnue : « {kind} » (recurring, one_off, investment)."
        )
    if notification_date is None:
        raise GainInputError("notification_date", "Indiquez la date de notification.")
    _positive("new_unit_price", new_unit_price, "le nouveau prix unitaire")
    _positive("reference_unit_price", reference_unit_price, "le prix unitaire de référence", required=False)
    for position, offer in enumerate(offers, start=1):
        _positive("offers", offer, f"l'offre n° {position}")
    if kind == GainKind.RECURRING:
        _positive("annual_quantity", annual_quantity, "la quantité annuelle")
        amount_quantity, years = annual_quantity, 1
        if reference_unit_price is None and not (recurring_from_offers and offers):
            raise GainInputError(
                "reference_unit_price", "Indiquez le prix unitaire de référence (prix payé)."
            )
    else:
        _positive("quantity", quantity, "la quantité")
        amount_quantity, years = quantity, 1
        if kind == GainKind.INVESTMENT:
            if amortisation_years is None or isinstance(amortisation_years, bool):
                raise GainInputError("amortisation_years", "Indiquez la durée d'amortissement en années.")
            if not isinstance(amortisation_years, int) or amortisation_years < 1:
                raise GainInputError("amortisation_years", "La durée d'amortissement est d'au moins un an.")
            years = amortisation_years
        if reference_unit_price is None and not offers:
            raise GainInputError(
                "reference_unit_price",
                "Indiquez le prix unitaire de référence, ou les offres reçues "
                "dont la moyenne en tiendra lieu.",
            )
    from_offers = reference_unit_price is None
    # Exact fractions from here to the rounding of the outputs (see the module's docstring).
    if from_offers:
        reference = sum(map(Fraction, offers), Fraction(0)) / len(offers)
    else:
        reference = Fraction(reference_unit_price)
    sr = reference * Fraction(amount_quantity) / years
    sn = Fraction(new_unit_price) * Fraction(amount_quantity) / years
    annual = sr - sn
    share = Fraction(1) if kind == GainKind.ONE_OFF else _exact_share_of_year_n(notification_date)
    annual_gain = to_cent(annual)
    gain_n = to_cent(annual * share)
    return GainFigures(
        reference_unit_price=mean(list(offers)) if from_offers else reference_unit_price,
        reference_amount=to_cent(sr),
        new_amount=to_cent(sn),
        annual_gain=annual_gain,
        gain_year_n=gain_n,
        gain_year_n1=annual_gain - gain_n,
        year_n=notification_date.year,
        share_of_year_n=_decimal(share),
        explanation=_explain(kind, from_offers, len(offers), years, notification_date, annual_gain, gain_n),
    )


def _money(value: Decimal) -> str:
    text = f"{abs(value):,.2f}".replace(",", "\u202f").replace(".", ",")
    return f"{'−' if value < 0 else ''}{text} €"


def _explain(kind, from_offers, offers, years, notified, annual_gain, gain_n) -> str:
    if not from_offers:
        reference = "prix de référence = prix payé ou prix de marché indiqué"
    elif offers == 1:
        reference = "prix de référence = la seule offre reçue"
    else:
        reference = f"prix de référence = moyenne des {offers} offres reçues"
    if kind == GainKind.ONE_OFF:
        # The participle agrees with « économie » (feminine) or « surcoût » (masculine).
        sign, counted = ("économie", "comptée") if annual_gain >= 0 else ("surcoût (gain négatif)", "compté")
        return (
            f"Achat ponctuel : {reference} ; situation de référence et nouvelle situation sur la quantité "
            f"achetée ; {sign} de {_money(annual_gain)}, {counted} en entier en {notified.year}."
        )
    if annual_gain >= 0:
        sign, spread = "économie annuelle", "répartie"
    else:
        sign, spread = "surcoût annuel (gain négatif)", "réparti"
    head = (
        "Achat récurrent : situations annuelles sur la quantité annuelle"
        if kind == GainKind.RECURRING
        else f"Investissement : situations sur la quantité achetée, divisées par {years} an(s) "
        "d'amortissement"
    )
    return (
        f"{head} ; {reference} ; {sign} de {_money(annual_gain)}, {spread} sur les douze mois suivant "
        f"la notification du {notified:%d/%m/%Y} : {_money(gain_n)} en {notified.year}, "
        f"{_money(annual_gain - gain_n)} en {notified.year + 1}."
    )


def compute_for_record(
    *,
    kind: str,
    quantity: Decimal | None,
    amortisation_years: int | None,
    **inputs,
) -> GainFigures:
    """`compute` for a stored record (a gain, an action of the plan), which keeps one quantity field
    (annual for a recurring purchase) and an amortisation that counts only for an investment. An input
    the method refuses becomes a ValidationError on the record's own field."""
    recurring = kind == GainKind.RECURRING
    try:
        return compute(
            kind=kind,
            annual_quantity=quantity if recurring else None,
            quantity=None if recurring else quantity,
            amortisation_years=amortisation_years if kind == GainKind.INVESTMENT else None,
            **inputs,
        )
    except GainInputError as error:
        field = "quantity" if error.field == "annual_quantity" else error.field
        raise ValidationError({field: error.message}) from error
