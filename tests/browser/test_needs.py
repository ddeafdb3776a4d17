"""The needs journey in Chromium: a referent fills the Excel template, a row is rejected with its reason,
the fixed file is imported and submitted; a buyer validates and sees the family cross the EU threshold."""

import re
from datetime import date

import openpyxl
from playwright.sync_api import expect

from mutualis.catalogue.models import PurchaseFamily
from mutualis.needs.models import Campaign, NeedLine

from .conftest import assert_accessible, log_in, log_out

BEAUNE = "20004782700015"


def test_referent_imports_needs_and_buyer_validates(page, tmp_path):
    campaign = Campaign.objects.create(
        title="Besoins blanchisserie 2027",
        year=2027,
        deadline=date(2026, 12, 15),
        launch_date=date(2027, 2, 1),
    )
    campaign.families.set([PurchaseFamily.objects.get(code="HOT-02")])

    log_in(page, "referent")
    page.goto(campaign.get_absolute_url())
    page.get_by_role("link", name="Importer un fichier Excel").click()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("^Télécharger le modèle")).click()
    template = tmp_path / "modele.xlsx"
    download.value.save_as(template)
    workbook = openpyxl.load_workbook(template)
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["SIRET de l'établissement", "Famille (code)", "Besoin"]

    def row(family):
        values = {
            "SIRET de l'établissement": BEAUNE,
            "Famille (code)": family,
            "Besoin": "Linge des unités de soins",
            "Montant estimé HT (€)": 60000,
            "Récurrence": "Récurrent (chaque année)",
        }
        return [values.get(column) for column in header]

    sheet.append(row("HOT-02"))
    sheet.append(row("NUM-01"))  # not a family of this campaign
    filled = tmp_path / "besoins.xlsx"
    workbook.save(filled)
    page.get_by_label("Fichier à importer").set_input_files(str(filled))
    page.get_by_role("button", name="Importer", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("aucune donnée enregistrée")
    errors = page.locator("#erreurs-import tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.first).to_contain_text("Famille (code)")
    expect(errors.first).to_contain_text("« NUM-01 » inconnu(e) ou hors de votre périmètre")
    assert_accessible(page)
    assert not NeedLine.objects.filter(campaign=campaign).exists()

    sheet.delete_rows(3)  # the fix: drop the wrong row
    workbook.save(filled)
    page.get_by_label("Fichier à importer").set_input_files(str(filled))
    page.get_by_role("button", name="Importer", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("1 création(s)")
    line = NeedLine.objects.get(campaign=campaign)
    page.goto(line.get_absolute_url())
    page.get_by_role("button", name="Transmettre à la cellule achats").click()
    expect(page.get_by_text("Transmis à la cellule achats").first).to_be_visible()
    assert_accessible(page)

    log_out(page)
    log_in(page, "acheteur")
    page.goto(campaign.get_absolute_url())
    laundry = page.get_by_role("table", name="Besoins consolidés et procédure requise par famille").locator(
        "tbody tr", has_text="HOT-02"
    )
    expect(laundry).to_contain_text("1 à valider")
    expect(laundry).not_to_contain_text("Procédure formalisée")
    page.goto(line.get_absolute_url())
    page.get_by_role("button", name="Valider").click()
    page.goto(campaign.get_absolute_url())
    # 60 000 € a year over 48 months: 240 000 € HT, above the 216 000 € EU threshold of 2026-2027.
    expect(laundry).to_contain_text("240")
    expect(laundry).to_contain_text("Procédure formalisée")
    expect(laundry).to_contain_text("Avis au JOUE et au BOAMP")
    assert_accessible(page)
