"""The registry journey in Chromium: a framework agreement with two holders, an amendment, and the
referent of a member hospital finding it among the contracts they can use."""

import re

from playwright.sync_api import expect

from mutualis.contracts.models import Contract
from mutualis.needs.models import Campaign
from mutualis.organisations.models import PurchasingGroup

from .conftest import assert_accessible, log_in, log_out


def test_buyer_creates_framework_with_two_holders_and_referent_finds_it(page):
    log_in(page, "acheteur")
    page.goto("/contrats/nouveau/")
    assert_accessible(page)
    page.get_by_label("Référence", exact=True).fill("AC26-LABO")
    page.get_by_label("Acheteur", exact=True).select_option(label="CHU Dijon Bourgogne")
    page.get_by_label("Objet", exact=True).fill("Réactifs de biologie médicale pour les laboratoires du GHT")
    page.get_by_label("Code CPV principal").fill("33696500")
    page.get_by_label("Famille d'achat").select_option(
        label="MED-03 — Réactifs et consommables de laboratoire"
    )
    page.get_by_label("Procédure", exact=True).select_option(label="Appel d'offres ouvert")
    techniques = page.get_by_role("group", name="Techniques d'achat")
    techniques.get_by_label("Sans objet").uncheck()
    techniques.get_by_label("Accord-cadre").check()
    modes = page.get_by_role("group", name="Modalités d'exécution")
    modes.get_by_label("Sans objet").uncheck()
    modes.get_by_label("Bons de commande").check()
    page.get_by_label("Forme du prix").select_option(label="Unitaire")
    page.get_by_label("Montant HT (€)").fill("1200000")
    page.get_by_label("Date de notification").fill("2026-03-02")
    page.get_by_label("Durée ferme (mois)").fill("12")
    page.get_by_label("Nombre de reconductions").fill("3")
    page.get_by_label("Durée d'une reconduction (mois)").fill("12")
    page.get_by_label("Groupement d'opérateurs").select_option(label="Groupement conjoint")
    users = page.get_by_role("group", name="Entités utilisatrices")
    users.get_by_label("Hospices civils de Beaune").check()
    users.get_by_label("CH d'Auxonne").check()
    first, second = (
        page.get_by_role("group", name="Titulaire 1"),
        page.get_by_role("group", name="Titulaire 2"),
    )
    first.get_by_label("Identifiant (SIRET…)").fill("44031947300268")  # ORAPI HYGIENE, in the directory
    first.get_by_label("Rôle").select_option(label="Mandataire")
    first.get_by_label("Courriel du contact").fill("commandes@orapi.example")
    second.get_by_label("Identifiant (SIRET…)").fill("45650053700018")  # DALKIA
    second.get_by_label("Rôle").select_option(label="Cotraitant")
    page.get_by_role("button", name="Enregistrer le contrat").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("AC26-LABO")
    expect(page.get_by_text("Accord-cadre", exact=True).first).to_be_visible()
    holders = page.get_by_role("table", name="Titulaires du contrat")
    expect(holders.locator("tbody tr")).to_have_count(2)
    assert_accessible(page)

    page.get_by_role("link", name="Ajouter un avenant").click()
    page.get_by_label("Date de notification").fill("2026-09-15")
    page.get_by_label("Fondement").select_option(value="low_value")
    page.get_by_label("Objet de l'avenant").fill("Extension à deux analyseurs supplémentaires")
    page.get_by_label("Variation du montant HT (€)").fill("96000")
    page.get_by_role("button", name="Enregistrer").click()
    avenants = page.get_by_role("table", name=re.compile("Variation cumulée"))
    expect(avenants).to_contain_text("+8,0 % du montant initial")
    expect(page.get_by_text("Montant actuel HT")).to_be_visible()
    assert_accessible(page)
    contract = Contract.objects.get(reference="AC26-LABO")
    assert contract.amendments.get().number == 1 and contract.amount == 1200000

    log_out(page)
    log_in(page, "referent")
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Contrats utilisables"
    ).click()
    page.get_by_role("textbox", name="Rechercher").fill("biologie")
    page.get_by_role("button", name="Filtrer").click()
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("ORAPI HYGIENE (commandes@orapi.example)")
    expect(rows.first).to_contain_text("DALKIA")
    assert_accessible(page)
    rows.first.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("AC26-LABO")
    expect(page.get_by_role("link", name="Ajouter un avenant")).to_have_count(0)


def test_registry_pages_pass_axe(page):
    log_in(page, "admin")
    contract = Contract.objects.filter(amendments__isnull=False).first()
    group = PurchasingGroup.objects.first()
    campaign = Campaign.objects.get()
    for path in [
        "/contrats/",
        "/contrats/?state=in_force&ending_within=180",
        "/contrats/utilisables/",
        "/contrats/echeancier/?years=2",
        f"/contrats/{contract.pk}/",
        f"/contrats/{contract.pk}/modifier/",
        f"/contrats/{contract.pk}/avenants/nouveau/",
        "/contrats/import/",
        "/organisations/groupements/",
        f"/organisations/groupements/{group.pk}/",
        "/organisations/groupements/nouveau/",
        "/notifications/",
        "/compte/",
        "/donnees-ouvertes/",
        "/donnees-ouvertes/imports/",
        "/donnees-ouvertes/imports/nouveau/",
        "/donnees-ouvertes/parangonnage/?cpv=45000000",
        "/besoins/",
        f"/besoins/campagnes/{campaign.pk}/",
        f"/besoins/campagnes/{campaign.pk}/besoins/nouveau/",
        "/besoins/lignes/",
        f"/besoins/lignes/{campaign.lines.first().pk}/",
    ]:
        response = page.goto(path)
        assert response.status == 200, path
        assert_accessible(page)
