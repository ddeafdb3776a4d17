"""The library in Chromium, on a phone (390 px): the prescriber searches it, opens the sourcing booklet and
downloads its file; the team's own grid is not found. A buyer adds a document, a refused file first.
Every page: no sideways scrolling, axe clean."""

from playwright.sync_api import expect

from .conftest import log_in, log_out
from .test_clients import PHONE, _fits


def test_a_prescriber_finds_a_booklet_and_a_buyer_adds_a_document(page, tmp_path):
    page.set_viewport_size(PHONE)
    log_in(page, "prescripteur")
    page.goto("/accompagnement/bibliotheque/")
    expect(page.get_by_role("heading", name="Bibliothèque des clients internes")).to_be_visible()
    _fits(page)
    page.get_by_text("Filtrer et rechercher").click()  # folded on a phone
    page.get_by_role("textbox", name="Rechercher").fill("grille")
    page.get_by_role("button", name="Filtrer", exact=True).click()
    expect(page.get_by_text("0 résultat")).to_be_visible()  # the team's analysis grid is the team's only
    page.get_by_role("textbox", name="Rechercher").fill("sourcing")
    page.get_by_role("button", name="Filtrer", exact=True).click()
    expect(page.get_by_text("1 résultat")).to_be_visible()
    _fits(page)
    page.get_by_role("link", name="Livret du sourcing").click()
    expect(page.get_by_role("heading", name="Livret du sourcing", level=1)).to_be_visible()
    _fits(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger la version 1 de Livret du sourcing").click()
    assert download.value.suggested_filename == "livret-sourcing.pdf"
    assert download.value.path().read_bytes().startswith(b"%PDF")

    log_out(page)
    log_in(page, "acheteur")
    page.goto("/accompagnement/bibliotheque/nouveau/")
    _fits(page)
    page.get_by_label("Titre").fill("Fiche pratique : préparer une démonstration")
    page.get_by_label("Résumé").fill("Qui inviter, quoi observer, comment noter.")
    page.get_by_label("Type de document").select_option(label="Fiche pratique")
    tool = tmp_path / "outil.exe"
    tool.write_bytes(b"MZ")
    page.get_by_label("Fichier (version 1)").set_input_files(tool)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("link", name="Fichier (version 1)")).to_be_visible()  # in the error summary
    _fits(page)
    sheet = tmp_path / "fiche.pdf"
    sheet.write_bytes(b"%PDF-1.4 fiche")
    page.get_by_label("Fichier (version 1)").set_input_files(sheet)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Document ajouté à la bibliothèque.")).to_be_visible()
    _fits(page)
