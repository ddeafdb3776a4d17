"""The family's QCD panel: suppliers' scores per period (latest first, four at most), trend, incidents and
spend in the family, in a fixed number of queries; its export."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from mutualis.evaluations.models import Incident
from mutualis.evaluations.qcd.panel import complete_years, family_panel
from mutualis.evaluations.services.incidents import incident_save
from mutualis.organisations.models import Territory
from mutualis.organisations.roles import Role
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.contracts.factories import make_contract
from tests.spend.spendmap_rows import make_line
from tests.suppliers.factories import SupplierFactory

from .qcd_factories import answer_all, launch

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def territory(db):
    """The layout names the territory: without one, its words render as missing values."""
    return Territory.objects.create(name="GHT du Var", short_name="GHT", kind="ght")


QUERIES = 15  # the same for 1 and 5 suppliers (session, user, access, family, contracts, scores…)
H1, H2 = (date(2025, 1, 1), date(2025, 6, 30)), (date(2025, 7, 1), date(2025, 12, 31))


def supplied_contract(support, hospital, family, *, siren=None, name=None):
    """A contract of the family used by the hospital through 2025 (spend in each half year)."""
    supplier = SupplierFactory(**({"name": name} if name else {}))
    contract = make_contract(
        buyer=support,
        available_to=[hospital],
        family=family,
        holders=[supplier],
        notification_date=date(2025, 1, 1),
        firm_duration_months=48,
    )
    for paid_on in (date(2025, 2, 1), date(2025, 9, 1)):
        make_line(entity=hospital, year=2025, amount="1000.00", contract=contract, paid_on=paid_on)
    return supplier, contract


def evaluate(buyer, referent, family, period, mark):
    campaign, _ = launch(buyer, family=family, period=period, title=f"Évaluation {period[0]:%Y-%m}")
    for evaluation in campaign.evaluations.all():
        answer_all(referent, evaluation, lambda c: mark)
    return campaign


@pytest.fixture
def family():
    return PurchaseFamilyFactory(code="FAM-QCD", label="Blanchisserie")


def test_scores_per_period_latest_first_with_the_trend_incidents_and_spend(
    role_users, support, hospital, family
):
    buyer, referent = role_users[Role.BUYER], role_users[Role.REFERENT]
    supplier, contract = supplied_contract(support, hospital, family, name="Blanchisserie du Var")
    evaluate(buyer, referent, family, H1, 2)
    evaluate(buyer, referent, family, H2, 3)
    for status_kind, when in (("late_delivery", 10), ("non_conformity", 20)):
        incident_save(
            actor=buyer,
            incident=Incident(
                contract=contract, entity=hospital, kind=status_kind, severity="minor",
                occurred_on=timezone.localdate() - timedelta(days=when), description="Retard",
            ),
        )  # fmt: skip
    first, last = complete_years()
    make_line(entity=hospital, year=last, amount="1500.00", family=family, siren=supplier.siren)
    make_line(entity=hospital, year=last, amount="700.00", siren=supplier.siren)  # another family
    make_line(entity=hospital, year=first - 1, amount="900.00", family=family, siren=supplier.siren)

    panel = family_panel(family, buyer, with_spend=True)
    assert [(p.start, p.end) for p in panel.periods] == [H2, H1]
    (row,) = panel.rows
    assert row.supplier == supplier and row.contracts == 1
    assert [cell.score for cell in row.cells] == [Decimal("3.00"), Decimal("2.00")]
    assert [cell.below for cell in row.cells] == [False, True]  # default threshold 2.50
    assert row.trend == "hausse" and row.change == Decimal("1.00")
    assert (row.incidents_open, row.incidents_total) == (2, 2)
    # Only the family's lines paid to its SIREN in the complete years count (the contract's have none).
    assert row.spend == Decimal("1500.00")

    page = reverse("evaluations:panel")
    response = _get(role_users[Role.BUYER], page, {"family": family.code})
    html = response.content.decode()
    assert "!!MISSING" not in html
    assert "Blanchisserie du Var" in html and supplier.get_absolute_url() in html
    assert '<th scope="col"' in html and "<caption" in html
    assert "en hausse" in html and "sous le seuil" in html
    assert html.index("01/07/2025") < html.index("01/01/2025")

    export = _get(role_users[Role.BUYER], page, {"family": family.pk, "export": "csv"})
    rows = list(csv.reader(io.StringIO(export.getvalue().decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == [
        "Fournisseur",
        "SIREN",
        "Contrats de la famille",
        f"Note globale {panel.periods[0]} (sur 4)",
    ]
    assert rows[1][0] == "Blanchisserie du Var" and rows[1][3] == "3.00"


def _get(user, url, query):
    from django.test import Client

    client = Client()
    client.force_login(user)
    response = client.get(url, query)
    assert response.status_code == 200
    return response


def test_only_the_last_four_periods_are_shown_and_a_single_period_has_no_trend(
    role_users, support, hospital, family
):
    buyer, referent = role_users[Role.BUYER], role_users[Role.REFERENT]
    supplied_contract(support, hospital, family)
    evaluate(buyer, referent, family, H1, 3)
    panel = family_panel(family, buyer, with_spend=False)
    (row,) = panel.rows
    assert row.trend == "" and row.spend is None and panel.spend_years is None
    for day in range(5):  # five more periods, each holding the February payment, ending before H1's end
        evaluate(buyer, referent, family, (date(2025, 1, 1 + day), date(2025, 2, 10 + day)), 4)
    panel = family_panel(family, buyer, with_spend=False)
    assert [p.end for p in panel.periods] == [H1[1], date(2025, 2, 14), date(2025, 2, 13), date(2025, 2, 12)]


def test_a_contract_in_force_never_evaluated_still_gives_its_supplier_a_row(
    support, hospital, family, role_users
):
    supplier, _ = supplied_contract(support, hospital, family)
    make_contract(buyer=support, family=family, notification_date=date(2019, 1, 1), firm_duration_months=12)
    panel = family_panel(family, role_users[Role.BUYER], with_spend=True)
    assert [row.supplier for row in panel.rows] == [supplier]
    assert panel.periods == [] and panel.rows[0].cells == []


def test_an_unknown_family_is_refused_on_the_form(login, role_users):
    blank = login(role_users[Role.PRESCRIBER]).get(reverse("evaluations:panel")).content.decode()
    assert "Choisissez une famille" in blank and "!!MISSING" not in blank
    response = login(role_users[Role.PRESCRIBER]).get(reverse("evaluations:panel"), {"family": "INCONNUE"})
    assert response.status_code == 200 and "!!MISSING" not in response.content.decode()
    assert "Famille d&#x27;achat" in response.content.decode() and "erreur" in response.content.decode()


@pytest.mark.parametrize("count", [1, 5])
def test_fixed_number_of_queries(
    count, role_users, support, hospital, family, django_assert_num_queries, login
):
    buyer, referent = role_users[Role.BUYER], role_users[Role.REFERENT]
    for _ in range(count):
        supplier, contract = supplied_contract(support, hospital, family)
        Incident.objects.create(
            contract=contract, entity=hospital, supplier=supplier, kind="other", severity="minor",
            occurred_on=date(2025, 3, 1), description="…",
        )  # fmt: skip
    evaluate(buyer, referent, family, H1, 3)
    evaluate(buyer, referent, family, H2, 2)
    client = login(buyer)
    url = reverse("evaluations:panel")
    client.get(url, {"family": family.pk})  # warm the session and the territory
    with django_assert_num_queries(QUERIES):
        response = client.get(url, {"family": family.pk})
    assert response.content.decode().count("/fournisseurs/") >= count


def test_an_entity_role_sees_its_entities_contracts_and_incidents_only(
    role_users, support, hospital, other_hospital, family
):
    buyer, referent = role_users[Role.BUYER], role_users[Role.REFERENT]
    mine, contract = supplied_contract(support, hospital, family)
    theirs = SupplierFactory()
    make_contract(buyer=other_hospital, family=family, holders=[theirs], firm_duration_months=60)
    for entity in (hospital, other_hospital):
        Incident.objects.create(
            contract=contract, entity=entity, supplier=mine, kind="other", severity="minor",
            occurred_on=date(2025, 3, 1), description="…",
        )  # fmt: skip
    panel = family_panel(family, referent, with_spend=True)
    (row,) = panel.rows
    assert row.supplier == mine and row.incidents_total == 1
    assert {row.supplier for row in family_panel(family, buyer, with_spend=True).rows} == {mine, theirs}
