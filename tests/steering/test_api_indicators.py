"""GET /api/v1/indicators/ on the demo agrees with the contracts API for every year and buyer filter, and
refuses what it cannot read, naming the parameter."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from mutualis.contracts.models import Contract
from mutualis.organisations.models import User
from mutualis.steering.indicators import INDICATORS
from tests.tokens.factories import with_token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_for_module")]


def _contracts_api(api, params) -> tuple[int, Decimal]:
    """Count and sum of `amount` over every page of /api/v1/contracts/."""
    url, total, count = reverse("api:contract-list"), Decimal(0), None
    query = dict(params)
    while url:
        body = api.get(url, query).json()
        count = body["count"] if count is None else count
        total += sum(Decimal(contract["amount"]) for contract in body["results"])
        url, query = body["next"], None
    return count, total


def test_contracts_notified_and_amount_agree_with_the_contracts_api():
    api = with_token(APIClient(), User.objects.get(username="gouvernance"))
    notified = Contract.objects.filter(notification_date__isnull=False)
    years = sorted({day.year for day in notified.values_list("notification_date", flat=True)})
    buyers = [None, *sorted(set(notified.values_list("buyer__siret", flat=True)))]
    assert len(years) >= 3 and len(buyers) >= 3
    checked = 0
    for year in years:
        for siret in buyers:
            params = {"year": year} | ({"entity": siret} if siret else {})
            answer = api.get(reverse("api:indicators"), params)
            assert answer.status_code == 200, answer.content
            figures = answer.json()
            contract_params = {"notified_from": date(year, 1, 1), "notified_to": date(year, 12, 31)}
            if siret:
                contract_params["buyer_siret"] = siret
            count, amount = _contracts_api(api, contract_params)
            assert figures["contracts_notified"]["value"] == count, (year, siret)
            assert Decimal(figures["amount_notified"]["value"]) == amount, (year, siret)
            assert figures["amount_notified"]["value"] == f"{amount:.2f}"
            checked += count
    assert checked > 0


def test_a_family_filter_agrees_too():
    api = with_token(APIClient(), User.objects.get(username="acheteur"))
    contract = Contract.objects.filter(notification_date__isnull=False, family__isnull=False).first()
    year, code = contract.notification_date.year, contract.family.code
    figures = api.get(reverse("api:indicators"), {"year": year, "family": code}).json()
    count, amount = _contracts_api(
        api, {"notified_from": date(year, 1, 1), "notified_to": date(year, 12, 31), "family": code}
    )
    assert count >= 1
    assert (figures["contracts_notified"]["value"], Decimal(figures["amount_notified"]["value"])) == (
        count,
        amount,
    )


def test_every_indicator_has_its_shape():
    api = with_token(APIClient(), User.objects.get(username="controleur"))
    figures = api.get(reverse("api:indicators"), {"year": date.today().year}).json()
    assert list(figures) == [indicator.code for indicator in INDICATORS]
    for code, item in figures.items():
        assert set(item) >= {"label", "value", "unit", "target"}, code
        assert item["value"] is None or isinstance(item["value"], int | float | str), code
    assert figures["insertion_hours"]["value"] is None and figures["insertion_hours"]["note"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": "deux-mille"}, "year"),
        ({"year": 1999}, "year"),
        ({"entity": "12345678901234"}, "entity"),
        ({"family": "INCONNUE"}, "family"),
        ({"quarter": 5}, "quarter"),
    ],
)
def test_a_bad_parameter_is_named(params, field):
    api = with_token(APIClient(), User.objects.get(username="acheteur"))
    answer = api.get(reverse("api:indicators"), params)
    assert answer.status_code == 400
    assert field in answer.json()


def test_roles_without_steering_are_refused():
    api = with_token(APIClient(), User.objects.get(username="prescripteur"))
    assert api.get(reverse("api:indicators")).status_code == 403
    assert APIClient().get(reverse("api:indicators")).status_code == 401
