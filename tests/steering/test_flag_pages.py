"""The risk flags' pages: the list and its filters, acknowledgement and withdrawal by POST, the export
with its cells escaped, a referent's view, and the query count held."""

from csv import reader
from datetime import date
from decimal import Decimal
from io import BytesIO, StringIO

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutualis.organisations.roles import Role
from mutualis.steering.models import FlagAcknowledgement
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.contracts.factories import make_contract
from tests.suppliers.factories import SupplierFactory

from .flag_data import NO_COMPETITION, single_offer

LIST = reverse("steering:flag_list")


@pytest.fixture
def buyer(role_users):
    return role_users[Role.BUYER]


def test_the_list_shows_counts_flags_and_the_form(login, buyer, support):
    contract = single_offer(support, reference="2025-014")
    response = login(buyer).get(LIST, {"year": 2025})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Marché 2025-014 (Appel d&#x27;offres ouvert) : une seule offre reçue" in page
    assert reverse("contracts:contract_detail", args=[contract.pk]) in page
    # Notified on 10 Mar 2025 for 100 000 € and never published: its DECP is late too (its re-tender
    # decision, overdue while it ran, is no longer awaited once it ended on 9 Mar 2026).
    counts = {kind.code: count for kind, count in response.context["counts"]}
    assert counts == {**dict.fromkeys(counts, 0), "single_offer": 1, "decp_late": 1}
    assert ">2 signaux</h2>" in page
    label = '<label for="commentaire-1" class="form-label">Commentaire d\'examen (obligatoire)</label>'
    assert label in page and 'id="commentaire-1"' in page


def test_filters_by_kind_and_by_review(login, buyer, support):
    contract = single_offer(support)
    key = f"contract:{contract.pk}"
    FlagAcknowledgement.objects.create(kind="single_offer", key=key, comment="Vu", by=buyer)
    client = login(buyer)
    kinds = {f.kind for f in client.get(LIST, {"year": 2025, "kind": "single_offer"}).context["flags"]}
    assert kinds == {"single_offer"}
    reviewed = client.get(LIST, {"year": 2025, "reviewed": "oui"}).context["flags"]
    assert [f.key for f in reviewed] == [f"contract:{contract.pk}"]
    assert reviewed[0].acknowledgement.comment == "Vu"
    pending = client.get(LIST, {"year": 2025, "reviewed": "non"}).context["flags"]
    assert f"contract:{contract.pk}" not in {f.key for f in pending if f.kind == "single_offer"}
    wrong = client.get(LIST, {"year": "deux mille", "kind": "inconnu"})
    assert wrong.status_code == 400
    assert "Saisissez un nombre entier." in wrong.content.decode()
    assert "Sélectionnez un choix valide" in wrong.content.decode()


def test_acknowledge_by_post_and_withdraw(login, buyer, support):
    contract = single_offer(support, reference="ACK-1")
    key = f"contract:{contract.pk}"
    client = login(buyer)
    answer = client.post(
        reverse("steering:flag_acknowledge"),
        {"kind": "single_offer", "key": key, "comment": "Marché de niche.", "query": "year=2025&next=//evil"},
    )
    assert answer.status_code == 302 and answer["Location"] == f"{LIST}?year=2025"
    acknowledgement = FlagAcknowledgement.objects.get(kind="single_offer", key=key)
    assert (acknowledgement.by, acknowledgement.comment) == (buyer, "Marché de niche.")
    page = client.get(LIST, {"year": 2025}).content.decode()
    assert "est marqué comme examiné" in page and "« Marché de niche. »" in page
    client.post(reverse("steering:flag_withdraw"), {"kind": "single_offer", "key": key})
    assert not FlagAcknowledgement.objects.exists()
    assert FlagAcknowledgement.history.filter(key=key).count() == 2


def test_a_refused_acknowledgement_names_the_flag(login, buyer, support):
    contract = single_offer(support, reference="ACK-2")
    client = login(buyer)
    post = {"kind": "single_offer", "key": f"contract:{contract.pk}"}
    client.post(reverse("steering:flag_acknowledge"), post)
    assert not FlagAcknowledgement.objects.exists()
    page = client.get(LIST, {"year": 2025}).content.decode()
    assert "« Marché ACK-2 (Appel d&#x27;offres ouvert) : une seule offre reçue » : Expliquez" in page


def test_a_referent_sees_his_entities_flags_without_the_form(login, role_users, hospital, other_hospital):
    own, other = single_offer(hospital, reference="OWN-1"), single_offer(other_hospital, reference="OTH-1")
    response = login(role_users[Role.REFERENT]).get(LIST, {"year": 2025})
    assert response.status_code == 200
    keys = {flag.key for flag in response.context["flags"]}
    assert f"contract:{own.pk}" in keys and f"contract:{other.pk}" not in keys
    assert "Marquer comme examiné" not in response.content.decode()


def _formula_supplier(support):
    """Three awards without publicity to a supplier whose name reads as a formula."""
    family = PurchaseFamilyFactory()
    planted = SupplierFactory(name='=HYPERLINK("http://exemple.invalid","x")')
    for day in (1, 2, 3):
        make_contract(buyer=support, family=family, holders=[planted], procedure=NO_COMPETITION,
                      amount=Decimal(10000), notification_date=date(2025, 2, day))  # fmt: skip


def test_exports_escape_formulas(login, buyer, support):
    _formula_supplier(support)
    client = login(buyer)
    query = {"year": 2025, "kind": "repeated_no_publicity"}
    csv = client.get(LIST, {**query, "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    rows = list(reader(StringIO(csv.getvalue().decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Signal", "Gravité", "Titre", "Explication"]
    assert rows[1][2] == '\'=HYPERLINK("http://exemple.invalid","x") : 3 contrats sans publicité en 2025'
    xlsx = client.get(LIST, {**query, "format": "xlsx"})
    sheet = openpyxl.load_workbook(BytesIO(xlsx.getvalue())).active
    assert sheet.cell(row=2, column=1).value == "Attributions répétées sans publicité"
    assert sheet.cell(row=2, column=3).value.startswith("'=HYPERLINK(")


def _visit(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST, {"year": 2025}).status_code == 200
    return len(queries)


def test_the_list_holds_its_query_count(login, buyer, support):
    client = login(buyer)
    for _ in range(2):
        single_offer(support)
    _visit(client)  # the session and the reader's roles, read once
    few = _visit(client)
    for _ in range(4):
        single_offer(support)
    assert _visit(client) == few
