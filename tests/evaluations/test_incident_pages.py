"""The incident pages: the list with its filters and exports, the scope (404 outside), the declare page
opened from a contract, errors tied to their fields, the detail's buttons, the edit page, the include."""

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from mutualis.evaluations.models import Incident, IncidentStatus
from mutualis.evaluations.services.incidents import incident_transition
from mutualis.organisations.roles import Role
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.contracts.factories import make_contract
from tests.evaluations.factories import make_incident
from tests.suppliers.factories import SupplierFactory

LIST = reverse("evaluations:incident_list")
CREATE = reverse("evaluations:incident_create")


@pytest.fixture
def buyer(role_users):
    return role_users[Role.BUYER]


@pytest.fixture
def referent(role_users):
    return role_users[Role.REFERENT]


@pytest.fixture
def family(db):
    return PurchaseFamilyFactory()


@pytest.fixture
def contract(support, hospital, family):
    return make_contract(
        buyer=support,
        available_to=[hospital],
        family=family,
        holders=[SupplierFactory(name="Blanchisserie du Nord")],
        object="Location et entretien du linge",
    )


@pytest.fixture
def other_contract(support, other_hospital):
    return make_contract(
        buyer=support, available_to=[other_hospital], holders=[SupplierFactory(name="Repas")]
    )


@pytest.fixture
def incidents(buyer, referent, contract, other_contract, hospital, other_hospital):
    late = make_incident(referent, contract=contract, entity=hospital, occurred_on=date(2026, 2, 10))
    dispute = make_incident(
        buyer, contract=contract, entity=hospital, kind="invoice_dispute", severity="major",
        occurred_on=date(2026, 5, 4), penalty_amount=Decimal("1250.50"), description="=Facture en double",
    )  # fmt: skip
    elsewhere = make_incident(
        buyer, contract=other_contract, entity=other_hospital, kind="non_conformity", severity="critical"
    )
    incident_transition(actor=buyer, incident=elsewhere, name="close", comment="Lot remplacé.")
    return late, dispute, elsewhere


def _pks(response) -> list[int]:
    assert response.status_code == 200
    return sorted(row.record.pk for row in response.context["table"].paginated_rows)


def test_the_list_filters_and_searches(client, buyer, incidents, contract, family, hospital):
    late, dispute, elsewhere = incidents
    client.force_login(buyer)
    assert _pks(client.get(LIST)) == sorted(i.pk for i in incidents)
    assert _pks(client.get(LIST, {"status": "closed"})) == [elsewhere.pk]
    assert _pks(client.get(LIST, {"open": "true"})) == [late.pk, dispute.pk]
    assert _pks(client.get(LIST, {"kind": "invoice_dispute"})) == [dispute.pk]
    assert _pks(client.get(LIST, {"severity": "critical"})) == [elsewhere.pk]
    assert _pks(client.get(LIST, {"entity": hospital.pk})) == [late.pk, dispute.pk]
    assert _pks(client.get(LIST, {"supplier": elsewhere.supplier_id})) == [elsewhere.pk]
    assert _pks(client.get(LIST, {"contract": contract.pk})) == [late.pk, dispute.pk]
    assert _pks(client.get(LIST, {"family": family.pk})) == [late.pk, dispute.pk]
    period = {"occurred_from": "2026-02-01", "occurred_to": "2026-02-28"}
    assert _pks(client.get(LIST, period)) == [late.pk]
    assert _pks(client.get(LIST, {"q": "blanchisserie"})) == [late.pk, dispute.pk]
    assert _pks(client.get(LIST, {"q": "linge"})) == [late.pk, dispute.pk]
    assert client.get(LIST, {"open": "peut-être"}).context["filter"].errors["open"]
    assert client.get(LIST, {"entity": "abc"}).context["filter"].errors["entity"]


def test_a_referent_lists_and_opens_his_entities_incidents_only(client, referent, incidents):
    late, dispute, elsewhere = incidents
    client.force_login(referent)
    response = client.get(LIST)
    assert _pks(response) == [late.pk, dispute.pk]
    assert response.context["create_url_name"] == "evaluations:incident_create"
    # The filters' choices name nothing outside his scope.
    filters = response.context["filter"].form.fields
    assert list(filters["contract"].queryset) == [late.contract]
    assert list(filters["supplier"].queryset) == [late.supplier]
    assert list(filters["entity"].queryset) == [late.entity]
    assert client.get(elsewhere.get_absolute_url()).status_code == 404
    page = client.get(late.get_absolute_url())
    assert page.status_code == 200 and page.context["moves"] == []  # the team handles
    assert page.context["can_edit"]


def test_the_list_exports_csv_and_xlsx(client, buyer, incidents, contract):
    _, dispute, _ = incidents
    client.force_login(buyer)
    response = client.get(LIST, {"export": "csv", "kind": "invoice_dispute"})
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Numéro", "Survenu le", "Nature", "Gravité", "Contrat", "Objet du contrat", "Famille d'achat",
        "Entité", "Titulaire", "Description", "Pénalités appliquées (€ HT)", "État", "Pris en charge par",
        "Clos le", "Suite donnée", "Déclaré par",
    ]  # fmt: skip
    assert len(rows) == 2
    assert rows[1][:5] == [
        str(dispute.pk),
        "2026-05-04",
        "Litige de facturation",
        "Majeure",
        contract.reference,
    ]
    assert rows[1][8:12] == ["Blanchisserie du Nord", "'=Facture en double", "1250,50", "Déclaré"]
    xlsx = client.get(LIST, {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.getvalue())).active
    assert [cell.value for cell in sheet[1]][:3] == ["Numéro", "Survenu le", "Nature"]
    assert sheet.max_row == 4


def test_the_declare_page_opened_from_a_contract(client, referent, contract, hospital):
    client.force_login(referent)
    form = client.get(CREATE, {"contract": contract.pk}).context["form"]
    assert form.initial["contract"] == contract.pk
    assert form.initial["supplier"] == contract.holders.get().pk
    assert form.initial["entity"] == hospital.pk  # his one entity
    assert list(form.fields["entity"].queryset) == [hospital]
    response = client.post(
        CREATE + f"?contract={contract.pk}",
        {
            "contract": contract.pk, "entity": hospital.pk, "supplier": "", "kind": "late_delivery",
            "occurred_on": "2026-03-03", "severity": "minor", "description": "Retard de trois jours",
            "penalty_amount": "",
        },
    )  # fmt: skip
    incident = Incident.objects.get()
    assert response.status_code == 302 and response.url == incident.get_absolute_url()
    assert incident.supplier == contract.holders.get() and incident.declared_by == referent


def test_a_contract_outside_his_entities_is_not_prefilled(client, referent, other_contract):
    client.force_login(referent)
    form = client.get(CREATE, {"contract": other_contract.pk}).context["form"]
    assert "contract" not in form.initial
    assert other_contract not in form.fields["contract"].queryset


def test_errors_are_tied_to_their_fields(client, buyer, contract, hospital):
    client.force_login(buyer)
    response = client.post(
        CREATE,
        {
            "contract": contract.pk, "entity": hospital.pk, "kind": "late_delivery",
            "occurred_on": "2099-01-01", "severity": "minor", "description": "Retard", "penalty_amount": "-5",
        },
    )  # fmt: skip
    assert response.status_code == 200 and not Incident.objects.exists()
    form = response.context["form"]
    assert set(form.errors) == {"occurred_on", "penalty_amount"}
    page = response.content.decode()
    assert 'href="#id_occurred_on"' in page  # the summary links to the field
    # Each field's error is tied to it (aria-describedby names the error's id, aria-invalid is set).
    assert 'aria-describedby="id_penalty_amount_helptext id_penalty_amount_error"' in page
    assert 'aria-invalid="true"' in page and 'id="id_occurred_on_error"' in page


def test_the_detail_shows_the_buttons_and_the_log(client, buyer, incidents):
    late, _, elsewhere = incidents
    client.force_login(buyer)
    page = client.get(late.get_absolute_url())
    assert [move.name for move in page.context["moves"]] == ["handle", "close"]
    assert "Déclaration" in page.content.decode()
    response = client.post(reverse("evaluations:incident_transition", args=[late.pk]), {"move": "close"})
    assert response.status_code == 302
    late.refresh_from_db()
    assert late.status == IncidentStatus.DECLARED  # no outcome: refused
    client.post(
        reverse("evaluations:incident_transition", args=[late.pk]), {"move": "close", "comment": "Réglé."}
    )
    late.refresh_from_db()
    assert (late.status, late.outcome) == (IncidentStatus.CLOSED, "Réglé.")
    closed = client.get(elsewhere.get_absolute_url())
    assert [move.name for move in closed.context["moves"]] == ["reopen"] and not closed.context["can_edit"]
    refused = client.get(reverse("evaluations:incident_update", args=[elsewhere.pk]), follow=True)
    assert refused.redirect_chain == [(elsewhere.get_absolute_url(), 302)]
    assert "rouvrez-le" in refused.content.decode()


def test_the_edit_page_saves_through_the_service(client, referent, incidents):
    late, _, _ = incidents
    client.force_login(referent)
    url = reverse("evaluations:incident_update", args=[late.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(description="Retard de cinq jours", severity="major")
    response = client.post(url, data)
    assert response.status_code == 302
    late.refresh_from_db()
    assert (late.description, late.severity, late.version) == ("Retard de cinq jours", "major", 2)


def test_the_incidents_table_include(incidents, contract, django_assert_num_queries):
    with django_assert_num_queries(1):  # one query whatever the number of incidents
        html = render_to_string(
            "www/evaluations/_incidents_table.html", {"incidents": Incident.objects.of_contract(contract)}
        )
    assert "<caption" in html and 'scope="col"' in html
    assert html.index("04/05/2026") < html.index("10/02/2026")  # most recent first
    assert "Litige de facturation" in html and "1" in html and "250,50" in html
    assert "Aucun incident" in render_to_string("www/evaluations/_incidents_table.html", {"incidents": []})


def test_the_supplier_and_contract_pages_show_their_incidents_within_the_reader_s_scope(
    client, buyer, referent, incidents, contract, other_contract
):
    late, dispute, elsewhere = incidents
    client.force_login(buyer)
    page = client.get(contract.get_absolute_url()).content.decode()
    assert "Incidents d'exécution de ce contrat" in page
    assert f"{CREATE}?contract={contract.pk}" in page  # « Déclarer un incident » from the contract
    assert late.get_absolute_url() in page and dispute.get_absolute_url() in page
    assert elsewhere.get_absolute_url() not in page
    supplier = elsewhere.supplier
    page = client.get(supplier.get_absolute_url()).content.decode()
    assert "Incidents d'exécution de ce fournisseur" in page and elsewhere.get_absolute_url() in page
    assert f"{LIST}?supplier={supplier.pk}" in page
    # The referent's hospital does not use the other contract: its holder's incident stays out of sight.
    client.force_login(referent)
    page = client.get(supplier.get_absolute_url()).content.decode()
    assert "Incidents d'exécution" in page and elsewhere.get_absolute_url() not in page
    page = client.get(contract.get_absolute_url()).content.decode()
    assert late.get_absolute_url() in page
