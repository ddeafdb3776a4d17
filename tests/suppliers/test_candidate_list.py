"""The candidates' list (companies that showed interest on the portal): search by name or SIRET, filters
on the decision, the date received and the family of the projects they chose, CSV/XLSX export of what
is shown, formulas escaped; the promote button stays on each row still to decide."""

import html
from datetime import timedelta
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from mutualis.organisations.roles import Role
from mutualis.procurements.models import Interest
from mutualis.suppliers.models import SupplierCandidate
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.organisations.factories import make_siret
from tests.procurements.factories import new_project
from tests.suppliers.factories import SupplierFactory

URL = reverse("suppliers:candidate_list")
FIRST, SECOND = "73282932000074", "44306184100047"


def _interest(project, candidate):
    return Interest.objects.create(
        project=project, candidate=candidate, siret=candidate.siret, company_name=candidate.name,
        contact_name="Contact", email="contact@example.fr", message="Intéressés",
    )  # fmt: skip


@pytest.fixture
def candidates(team, hospital):
    buyer, _ = team
    furniture, green = PurchaseFamilyFactory(code="MOB-01"), PurchaseFamilyFactory(code="ESP-01")
    chairs = new_project(buyer, entities=[hospital], family=furniture)
    parks = new_project(buyer, entities=[hospital], family=green)
    first = SupplierCandidate.objects.create(siret=FIRST, name="Bureaux Confort SARL")
    second = SupplierCandidate.objects.create(siret=SECOND, name='=HYPERLINK("http://x")')
    siret = make_siret()
    promoted = SupplierCandidate.objects.create(
        siret=siret, name="Jardins du Sud", supplier=SupplierFactory(identifier=siret, name="Jardins du Sud")
    )
    _interest(chairs, first)
    _interest(parks, first)
    _interest(parks, second)
    _interest(parks, promoted)
    # Received long ago: out of a recent date range.
    SupplierCandidate.objects.filter(pk=promoted.pk).update(created_at=timezone.now() - timedelta(days=90))
    promoted.refresh_from_db()
    return first, second, promoted


def _names(client, **params) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return [row.record.name for row in response.context["table"].paginated_rows]


def test_search_and_filters(client, role_users, candidates):
    first, second, promoted = candidates
    client.force_login(role_users[Role.BUYER])
    # Those still to decide first.
    assert _names(client)[-1] == promoted.name and len(_names(client)) == 3
    assert _names(client, q="confort") == [first.name]
    assert _names(client, q="7328 2932") == [first.name]  # the start of the SIRET, spaces ignored
    assert _names(client, status="ajoute") == [promoted.name]
    assert set(_names(client, status="a_decider")) == {first.name, second.name}
    assert _names(client, family="MOB-01") == [first.name]
    # One row per candidate, and its count of interests untouched by the family's filter.
    response = client.get(URL, {"family": "ESP-01"})
    rows = {row.record.name: row.record.interest_count for row in response.context["table"].paginated_rows}
    assert rows == {first.name: 2, second.name: 1, promoted.name: 1}
    week_ago = (timezone.localdate() - timedelta(days=7)).isoformat()
    assert promoted.name not in _names(client, received_after=week_ago)
    assert _names(client, received_before=week_ago) == [promoted.name]
    text = html.unescape(client.get(URL, {"status": "nonsense"}).content.decode())
    assert "Sélectionnez un choix valide" in text


def test_the_decision_column(client, role_users, candidates):
    first, _, promoted = candidates
    client.force_login(role_users[Role.BUYER])
    text = html.unescape(client.get(URL).content.decode())
    assert reverse("suppliers:candidate_promote", args=[first.pk]) in text
    assert f"Ajouter {first.name} au répertoire" in text
    assert reverse("suppliers:candidate_promote", args=[promoted.pk]) not in text
    assert promoted.supplier.get_absolute_url() in text


def test_csv_and_xlsx_exports_follow_the_filters_and_escape_formulas(client, role_users, candidates):
    promoted = candidates[2]
    client.force_login(role_users[Role.BUYER])
    response = client.get(URL, {"status": "a_decider", "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "fournisseurs_candidats_" in response["Content-Disposition"]
    text = response.getvalue().decode()  # streamed
    assert text.startswith("\ufeffRaison sociale déclarée;SIRET;Intérêts;Reçu le;Fournisseur au répertoire")
    assert "Bureaux Confort SARL;73282932000074;2;" in text
    assert "Jardins du Sud" not in text
    assert "'=HYPERLINK" in text  # escaped, never a formula

    response = client.get(URL, {"q": "jardins", "export": "xlsx"})
    sheet = openpyxl.load_workbook(BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Raison sociale déclarée" and len(rows) == 2
    name, siret, count, received, supplier = rows[1]
    assert (name, siret, str(count), supplier) == ("Jardins du Sud", promoted.siret, "1", "Jardins du Sud")
    assert received == timezone.localtime(promoted.created_at).strftime("%d/%m/%Y")


def test_for_those_who_manage_suppliers_only(client, role_users, candidates):
    client.force_login(role_users[Role.REFERENT])
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"export": "csv"}).status_code == 403
