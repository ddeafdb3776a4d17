"""The spend line list: its filters under the names the other spend pages link with, its table, its
exports (formula cells escaped) and its scope."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from mutualis.organisations.roles import Role
from mutualis.spend.models import MatchMethod, SpendImport
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.contracts.factories import make_contract
from tests.spend.spendmap_rows import make_line

LIST = "/depenses/lignes/"
FORMULA = "=cmd|' /C calc'!A0"  # a supplier name as a hostile finance file could carry it


@pytest.fixture
def lines(support, hospital, other_hospital):
    linen = PurchaseFamilyFactory(code="LINGE")
    contract = make_contract(buyer=support, available_to=[hospital], reference="2025-LINGE")
    run = SpendImport.objects.create(entity=hospital)
    return {
        "on": make_line(
            entity=hospital,
            family=linen,
            contract=contract,
            amount="1234567.89",
            siren="111111111",
            spend_import=run,
        ),
        "off": make_line(entity=hospital, family=linen, siren="222222222", name=FORMULA, label="Draps"),
        "unclassified": make_line(entity=hospital, year=2024),
        "manual": make_line(
            entity=support,
            family=linen,
            contract=contract,
            match_method=MatchMethod.MANUAL,
            not_entitled=True,
        ),
        "other": make_line(entity=other_hospital, family=linen, siren="111111111"),
        "family": linen,
        "contract": contract,
        "import": run,
    }


def shown(client, **params) -> set[int]:
    response = client.get(LIST, params)
    assert response.status_code == 200
    return {row.record.pk for row in response.context["table"].rows}


def pks(data, *names) -> set[int]:
    return {data[name].pk for name in names}


def test_each_filter_shows_exactly_its_rows(login, role_users, lines, hospital):
    client = login(role_users[Role.BUYER])
    family = lines["family"]
    assert shown(client) == pks(lines, "on", "off", "unclassified", "manual", "other")
    assert shown(client, fiscal_year=2024) == pks(lines, "unclassified")
    assert shown(client, entity=hospital.pk) == pks(lines, "on", "off", "unclassified")
    assert shown(client, family=family.pk) == pks(lines, "on", "off", "manual", "other")
    assert shown(client, family=family.code) == pks(
        lines, "on", "off", "manual", "other"
    )  # API clients' code
    assert shown(client, family="null") == pks(lines, "unclassified")
    assert shown(client, supplier_siren="111111111") == pks(lines, "on", "other")
    assert shown(client, supplier_siren="aucun") == pks(lines, "unclassified", "manual")
    assert shown(client, contract=lines["contract"].pk) == pks(lines, "on", "manual")
    assert shown(client, off_contract="oui") == pks(lines, "off", "unclassified", "other")
    assert shown(client, off_contract="false") == pks(lines, "on", "manual")
    assert shown(client, match_method=MatchMethod.MANUAL) == pks(lines, "manual")
    assert shown(client, not_entitled="true") == pks(lines, "manual")
    assert shown(client, spend_import=lines["import"].pk) == pks(lines, "on")
    assert shown(client, q="Draps") == pks(lines, "off")
    assert shown(client, q="2025-LINGE") == set()  # the search reads the mandate's own number, not the link


def test_the_family_select_offers_the_unclassified_lines(login, role_users, lines):
    html = login(role_users[Role.BUYER]).get(LIST).content.decode()
    assert '<option value="null">Non classées (sans famille)</option>' in html


def test_values_that_mean_nothing_are_refused(login, role_users, lines):
    client = login(role_users[Role.BUYER])
    for params in ({"off_contract": "peut-être"}, {"contract": "abc"}, {"fiscal_year": "20266"}):
        response = client.get(LIST, params)
        assert response.context["filter"].errors, params
        assert len(response.context["table"].rows) == 0


def test_the_table_writes_amounts_in_french_and_the_link(login, role_users, lines):
    html = login(role_users[Role.BUYER]).get(LIST).content.decode()
    assert "1\u202f234\u202f567,89" in html
    assert 'class="text-end' in html
    assert "Hors marché" in html and "2025-LINGE" in html
    assert "Corrigé par un acheteur" in html  # how the line was linked


def test_a_referent_sees_only_his_entity_and_a_prescriber_nothing(login, role_users, lines):
    assert shown(login(role_users[Role.REFERENT])) == pks(lines, "on", "off", "unclassified")
    assert login(role_users[Role.PRESCRIBER]).get(LIST).status_code == 403


def test_the_xlsx_export_has_numbers_and_escaped_formulas(login, role_users, lines, hospital):
    response = login(role_users[Role.BUYER]).get(LIST, {"entity": hospital.pk, "export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    headers = rows[0]
    assert headers[:3] == ("Entité", "Exercice", "Numéro de mandat") and "Montant HT (€)" in headers
    by_number = {row[2]: dict(zip(headers, row, strict=True)) for row in rows[1:]}
    assert set(by_number) == {lines[name].mandate_number for name in ("on", "off", "unclassified")}
    on = by_number[lines["on"].mandate_number]
    assert Decimal(str(on["Montant HT (€)"])) == Decimal("1234567.89")
    assert on["Contrat"] == "2025-LINGE" and on["Hors marché"] == "Non"
    off = by_number[lines["off"].mandate_number]
    assert off["Fournisseur"] == "'" + FORMULA and off["Hors marché"] == "Oui"


def test_the_csv_export_escapes_formulas_too(login, role_users, lines):
    response = login(role_users[Role.BUYER]).get(LIST, {"off_contract": "oui", "export": "csv"})
    text = response.getvalue().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 3
    assert "'" + FORMULA in {row["Fournisseur"] for row in rows}
