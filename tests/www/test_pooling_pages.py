"""The opportunities page's section on a campaign's needs that several buyers could buy together, its
export, the « Créer le groupement de commandes » links for those who manage groups, the campaign page's
link to it, and the groupement form prefilled from the link's GET parameters."""

import csv
import io
import re
from datetime import date

import pytest
from django.urls import reverse

from mutualis.needs.models import Campaign
from mutualis.organisations.roles import Role
from mutualis.www.templatetags.mutualis import amount
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.contracts.factories import make_contract
from tests.helpers import read_xlsx
from tests.needs.test_buyers import commune, need
from tests.organisations.factories import EntityFactory

BUTTON = "Créer le groupement de commandes"
SECTION = "Besoins recensés : achats que plusieurs acheteurs pourraient grouper"


@pytest.fixture
def campaign(db):
    campaign = Campaign.objects.create(
        title="Besoins 2027",
        year=2027,
        deadline=date(2026, 12, 15),
        launch_date=date(2027, 2, 1),
        contract_duration_months=12,
    )
    campaign.families.set([PurchaseFamilyFactory(code="FOU-01", label="Fournitures de bureau")])
    return campaign


@pytest.fixture
def communes(campaign):
    first, second = commune("Commune A"), commune("Commune B")
    need(campaign, first, "30000")
    need(campaign, second, "45000")
    return first, second


def opportunities(client, **query):
    return client.get(reverse("needs:opportunities"), query)


def test_the_section_and_the_button_for_those_who_manage_groups(client, role_users, campaign, communes):
    first, second = communes
    client.force_login(role_users[Role.BUYER])
    response = opportunities(client)
    html = response.content.decode()
    assert response.context["campaign"] == campaign
    assert SECTION in html and "<caption" in html and '<th scope="row"' in html
    assert [p.family.code for p in response.context["needs"]] == ["FOU-01"]
    assert amount(75000, 0) in html and "Commune A" in html and "Commune B" in html
    family = campaign.families.get()
    link = re.search(r'href="/[^"]*\?([^"]*)">' + BUTTON, html)
    assert link, "the groupement link is on the page"
    query = link.group(1).replace("&amp;", "&")
    assert f"coordinator={second.pk}" in query and f"members={first.pk}" in query
    assert f"scope_families={family.pk}" in query
    # Someone who reads needs but does not manage groups sees the section, not the button.
    client.force_login(role_users[Role.GOVERNANCE])
    html = opportunities(client).content.decode()
    assert SECTION in html and "Commune B" in html and BUTTON not in html


def test_the_campaign_is_chosen_in_the_query(client, role_users, campaign, communes):
    other = Campaign.objects.create(
        title="Besoins 2028", year=2028, deadline=date(2027, 12, 1), launch_date=date(2028, 2, 1)
    )
    client.force_login(role_users[Role.BUYER])
    assert opportunities(client).context["campaign"] == other  # the latest open one by default
    assert opportunities(client).context["needs"] == []
    response = opportunities(client, campagne=campaign.pk)
    assert response.context["campaign"] == campaign and len(response.context["needs"]) == 1
    assert opportunities(client, campagne="x").context["campaign"] == other  # ignored, not an error
    # The campaign page links to it from a family its buyers share.
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert f"{reverse('needs:opportunities')}?campagne={campaign.pk}#besoins" in page


def test_a_groupement_that_covers_them_replaces_the_button(client, role_users, campaign, communes):
    from mutualis.organisations.models import PurchasingGroup

    first, second = communes
    group = PurchasingGroup.objects.create(name="Groupement fournitures", coordinator=first)
    # No family named in its convention: it covers them all, as the consolidation reads it.
    group.members.set([second], through_defaults={"signed_on": date(2026, 6, 1)})
    client.force_login(role_users[Role.BUYER])
    html = opportunities(client).content.decode()
    assert "Déjà groupé" in html and group.get_absolute_url() in html and BUTTON not in html


def test_the_export_has_one_row_per_buyer(client, role_users, campaign, communes):
    first, second = communes
    client.force_login(role_users[Role.BUYER])
    response = opportunities(client, export="csv", table="besoins", campagne=campaign.pk)
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Famille (code)", "Famille", "Acheteur", "SIRET de l'acheteur"]
    assert [(row[0], row[2], row[3]) for row in rows[1:]] == [
        ("FOU-01", "Commune B", second.siret),
        ("FOU-01", "Commune A", first.siret),
    ]
    workbook = read_xlsx(
        opportunities(client, export="xlsx", table="besoins", campagne=campaign.pk).getvalue()
    )
    assert len(workbook) == 3 and workbook[1][9] == workbook[2][9] == 75000


def test_the_contract_opportunity_has_the_button_too(client, role_users):
    family = PurchaseFamilyFactory(code="FOU-06", label="Papier")
    first, second = commune("Commune A"), commune("Commune B")
    for buyer in (first, second):
        make_contract(buyer=buyer, family=family, notification_date=date.today())
    client.force_login(role_users[Role.BUYER])
    html = opportunities(client).content.decode()
    assert f'{BUTTON}<span class="visually-hidden"> pour {family}</span>' in html


def test_the_group_form_is_prefilled_from_the_query(client, role_users, campaign, communes):
    first, second = communes
    family = campaign.families.get()
    retired = EntityFactory(name="Ancienne commune", is_active=False)
    client.force_login(role_users[Role.BUYER])
    query = {
        "name": "Groupement Fournitures de bureau",
        "coordinator": second.pk,
        "members": [second.pk, first.pk, retired.pk, 999999, "abc"],
        "scope_families": [family.pk, 888888],
    }
    response = client.get(reverse("organisations:group_create"), query)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["name"] == "Groupement Fournitures de bureau"
    assert (form.initial["coordinator"], form.initial["members"]) == (second.pk, [second.pk, first.pk])
    assert form.initial["scope_families"] == [family.pk]
    html = response.content.decode()
    assert 'value="Groupement Fournitures de bureau"' in html
    assert re.search(rf'<option value="{second.pk}" selected>', html)
    for name, pk in (("members", first.pk), ("members", second.pk), ("scope_families", family.pk)):
        assert re.search(rf'<input type="checkbox" name="{name}" value="{pk}"[^>]*checked', html), (name, pk)
    assert not re.search(rf'name="members" value="{retired.pk}"[^>]*checked', html)
    # Only initial values: nothing is created until the form is posted.
    from mutualis.organisations.models import PurchasingGroup

    assert not PurchasingGroup.objects.exists()
    # An inactive coordinator is left out too.
    response = client.get(reverse("organisations:group_create"), {"coordinator": retired.pk})
    assert "coordinator" not in response.context["form"].initial
