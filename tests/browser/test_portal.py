"""The public portal in Chromium, on a phone (390 px), without logging in: the home page, the planned
purchases searched for one family, one purchase opened. Every page: no sideways scrolling, axe clean."""

from playwright.sync_api import expect

from .test_clients import PHONE, _fits

FAMILY = "MED-03 — Réactifs et consommables de laboratoire"
PROJECT = "Fourniture de réactifs de biologie médicale"
ANOTHER = "Prestations de blanchisserie et location-entretien du linge"  # planned too, another family


def test_a_business_finds_a_planned_purchase_without_logging_in(page):
    page.set_viewport_size(PHONE)
    page.goto("/portail/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Les achats publics")
    _fits(page)
    page.get_by_role("navigation", name="Menu du portail").get_by_role("link", name="Achats prévus").click()
    expect(page.get_by_role("link", name=ANOTHER)).to_be_visible()
    _fits(page)
    filters = page.locator("details.filters")
    if filters.get_attribute("open") is None:  # closed on a narrow screen
        page.get_by_text("Filtrer et rechercher").click()
    page.get_by_label("Famille d'achat").select_option(label=FAMILY)
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("link", name=PROJECT)).to_be_visible()
    expect(page.get_by_role("link", name=ANOTHER)).to_have_count(0)
    _fits(page)
    page.get_by_role("link", name=PROJECT).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PROJECT)
    expect(page.get_by_text("Achat prévu", exact=True)).to_be_visible()
    expect(page.get_by_text("Cellule achats mutualisée")).to_be_visible()
    _fits(page)
