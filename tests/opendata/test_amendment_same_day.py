"""A second modification notified the same day as another is recorded, with a warning: the national
DECP pipeline cannot order modifications of the same day."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from mutualis.contracts.services import amendment_add
from mutualis.organisations.roles import Role
from tests.contracts.factories import make_contract

from .national_pipeline import possible_states

pytestmark = pytest.mark.django_db


def _amend(contract, day, **change):
    return amendment_add(
        actor=None,
        contract=contract,
        notified_on=day,
        kind="non_substantial",
        description="Ajustement",
        **change,
    )


def test_same_day_warning_names_the_other_amendment(support):
    contract = make_contract(buyer=support, reference="AV-01")
    first = _amend(contract, date(2026, 3, 2), amount_change=Decimal("1000"))
    assert first.same_day_warning() == ""
    assert _amend(contract, date(2026, 3, 3), duration_change_months=2).same_day_warning() == ""
    third = _amend(contract, date(2026, 3, 3), amount_change=Decimal("500"))
    warning = third.same_day_warning()
    assert "n° 2" in warning and "AV-01" in warning and "03/03/2026" in warning
    assert third.pk and contract.amendments.count() == 3  # recorded all the same


def test_amendment_page_warns_without_refusing(support, login, role_users):
    contract = make_contract(buyer=support, reference="AV-02")
    _amend(contract, date(2026, 3, 2), amount_change=Decimal("1000"))
    client = login(role_users[Role.BUYER])
    data = {
        "notified_on": "2026-03-02",
        "kind": "non_substantial",
        "description": "Deuxième ajustement",
        "amount_change": "200",
    }
    response = client.post(reverse("contracts:amendment_create", args=[contract.pk]), data, follow=True)
    texts = [str(m) for m in response.context["messages"]]
    assert any("n° 1" in t and "même jour" in t for t in texts), texts
    assert contract.amendments.count() == 2


def _marche(*modifications) -> dict:
    return {
        "montant": 100000,
        "dureeMois": 12,
        "dateNotification": "2026-01-05",
        "modifications": [{"modification": m} for m in modifications],
    }


def test_the_pipeline_rule_sees_same_day_modifications_as_ambiguous():
    one_a_day = _marche(
        {"id": 1, "dateNotificationModification": "2026-03-02", "montant": 110000},
        {"id": 2, "dateNotificationModification": "2026-04-02", "dureeMois": 18},
    )
    assert possible_states(one_a_day) == {(Decimal(110000), 18)}
    same_day = _marche(
        {"id": 1, "dateNotificationModification": "2026-03-02", "montant": 110000},
        {"id": 2, "dateNotificationModification": "2026-03-02", "montant": 120000, "dureeMois": 18},
    )
    assert possible_states(same_day) == {(Decimal(120000), 18), (Decimal(110000), 18)}
    on_notification_day = _marche({"id": 1, "dateNotificationModification": "2026-01-05", "montant": 90000})
    assert possible_states(on_notification_day) == {(Decimal(100000), 12), (Decimal(90000), 12)}
