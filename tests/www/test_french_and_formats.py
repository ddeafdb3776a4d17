"""French wording and formats: articles before names, amounts with thousands separators, no raw
"---------" in selects, exports on the needs pages."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from mutualis.core.french import of
from mutualis.needs.models import Campaign, NeedLine, NeedStatus
from mutualis.organisations.models import Territory
from mutualis.organisations.roles import Role
from mutualis.www.templatetags.mutualis import amount
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.contracts.factories import make_contract


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Groupement hospitalier de territoire Somme", "du Groupement hospitalier de territoire Somme"),
        ("Le Mans Métropole", "du Mans Métropole"),
        ("La Rochelle", "de la Rochelle"),
        ("Les Ulis", "des Ulis"),
        ("Région Hauts-de-France", "de la Région Hauts-de-France"),
        ("Établissement public de santé", "de l'Établissement public de santé"),
        ("Amiens", "d'Amiens"),
        ("Paris", "de Paris"),
    ],
)
def test_of_puts_the_right_article(name, expected):
    assert of(name) == expected


@pytest.mark.django_db
def test_home_says_du_groupement(client, role_users):
    Territory.objects.create(name="Groupement hospitalier Somme", short_name="GHT", kind="ght")
    client.force_login(role_users[Role.BUYER])
    html = client.get(reverse("www:home")).content.decode()
    assert "espace achats mutualisés du <strong>Groupement hospitalier Somme</strong>" in html


@pytest.fixture
def campaign(db):
    campaign = Campaign.objects.create(
        title="Besoins 2027",
        year=2027,
        deadline=date(2026, 12, 15),
        launch_date=date(2027, 2, 1),
        contract_duration_months=48,
    )
    campaign.families.set([PurchaseFamilyFactory(code="HOT-02", label="Blanchisserie", nature="services")])
    return campaign


@pytest.mark.django_db
def test_need_lines_show_amounts_with_thousands_and_export(client, campaign, role_users, hospital):
    created = NeedLine.objects.create(
        campaign=campaign,
        entity=hospital,
        family=campaign.families.get(),
        description="Linge",
        estimated_amount=Decimal("52500.00"),
        recurrence="recurring",
    )
    NeedLine.objects.filter(pk=created.pk).update(status=NeedStatus.VALIDATED)
    client.force_login(role_users[Role.BUYER])
    html = client.get(reverse("needs:line_list")).content.decode()
    assert "52\u202f500,00" in html and "52500,00" not in html
    assert "export=csv" in html and "btn-outline-secondary" not in html
    exported = client.get(reverse("needs:line_list"), {"export": "csv"})
    assert exported.status_code == 200 and exported["Content-Type"].startswith("text/csv")
    assert "Linge" in exported.getvalue().decode("utf-8-sig")


@pytest.mark.django_db
def test_selects_never_show_the_raw_dash_label(client, role_users):
    client.force_login(role_users[Role.BUYER])
    for name in ("procurements:project_create", "contracts:contract_list", "needs:line_list"):
        html = client.get(reverse(name)).content.decode()
        assert "---------" not in html, name
    assert "— Choisir —" in client.get(reverse("procurements:project_create")).content.decode()


@pytest.mark.django_db
def test_opportunities_export_and_create_project(
    client, campaign, role_users, support, hospital, other_hospital
):
    family = campaign.families.get()
    for entity, months in ((hospital, 24), (other_hospital, 36)):
        make_contract(
            buyer=entity, family=family, notification_date=date(2026, 1, 1), firm_duration_months=months
        )
    line = NeedLine.objects.create(
        campaign=campaign,
        entity=hospital,
        family=family,
        description="Linge",
        estimated_amount=Decimal("1000"),
        recurrence="recurring",
    )
    NeedLine.objects.filter(pk=line.pk).update(status=NeedStatus.VALIDATED)
    client.force_login(role_users[Role.BUYER])
    html = client.get(reverse("needs:opportunities")).content.decode()
    assert reverse("procurements:project_from_needs", args=[campaign.pk, family.pk]) in html
    assert "Créer le projet" in html and "export=xlsx&amp;table=mutualisation" in html
    exported = client.get(reverse("needs:opportunities"), {"export": "csv", "table": "mutualisation"})
    assert exported["Content-Type"].startswith("text/csv") and "HOT-02" in exported.getvalue().decode(
        "utf-8-sig"
    )
    client.force_login(role_users[Role.REFERENT])
    assert "Créer le projet" not in client.get(reverse("needs:opportunities")).content.decode()


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [
        (Decimal("84000.0000"), "2-4", "84\u202f000,00"),  # a unit price stored with 4 decimals
        (Decimal("0.0425"), "2-4", "0,0425"),  # a price per tablet keeps its decimals
        (Decimal("1.0000"), "0-4", "1"),  # a quantity
        (Decimal("2.5000"), "0-4", "2,5"),
        (Decimal("1E+3"), "0-4", "1\u202f000"),
        (Decimal("12.3"), 2, "12,30"),
        (None, "2-4", "—"),
    ],
)
def test_amounts_show_the_decimals_that_count(value, decimals, shown):
    assert amount(value, decimals) == shown
