"""Negotiation rounds on offers (service and page), the replaced contract of a project, and the gain they
give once the lot is awarded."""

import html
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from mutualis.gains.models import Gain
from mutualis.organisations.roles import Role
from mutualis.procurements.analysis import project_analysis
from mutualis.procurements.models import LotStatus, NegotiationRound, Offer, StageCode
from mutualis.procurements.services import offer_negotiate
from mutualis.www.procurements.report_data import analysis_report
from tests.contracts.factories import make_contract
from tests.helpers import read_xlsx
from tests.procurements.factories import LAUNCH, add_offers, new_project, walk_to
from tests.procurements.test_pages import _form_data

HELD_ON = LAUNCH + timedelta(days=5)
TODAY = LAUNCH + timedelta(days=10)


def text(response) -> str:
    return html.unescape(response.content.decode())


def negotiated_project(team, support, hospital, **fields):
    """An adapted procedure (150 000 €: the map has a negotiation stage for it) at that stage, with the
    three offers of the analysis: 100 000 € (technical 8/10), 120 000 € (9/10), 130 000 € (6/10)."""
    buyer, legal = team
    project = new_project(
        buyer, entities=[hospital], value="150000", buyer=buyer, legal_officer=legal, buyer_entity=support,
        **fields,
    )  # fmt: skip
    assert project.contract_procedure == "Procédure adaptée"
    return walk_to(project, StageCode.NEGOTIATION, buyer=buyer, legal=legal)


@pytest.fixture
def mapa(team, support, hospital):
    return negotiated_project(team, support, hospital)


def offers_of(project) -> list[Offer]:
    return list(Offer.objects.filter(lot__project=project).select_related("supplier").order_by("price"))


def ranking(project) -> list[int]:
    """The offers' ids, best ranked first."""
    _, lots = project_analysis(project)
    return [r.offer.pk for r in lots[0].offers if r.rank]


def negotiate(actor, offer, price, held_on=HELD_ON, **options):
    return offer_negotiate(
        actor=actor, offer=offer, new_price=Decimal(price), held_on=held_on, today=TODAY, **options
    )


# ---------------------------------------------------------------------------------------------------
# Service


def test_a_round_keeps_the_prices_before_and_after_and_the_ranking_follows(mapa, team):
    buyer, _ = team
    cheapest, second, _ = offers_of(mapa)
    assert ranking(mapa)[0] == cheapest.pk

    first = negotiate(buyer, second, "90000", notes="Remise sur volume")
    assert (first.number, first.price_before, first.price_after) == (1, Decimal("120000"), Decimal("90000"))
    assert (first.held_on, first.by, first.notes) == (HELD_ON, buyer, "Remise sur volume")
    assert (first.difference, first.difference_percent) == (Decimal("-30000"), Decimal("-25.00"))
    second.refresh_from_db()
    assert second.price == Decimal("90000")
    # Cheaper and better on the technical value: the negotiated offer now comes first.
    assert ranking(mapa)[0] == second.pk

    again = negotiate(buyer, second, "88000", held_on=HELD_ON + timedelta(days=1))
    assert (again.number, again.price_before, again.price_after) == (2, Decimal("90000"), Decimal("88000"))
    assert list(second.negotiation_rounds.values_list("number", flat=True)) == [1, 2]


def test_only_at_the_negotiation_stage(team, project):
    buyer, legal = team
    in_analysis = walk_to(project, StageCode.ANALYSIS, buyer=buyer, legal=legal)
    offer = add_offers(buyer, in_analysis)[0]
    with pytest.raises(ValidationError, match="La négociation des offres se fait aux étapes : négociation"):
        negotiate(buyer, offer, "90000")
    assert not NegotiationRound.objects.exists()


def test_only_by_a_manager(mapa, role_users):
    offer = offers_of(mapa)[0]
    for role in (Role.GOVERNANCE, Role.CONTROLLER, Role.REFERENT):
        with pytest.raises(PermissionDenied):
            negotiate(role_users[role], offer, "90000")
    with pytest.raises(PermissionDenied):
        offer_negotiate(actor=None, offer=offer, new_price=Decimal(1), held_on=HELD_ON, today=TODAY)
    assert not NegotiationRound.objects.exists()


@pytest.mark.parametrize(
    ("price", "held_on", "field", "message"),
    [
        ("0", HELD_ON, "new_price", "supérieur à zéro"),
        ("-100", HELD_ON, "new_price", "supérieur à zéro"),
        ("90000.123", HELD_ON, "new_price", "2 chiffres après la virgule"),
        ("90000", TODAY + timedelta(days=1), "held_on", "dans le futur"),
        ("90000", LAUNCH - timedelta(days=1), "held_on", "réception de l'offre (le 01/09/2026)"),
    ],
)
def test_a_price_or_a_date_refused_names_its_field(mapa, team, price, held_on, field, message):
    offer = offers_of(mapa)[0]
    with pytest.raises(ValidationError) as refused:
        negotiate(team[0], offer, price, held_on=held_on)
    assert message in " ".join(refused.value.message_dict[field])
    offer.refresh_from_db()
    assert offer.price == Decimal("100000") and not NegotiationRound.objects.exists()


def test_a_round_never_goes_back_in_time(mapa, team):
    offer = offers_of(mapa)[0]
    negotiate(team[0], offer, "95000", held_on=HELD_ON)
    with pytest.raises(ValidationError) as refused:
        negotiate(team[0], offer, "94000", held_on=HELD_ON - timedelta(days=1))
    assert "tour n° 1" in refused.value.message_dict["held_on"][0]


def test_not_on_a_lot_already_decided(mapa, team):
    offer = offers_of(mapa)[0]
    offer.lot.status = LotStatus.UNSUCCESSFUL
    offer.lot.unsuccessful_reason = "Besoin abandonné"
    offer.lot.save()
    with pytest.raises(ValidationError, match="infructueux"):
        negotiate(team[0], offer, "90000")


# ---------------------------------------------------------------------------------------------------
# Page


def form_data(offers, prices: dict, held_on=HELD_ON):
    data = {}
    for offer in offers:
        data[f"version_{offer.pk}"] = offer.version
        data[f"new_price_{offer.pk}"] = prices.get(offer.pk, "")
        data[f"held_on_{offer.pk}"] = held_on.isoformat()
        data[f"notes_{offer.pk}"] = ""
    return data


@pytest.fixture
def at_today(monkeypatch):
    """The page's rounds are held « today »: the service's today is the tests' calendar."""
    from mutualis.procurements.services import lots

    monkeypatch.setattr(lots.timezone, "localdate", lambda: TODAY)


def test_the_page_records_every_changed_offer_at_once(mapa, team, login, at_today):
    buyer, _ = team
    cheapest, second, third = offers_of(mapa)
    lot = cheapest.lot
    client = login(buyer)
    page = text(client.get(mapa.get_absolute_url()))
    url = reverse("procurements:lot_negotiate", args=[lot.pk])
    assert url in page

    form = text(client.get(url))
    assert f"Nouveau prix HT après négociation (€) — {second.supplier.name}" in form
    response = client.post(
        url,
        form_data(offers_of(mapa), {cheapest.pk: "97000", second.pk: "90000", third.pk: "130000"}),
    )
    assert response.status_code == 302
    assert response.url == mapa.get_absolute_url() + f"#lot-{lot.pk}"
    rounds = NegotiationRound.objects.order_by("price_before")
    # The third price was typed unchanged: not negotiated, no round.
    assert [(r.offer_id, r.price_after, r.by) for r in rounds] == [
        (cheapest.pk, Decimal("97000"), buyer),
        (second.pk, Decimal("90000"), buyer),
    ]

    page = text(client.get(mapa.get_absolute_url()))
    assert "Tours de négociation du lot 1" in page
    assert "-30\xa0000,00" in page and "-25,00 %" in page and HELD_ON.strftime("%d/%m/%Y") in page


def test_the_page_is_all_or_nothing_and_names_the_bidder(mapa, team, login, at_today):
    cheapest, second, third = offers_of(mapa)
    client = login(team[0])
    url = reverse("procurements:lot_negotiate", args=[cheapest.lot_id])
    data = form_data(offers_of(mapa), {cheapest.pk: "95000", second.pk: "-5", third.pk: "125000"})
    data[f"held_on_{third.pk}"] = (TODAY + timedelta(days=3)).isoformat()
    response = client.post(url, data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {f"new_price_{second.pk}", f"held_on_{third.pk}"}
    page = text(response)
    assert "Aucun tour n'a été enregistré" in page
    assert f"Nouveau prix HT après négociation (€) — {second.supplier.name}</a> : " in page
    assert f"Date du tour — {third.supplier.name}</a> : " in page
    assert 'aria-invalid="true"' in page
    assert not NegotiationRound.objects.exists()
    assert [o.price for o in offers_of(mapa)] == [Decimal("100000"), Decimal("120000"), Decimal("130000")]


def test_a_price_changed_meanwhile_is_a_conflict(mapa, team, login, at_today):
    cheapest, second, _ = offers_of(mapa)
    client = login(team[0])
    url = reverse("procurements:lot_negotiate", args=[cheapest.lot_id])
    data = form_data(offers_of(mapa), {cheapest.pk: "95000", second.pk: "110000"})
    negotiate(team[0], second, "115000")  # a colleague records a round after the page was shown
    response = client.post(url, data)
    assert response.status_code == 409
    assert f"Offre de {second.supplier.name} : Cette fiche a été modifiée" in text(response)
    assert NegotiationRound.objects.count() == 1
    assert offers_of(mapa)[0].price == Decimal("100000")


def test_the_page_needs_a_price_and_the_stage(team, project, login, at_today):
    buyer, legal = team
    client = login(buyer)
    in_analysis = walk_to(project, StageCode.ANALYSIS, buyer=buyer, legal=legal)
    offers = add_offers(buyer, in_analysis)
    url = reverse("procurements:lot_negotiate", args=[offers[0].lot_id])
    page = text(client.get(url))
    assert "La négociation n'est pas ouverte" in page
    assert reverse("procurements:lot_negotiate", args=[offers[0].lot_id]) not in text(
        client.get(in_analysis.get_absolute_url())
    )
    response = client.post(url, form_data(offers, {offers[0].pk: "90000"}))
    assert response.status_code == 400
    assert "La négociation des offres se fait aux étapes : négociation" in text(response)
    response = client.post(url, form_data(offers, {}))
    assert response.status_code == 400 and "Aucun nouveau prix" in text(response)
    assert not NegotiationRound.objects.exists()


def test_the_page_refuses_who_does_not_manage_projects(mapa, role_users, login):
    url = reverse("procurements:lot_negotiate", args=[offers_of(mapa)[0].lot_id])
    for role in (Role.GOVERNANCE, Role.CONTROLLER):
        client = login(role_users[role])
        assert client.get(url).status_code == 403
        assert client.post(url, {}).status_code == 403


def test_rounds_shown_only_to_who_may_see_offers(mapa, team, role_users, login):
    negotiate(team[0], offers_of(mapa)[0], "95000", notes="Remise")
    client = login(role_users[Role.GOVERNANCE])  # sees the project, not its offers
    response = client.get(mapa.get_absolute_url())
    assert response.status_code == 200
    page = text(response)
    assert "Tours de négociation" not in page and "95\xa0000,00" not in page
    client = login(role_users[Role.CONTROLLER])  # reads offers (gains are checked against them)
    assert "Tours de négociation du lot 1" in text(client.get(mapa.get_absolute_url()))


def test_rounds_in_the_analysis_reports(mapa, team, login):
    negotiate(team[0], offers_of(mapa)[1], "90000")
    client = login(team[0])
    html_report = render_to_string(
        "www/procurements/analysis_print.html", {"report": analysis_report(mapa), "title": "Rapport"}
    )
    assert "Lot 1 : tours de négociation" in html_report and "-25,00 %" in html_report
    pdf = client.get(reverse("procurements:analysis_pdf", args=[mapa.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    response = client.get(reverse("procurements:analysis_xlsx", args=[mapa.pk]))
    assert response.status_code == 200
    rows = [[c for c in row if c not in (None, "")] for row in read_xlsx(response.getvalue())]
    assert ["Lot 1 : tours de négociation"] in rows
    negotiated = next(r for r in rows if r and r[0] == 1 and Decimal("-30000") in r)
    assert Decimal("120000") in negotiated and Decimal("90000") in negotiated


# ---------------------------------------------------------------------------------------------------
# The replaced contract, and the gain of a negotiated award


def test_replaced_contract_chosen_on_the_project_form_and_shown(team, support, hospital, project, login):
    replaced = make_contract(buyer=support, object="Consommables de laboratoire 2023-2026")
    make_contract(buyer=support, object="Un autre contrat")
    client = login(team[0])
    url = reverse("procurements:project_update", args=[project.pk])
    response = client.get(url)
    choices = response.context["form"].fields["replaces"].queryset
    assert replaced in choices
    form = text(response)
    holder = replaced.holders.get()
    label = f"{replaced.reference} — Consommables de laboratoire 2023-2026 ({holder.name}, fin le "
    assert label + f"{replaced.end_date:%d/%m/%Y})" in form
    assert "situation de référence" in form

    data = _form_data(project.family, support, hospital, team, replaces=replaced.pk)
    response = client.post(url, {**data, "version": project.version})
    assert response.status_code == 302, response.context["form"].errors
    project.refresh_from_db()
    assert project.replaces == replaced
    page = text(client.get(project.get_absolute_url()))
    assert f'<a href="{replaced.get_absolute_url()}">{replaced.reference} — ' in page
    api = client.get(reverse("api:project-detail", args=[project.pk]))
    assert api.status_code == 200 and api.json()["replaces"] == replaced.pk


def test_awarding_a_negotiated_offer_proposes_a_gain_against_the_replaced_contract(team, support, hospital):
    buyer, legal = team
    replaced = make_contract(buyer=support, amount=Decimal("240000"), firm_duration_months=24)
    project = negotiated_project(team, support, hospital, replaces=replaced)
    cheapest = offers_of(project)[0]
    negotiate(buyer, cheapest, "95000")

    project = walk_to(project, StageCode.NOTIFICATION, buyer=buyer, legal=legal)  # awards the best offer
    lot = project.lots.get()
    assert lot.awarded_offer_id == cheapest.pk
    gain = Gain.objects.get(lot=lot)
    assert lot.gain == gain
    assert gain.reference_source == "previous_contract"
    assert gain.reference_unit_price == Decimal("120000")  # 240 000 € over 24 months, per year
    months = Decimal(
        max(1, project.duration_months + project.renewal_count * (project.renewal_period_months or 0))
    )
    per_year = Decimal(12) / months
    assert gain.price_before_negotiation == (Decimal("100000") * per_year).quantize(Decimal("0.0001"))
    assert gain.new_unit_price == (Decimal("95000") * per_year).quantize(Decimal("0.0001"))
