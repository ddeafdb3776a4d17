"""Price schedules (BPU): the lines and their rules, the Excel import (all-or-nothing, replacing the
schedule), the export round trip, the offer's schedule handed to the contract at the award, and the
confidentiality of an offer's prices."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import escape

from mutualis.contracts.models import PriceLine
from mutualis.contracts.prices import price_lines_replace
from mutualis.contracts.resources import (
    FrenchDecimalWidget,
    MonthWidget,
    PriceLineResource,
    VatRateWidget,
)
from mutualis.core.french import of
from mutualis.core.import_files import ImportFileError
from mutualis.organisations.roles import Role
from mutualis.procurements.models import OfferPriceLine, StageCode
from mutualis.procurements.resources import OfferPriceLineResource
from mutualis.procurements.services import offer_price_lines_replace
from tests.contracts.factories import make_contract
from tests.helpers import read_xlsx, xlsx_upload
from tests.procurements.factories import project_in_analysis, walk_to

HEADER = [
    "N°", "Référence", "Désignation", "Unité", "Prix unitaire HT (€)", "TVA (%)",
    "Quantité annuelle estimée", "Indice de révision", "Mois de base (mm/aaaa)",
]  # fmt: skip

GLOVES = {
    "position": 1, "item_code": "GN-100", "label": "Gants nitrile non poudrés, taille M",
    "unit": "boîte de 100", "unit_price": Decimal("4.2500"), "vat_rate": "20",
    "annual_quantity": Decimal("12000"), "revision_index": "", "base_month": None,
}  # fmt: skip
WORKSTATION = {
    "position": 2, "item_code": "", "label": "Maintenance d'un poste de travail", "unit": "poste / an",
    "unit_price": Decimal("84.0000"), "vat_rate": "20", "annual_quantity": None,
    "revision_index": "Syntec", "base_month": date(2026, 1, 1),
}  # fmt: skip


@pytest.fixture
def buyer(role_users):
    return role_users[Role.BUYER]


@pytest.fixture
def contract(support, hospital):
    return make_contract(buyer=support, reference="BPU-2026", available_to=[hospital])


def _lines(owner):
    return [line.line_values() for line in owner.price_lines.all()]


# ---------------------------------------------------------------------------------------------------
# The lines and their rules


def test_a_schedule_is_saved_whole_with_its_history(buyer, contract):
    price_lines_replace(actor=buyer, contract=contract, lines=[GLOVES, WORKSTATION])

    assert _lines(contract) == [GLOVES, WORKSTATION]
    line = contract.price_lines.get(position=2)
    assert line.unit_price_ttc == Decimal("100.8000")
    created = line.history.get()
    assert created.history_type == "+" and created.history_user == buyer

    price_lines_replace(actor=buyer, contract=contract, lines=[WORKSTATION])
    assert _lines(contract) == [WORKSTATION]
    assert PriceLine.history.filter(history_type="-", label=GLOVES["label"], history_user=buyer).exists()


def test_a_refused_line_names_its_number_and_field_and_changes_nothing(buyer, contract):
    price_lines_replace(actor=buyer, contract=contract, lines=[GLOVES])

    negative = {**WORKSTATION, "unit_price": Decimal("-1")}
    month_without_index = {**WORKSTATION, "position": 3, "revision_index": ""}
    with pytest.raises(ValidationError) as refused:
        price_lines_replace(actor=buyer, contract=contract, lines=[GLOVES, negative, month_without_index])

    messages = refused.value.messages
    assert any(m.startswith("Ligne 2, prix unitaire HT (€) :") for m in messages)
    assert "Ligne 3, indice de révision : Un mois de base va avec un indice de révision." in messages
    assert _lines(contract) == [GLOVES]


def test_two_lines_cannot_share_a_number_and_unnumbered_lines_keep_their_order(buyer, contract):
    with pytest.raises(ValidationError) as refused:
        price_lines_replace(actor=buyer, contract=contract, lines=[GLOVES, {**WORKSTATION, "position": 1}])
    assert refused.value.messages == ["Ligne 2, N° : le n° 1 est déjà celui de la ligne 1."]

    unnumbered = [{**GLOVES, "position": None}, {**WORKSTATION, "position": None}]
    price_lines_replace(actor=buyer, contract=contract, lines=unnumbered)
    assert [(line.position, line.label) for line in contract.price_lines.all()] == [
        (1, GLOVES["label"]),
        (2, WORKSTATION["label"]),
    ]


def test_only_those_who_manage_contracts_change_a_schedule(role_users, contract):
    with pytest.raises(PermissionDenied):
        price_lines_replace(actor=role_users[Role.REFERENT], contract=contract, lines=[GLOVES])


def test_the_widgets_read_french_spellings_and_excel_cells():
    decimal, vat, month = FrenchDecimalWidget(min_places=2), VatRateWidget(), MonthWidget()
    assert decimal.clean("1 234,50 €") == Decimal("1234.50")
    assert decimal.clean(0.1) == Decimal("0.1")  # an Excel float, not its binary expansion
    with pytest.raises(ValueError, match="n'est pas un nombre"):
        decimal.clean("douze")
    assert [vat.clean(v) for v in ("5,5", "5,5 %", 0.055, 20, "", "2.1")] == [
        "5.5",
        "5.5",
        "5.5",
        "20",
        "20",
        "2.1",
    ]
    with pytest.raises(ValueError, match="n'est pas un taux de TVA français"):
        vat.clean("7")
    assert (
        month.clean("03/2025") == month.clean("2025-03") == month.clean(date(2025, 3, 17)) == date(2025, 3, 1)
    )
    assert month.render(date(2025, 3, 1)) == "03/2025"
    with pytest.raises(ValueError, match="mm/aaaa"):
        month.clean("13/2025")


# ---------------------------------------------------------------------------------------------------
# Pages: the schedule, its import and its export


def _import_url(contract):
    return reverse("contracts:price_schedule_import", args=[contract.pk])


def test_a_workbook_replaces_the_schedule(client, buyer, contract):
    price_lines_replace(actor=buyer, contract=contract, lines=[GLOVES, WORKSTATION])
    client.force_login(buyer)
    rows = [
        HEADER,
        ["", "CP-1", "Compresses stériles 10 × 10", "sachet de 5", "0,0425", "5,5", "1 200", "", ""],
        ["", "", "Location de lit médicalisé", "lit / mois", 38.9, "20 %", "", "ICHTrev-TS", "03/2025"],
    ]
    response = client.post(_import_url(contract), {"file": xlsx_upload(rows)})

    assert response.status_code == 200, response.context.get("report")
    assert response.context["report"].created == 2
    assert _lines(contract) == [
        {
            "position": 1, "item_code": "CP-1", "label": "Compresses stériles 10 × 10", "unit": "sachet de 5",
            "unit_price": Decimal("0.0425"), "vat_rate": "5.5", "annual_quantity": Decimal("1200"),
            "revision_index": "", "base_month": None,
        },
        {
            "position": 2, "item_code": "", "label": "Location de lit médicalisé", "unit": "lit / mois",
            "unit_price": Decimal("38.9"), "vat_rate": "20", "annual_quantity": None,
            "revision_index": "ICHTrev-TS", "base_month": date(2025, 3, 1),
        },
    ]  # fmt: skip
    assert contract.price_lines.first().history.get().history_user == buyer


def test_one_bad_row_refuses_the_whole_file_with_its_line_and_column(client, buyer, contract):
    price_lines_replace(actor=buyer, contract=contract, lines=[GLOVES])
    client.force_login(buyer)
    rows = [
        HEADER,
        [1, "", "Blouse de protection", "unité", "1,20", "20", "", "", ""],
        [2, "", "Surblouse", "unité", "-3", "7", "", "", ""],
        [2, "", "Charlotte", "boîte de 100", "2", "20", "", "", "13/2025"],
    ]
    response = client.post(_import_url(contract), {"file": xlsx_upload(rows)})

    assert response.status_code == 400
    errors = {(e.line, e.column) for e in response.context["report"].errors}
    assert errors == {
        (3, "Prix unitaire HT (€)"),
        (3, "TVA (%)"),
        (4, "Mois de base (mm/aaaa)"),
    }
    assert "Prix unitaire HT (€)" in response.content.decode()
    assert _lines(contract) == [GLOVES]  # nothing written, the old schedule kept

    rows[3][8] = ""
    twice = [rows[0], rows[1], rows[3], rows[3]]  # the same n° on lines 3 and 4
    response = client.post(_import_url(contract), {"file": xlsx_upload(twice)})
    assert {(e.line, e.column) for e in response.context["report"].errors} == {(4, "N°")}
    assert _lines(contract) == [GLOVES]


def test_the_export_re_imports_unchanged(client, buyer, contract):
    price_lines_replace(actor=buyer, contract=contract, lines=[GLOVES, WORKSTATION])
    client.force_login(buyer)
    url = reverse("contracts:price_schedule", args=[contract.pk])

    exported = client.get(url, {"format": "xlsx"})
    assert exported.status_code == 200
    rows = read_xlsx(exported.getvalue())
    assert rows[0] == HEADER
    assert rows[1][2:6] == ["Gants nitrile non poudrés, taille M", "boîte de 100", "4,25", "20"]
    assert rows[2][8] == "01/2026"
    assert client.get(url, {"format": "csv"}).getvalue().decode("utf-8-sig").startswith("N°;Référence;")
    assert client.get(url, {"format": "pdf"}).status_code == 404

    template = client.get(_import_url(contract), {"template": "1"})
    assert read_xlsx(template.getvalue()) == rows

    price_lines_replace(actor=buyer, contract=contract, lines=[])
    response = client.post(_import_url(contract), {"file": xlsx_upload(rows)})
    assert response.status_code == 200
    assert _lines(contract) == [GLOVES, WORKSTATION]


def test_the_schedule_page_and_the_contract_page(client, role_users, buyer, contract):
    price_lines_replace(actor=buyer, contract=contract, lines=[GLOVES, WORKSTATION])
    referent = role_users[Role.REFERENT]  # of the hospital that uses the contract: reads, cannot import
    client.force_login(referent)
    page = client.get(reverse("contracts:price_schedule", args=[contract.pk])).content.decode()
    assert "<caption" in page and "Bordereau de prix unitaires du contrat BPU-2026" in page
    assert '<th scope="row" class="fw-normal">Maintenance d&#x27;un poste de travail</th>' in page
    assert "84,00" in page and "0,0425" not in page
    assert _import_url(contract) not in page
    detail = client.get(contract.get_absolute_url()).content.decode()
    assert "2 lignes de prix" in detail
    assert client.get(_import_url(contract)).status_code == 403

    client.force_login(buyer)
    assert (
        _import_url(contract)
        in client.get(reverse("contracts:price_schedule", args=[contract.pk])).content.decode()
    )


# ---------------------------------------------------------------------------------------------------
# An offer's schedule, handed to the contract at the award


@pytest.fixture
def consultation(team, support, hospital):
    buyer, legal = team
    return project_in_analysis(buyer=buyer, legal=legal, entities=[hospital], buyer_entity=support)


def test_the_award_hands_the_winning_offer_s_prices_to_the_contract(client, team, consultation):
    buyer, legal = team
    lot = consultation.lots.get()
    winner, loser = lot.offers.order_by("price")[:2]  # same technical scores aside, the cheapest wins
    offer_price_lines_replace(actor=buyer, offer=winner, lines=[GLOVES, WORKSTATION])
    offer_price_lines_replace(actor=buyer, offer=loser, lines=[{**GLOVES, "unit_price": Decimal("5")}])

    project = walk_to(consultation, StageCode.NOTIFICATION, buyer=buyer, legal=legal)
    lot = project.lots.get()
    assert lot.awarded_offer == winner
    assert _lines(lot.contract) == _lines(winner) == [GLOVES, WORKSTATION]
    assert lot.contract.price_lines.first().history.get().history_user == legal

    # One way: the contract's schedule then lives on its own, and the offer's is frozen.
    price_lines_replace(actor=buyer, contract=lot.contract, lines=[WORKSTATION])
    assert _lines(winner) == [GLOVES, WORKSTATION]
    with pytest.raises(ValidationError):
        offer_price_lines_replace(actor=buyer, offer=winner, lines=[])
    assert OfferPriceLine.history.filter(offer_id=winner.pk, history_type="+").count() == 2

    # The page says so before any upload, and refuses one.
    client.force_login(buyer)
    import_url = reverse("procurements:offer_price_schedule_import", args=[winner.pk])
    assert "Import impossible pour le moment" in client.get(import_url).content.decode()
    rows = [HEADER, [1, "", "Gants", "boîte", "1", "20", "", "", ""]]
    refused = client.post(import_url, {"file": xlsx_upload(rows)})
    assert refused.status_code == 400 and "Fichier refusé" in refused.content.decode()
    assert _lines(winner) == [GLOVES, WORKSTATION]


def test_an_offer_s_schedule_is_imported_by_the_team_and_hidden_from_the_others(
    client, role_users, team, consultation
):
    buyer, _ = team
    offer = consultation.lots.get().offers.order_by("price").first()
    page_url = reverse("procurements:offer_price_schedule", args=[offer.pk])
    import_url = reverse("procurements:offer_price_schedule_import", args=[offer.pk])

    client.force_login(buyer)
    project_page = client.get(consultation.get_absolute_url()).content.decode()
    assert page_url in project_page and "(0 ligne)" in project_page
    rows = [HEADER, [1, "GN-100", "Gants nitrile", "boîte de 100", "4,25", "20", "", "", ""]]
    response = client.post(import_url, {"file": xlsx_upload(rows)})
    assert response.status_code == 200
    assert [line.label for line in offer.price_lines.all()] == ["Gants nitrile"]
    page = client.get(page_url).content.decode()
    caption = f"Bordereau de prix unitaires de l'offre {of(offer.supplier.name)}"
    assert escape(caption) in page and "4,25" in page
    assert "(1 ligne)" in client.get(consultation.get_absolute_url()).content.decode()

    # The referent of the hospital sees the project, never the offers' prices.
    client.force_login(role_users[Role.REFERENT])
    assert client.get(page_url).status_code == 403
    assert client.get(page_url, {"format": "xlsx"}).status_code == 403
    assert client.get(import_url).status_code == 403
    assert client.post(import_url, {"file": xlsx_upload(rows)}).status_code == 403
    assert offer.price_lines.count() == 1
    with pytest.raises(PermissionDenied):
        offer_price_lines_replace(actor=role_users[Role.REFERENT], offer=offer, lines=[])


def test_a_background_import_asks_the_same_questions(role_users, team, contract, consultation):
    """The worker rebuilds the resource with for_import: scope, role and the offer's stage again."""
    buyer, referent = team[0], role_users[Role.REFERENT]
    offer = consultation.lots.get().offers.first()
    assert OfferPriceLineResource.for_import(buyer, offer=offer.pk).owner == offer
    assert PriceLineResource.for_import(buyer, contract=contract.pk).owner == contract
    with pytest.raises(ImportFileError, match="pas visible"):
        OfferPriceLineResource.for_import(referent, offer=offer.pk)
    with pytest.raises(ImportFileError, match="pas modifiable"):
        PriceLineResource.for_import(referent, contract=contract.pk)
    with pytest.raises(ImportFileError, match="Seule l'équipe"):
        OfferPriceLineResource.for_import(role_users[Role.CONTROLLER], offer=offer.pk)
