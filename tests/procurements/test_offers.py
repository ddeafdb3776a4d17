"""Lots, criteria grid, offers, ranking, award, notification and the analysis report, through the pages."""

import html
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from mutualis.contracts.models import Contract
from mutualis.organisations.roles import Role
from mutualis.procurements.analysis import project_analysis
from mutualis.procurements.models import Criterion, Lot, LotStatus, Offer, StageCode
from tests.helpers import XLSX, read_xlsx
from tests.organisations.factories import MembershipFactory, UserFactory
from tests.procurements.factories import LAUNCH, declare_grid, new_project, walk_to
from tests.suppliers.factories import SupplierFactory


def text(response) -> str:
    return html.unescape(response.content.decode())


def lots_section(client, project) -> str:
    """The project page from its criteria grid on (the _lots.html partial), without the messages."""
    response = client.get(project.get_absolute_url())
    assert response.status_code == 200
    page = text(response)
    return page[page.index('id="criteres"') :]


def criterion_data(label, kind, weight, position=1):
    return {"label": label, "kind": kind, "weight": weight, "position": position}


def offer_data(project, supplier, price, **scores):
    """The offer form's fields; scores are given by criterion kind."""
    data = {"supplier": supplier.identifier, "price": price, "received_on": "2026-10-10", "is_regular": "on"}
    for criterion in project.criteria.exclude(kind="price"):
        data[f"score_{criterion.pk}"] = scores.get(criterion.kind, "")
    return data


def test_criteria_grid_through_the_page(login, team, project):
    buyer, _ = team
    client = login(buyer)
    url = reverse("procurements:criterion_create", args=[project.pk])
    response = client.post(url, criterion_data("Prix", "price", "50"))
    assert response.status_code == 302
    assert response.url == project.get_absolute_url() + "#criteres"
    client.post(url, criterion_data("Technique", "technical", "40", 2))

    page = lots_section(client, project)
    assert "Grille incomplète" in page and "90 %" in page
    assert reverse("procurements:criterion_update", args=[project.criteria.first().pk]) in page

    response = client.post(url, criterion_data("Environnement", "environmental", "20", 3))
    assert response.status_code == 400
    assert "totaliseraient 110" in " ".join(response.context["form"].errors["weight"])
    assert project.criteria.count() == 2

    assert client.post(url, criterion_data("Environnement", "environmental", "10", 3)).status_code == 302
    page = lots_section(client, project)
    assert "Grille incomplète" not in page and "100 %" in page


def test_lot_added_with_its_cpv_code(login, team, project):
    buyer, _ = team
    client = login(buyer)
    url = reverse("procurements:lot_create", args=[project.pk])
    response = client.post(url, {"title": "Réactifs", "estimated_value": "50000", "cpv": "0000"})
    assert response.status_code == 400 and "cpv" in response.context["form"].errors
    response = client.post(url, {"title": "Réactifs", "estimated_value": "50000", "cpv": "33141000"})
    lot = project.lots.get(title="Réactifs")
    assert (lot.number, lot.cpv_id) == (2, "33141000")
    assert response.url == project.get_absolute_url() + f"#lot-{lot.pk}"


@pytest.fixture
def analysing(team, project):
    """The project at the offer analysis stage, with the grid Prix 50 / Technique 40 / Environnement 10."""
    buyer, legal = team
    declare_grid(buyer, project)
    return walk_to(project, StageCode.ANALYSIS, buyer=buyer, legal=legal)


def test_offers_scored_and_ranked_on_the_page(login, team, analysing):
    buyer, _ = team
    client = login(buyer)
    lot = analysing.lots.get()
    url = reverse("procurements:offer_create", args=[lot.pk])
    cheap, better = SupplierFactory(name="Moins chère"), SupplierFactory(name="Mieux notée")
    response = client.post(url, offer_data(analysing, cheap, "280000", technical="6", environmental="5"))
    assert response.status_code == 302 and response.url.endswith(f"#lot-{lot.pk}")
    data = offer_data(analysing, better, "300000", technical="9", environmental="8")
    data["supplier"] = better.name  # found by its name too
    assert client.post(url, data).status_code == 302
    offer = Offer.objects.get(supplier=cheap)
    assert offer.scores.count() == 2

    page = lots_section(client, analysing)
    # Cheaper: 50 × 10/10 + 40 × 6/10 + 10 × 5/10 = 79.
    # Better: price 280 000 / 300 000 × 10 = 9.33 → 46.65, + 40 × 9/10 + 10 × 8/10 = 90.65.
    assert page.index("Mieux notée") < page.index("Moins chère")
    assert "90,65" in page and "79,00" in page
    assert "Offre anormalement basse" not in page
    assert reverse("procurements:offer_update", args=[offer.pk]) in page

    low = SupplierFactory(name="Casse-prix")
    client.post(url, offer_data(analysing, low, "150000", technical="5", environmental="5"))
    page = lots_section(client, analysing)
    assert "Offre anormalement basse" in page
    assert "de la moyenne des autres offres" in page and "de l'estimation du lot" in page

    delete = reverse("procurements:offer_delete", args=[Offer.objects.get(supplier=low).pk])
    assert "Confirmez-vous la suppression" in text(client.get(delete))
    assert client.post(delete).status_code == 302
    assert not Offer.objects.filter(supplier=low).exists()


def test_offer_form_refusals(login, team, analysing):
    buyer, _ = team
    client = login(buyer)
    lot = analysing.lots.get()
    url = reverse("procurements:offer_create", args=[lot.pk])
    technical = analysing.criteria.get(kind="technical")
    response = client.post(url, offer_data(analysing, SupplierFactory(), "1000", technical="12"))
    assert response.status_code == 400
    assert f"score_{technical.pk}" in response.context["form"].errors
    SupplierFactory(name="Homonyme SA"), SupplierFactory(name="Homonyme SARL")
    response = client.post(url, {**offer_data(analysing, SupplierFactory(), "1000"), "supplier": "Homonyme"})
    assert "Plusieurs fournisseurs correspondent" in " ".join(response.context["form"].errors["supplier"])
    assert not Offer.objects.exists()


def test_refusals_outside_the_allowed_stage(login, team, project, analysing):
    buyer, _ = team
    client = login(buyer)
    lot = analysing.lots.get()
    response = client.post(
        reverse("procurements:criterion_create", args=[analysing.pk]),
        criterion_data("Délais", "delay", "5"),
    )
    assert response.status_code == 400
    assert "La grille de critères se fait aux étapes" in text(response)
    assert not Criterion.objects.filter(label="Délais").exists()

    response = client.post(reverse("procurements:lot_delete", args=[lot.pk]), follow=True)
    assert "La suppression d'un lot se fait aux étapes" in text(response)
    assert Lot.objects.filter(pk=lot.pk).exists()

    page = lots_section(client, analysing)
    assert reverse("procurements:criterion_create", args=[analysing.pk]) not in page
    assert reverse("procurements:offer_create", args=[lot.pk]) in page


def test_offers_refused_before_the_analysis_stage(login, team, project):
    buyer, _ = team
    client = login(buyer)
    lot = project.lots.get()
    response = client.post(
        reverse("procurements:offer_create", args=[lot.pk]),
        {"supplier": SupplierFactory().identifier, "price": "1000", "is_regular": "on"},
    )
    assert response.status_code == 400
    assert "La saisie des offres se fait aux étapes" in text(response)
    assert not Offer.objects.exists()
    assert reverse("procurements:offer_create", args=[lot.pk]) not in lots_section(client, project)


@pytest.fixture
def awarding(team, project):
    buyer, legal = team
    return walk_to(project, StageCode.AWARD, buyer=buyer, legal=legal)


def test_award_through_the_page_creates_the_contract(login, team, awarding):
    _, legal = team
    client = login(legal)
    lot = awarding.lots.get()
    best = project_analysis(awarding)[1][0].best.offer
    url = reverse("procurements:lot_award", args=[lot.pk])
    page = text(client.get(url))
    assert re.search(rf'<input type="radio" name="offer" value="{best.pk}"[^>]* checked>', page)
    other = lot.offers.exclude(pk=best.pk).first()
    dates = {"awarded_on": "2026-10-01", "rejections_sent_on": "2026-10-02"}
    response = client.post(url, {"offer": other.pk, **dates, "rejections_sent_electronically": "on"})
    assert response.status_code == 400 and "mieux classée" in " ".join(
        response.context["form"].errors["offer"]
    )

    response = client.post(
        url, {"offer": best.pk, **dates, "rejections_sent_electronically": "on"}, follow=True
    )
    lot.refresh_from_db()
    assert lot.status == LotStatus.AWARDED
    contract = Contract.objects.get(pk=lot.contract_id)
    page = text(response)
    assert "Lot attribué ; le contrat est au registre" in page
    assert f'href="{contract.get_absolute_url()}"' in page
    page = lots_section(client, awarding)
    assert "Voir le contrat" in page and contract.get_absolute_url() in page
    assert "Offre retenue" in page


def test_unsuccessful_needs_a_reason(login, team, awarding):
    buyer, _ = team
    client = login(buyer)
    lot = awarding.lots.get()
    url = reverse("procurements:lot_unsuccessful", args=[lot.pk])
    assert client.post(url, {"unsuccessful_reason": " "}).status_code == 400
    client.post(url, {"unsuccessful_reason": "Offres toutes inacceptables."})
    lot.refresh_from_db()
    assert lot.status == LotStatus.UNSUCCESSFUL


def test_notification_waits_for_the_standstill(login, team, project):
    buyer, legal = team
    project = walk_to(project, StageCode.NOTIFICATION, buyer=buyer, legal=legal)
    client = login(legal)
    lot = project.lots.get()
    earliest = LAUNCH + timedelta(days=11)  # rejections sent electronically on LAUNCH (walk_to)
    assert f"Signature possible à partir du <strong>{earliest:%d/%m/%Y}</strong>" in lots_section(
        client, project
    )
    url = reverse("procurements:lot_notify", args=[lot.pk])
    assert f"{earliest:%d/%m/%Y}" in text(client.get(url))

    too_soon = {"signed_on": LAUNCH + timedelta(days=5), "notified_on": LAUNCH + timedelta(days=6)}
    response = client.post(url, too_soon)
    assert response.status_code == 400
    assert "Délai de suspension" in " ".join(response.context["form"].errors["signed_on"])
    lot.refresh_from_db()
    assert lot.notified_on is None

    response = client.post(url, {"signed_on": earliest, "notified_on": earliest + timedelta(days=1)})
    assert response.status_code == 302
    lot.refresh_from_db()
    assert lot.notified_on == earliest + timedelta(days=1)
    assert lot.contract.notification_date == lot.notified_on


def test_xlsx_report(login, team, awarding):
    buyer, _ = team
    response = login(buyer).get(reverse("procurements:analysis_xlsx", args=[awarding.pk]))
    assert response["Content-Type"] == XLSX
    assert f'filename="analyse-offres-{awarding.reference}.xlsx"' in response["Content-Disposition"]
    rows = read_xlsx(response.getvalue())
    assert rows[0][0] == "Rapport d'analyse des offres"
    assert ["Projet", awarding.reference] == rows[1][:2]
    assert ["Procédure retenue", "Appel d'offres ouvert"] in [r[:2] for r in rows]
    assert not any(r[0] == "URGENCE IMPÉRIEUSE" for r in rows)
    assert ["Valeur technique", "Valeur technique", 40] in [r[:3] for r in rows]
    header = next(i for i, r in enumerate(rows) if r[0] == "Rang")
    assert rows[header][1:4] == ["Soumissionnaire", "Identifiant", "Prix HT (€)"]
    offers = rows[header + 1 : header + 4]
    # add_offers: 100 000 € scored 8 → 50 + 32 + 8 = 90; 120 000 € scored 9 → 41.65 + 36 + 9 = 86.65
    assert [r[0] for r in offers] == [1, 2, 3]
    assert [r[3] for r in offers] == [100000, 120000, 130000]
    assert [r[7] for r in offers] == pytest.approx([90, 86.65, 68.45])
    assert "estimation du lot" in offers[0][8]  # 100 000 € < 70 % of the 300 000 € estimate
    assert offers[0][9] == "Oui" and offers[0][10] == "Non"


def test_reports_of_an_emergency(login, team, support, hospital):
    buyer, legal = team
    project = new_project(
        buyer,
        entities=[hospital],
        buyer=buyer,
        legal_officer=legal,
        buyer_entity=support,
        is_emergency=True,
        emergency_justification="Rupture d'approvisionnement imprévisible.",
    )
    client = login(buyer)
    rows = read_xlsx(client.get(reverse("procurements:analysis_xlsx", args=[project.pk])).getvalue())
    assert ["URGENCE IMPÉRIEUSE", "Rupture d'approvisionnement imprévisible."] in [r[:2] for r in rows]
    response = client.get(reverse("procurements:analysis_pdf", args=[project.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f'filename="analyse-offres-{project.reference}.pdf"' in response["Content-Disposition"]


def test_pdf_report_of_ranked_offers(login, team, awarding):
    buyer, _ = team
    response = login(buyer).get(reverse("procurements:analysis_pdf", args=[awarding.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_reports_scoped_to_the_entities_concerned(client, role_users, project, other_hospital):
    client.force_login(role_users[Role.REFERENT])  # referent of the hospital concerned: offers are secret
    assert client.get(reverse("procurements:analysis_xlsx", args=[project.pk])).status_code == 403
    stranger = UserFactory(username="referent_ailleurs")
    MembershipFactory(user=stranger, entity=other_hospital, role=Role.REFERENT)
    client.force_login(stranger)
    for name in ["analysis_pdf", "analysis_xlsx"]:
        assert client.get(reverse(f"procurements:{name}", args=[project.pk])).status_code == 404


@pytest.mark.parametrize("role", [Role.REFERENT, Role.PRESCRIBER, Role.GOVERNANCE])
def test_management_pages_need_manage_projects(client, role_users, project, role):
    lot = project.lots.get()
    criterion = Criterion.objects.create(project=project, label="Prix", kind="price", weight=Decimal(60))
    offer = Offer.objects.create(lot=lot, supplier=SupplierFactory(), price=Decimal(1000))
    urls = [
        reverse("procurements:lot_create", args=[project.pk]),
        reverse("procurements:lot_update", args=[lot.pk]),
        reverse("procurements:lot_delete", args=[lot.pk]),
        reverse("procurements:criterion_create", args=[project.pk]),
        reverse("procurements:criterion_update", args=[criterion.pk]),
        reverse("procurements:criterion_delete", args=[criterion.pk]),
        reverse("procurements:offer_create", args=[lot.pk]),
        reverse("procurements:offer_update", args=[offer.pk]),
        reverse("procurements:offer_delete", args=[offer.pk]),
        reverse("procurements:lot_award", args=[lot.pk]),
        reverse("procurements:lot_unsuccessful", args=[lot.pk]),
        reverse("procurements:lot_notify", args=[lot.pk]),
    ]
    client.force_login(role_users[role])
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url
    assert Lot.objects.filter(pk=lot.pk).exists() and Offer.objects.filter(pk=offer.pk).exists()


def test_pdf_link_announces_its_preparation_and_the_file_echoes_the_token(login, team, awarding):
    buyer, _ = team
    client = login(buyer)
    page = client.get(reverse("procurements:project_detail", args=[awarding.pk])).content.decode()
    assert 'data-preparing="Préparation du PDF' in page
    assert 'id="pdf-etat"' in page and 'aria-live="polite"' in page
    assert "mutualis/js/download-progress.js" in page
    response = client.get(reverse("procurements:analysis_pdf", args=[awarding.pk]), {"jeton": "abc123"})
    assert response.cookies["mutualis_telechargement"].value == "abc123"
    response = client.get(reverse("procurements:analysis_xlsx", args=[awarding.pk]), {"jeton": "<bad>"})
    assert "mutualis_telechargement" not in response.cookies
