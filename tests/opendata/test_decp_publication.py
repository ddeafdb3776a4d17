"""DECP publication: the first publication date is recorded once and never moves; a contract still
unpublished past the legal deadline shows as late in the registry and in the alert job."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from mutualis.contracts.alerts import send_contract_alerts
from mutualis.contracts.models import Contract
from mutualis.contracts.services import amendment_add, contract_mark_published
from mutualis.notifications.models import Notification
from mutualis.opendata.exports import decp
from mutualis.opendata.services import decp_export_published
from mutualis.organisations.roles import Role
from tests.contracts.factories import make_contract

pytestmark = pytest.mark.django_db
PUBLISHABLE = {"offers_received": 3, "execution_place_code": "21231"}


@pytest.fixture
def contract(support):
    contract = make_contract(
        buyer=support, reference="AO-2026-01", notification_date=date(2026, 3, 2), **PUBLISHABLE
    )
    amendment_add(
        actor=None,
        contract=contract,
        notified_on=date(2026, 4, 1),
        kind="low_value",
        description="Ajout de références",
        amount_change=Decimal("4000"),
    )
    return contract


def _published_dates(document: dict) -> tuple[str, list[str]]:
    (record,) = document["marches"]["marche"]
    modifications = [m["modification"]["datePublicationDonneesModification"] for m in record["modifications"]]
    return record["datePublicationDonnees"], modifications


def test_two_exports_on_different_days_keep_the_first_publication_date(contract, tmp_path, monkeypatch):
    out = tmp_path / "decp.json"
    for day in (date(2026, 4, 10), date(2026, 5, 20)):
        monkeypatch.setattr(timezone, "localdate", lambda day=day: day)
        call_command("export_decp", "--out", str(out))
        assert _published_dates(json.loads(out.read_text())) == ("2026-04-10", ["2026-04-10"])
    contract.refresh_from_db()
    assert contract.data_published_on == date(2026, 4, 10)
    assert contract.history.filter(data_published_on=date(2026, 4, 10)).exists()


def test_an_amendment_notified_after_the_first_export_gets_its_own_date(contract):
    first = decp.export_decp(today=date(2026, 4, 10))
    decp_export_published(actor=None, export=first, on=date(2026, 4, 10))
    amendment_add(
        actor=None,
        contract=contract,
        notified_on=date(2026, 6, 1),
        kind="non_substantial",
        description="Prolongation",
        duration_change_months=3,
    )
    second = decp.export_decp(today=date(2026, 6, 15))
    assert _published_dates(second.document) == ("2026-04-10", ["2026-04-10", "2026-06-15"])
    decp_export_published(actor=None, export=second, on=date(2026, 6, 15))
    third = decp.export_decp(today=date(2026, 9, 1))
    assert _published_dates(third.document) == ("2026-04-10", ["2026-04-10", "2026-06-15"])


def test_a_preview_records_nothing(contract):
    decp.export_decp(today=date(2026, 4, 10))
    contract.refresh_from_db()
    assert contract.data_published_on is None


def test_mark_published_leaves_a_recorded_date_alone(contract):
    Contract.objects.filter(pk=contract.pk).update(data_published_on=date(2026, 3, 20))
    assert contract_mark_published(actor=None, contracts=[contract], on=date(2026, 5, 1)) == 0
    contract.refresh_from_db()
    assert contract.data_published_on == date(2026, 3, 20)
    assert contract.amendments.get().data_published_on == date(2026, 5, 1)


@pytest.fixture
def late_and_not(support):
    """Notified 2026-03-02: the two-month deadline ends 2026-05-02."""
    late = make_contract(buyer=support, reference="LATE", notification_date=date(2026, 3, 2), **PUBLISHABLE)
    make_contract(  # published in time
        buyer=support,
        reference="PUBLISHED",
        notification_date=date(2026, 3, 2),
        data_published_on=date(2026, 4, 1),
        **PUBLISHABLE,
    )
    make_contract(  # below the publication threshold: nothing to publish
        buyer=support, reference="SMALL", notification_date=date(2026, 3, 2), amount=Decimal("39999")
    )
    make_contract(buyer=support, reference="RECENT", notification_date=date(2026, 4, 1), **PUBLISHABLE)
    make_contract(  # before DECP 2.0: out of this export's scope
        buyer=support, reference="OLD", notification_date=date(2023, 6, 1), **PUBLISHABLE
    )
    return late


def test_publication_late_follows_the_deadline_from_the_rules_file(late_and_not):
    assert decp.rules_on(date(2026, 3, 2)).publication_deadline_months == 2
    assert not Contract.objects.publication_late(date(2026, 5, 2)).exists()
    late = Contract.objects.publication_late(date(2026, 5, 3))
    assert list(late.values_list("reference", flat=True)) == ["LATE"]


def test_registry_list_filters_late_publications(late_and_not, login, role_users, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 5, 3))
    client = login(role_users[Role.BUYER])
    page = client.get(reverse("contracts:contract_list"), {"publication_late": "true"}).content.decode()
    assert "LATE" in page and "PUBLISHED" not in page and "RECENT" not in page
    page = client.get(reverse("contracts:contract_list"), {"publication_late": "false"}).content.decode()
    assert "LATE" not in page.replace("PUBLISHED", "") and "RECENT" in page


def test_alert_job_tells_the_team_once_per_late_contract(late_and_not, role_users):
    admin = role_users[Role.ADMIN]
    late_and_not.manager = role_users[Role.BUYER]
    late_and_not.save()
    for day in (date(2026, 5, 3), date(2026, 5, 4)):
        report = send_contract_alerts(today=day)
        assert report.publication_late == 1
    sent = Notification.objects.filter(key__startswith="publication-late:")
    assert sorted(n.recipient_id for n in sent) == sorted([admin.pk, role_users[Role.BUYER].pk])
    assert "LATE" in sent.first().subject
