"""The journeys of the foundation, in Chromium, with axe-core on every page visited."""

import re

import openpyxl
import pytest
from playwright.sync_api import expect

from mutualis.catalogue.models import PurchaseFamily
from mutualis.organisations.models import Entity

from ..helpers import xlsx_bytes
from .conftest import assert_accessible, log_in


def table_rows(page):
    return page.locator("main table tbody tr")


def test_buyer_filters_the_entity_list_and_exports_it(page, tmp_path):
    log_in(page, "acheteur")
    assert_accessible(page)
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Entités", exact=True
    ).click()
    expect(page).to_have_title(re.compile("^Entités membres"))
    expect(table_rows(page)).to_have_count(7)
    assert_accessible(page)

    page.get_by_label("Nature").select_option(label="Établissement support")
    page.get_by_role("button", name="Filtrer").click()
    expect(table_rows(page)).to_have_count(1)
    expect(table_rows(page).first).to_contain_text("Centre hospitalier universitaire Dijon Bourgogne")
    expect(page.get_by_role("status").first).to_contain_text("1 résultat")

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("^Exporter en Excel")).click()
    path = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(path)
    assert path.suffix == ".xlsx"
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("SIRET", "Raison sociale", "Nom d'usage")
    assert [row[0] for row in rows[1:]] == ["26210007600013"]


def test_referent_sees_only_their_entity(page, live_server):
    log_in(page, "referent")
    nav = page.get_by_role("navigation", name="Menu principal")
    expect(nav.get_by_role("link", name="Paramètres du territoire")).to_have_count(0)
    nav.get_by_role("link", name="Entités", exact=True).click()
    expect(table_rows(page)).to_have_count(1)
    expect(table_rows(page).first).to_contain_text("Hospices civils de Beaune")
    expect(page.get_by_role("link", name="Ajouter")).to_have_count(0)
    assert_accessible(page)

    other = Entity.objects.get(siret="26210007600013")
    response = page.goto(f"/organisations/entites/{other.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable")
    response = page.goto("/organisations/territoire/")
    assert response.status == 403
    assert_accessible(page)


def test_main_pages_pass_axe(page):
    page.goto("/compte/connexion/")
    assert_accessible(page)
    page.goto("/accessibilite/")
    assert_accessible(page)
    log_in(page, "admin")
    entity = Entity.objects.get(siret="20004782700015")
    family = PurchaseFamily.objects.get(code="MED-01")
    for path in [
        f"/organisations/entites/{entity.pk}/",
        f"/organisations/entites/{entity.pk}/modifier/",
        "/organisations/territoire/",
        "/organisations/personnes/",
        "/organisations/personnes/nouvelle/",
        "/catalogue/familles/",
        f"/catalogue/familles/{family.pk}/",
        "/catalogue/cpv/?q=seringue",
        "/catalogue/cpv/33141000/",
        "/fournisseurs/",
        "/fournisseurs/nouveau/",
        "/catalogue/familles/import/",
    ]:
        response = page.goto(path)
        assert response.status == 200, path
        assert_accessible(page)


def test_form_errors_are_announced_and_linked(page):
    log_in(page, "acheteur")
    page.goto("/fournisseurs/nouveau/")
    page.get_by_label("Identifiant", exact=True).fill("26210007600014")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page).to_have_title(re.compile("^Erreur — "))
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("clé de contrôle")
    expect(alert).to_contain_text("Raison sociale")
    assert_accessible(page)


def test_keyboard_user_skips_to_content(page):
    log_in(page, "acheteur")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Aller au contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"


def test_import_shows_the_rejected_row_and_writes_nothing(page, tmp_path):
    log_in(page, "acheteur")
    page.goto("/catalogue/familles/import/")
    bad = tmp_path / "familles.xlsx"
    bad.write_bytes(
        xlsx_bytes(
            [
                ["Code", "Libellé", "Nature", "Codes CPV"],
                ["NEW-01", "Nouvelle famille", "Fournitures", "33141000"],
                ["NEW-02", "Famille fautive", "Fournitures", "3314100X"],
            ]
        )
    )
    page.get_by_label("Fichier à importer").set_input_files(str(bad))
    page.get_by_role("button", name="Importer", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("aucune donnée enregistrée")
    errors = page.locator("#erreurs-import tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.first).to_contain_text("3")
    expect(errors.first).to_contain_text("Codes CPV")
    assert_accessible(page)
    page.goto("/catalogue/familles/?q=NEW-01")
    expect(page.locator("main table tbody tr").first).to_contain_text("Aucune famille")


def test_the_accessibility_check_does_catch_violations(browser):
    """Guards the guard: a page with an unlabelled field and poor contrast must fail the check."""
    page = browser.new_page()
    page.set_content(
        '<html lang="fr"><head><title>t</title></head><body><main>'
        '<input type="text"><p style="color:#bbb;background:#fff">texte peu lisible</p></main></body></html>'
    )
    with pytest.raises(AssertionError, match="label"):
        assert_accessible(page)
    page.close()
