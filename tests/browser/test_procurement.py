"""The procurement journey in Chromium, on the demo: a consolidated need becomes a project, goes through
every stage of the map with the buyer and the legal officer, the offers are scored, the lot is awarded
and notified, and the referent of the hospital concerned finds the new contract among those they can use."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from mutualis.needs.models import Campaign, NeedLine, NeedStatus
from mutualis.organisations.models import Entity
from mutualis.procurements.models import Project, ProjectStatus, StageCode
from mutualis.suppliers.models import Supplier

from .conftest import assert_accessible, log_in, log_out

BEAUNE = "20004782700015"
OFFERS = [("182000", "7", "8"), ("169500", "8", "6"), ("201000", "9", "9")]  # price, technical, environment
PEOPLE = {"buyer": "acheteur", "legal_officer": "juriste"}


def _day(offset: int) -> str:
    return (timezone.localdate() + timedelta(days=offset)).isoformat()


def _family_with_a_beaune_need(campaign):
    """A campaign family where Beaune's need is validated and no project exists yet."""
    beaune = Entity.objects.get(siret=BEAUNE)
    taken = Project.objects.filter(source_campaign=campaign).values("family")
    line = (
        NeedLine.objects.filter(campaign=campaign, entity=beaune, status=NeedStatus.VALIDATED)
        .exclude(family__in=taken)
        .select_related("family")
        .order_by("family__code")
        .first()
    )
    assert line, "the demo campaign should hold a validated need of Beaune in a family without a project"
    return line.family


class Journey:
    def __init__(self, page, project_url):
        self.page, self.url, self.who = page, project_url, None

    def as_(self, username):
        if self.who != username:
            if self.who:
                log_out(self.page)
            log_in(self.page, username)
            self.who = username
        self.page.goto(self.url)

    def validate_stage(self):
        self.page.get_by_role("textbox", name="Commentaire").fill("Étape faite.")
        self.page.get_by_role("button", name="Valider l'étape").click()
        expect(self.page.get_by_role("alert").or_(self.page.get_by_role("status")).first).to_be_visible()

    def edit(self, fill):
        self.page.get_by_role("link", name=re.compile("^Modifier le projet")).click()
        fill(self.page)
        self.page.get_by_role("button", name="Enregistrer le projet").click()
        expect(self.page.get_by_role("heading", level=1)).to_contain_text("besoins")


def test_consolidated_need_becomes_a_contract_the_referent_can_use(page):
    campaign = Campaign.objects.get()
    family = _family_with_a_beaune_need(campaign)
    log_in(page, "acheteur")
    page.goto(campaign.get_absolute_url())
    row = page.locator("tbody tr", has_text=family.code)
    row.get_by_role("button", name=re.compile("^Créer le projet")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(family.label)
    project = Project.objects.get(source_campaign=campaign, family=family)
    journey = Journey(page, project.get_absolute_url())
    journey.who = "acheteur"
    assert_accessible(page)

    def team_and_conditions(form):
        form.get_by_label("Acheteur en charge").select_option(label="Julien Bernard")
        form.get_by_label("Juriste en charge").select_option(label="Nadia Roux")
        form.get_by_label("Condition d'exécution environnementale").check()
        form.get_by_label("Condition d'exécution sociale").check()

    journey.edit(team_and_conditions)
    seen = []
    while True:
        project.refresh_from_db()
        if project.status != ProjectStatus.IN_PROGRESS:
            break
        stage = project.stage.code
        seen.append(stage)
        journey.as_(PEOPLE[project.stage.responsible_role])
        expect(page.get_by_role("heading", name=re.compile("^Étape en cours"))).to_contain_text(
            project.stage.label
        )
        if stage == StageCode.DOCUMENTS:
            for label, kind, weight in [
                ("Prix", "Prix", "60"),
                ("Valeur technique", "Valeur technique", "30"),
                ("Performance environnementale", "Performance environnementale", "10"),
            ]:
                page.get_by_role("link", name="Ajouter un critère").click()
                page.get_by_label("Critère").fill(label)
                page.get_by_label("Nature").select_option(label=kind)
                page.get_by_label("Pondération (%)").fill(weight)
                page.get_by_role("button", name="Enregistrer").click()
            expect(page.get_by_role("table", name=re.compile("Grille des critères"))).to_contain_text("100 %")
        elif stage == StageCode.PUBLICATION:

            def dates(form):
                form.get_by_label("Avis envoyé le").fill(_day(-45))
                form.get_by_label("Date limite de remise des offres").fill(_day(-10))

            journey.edit(dates)
        elif stage == StageCode.ANALYSIS:
            bidders = Supplier.objects.filter(identifier_kind="SIRET").order_by("name")[:3]
            for supplier, (price, technical, environmental) in zip(bidders, OFFERS, strict=True):
                identifier = supplier.identifier
                page.get_by_role("link", name=re.compile("^Ajouter une offre")).first.click()
                if page.get_by_label("Note sur 10 — Valeur technique").count() == 0:  # short track: no grid
                    technical = environmental = None
                if price == OFFERS[0][0]:
                    assert_accessible(page)
                page.get_by_label(re.compile("^Soumissionnaire")).fill(identifier)
                page.get_by_label("Prix HT (€)").fill(price)
                if technical:
                    page.get_by_label("Note sur 10 — Valeur technique").fill(technical)
                    page.get_by_label("Note sur 10 — Performance environnementale").fill(environmental)
                page.get_by_role("button", name="Enregistrer l'offre").click()
            offers = page.get_by_role("table", name=re.compile("^Offres reçues pour le lot 1"))
            expect(offers.locator("tbody tr")).to_have_count(3)
            # 169,500: 10 × 60 % + 8 × 30 % + 6 × 10 % = 9.00 → 90.00 (ranked first)
            expect(offers.locator("tbody tr").first).to_contain_text("90,00")
        elif stage == StageCode.AWARD:
            page.get_by_role("link", name=re.compile("^Attribuer le lot 1")).click()
            assert_accessible(page)
            expect(page.get_by_role("radio", checked=True)).to_have_count(1)
            page.get_by_label("Décision d'attribution le").fill(_day(-25))
            page.get_by_label("Lettres de rejet envoyées le").fill(_day(-25))
            page.get_by_role("button", name="Attribuer et créer le contrat").click()
            expect(page.get_by_role("link", name=re.compile("^Voir le contrat"))).to_be_visible()
        elif stage == StageCode.NOTIFICATION:
            page.get_by_role("link", name=re.compile("^Signature et notification du lot 1")).click()
            page.get_by_label("Contrat signé le").fill(_day(-24))  # inside the standstill: refused
            page.get_by_label("Notifié au titulaire le").fill(_day(-23))
            page.get_by_role("button", name="Enregistrer la notification").click()
            expect(
                page.get_by_text(re.compile("^Délai de suspension .* signature possible à partir du"))
            ).to_be_visible()
            page.get_by_label("Contrat signé le").fill(_day(-12))
            page.get_by_label("Notifié au titulaire le").fill(_day(-10))
            page.get_by_role("button", name="Enregistrer la notification").click()
        journey.validate_stage()
        if stage in {StageCode.NEED, StageCode.ANALYSIS}:
            assert_accessible(page)

    assert seen[0] == StageCode.NEED and seen[-1] == StageCode.EXECUTION
    assert StageCode.AWARD in seen and StageCode.NOTIFICATION in seen
    log = page.get_by_role("table", name=re.compile("^Passages d'étape"))
    expect(log.locator("tbody tr")).to_have_count(len(seen))
    expect(log).to_contain_text("Nadia Roux")
    contract = project.lots.get().contract
    assert contract.notification_date and contract.offers_received == 3

    page.goto("/projets/tableau/")
    assert_accessible(page)
    log_out(page)
    log_in(page, "referent")
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Contrats utilisables"
    ).click()
    page.get_by_role("textbox", name="Rechercher").fill(contract.reference)
    page.get_by_role("button", name="Filtrer").click()
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(contract.object)
    rows.first.get_by_role("link").first.click()
    expect(
        page.get_by_role("link", name=re.compile("Projet d'achat d'origine|" + re.escape(project.reference)))
    ).to_be_visible()


def test_administrator_prepares_a_new_version_of_the_process_map(page):
    log_in(page, "admin")
    page.goto("/projets/carte-des-processus/")
    assert_accessible(page)
    page.get_by_role("button", name="Préparer une nouvelle version").click()
    sourcing = page.get_by_role("group", name="Sourcing et benchmark")
    sourcing.get_by_label("Durée prévue (jours)").fill("30")
    sourcing.get_by_role("group", name="Procédures concernées").get_by_label(
        "Procédure adaptée (MAPA)"
    ).uncheck()
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer les étapes").click()
    expect(page.get_by_role("status").or_(page.get_by_role("alert")).first).to_contain_text(
        "Étapes enregistrées"
    )
    page.get_by_role("button", name=re.compile("^Publier la version")).click()
    expect(page.get_by_text(re.compile("publiée : les nouveaux projets la suivent"))).to_be_visible()
    from mutualis.procurements.models import ProcessMap

    current = ProcessMap.objects.current()
    sourcing_stage = current.stages.get(code=StageCode.SOURCING)
    assert current.version == 2 and sourcing_stage.expected_days == 30
    assert "Procédure adaptée" not in sourcing_stage.procedures
