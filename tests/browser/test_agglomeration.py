"""The agglomeration's journey in Chromium: two communes that buy for themselves declare needs in one
family; the buyer sees the pooling opportunity, creates the groupement from it with the agglomeration as
coordinator, records both communes' deliberations and signatures, and turns their needs into the
coordinator's single project."""

import re
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect

from mutualis.catalogue.models import PurchaseFamily
from mutualis.needs.models import Campaign, NeedLine
from mutualis.organisations.models import Entity, PurchasingGroup
from mutualis.procurements.models import Project

from .conftest import assert_accessible, log_in, log_out

FAMILY = "ESP-01"  # open in the demo campaign, where the demo itself declares nothing


def declare(page, campaign, username: str, amount: str) -> None:
    log_in(page, username)
    page.goto(campaign.get_absolute_url())
    page.get_by_role("link", name="Déclarer un besoin").click()
    family = PurchaseFamily.objects.get(code=FAMILY)
    page.get_by_label("Famille d'achat").select_option(value=str(family.pk))
    page.get_by_label("Besoin", exact=True).fill("Tonte et entretien des stades et des parcs")
    page.get_by_label("Montant estimé HT (€)").fill(amount)
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("button", name="Transmettre à la cellule achats").click()
    expect(page.get_by_text("Transmis à la cellule achats").first).to_be_visible()
    log_out(page)


def test_two_communes_pool_their_needs_through_a_groupement(agglomeration_page):
    page = agglomeration_page
    campaign = Campaign.objects.get()
    # The demo campaign closes on 15 December: kept open whatever the day the suite runs.
    Campaign.objects.filter(pk=campaign.pk).update(deadline=timezone.localdate() + timedelta(days=10))
    vidauban, le_muy = Entity.objects.get(short_name="Vidauban"), Entity.objects.get(short_name="Le Muy")
    epci = Entity.objects.get(short_name="DPVa")

    declare(page, campaign, "referent", "30000")  # Vidauban
    declare(page, campaign, "referente", "20000")  # Le Muy

    log_in(page, "acheteur")
    for line in NeedLine.objects.filter(campaign=campaign, family__code=FAMILY):
        page.goto(line.get_absolute_url())
        page.get_by_role("button", name="Valider").click()
        expect(page.get_by_text("Validé").first).to_be_visible()

    # Each commune is its own buyer: two rows, never one total (R2121-1).
    page.goto(campaign.get_absolute_url())
    rows = page.get_by_role("table", name="Besoins consolidés et procédure requise par famille").locator(
        "tbody tr", has_text=FAMILY
    )
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Vidauban")).to_have_count(1)
    expect(rows.filter(has_text="Le Muy")).to_have_count(1)

    page.goto(f"/besoins/fractionnement-mutualisation/?campagne={campaign.pk}")
    opportunity = page.locator("section#besoins tbody tr", has_text=FAMILY)
    expect(opportunity).to_contain_text("Vidauban")
    expect(opportunity).to_contain_text("Le Muy")
    assert_accessible(page)
    opportunity.get_by_role("link", name=re.compile("^Créer le groupement de commandes")).click()

    expect(page.locator("#id_name")).to_have_value(re.compile("^Groupement Entretien des espaces verts"))
    expect(page.get_by_label("Vidauban", exact=True)).to_be_checked()  # the members' checkboxes
    expect(page.get_by_label("Le Muy", exact=True)).to_be_checked()
    # The agglomeration coordinates for the two communes (L2113-7).
    page.get_by_label("Coordonnateur", exact=True).select_option(label="DPVa")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Groupement Entretien des espaces verts")
    group = PurchasingGroup.objects.get(name__startswith="Groupement Entretien des espaces verts")
    assert group.coordinator == epci

    today = timezone.localdate().isoformat()
    for commune, number in ((vidauban, 41), (le_muy, 17)):
        page.get_by_label("Membre", exact=True).select_option(label=str(commune))
        page.get_by_label("Date de la décision du membre").fill(today)
        page.get_by_label("Référence de la décision du membre").fill(f"Délibération n° {number}")
        page.get_by_role("button", name="Enregistrer la décision").click()
        expect(page.get_by_role("status").first).to_contain_text(f"Décision de {commune} enregistrée")
        row = page.get_by_role("row", name=re.compile(f"^{commune}"))
        row.get_by_label("Date de signature de la convention").fill(today)
        row.get_by_role("button", name=f"Signature — {commune}").click()
        expect(page.get_by_role("status").first).to_contain_text(f"Signature de {commune} enregistrée")
    assert_accessible(page)
    assert group.signed_member_ids() == {epci.pk, vidauban.pk, le_muy.pk}

    # The coordinator's project adds up both communes' needs in one consultation.
    page.goto(f"{campaign.get_absolute_url()}?groupement={group.pk}")
    row = page.get_by_role("table", name="Besoins consolidés et procédure requise par famille").locator(
        "tbody tr", has_text=FAMILY
    )
    row.get_by_role("button", name=re.compile("^Créer le projet du groupement")).click()
    expect(page.get_by_text("Projet d'achat créé à partir des besoins consolidés")).to_be_visible()
    project = Project.objects.get(source_campaign=campaign, purchasing_group=group)
    assert (project.buyer_entity, set(project.entities.all())) == (epci, {vidauban, le_muy})
    months = campaign.contract_duration_months
    assert project.estimated_value == Decimal(30000 + 20000) * months / 12
    assert_accessible(page)
