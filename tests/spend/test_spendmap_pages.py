"""The spend map page and its workbook: who sees what, links that lead to exactly the rows behind each
figure, French amounts, accessible tables, and a workbook read back with openpyxl."""

import io
from decimal import Decimal
from html import escape

import openpyxl
import pytest
from django.urls import reverse

from mutualis.legal.procedure import thresholds_in
from mutualis.legal.rules import in_force
from mutualis.legal.vocabulary import BuyerKind, Nature
from mutualis.organisations.roles import Role
from mutualis.spend.models import SpendLine
from mutualis.www.templatetags.spendmap import lines_url
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.contracts.factories import make_contract
from tests.spend.spendmap_rows import make_line

YEAR = 2025
MAP = "/depenses/"


@pytest.fixture
def world(support, hospital, other_hospital):
    from datetime import date

    linen = PurchaseFamilyFactory(code="LINGE", label="Linge", nature=Nature.SERVICES)
    contract = make_contract(buyer=support, available_to=[hospital])
    waiver = thresholds_in(
        in_force(date(YEAR, 1, 1)), nature=Nature.SERVICES, buyer_kind=BuyerKind.OTHER
    ).waiver
    make_line(entity=hospital, family=linen, amount="1234.56", contract=contract, siren="111111111")
    make_line(
        entity=hospital, family=linen, amount=str(waiver.value), siren="222222222", name="=HYPERLINK(1)"
    )
    make_line(entity=other_hospital, family=linen, amount="10.00", siren="111111111")
    make_line(entity=other_hospital, family=linen, amount="5.00", year=YEAR - 1, siren="111111111")
    make_line(entity=hospital, amount="7.00")
    return {"linen": linen, "waiver": waiver.value, "contract": contract}


def rows_behind(client, url) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200
    return set(response.context["filter"].qs.values_list("pk", flat=True))


def test_a_buyer_sees_every_entity_with_french_amounts_and_real_tables(
    login, role_users, world, hospital, other_hospital
):
    response = login(role_users[Role.BUYER]).get(MAP)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cartographie des achats 2025" in html
    assert hospital.name in html and other_hospital.name in html
    assert "1\u202f234,56" in html  # French: narrow no-break space, decimal comma
    assert html.count("<caption") == html.count("<table") >= 5
    assert 'scope="col"' in html and 'scope="row"' in html
    assert 'aria-hidden="true"' in html  # the chart, beside its table


def test_every_figure_leads_to_exactly_its_rows(login, role_users, world, hospital):
    client = login(role_users[Role.BUYER])
    response = client.get(MAP)
    html, result = response.content.decode(), response.context["map"]
    linen = world["linen"]
    row = next(row for row in result.rows if row.family == linen)
    expected = {
        lines_url(row.cells[hospital.pk]): SpendLine.objects.filter(
            fiscal_year=YEAR, entity=hospital, family=linen
        ),
        lines_url(row.total, "off"): SpendLine.objects.filter(fiscal_year=YEAR, family=linen, contract=None),
        lines_url(row.total, "on"): SpendLine.objects.filter(
            fiscal_year=YEAR, family=linen, contract__isnull=False
        ),
        lines_url(result.columns[hospital.pk]): SpendLine.objects.filter(fiscal_year=YEAR, entity=hospital),
        lines_url(result.suppliers[0].figures): SpendLine.objects.filter(
            fiscal_year=YEAR, supplier_siren="222222222"
        ),
        lines_url(result.rows[-1].total): SpendLine.objects.filter(fiscal_year=YEAR, family=None),
        lines_url(dict(result.years)[YEAR - 1]): SpendLine.objects.filter(fiscal_year=YEAR - 1),
        # The support establishment buys for both hospitals: the flag is its, over both hospitals' lines.
        lines_url(result.splitting.flags[0]): SpendLine.objects.filter(
            fiscal_year=YEAR, family=linen, contract=None
        ),
    }
    for url, lines in expected.items():
        assert escape(url) in html, url
        assert rows_behind(client, url) == set(lines.values_list("pk", flat=True)) != set(), url


def test_names_from_the_files_are_escaped(login, role_users, world, hospital):
    hostile = PurchaseFamilyFactory(code="XSS", label="<script>alert(1)</script>")
    make_line(entity=hospital, family=hostile, amount=str(world["waiver"] * 2))
    html = login(role_users[Role.BUYER]).get(MAP).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_splitting_check_is_on_the_page(login, role_users, world, hospital):
    html = login(role_users[Role.BUYER]).get(MAP).content.decode()
    assert "Contrôle a posteriori du fractionnement" in html
    assert "Dispense de publicité et de mise en concurrence" in html
    assert "Non classées" in html


def test_a_referent_sees_only_his_entity(login, role_users, world, hospital, other_hospital):
    response = login(role_users[Role.REFERENT]).get(MAP)
    assert response.status_code == 200
    result = response.context["map"]
    assert [entity.pk for entity in result.entities] == [hospital.pk]
    assert other_hospital.name not in response.content.decode()
    assert result.total.total == Decimal("1234.56") + world["waiver"] + Decimal("7.00")
    # Another entity asked for by name is refused, not shown.
    assert login(role_users[Role.REFERENT]).get(MAP, {"entity": other_hospital.pk}).status_code == 400


def test_governance_sees_every_entity(login, role_users, world, other_hospital):
    result = login(role_users[Role.GOVERNANCE]).get(MAP).context["map"]
    assert other_hospital.pk in {entity.pk for entity in result.entities}


@pytest.mark.parametrize("role", [Role.PRESCRIBER, Role.FAMILY_CORRESPONDENT])
def test_roles_without_spend_are_refused(login, role_users, world, role):
    client = login(role_users[role])
    assert client.get(MAP).status_code == 403
    assert client.get(reverse("spend:map_xlsx")).status_code == 403


def test_the_year_entity_and_family_filters(login, role_users, world, other_hospital):
    client = login(role_users[Role.BUYER])
    result = client.get(MAP, {"fiscal_year": YEAR - 1}).context["map"]
    assert result.year == YEAR - 1 and result.total.total == Decimal("5.00")
    result = client.get(MAP, {"entity": other_hospital.pk, "family": world["linen"].pk}).context["map"]
    assert result.total.total == Decimal("10.00")
    assert client.get(MAP, {"fiscal_year": "deux mille"}).status_code == 400


def test_an_empty_map_says_so(login, role_users, db):
    response = login(role_users[Role.BUYER]).get(MAP)
    assert response.status_code == 200
    assert "Aucune dépense n'est encore importée" in response.content.decode()
    assert login(role_users[Role.BUYER]).get(reverse("spend:map_xlsx")).status_code == 200


def test_the_workbook_has_one_sheet_per_table_numbers_in_euros_and_escaped_texts(
    login, role_users, world, support, hospital, other_hospital
):
    response = login(role_users[Role.BUYER]).get(reverse("spend:map_xlsx"), {"fiscal_year": YEAR})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="cartographie_achats_2025.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Familles × entités",
        "Fournisseurs",
        "Hors marché",
        "Fractionnement",
        "Exercices",
    ]
    grid = book["Familles × entités"]
    headers = [cell.value for cell in grid[2]]
    assert headers[0] == "Famille d'achat" and "Total HT (€)" in headers and hospital.name in headers
    linen_row = next(row for row in grid.iter_rows(min_row=3) if row[0].value == "LINGE — Linge")
    total_cell = linen_row[headers.index("Total HT (€)")]
    assert Decimal(str(total_cell.value)) == Decimal("1244.56") + world["waiver"]
    assert "€" in total_cell.number_format
    suppliers = book["Fournisseurs"]
    names = [row[0].value for row in suppliers.iter_rows(min_row=3)]
    assert "'=HYPERLINK(1)" in names  # written behind an apostrophe: never run as a formula
    assert not any(
        str(cell.value).startswith("=")
        for row in book["Fournisseurs"].iter_rows()
        for cell in row
        if cell.value
    )
    flag = next(book["Fractionnement"].iter_rows(min_row=3, values_only=True))
    # The support establishment buys for both hospitals: their off-contract linen adds up (waiver + 10 €).
    assert flag[0] == support.name and Decimal(str(flag[3])) == world["waiver"] + 10
    assert flag[10] == ", ".join(sorted([hospital.name, other_hospital.name]))
    assert Decimal(str(flag[6])) == world["waiver"] and flag[5].startswith("Dispense")
    years = list(book["Exercices"].iter_rows(min_row=3, values_only=True))
    assert [row[0] for row in years] == [YEAR - 1, YEAR]
