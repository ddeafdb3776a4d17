"""Consumption alerts of the daily job: nothing at 79 %, one at 80 % (with the projected date), one at
100 % (a framework's maximum may not be exceeded without an amendment), each once; again after an
amendment changes the ceiling."""

from datetime import date
from decimal import Decimal
from itertools import count

import pytest
from django.core.management import call_command

from mutualis.contracts.alerts import consumption_alerts_for, send_contract_alerts
from mutualis.contracts.services import amendment_add
from mutualis.notifications.models import Kind, Notification
from mutualis.organisations.roles import Role
from mutualis.spend.models import MatchMethod, SpendLine
from tests.contracts.factories import make_contract
from tests.organisations.factories import MembershipFactory

_mandate = count(1)
TODAY = date(2026, 6, 1)


def spend(entity, contract, amount, paid_on):
    return SpendLine.objects.create(
        entity=entity,
        fiscal_year=paid_on.year,
        mandate_number=f"A{next(_mandate)}",
        paid_on=paid_on,
        amount_ht=Decimal(amount),
        account="6022",
        contract=contract,
        match_method=MatchMethod.REFERENCE,
    )


@pytest.fixture
def manager(role_users):
    return role_users[Role.BUYER]


@pytest.fixture
def framework(support, hospital, manager):
    return make_contract(
        buyer=support,
        available_to=[hospital],
        amount=Decimal("100000.00"),
        techniques=["Accord-cadre"],
        notification_date=date(2026, 1, 1),
        firm_duration_months=24,
        manager=manager,
    )


def alerts_of(user):
    return list(
        Notification.objects.filter(recipient=user, key__startswith="contract-consumption:").order_by("pk")
    )


def test_79_percent_says_nothing(framework, support, manager):
    spend(support, framework, "79000.00", date(2026, 3, 1))
    assert consumption_alerts_for(None, today=TODAY) == (0, 0)
    assert alerts_of(manager) == []


def test_80_then_100_percent_once_each(framework, support, hospital, manager):
    referent = MembershipFactory(entity=hospital, role=Role.REFERENT).user
    spend(support, framework, "40000.00", date(2026, 2, 1))
    spend(support, framework, "40000.00", date(2026, 4, 11))  # 80 000 in 100 days: 800 € a day
    report = send_contract_alerts(today=TODAY)
    assert report.consumption == 1
    (alert,) = alerts_of(manager)
    assert alert.subject == f"Contrat {framework.reference} : consommé à 80 %"
    assert "80\u202f000,00 € HT consommés sur 100\u202f000,00 € HT, soit 80,0 %" in alert.body
    assert "sera atteint vers le 06/05/2026" in alert.body  # 125 days after 1 January
    assert [n.key for n in alerts_of(referent)] == [alert.key]  # the users' referents are told too
    send_contract_alerts(today=TODAY)
    assert len(alerts_of(manager)) == 1  # the key dedups

    spend(hospital, framework, "20000.00", date(2026, 5, 1))
    # The manager and the hospital's two referents (role_users' and this one).
    assert consumption_alerts_for([framework.pk], today=TODAY) == (1, 3)
    latest = Notification.objects.filter(recipient=manager).order_by("-pk").first()
    assert latest.subject == f"Contrat {framework.reference} : consommé à 100 %"
    assert "Le maximum d'un accord-cadre ne peut être dépassé sans avenant." in latest.body
    assert consumption_alerts_for([framework.pk], today=TODAY) == (1, 0)
    assert len(alerts_of(manager)) == 2


def test_an_amendment_raising_the_ceiling_rearms_the_alert(framework, support, manager):
    spend(support, framework, "100000.00", date(2026, 3, 1))
    consumption_alerts_for(None, today=TODAY)
    amendment_add(
        actor=None, contract=framework, notified_on=date(2026, 4, 1), kind="non_substantial",
        description="Avenant n° 1", amount_change=Decimal("10000.00"), duration_change_months=None,
    )  # fmt: skip
    consumption_alerts_for(None, today=TODAY)  # 100 000 / 110 000: 90.9 %, the 80 % alert of the new ceiling
    assert [n.subject.rsplit(" ", 2)[-2] for n in alerts_of(manager)] == ["100", "80"]


def test_ended_contracts_and_other_contracts_are_left_alone(framework, support, manager):
    ended = make_contract(
        buyer=support, amount=Decimal("1000.00"), notification_date=date(2025, 1, 1), manager=manager
    )
    spend(support, ended, "1000.00", date(2025, 6, 1))
    spend(support, framework, "90000.00", date(2026, 3, 1))
    assert consumption_alerts_for([ended.pk], today=TODAY) == (0, 0)
    assert consumption_alerts_for(None, today=TODAY)[0] == 1


def test_kind_and_command(framework, support, manager, capsys):
    spend(support, framework, "85000.00", date(2026, 3, 1))
    call_command("send_contract_alerts", today=TODAY)
    assert "1 contrats consommés à 80 % ou plus" in capsys.readouterr().out
    assert Kind.CONTRACT_CONSUMPTION in Kind.values


def test_an_import_that_brings_a_framework_past_80_percent_alerts_at_once(
    framework, support, manager, tmp_path
):
    """The import does not wait for the daily job: the lines it linked are checked when it ends."""
    from mutualis.spend.importer import spend_import
    from tests.spend.import_files import write_csv

    siret = framework.holders.first().identifier
    line = ["2026", "M1", "15/03/2026", siret, "Titulaire", "85000,00", "", "6022", framework.reference, ""]
    spend_import(support, [write_csv(tmp_path, [line])], dry_run=True)
    assert alerts_of(manager) == []  # a dry run tells nobody
    spend_import(support, [write_csv(tmp_path, [line])])
    assert [n.key.split(":")[2] for n in alerts_of(manager)] == ["80"]
