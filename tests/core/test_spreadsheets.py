"""Formula injection: every export escapes a text that a spreadsheet would run, and imports undo it."""

import csv
import io

import pytest
from django.urls import reverse

from mutualis.core.spreadsheets import escape_formula, unescape_formula
from mutualis.organisations.roles import Role
from mutualis.suppliers.models import Supplier
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.helpers import read_xlsx, xlsx_upload
from tests.procurements.factories import project_in_analysis

PLANTED = ['=HYPERLINK("http://exemple.invalid";"Cliquez")', "+33 cmd", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", PLANTED)
def test_a_text_that_starts_a_formula_is_escaped_and_restored(text):
    escaped = escape_formula(text)
    assert escaped == "'" + text
    assert unescape_formula(escaped) == text


@pytest.mark.parametrize("value", ["Blanchisserie", "'apostrophe d'origine", "", None, 12, -5, 3.5])
def test_other_values_are_left_as_they_are(value):
    assert escape_formula(value) == value
    assert unescape_formula(value) == value


def test_list_exports_escape_planted_formulas(client, role_users):
    for name in PLANTED[:4]:
        Supplier.objects.create(identifier_kind="AUTRE", identifier=f"X{len(name)}{name[:2]}", name=name)
    client.force_login(role_users[Role.BUYER])
    url = reverse("suppliers:supplier_list")
    rows = read_xlsx(client.get(url, {"export": "xlsx"}).getvalue())
    names = {row[rows[0].index("Raison sociale")] for row in rows[1:]}
    assert names == {"'" + name for name in PLANTED[:4]}
    text = client.get(url, {"export": "csv"}).getvalue().decode("utf-8-sig")
    csv_rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert {row[csv_rows[0].index("Raison sociale")] for row in csv_rows[1:]} == names


def test_an_escaped_export_re_imports_unchanged(client, role_users):
    PurchaseFamilyFactory(code="LOG-09", label="=1+1 chariots", nature="services")
    client.force_login(role_users[Role.BUYER])
    rows = read_xlsx(client.get(reverse("catalogue:family_list"), {"export": "xlsx"}).getvalue())
    assert rows[1][:2] == ["LOG-09", "'=1+1 chariots"]
    response = client.post(reverse("catalogue:family_import"), {"file": xlsx_upload(rows)})
    assert response.context["report"].skipped == 1  # read back as it was: nothing to change


def test_offer_analysis_workbook_escapes_bidder_names(client, team, support, hospital):
    buyer, legal = team
    project = project_in_analysis(buyer=buyer, legal=legal, entities=[hospital], buyer_entity=support)
    supplier = project.lots.get().offers.order_by("price").first().supplier
    supplier.name = "=cmd|' /C calc'!A0"
    supplier.save()
    client.force_login(buyer)
    rows = read_xlsx(client.get(reverse("procurements:analysis_xlsx", args=[project.pk])).getvalue())
    cells = [cell for row in rows for cell in row if isinstance(cell, str) and "cmd|" in cell]
    assert cells and all(cell.startswith("'=") for cell in cells)
