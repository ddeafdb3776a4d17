"""A contract's consumption: by entity, in total, against its ceiling (amendments included), its share and
the projected date at the current pace; one annotation for many contracts; the API's two fields."""

from datetime import date
from decimal import Decimal
from itertools import count

import pytest
from django.urls import reverse

from mutualis.contracts.models import Contract
from mutualis.organisations.roles import Role
from mutualis.spend.consumption import contract_consumption, projected_date, with_consumption
from mutualis.spend.models import MatchMethod, SpendLine
from mutualis.tokens.services import token_create
from tests.contracts.factories import contract_with_amendments, make_contract

_mandate = count(1)


def spend(entity, contract, amount, paid_on, *, not_entitled=False):
    return SpendLine.objects.create(
        entity=entity,
        fiscal_year=paid_on.year,
        mandate_number=f"M{next(_mandate)}",
        paid_on=paid_on,
        amount_ht=Decimal(amount),
        account="6022",
        contract=contract,
        match_method=MatchMethod.REFERENCE,
        not_entitled=not_entitled,
    )


@pytest.fixture
def contract(support, hospital):
    return make_contract(
        buyer=support,
        available_to=[hospital],
        amount=Decimal("100000.00"),
        notification_date=date(2026, 1, 1),
    )


def test_consumption_by_entity_total_share_and_projection(contract, support, hospital, other_hospital):
    spend(support, contract, "25000.00", date(2026, 2, 1))
    spend(hospital, contract, "10000.00", date(2026, 3, 1))
    spend(other_hospital, contract, "5000.00", date(2026, 4, 11), not_entitled=True)
    spend(support, None, "999.00", date(2026, 4, 1))  # off contract: not counted
    result = contract_consumption(Contract.objects.get(pk=contract.pk))
    assert result.consumed == Decimal("40000.00")
    assert result.ceiling == Decimal("100000.00")
    assert result.share == Decimal("0.4000")
    assert result.percent == Decimal("40.0")
    assert [(e.name, e.amount, e.share, e.not_entitled) for e in result.by_entity] == [
        (support.name, Decimal("25000.00"), Decimal("0.2500"), False),
        (hospital.name, Decimal("10000.00"), Decimal("0.1000"), False),
        (other_hospital.name, Decimal("5000.00"), Decimal("0.0500"), True),
    ]
    # 40 000 € in the 100 days from 1 January to 11 April: 400 € a day, 100 000 € after 250 days.
    assert result.last_spent_on == date(2026, 4, 11)
    assert result.projected_on == date(2026, 9, 8)
    assert result.reached_on is None
    assert result.level == ""


def test_ceiling_includes_amendments_and_reached_gives_the_crossing_date(support):
    contract = contract_with_amendments(
        buyer=support, amount=Decimal("10000.00"), changes=(("2000", 0), ("-1000", 0))
    )
    spend(support, contract, "6000.00", date(2026, 2, 1))
    spend(support, contract, "4000.00", date(2026, 3, 1))  # 10 000: below the 11 000 ceiling
    spend(support, contract, "1500.00", date(2026, 3, 15))
    result = contract_consumption(Contract.objects.get(pk=contract.pk))
    assert result.ceiling == Decimal("11000.00")
    assert result.consumed == Decimal("11500.00")
    assert result.share == Decimal("1.0455")
    assert result.level == "reached"
    assert result.reached_on == date(2026, 3, 15)
    assert result.projected_on is None
    assert result.bar_percent == 100


def test_framework_counts_its_subsequent_contracts(support, hospital):
    framework = make_contract(
        buyer=support, available_to=[hospital], amount=Decimal("50000.00"), techniques=["Accord-cadre"]
    )
    subsequent = make_contract(buyer=support, amount=Decimal("8000.00"), framework=framework)
    spend(hospital, framework, "30000.00", date(2026, 2, 1))
    spend(support, subsequent, "12000.00", date(2026, 3, 1))
    result = contract_consumption(Contract.objects.get(pk=framework.pk))
    assert result.consumed == Decimal("42000.00")
    assert result.share == Decimal("0.8400")
    assert result.level == "warning"
    assert contract_consumption(Contract.objects.get(pk=subsequent.pk)).consumed == Decimal("12000.00")


def test_reader_scope_groups_the_other_entities(contract, support, hospital):
    spend(support, contract, "1000.00", date(2026, 2, 1))
    spend(hospital, contract, "3000.00", date(2026, 2, 2))
    result = contract_consumption(contract, entity_ids={hospital.pk})
    assert [(e.entity_id, e.amount) for e in result.by_entity] == [
        (hospital.pk, Decimal("3000.00")),
        (None, Decimal("1000.00")),
    ]
    assert result.consumed == Decimal("4000.00")


def test_no_spend_no_projection(contract):
    result = contract_consumption(contract)
    assert (result.consumed, result.share, result.projected_on, result.by_entity) == (
        Decimal("0.00"),
        Decimal("0.0000"),
        None,
        [],
    )


def test_projection_needs_a_day_of_pace():
    assert projected_date(start=date(2026, 1, 1), first=None, last=date(2026, 1, 1), consumed=Decimal(5),
                          ceiling=Decimal(10)) is None  # fmt: skip
    assert projected_date(start=None, first=date(2026, 1, 1), last=date(2026, 1, 11), consumed=Decimal(50),
                          ceiling=Decimal(100)) == date(2026, 1, 21)  # fmt: skip
    assert projected_date(start=date(2026, 1, 1), first=None, last=date(2026, 1, 11), consumed=Decimal(0),
                          ceiling=Decimal(100)) is None  # fmt: skip


def test_annotation_for_many_contracts_in_one_query(support, hospital, django_assert_num_queries):
    first = make_contract(buyer=support, amount=Decimal("1000.00"))
    second = contract_with_amendments(buyer=support, amount=Decimal("2000.00"), changes=(("500", 0),))
    framework = make_contract(buyer=support, amount=Decimal("9000.00"), techniques=["Accord-cadre"])
    subsequent = make_contract(buyer=support, amount=Decimal("900.00"), framework=framework)
    spend(support, first, "250.50", date(2026, 2, 1))
    spend(hospital, first, "100.00", date(2026, 5, 1))
    spend(support, subsequent, "700.00", date(2026, 3, 1))
    with django_assert_num_queries(1):
        rows = {
            c.pk: (c.consumed_amount, c.consumption_ceiling, c.first_spent_on, c.last_spent_on)
            for c in with_consumption(Contract.objects.all())
        }
    assert rows[first.pk] == (Decimal("350.50"), Decimal("1000.00"), date(2026, 2, 1), date(2026, 5, 1))
    assert rows[second.pk] == (Decimal("0.00"), Decimal("2500.00"), None, None)
    assert rows[framework.pk][:2] == (Decimal("700.00"), Decimal("9000.00"))
    assert rows[subsequent.pk][:2] == (Decimal("700.00"), Decimal("900.00"))


def test_api_gives_consumed_amount_and_share(client, role_users, contract, support):
    spend(support, contract, "80000.00", date(2026, 3, 1))
    other = make_contract(buyer=support, amount=Decimal("3000.00"))
    _, secret = token_create(actor=role_users[Role.BUYER], name="test")
    auth = {"HTTP_AUTHORIZATION": f"Token {secret}"}
    listed = client.get(reverse("api:contract-list"), **auth).json()
    by_id = {row["id"]: row for row in listed["results"]}
    assert (by_id[contract.pk]["consumed_amount"], by_id[contract.pk]["consumption_share"]) == (
        "80000.00",
        "0.8000",
    )
    assert (by_id[other.pk]["consumed_amount"], by_id[other.pk]["consumption_share"]) == ("0.00", "0.0000")
    detail = client.get(reverse("api:contract-detail", args=[contract.pk]), **auth).json()
    assert detail["consumed_amount"] == "80000.00"
