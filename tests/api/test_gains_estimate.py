"""POST /api/v1/gains/estimate: the cases worked by hand in tests/gains/test_method.py, answered to the
cent without logging in; each refused input named; a rate per address."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from mutualis.api import gains
from tests.gains.test_method import INVALID_INPUTS, VALID, WORKED_CASES

URL = reverse("api:gains-estimate")


@pytest.fixture
def api():
    return APIClient()  # nobody logged in, no token


def post(api, body, **headers):
    return api.post(URL, body, format="json", **headers)


@pytest.mark.parametrize("case", WORKED_CASES, ids=lambda case: case.name)
def test_answers_the_worked_case_without_login(api, db, case):
    response = post(api, case.payload)
    assert response.status_code == 200, response.json()
    answer = response.json()
    assert answer.pop("explanation")
    assert answer == case.expected


@pytest.mark.parametrize("example", [gains.RECURRING, gains.ONE_OFF, gains.INVESTMENT])
def test_the_documented_examples_are_worked_cases(example):
    assert example in [case.payload for case in WORKED_CASES]


def test_the_documented_answer_is_the_api_s(api, db):
    assert post(api, gains.RECURRING).json() == gains.RECURRING_ANSWER


def test_whole_numbers_are_decimals_too(api, db):
    response = post(api, {**VALID, "reference_unit_price": 100, "new_unit_price": 90, "quantity": 3})
    assert response.status_code == 200
    # SR = 100 × 3 / 3 = 100.00 ; SN = 90.00 ; G = 10.00 ; N = 10 × 184 / 365 = 5.0410… → 5.04.
    assert response.json()["gain_year_n"] == "5.04"


def test_a_null_optional_field_is_absent(api, db):
    response = post(api, {**VALID, "offers": ["95", "105"], "reference_unit_price": None})
    # Reference = (95 + 105) / 2 = 100, the same figures as VALID.
    assert response.status_code == 200
    assert response.json()["annual_gain"] == post(api, VALID).json()["annual_gain"] == "10.00"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        *INVALID_INPUTS,  # the method's, with null for a missing field
        # Left out rather than null (...), and what only a request can get wrong.
        ({"new_unit_price": "-0"}, "new_unit_price"),
        ({"new_unit_price": -5}, "new_unit_price"),
        ({"offers": "95"}, "offers"),
        ({"new_unit_price": ...}, "new_unit_price"),
        ({"kind": ...}, "kind"),
        ({"notification_date": ...}, "notification_date"),
        ({"quantity": ...}, "quantity"),
        ({"kind": "recurring", "quantity": ...}, "annual_quantity"),
        ({"kind": "recurring", "annual_quantity": "3", "reference_unit_price": ...}, "reference_unit_price"),
        ({"kind": "one_off", "reference_unit_price": ...}, "reference_unit_price"),
        ({"kind": "one_off", "reference_unit_price": ..., "offers": []}, "reference_unit_price"),
        ({"notification_date": "2026-02-30"}, "notification_date"),
        ({"notification_date": "2027-02-29"}, "notification_date"),
        ({"notification_date": "01/07/2026"}, "notification_date"),
        ({"amortisation_years": ...}, "amortisation_years"),
        ({"amortisation_years": "trois"}, "amortisation_years"),
        ({"new_unit_price": 12.5}, "new_unit_price"),
        ({"quantity": 3.0}, "quantity"),
        ({"offers": ["95", 105.5]}, "offers"),
        ({"new_unit_price": "1e3"}, "new_unit_price"),
        ({"new_unit_price": "1E-2"}, "new_unit_price"),
        ({"new_unit_price": "NaN"}, "new_unit_price"),
        ({"new_unit_price": ""}, "new_unit_price"),
        ({"new_unit_price": " 12"}, "new_unit_price"),
        ({"new_unit_price": "12,5"}, "new_unit_price"),
        ({"new_unit_price": True}, "new_unit_price"),
        ({"new_unit_price": "0.00421"}, "new_unit_price"),
        ({"quantity": "1.23456"}, "quantity"),
        ({"new_unit_price": "123456789012345"}, "new_unit_price"),
        ({"new_unit_price": "000000000000001"}, "new_unit_price"),
    ],
    ids=repr,
)
def test_a_refused_input_is_named(api, db, change, field):
    body = {**VALID, **change}
    body = {name: value for name, value in body.items() if value is not ...}  # ...: the field is left out
    response = post(api, body)
    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == [field]
    assert all(isinstance(message, str) and message for message in errors[field])


def test_the_messages_are_in_french(api, db):
    def message(change):
        return post(api, {**VALID, **change}).json().popitem()[1][0]

    assert message({"new_unit_price": 12.5}).startswith("Écrivez ce nombre entre guillemets")
    assert message({"new_unit_price": "-1"}) == "Ce nombre ne peut pas être négatif."
    assert message({"new_unit_price": "0.00421"}).startswith("Assurez-vous qu'il n'y a pas plus de 4")
    assert message({"notification_date": "2026-02-30"}).startswith("Date invalide")
    assert message({"amortisation_years": 0}) == "La durée d'amortissement est d'au moins un an."
    assert message({"offers": ["95", "-1"]}) == "Offre n° 2 : Ce nombre ne peut pas être négatif."
    assert "offres reçues" in message({"kind": "one_off", "reference_unit_price": None})


def test_four_decimals_are_accepted(api, db):
    response = post(api, {**VALID, "reference_unit_price": "0.0042", "new_unit_price": "0.0039"})
    # SR = 0.0042 × 3 / 3 = 0.0042 → 0.00 ; SN → 0.00 ; G = 0.0003 → 0.00.
    assert response.status_code == 200 and response.json()["annual_gain"] == "0.00"


def test_is_rate_limited_per_address(api, db):
    from django.core.cache import cache
    from rest_framework.settings import api_settings

    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "gains_estimate": "3/minute"}
    ScopedRateThrottle.THROTTLE_RATES = rates
    try:
        codes = [post(api, VALID).status_code for _ in range(4)]
        # Its own count: the procedure estimate is still open to the same address.
        procedure = {
            "nature": "services",
            "buyer_kind": "autre_pouvoir_adjudicateur",
            "launch_date": "2026-06-01",
            "estimated_amount": "1000",
        }
        other = api.post(reverse("api:procedure-estimate"), procedure, format="json").status_code
        # A client rotating X-Forwarded-For is still the same address (no trusted proxy by default).
        cache.clear()
        rotated = [post(api, VALID, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(4)]
    finally:
        ScopedRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    assert codes == [200, 200, 200, 429]
    assert other == 200
    assert rotated == [200, 200, 200, 429]
