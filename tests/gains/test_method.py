"""The PHARE gain method (gains/method.py) against cases worked by hand, figure by figure.

Each case is written as the API takes it (decimals as text, the date as AAAA-MM-JJ) so that
tests/api/test_gains_estimate.py posts the very same table and expects the very same answers.

Conventions of the arithmetic below: SR / SN = reference / new situation, G = SR − SN the annual gain
(the whole gain for a one-off purchase), d = days from the notification date to 31 December, both
included, over 365 days (366 in a leap year). Nothing is rounded but the outputs, to the cent, and a
tie rounds away from zero: +x.xx5 goes up, −x.xx5 goes down (half up on the absolute value, as
accountants round a loss too). Gain N+1 is always G rounded minus gain N rounded, so the two years add
up to the annual gain to the cent.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest

from mutualis.gains.method import GainInputError, compute

DECIMAL_FIELDS = ("reference_unit_price", "new_unit_price", "annual_quantity", "quantity")


@dataclass(frozen=True)
class WorkedCase:
    name: str
    payload: dict  # the request, as the API takes it
    expected: dict[str, str] = field(default_factory=dict)  # the five amounts, as the API gives them


def compute_arguments(payload: dict) -> dict:
    """The method's keyword arguments for a request of the table (exact decimals, a date)."""
    arguments = dict(payload)
    for name in DECIMAL_FIELDS:
        if isinstance(arguments.get(name), str | int):
            arguments[name] = Decimal(arguments[name])
    if "offers" in arguments:
        arguments["offers"] = [Decimal(offer) for offer in arguments["offers"]]
    if isinstance(arguments.get("notification_date"), str):
        arguments["notification_date"] = date.fromisoformat(arguments["notification_date"])
    return arguments


def amounts(reference, new, annual, year_n, year_n1) -> dict[str, str]:
    return {
        "reference_amount": reference,
        "new_amount": new,
        "annual_gain": annual,
        "gain_year_n": year_n,
        "gain_year_n1": year_n1,
    }


WORKED_CASES = [
    # SR = 12.50 × 1000 = 12 500.00 ; SN = 10.00 × 1000 = 10 000.00 ; G = 2 500.00.
    # 1 July 2026 → 31 Dec: 31 + 31 + 30 + 31 + 30 + 31 = 184 days of 365.
    # N = 2 500 × 184 / 365 = 460 000 / 365 = 1 260.2739… → 1 260.27 ; N+1 = 2 500.00 − 1 260.27 = 1 239.73.
    WorkedCase(
        "recurring saving",
        {
            "kind": "recurring",
            "reference_unit_price": "12.50",
            "new_unit_price": "10.00",
            "annual_quantity": "1000",
            "notification_date": "2026-07-01",
        },
        amounts("12500.00", "10000.00", "2500.00", "1260.27", "1239.73"),
    ),
    # The same purchase, the new price being the dearer: SR = 10 000.00, SN = 12 500.00, G = −2 500.00.
    # N = −2 500 × 184 / 365 = −1 260.2739… → −1 260.27 ; N+1 = −2 500.00 + 1 260.27 = −1 239.73.
    WorkedCase(
        "recurring dearer: negative gain",
        {
            "kind": "recurring",
            "reference_unit_price": "10.00",
            "new_unit_price": "12.50",
            "annual_quantity": "1000",
            "notification_date": "2026-07-01",
        },
        amounts("10000.00", "12500.00", "-2500.00", "-1260.27", "-1239.73"),
    ),
    # SR = 8.40 × 2 400 = 20 160.00 ; SN = 7.90 × 2 400 = 18 960.00 ; G = 1 200.00.
    # Notified on 1 January: 365 days of 365, N = 1 200.00, N+1 = 0.00.
    WorkedCase(
        "recurring notified on 1 January: all in N",
        {
            "kind": "recurring",
            "reference_unit_price": "8.40",
            "new_unit_price": "7.90",
            "annual_quantity": "2400",
            "notification_date": "2026-01-01",
        },
        amounts("20160.00", "18960.00", "1200.00", "1200.00", "0.00"),
    ),
    # SR = 5 × 3 650 = 18 250.00 ; SN = 4 × 3 650 = 14 600.00 ; G = 3 650.00.
    # Notified on 31 December: 1 day of 365, N = 3 650 / 365 = 10.00, N+1 = 3 640.00.
    WorkedCase(
        "recurring notified on 31 December: 1/365 in N",
        {
            "kind": "recurring",
            "reference_unit_price": "5",
            "new_unit_price": "4",
            "annual_quantity": "3650",
            "notification_date": "2026-12-31",
        },
        amounts("18250.00", "14600.00", "3650.00", "10.00", "3640.00"),
    ),
    # 2028 is a leap year (366 days). SR = 2 × 1 000 = 2 000.00 ; SN = 1 × 1 000 = 1 000.00 ; G = 1 000.00.
    # 1 March 2028 is day 31 + 29 + 1 = 61, so d = 366 − 61 + 1 = 306.
    # N = 1 000 × 306 / 366 = 836.0655… → 836.07 (over 365 it would be 838.36) ; N+1 = 163.93.
    WorkedCase(
        "recurring in the leap year 2028",
        {
            "kind": "recurring",
            "reference_unit_price": "2",
            "new_unit_price": "1",
            "annual_quantity": "1000",
            "notification_date": "2028-03-01",
        },
        amounts("2000.00", "1000.00", "1000.00", "836.07", "163.93"),
    ),
    # Unit prices to four decimals: SR = 0.0042 × 1 000 000 = 4 200.00 ; SN = 0.0039 × 1 000 000 = 3 900.00.
    # G = 300.00 ; N = 300 × 184 / 365 = 55 200 / 365 = 151.2328… → 151.23 ; N+1 = 148.77.
    WorkedCase(
        "recurring with unit prices to four decimals",
        {
            "kind": "recurring",
            "reference_unit_price": "0.0042",
            "new_unit_price": "0.0039",
            "annual_quantity": "1000000",
            "notification_date": "2026-07-01",
        },
        amounts("4200.00", "3900.00", "300.00", "151.23", "148.77"),
    ),
    # Half-cent ties. 20 October 2026 → 31 Dec: 12 + 30 + 31 = 73 days, 73 / 365 = 1/5 exactly.
    # SR = 4.0050 × 25 = 100.125 → 100.13 (tie, up) ; SN = 2 × 25 = 50.00 ; G = 50.125 → 50.13 (tie, up).
    # N = 50.125 / 5 = 10.025 → 10.03 (tie, up) ; N+1 = 50.13 − 10.03 = 40.10.
    WorkedCase(
        "recurring half-cent ties round up",
        {
            "kind": "recurring",
            "reference_unit_price": "4.0050",
            "new_unit_price": "2",
            "annual_quantity": "25",
            "notification_date": "2026-10-20",
        },
        amounts("100.13", "50.00", "50.13", "10.03", "40.10"),
    ),
    # The same ties on a loss: SR = 50.00, SN = 100.125 → 100.13, G = −50.125 → −50.13 (away from zero;
    # half-even would give −50.12), N = −10.025 → −10.03 ; N+1 = −50.13 + 10.03 = −40.10.
    WorkedCase(
        "recurring half-cent ties of a loss round away from zero",
        {
            "kind": "recurring",
            "reference_unit_price": "2",
            "new_unit_price": "4.0050",
            "annual_quantity": "25",
            "notification_date": "2026-10-20",
        },
        amounts("50.00", "100.13", "-50.13", "-10.03", "-40.10"),
    ),
    # One-off, the reference given: SR = 250 × 12 = 3 000.00 ; SN = 212.40 × 12 = 2 548.80 ;
    # G = 451.20, all in year N whatever the date: N = 451.20, N+1 = 0.00.
    WorkedCase(
        "one-off with a given reference",
        {
            "kind": "one_off",
            "reference_unit_price": "250.00",
            "new_unit_price": "212.40",
            "quantity": "12",
            "notification_date": "2026-09-15",
        },
        amounts("3000.00", "2548.80", "451.20", "451.20", "0.00"),
    ),
    # One-off, no reference: the mean of every offer, the winning 90 included = 310 / 3 = 103.333…
    # SR = 310 / 3 × 1 000 = 103 333.333… → 103 333.33 (rounding the mean first would give 103 330.00) ;
    # SN = 90 × 1 000 = 90 000.00 ; G = 13 333.333… → 13 333.33 = N ; N+1 = 0.00.
    WorkedCase(
        "one-off with the mean of all offers as reference",
        {
            "kind": "one_off",
            "new_unit_price": "90",
            "offers": ["90", "100", "120"],
            "quantity": "1000",
            "notification_date": "2026-03-02",
        },
        amounts("103333.33", "90000.00", "13333.33", "13333.33", "0.00"),
    ),
    # Mean of offers on a tie: (4.06 + 2.71 + 10.28) / 3 = 17.05 / 3 = 5.68333…
    # SR = 17.05 × 160.5 / 3 = 2 736.525 / 3 = 912.175 exactly → 912.18 (a mean cut to 40 digits gave
    # 912.17) ; SN = 2.71 × 160.5 = 434.955 → 434.96 ; G = 912.175 − 434.955 = 477.22 = N ; N+1 = 0.00.
    WorkedCase(
        "one-off with the mean of offers on a half-cent tie",
        {
            "kind": "one_off",
            "new_unit_price": "2.71",
            "offers": ["4.06", "2.71", "10.28"],
            "quantity": "160.5",
            "notification_date": "2026-05-04",
        },
        amounts("912.18", "434.96", "477.22", "477.22", "0.00"),
    ),
    # Investment over 3 years: SR = 12 000 × 1 / 3 = 4 000.00 ; SN = 10 000 / 3 = 3 333.333… → 3 333.33 ;
    # G = 2 000 / 3 = 666.666… → 666.67. 2 April 2026 → 31 Dec: 29 + 31 + 30 + 31 + 31 + 30 + 31 + 30 + 31
    # = 274 days. N = 2 000 / 3 × 274 / 365 = 548 000 / 1 095 = 500.4566… → 500.46 ; N+1 = 666.67 − 500.46
    # = 166.21. (Not 1 April: the date a legal threshold table took effect, which the law check refuses.)
    WorkedCase(
        "investment amortised over 3 years",
        {
            "kind": "investment",
            "reference_unit_price": "12000.00",
            "new_unit_price": "10000.00",
            "quantity": "1",
            "amortisation_years": 3,
            "notification_date": "2026-04-02",
        },
        amounts("4000.00", "3333.33", "666.67", "500.46", "166.21"),
    ),
    # Rounded only at the output: SR = 500.02 × 2 / 3 = 1 000.04 / 3 = 333.34666… → 333.35 ;
    # SN = 1 000 / 3 = 333.333… → 333.33 ; G = 0.04 / 3 = 0.01333… → 0.01, not 333.35 − 333.33 = 0.02.
    # Notified on 1 January: N = 0.01, N+1 = 0.00.
    WorkedCase(
        "investment rounded only at the output",
        {
            "kind": "investment",
            "reference_unit_price": "500.02",
            "new_unit_price": "500.00",
            "quantity": "2",
            "amortisation_years": 3,
            "notification_date": "2026-01-01",
        },
        amounts("333.35", "333.33", "0.01", "0.01", "0.00"),
    ),
    # Investment over 1 year: SR = 1 500 × 4 = 6 000.00 ; SN = 1 200 × 4 = 4 800.00 ; G = 1 200.00.
    # 1 October 2026 → 31 Dec: 31 + 30 + 31 = 92 days. N = 1 200 × 92 / 365 = 110 400 / 365 = 302.4657…
    # → 302.47 ; N+1 = 1 200.00 − 302.47 = 897.53.
    WorkedCase(
        "investment amortised over 1 year",
        {
            "kind": "investment",
            "reference_unit_price": "1500",
            "new_unit_price": "1200",
            "quantity": "4",
            "amortisation_years": 1,
            "notification_date": "2026-10-01",
        },
        amounts("6000.00", "4800.00", "1200.00", "302.47", "897.53"),
    ),
    # Investment, reference = mean of the offers (42 000 + 45 500 + 51 000) / 3 = 138 500 / 3 = 46 166.666…,
    # over 7 years: SR = 138 500 / 21 = 6 595.238… → 6 595.24 ; SN = 42 000 / 7 = 6 000.00 ;
    # G = 138 500 / 21 − 6 000 = 12 500 / 21 = 595.238… → 595.24. 15 June 2026 → 31 Dec: 16 + 31 + 31 + 30
    # + 31 + 30 + 31 = 200 days. N = 12 500 / 21 × 200 / 365 = 2 500 000 / 7 665 = 326.1578… → 326.16 ;
    # N+1 = 595.24 − 326.16 = 269.08.
    WorkedCase(
        "investment over 7 years with the mean of offers",
        {
            "kind": "investment",
            "new_unit_price": "42000",
            "offers": ["42000", "45500", "51000"],
            "quantity": "1",
            "amortisation_years": 7,
            "notification_date": "2026-06-15",
        },
        amounts("6595.24", "6000.00", "595.24", "326.16", "269.08"),
    ),
]


def worked_case(name: str) -> WorkedCase:
    return next(case for case in WORKED_CASES if case.name == name)


@pytest.mark.parametrize("case", WORKED_CASES, ids=lambda case: case.name)
def test_worked_case(case):
    figures = compute(**compute_arguments(case.payload))
    given = figures.as_dict()
    del given["explanation"]
    assert given == case.expected


@pytest.mark.parametrize("case", WORKED_CASES, ids=lambda case: case.name)
def test_year_n1_is_the_annual_gain_less_year_n(case):
    figures = compute(**compute_arguments(case.payload))
    assert figures.gain_year_n + figures.gain_year_n1 == figures.annual_gain
    assert figures.year_n == int(case.payload["notification_date"][:4])
    # Every output is a number of cents, whatever the division behind it.
    for value in (figures.reference_amount, figures.new_amount, figures.annual_gain, figures.gain_year_n):
        assert value == value.quantize(Decimal("0.01"))


def test_the_mean_of_the_offers_is_kept_unrounded_and_explained():
    case = worked_case("one-off with the mean of all offers as reference")
    figures = compute(**compute_arguments(case.payload))
    assert figures.reference_unit_price.to_eng_string().startswith("103.3333333333")
    assert "moyenne des 3 offres reçues" in figures.explanation


def test_the_explanation_agrees_with_a_saving_or_a_loss():
    saving = compute(**compute_arguments(worked_case("recurring saving").payload)).explanation
    loss = compute(**compute_arguments(worked_case("recurring dearer: negative gain").payload)).explanation
    assert "économie annuelle de 2\u202f500,00 €, répartie" in saving
    assert "1\u202f260,27 € en 2026, 1\u202f239,73 € en 2027" in saving
    assert "surcoût annuel (gain négatif) de −2\u202f500,00 €, réparti" in loss


VALID = {
    "kind": "investment",
    "reference_unit_price": "100",
    "new_unit_price": "90",
    "quantity": "3",
    "amortisation_years": 3,
    "notification_date": "2026-07-01",
}


# A change to VALID and the field it makes wrong (None: the field is missing); the API is held to them
# too (tests/api/test_gains_estimate.py).
INVALID_INPUTS = [
    ({"kind": "bijoux"}, "kind"),
    ({"new_unit_price": "-0.01"}, "new_unit_price"),
    ({"reference_unit_price": "-1"}, "reference_unit_price"),
    ({"quantity": "-3"}, "quantity"),
    ({"offers": ["95", "-1"]}, "offers"),
    ({"kind": "recurring", "quantity": None, "annual_quantity": "-3"}, "annual_quantity"),
    ({"new_unit_price": None}, "new_unit_price"),
    ({"notification_date": None}, "notification_date"),
    ({"quantity": None}, "quantity"),
    ({"kind": "recurring", "quantity": None}, "annual_quantity"),
    ({"kind": "recurring", "annual_quantity": "3", "reference_unit_price": None}, "reference_unit_price"),
    ({"reference_unit_price": None}, "reference_unit_price"),
    ({"kind": "one_off", "reference_unit_price": None}, "reference_unit_price"),
    ({"amortisation_years": None}, "amortisation_years"),
    ({"amortisation_years": 0}, "amortisation_years"),
    ({"amortisation_years": -2}, "amortisation_years"),
    ({"amortisation_years": True}, "amortisation_years"),
]


@pytest.mark.parametrize(("change", "field"), INVALID_INPUTS, ids=repr)
def test_invalid_input_names_the_field(change, field):
    with pytest.raises(GainInputError) as raised:
        compute(**compute_arguments({**VALID, **change}))  # None: the field is missing
    assert raised.value.field == field
    assert raised.value.message and str(raised.value) == raised.value.message


def test_no_reference_and_no_offers_says_how_to_give_one():
    payload = {**VALID, "kind": "one_off", "offers": []}
    del payload["reference_unit_price"]
    with pytest.raises(GainInputError) as raised:
        compute(**compute_arguments(payload))
    assert raised.value.field == "reference_unit_price"
    assert "offres reçues" in raised.value.message
