"""The action plan's pages: the list and its filters and export, the territory's and an establishment's
totals (worked by hand in conftest.plan), an action's page, its form with the expected gain computed,
and what a referent sees."""

import html
from decimal import Decimal

import pytest
from django.urls import reverse

from mutualis.gains.models import PlanAction
from mutualis.organisations.roles import Role

from .factories import make_action

D = Decimal


def titles(response) -> set[str]:
    return {row.record.title for row in response.context["table"].rows}


@pytest.fixture
def buyer_client(client, role_users):
    client.force_login(role_users[Role.BUYER])
    return client


# --- The list ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"year": "2027"}, {"Location-entretien du linge", "Scanner de bloc", "Fauteuils de consultation"}),
        ({"year": "2027", "origin": "establishment"}, {"Scanner de bloc", "Fauteuils de consultation"}),
        ({"year": "2027", "status": "done"}, {"Fauteuils de consultation"}),
        ({"year": "2027", "budget": "investment"}, {"Scanner de bloc"}),
        ({"q": "scanner"}, {"Scanner de bloc"}),
        ({"year": "2028"}, {"Action 2028"}),
    ],
)
def test_list_filters(buyer_client, plan, params, expected):
    response = buyer_client.get(reverse("plan:action_list"), params)
    assert response.status_code == 200
    assert titles(response) == expected


def test_list_filters_by_establishment_family_and_owner(buyer_client, plan, other_hospital, role_users):
    url = reverse("plan:action_list")
    by_entity = buyer_client.get(url, {"year": "2027", "entity": other_hospital.pk})
    assert titles(by_entity) == {"Location-entretien du linge", "Fauteuils de consultation"}
    assert len(by_entity.context["table"].rows) == 2  # the action of two establishments is one row
    assert titles(buyer_client.get(url, {"family": plan["family"].pk})) == {"Location-entretien du linge"}
    owner = role_users[Role.BUYER].pk
    assert titles(buyer_client.get(url, {"owner": owner})) == {"Location-entretien du linge"}
    assert buyer_client.get(url, {"entity": "abc"}).context["filter"].errors  # nonsense is refused


def test_list_shows_the_expected_and_realised_gains(buyer_client, plan):
    response = buyer_client.get(reverse("plan:action_list"), {"year": "2027", "sort": "title"})
    rows = {row.record.title: row.record for row in response.context["table"].rows}
    linen = rows["Location-entretien du linge"]
    assert (linen.expected_annual_gain, linen.expected_gain_year_n, linen.expected_gain_year_n1) == (
        D("2500.00"),
        D("1883.56"),
        D("616.44"),
    )
    assert linen.realised == D("1200.00")
    assert rows["Fauteuils de consultation"].realised == D("450.00")  # the proposed gain does not count
    content = response.content.decode()
    assert "2\u202f500,00" in content and "1\u202f883,56" in content
    assert f'href="{linen.get_absolute_url()}"' in content
    assert "<caption" in content and 'scope="col"' in content


def test_list_exports_csv_and_xlsx(buyer_client, plan):
    url = reverse("plan:action_list")
    csv = buyer_client.get(url, {"year": "2027", "status": "in_progress", "export": "csv"})
    text = csv.getvalue().decode("utf-8-sig")
    header, *rows = [line for line in text.splitlines() if line]
    assert "Objet de l'action" in header and "Gain réalisé (€)" in header
    assert len(rows) == 1
    assert "Location-entretien du linge" in rows[0] and "2500,00" in rows[0] and rows[0].endswith(";1200,00")
    xlsx = buyer_client.get(url, {"year": "2027", "export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.getvalue()[:2] == b"PK"


# --- The territory and an establishment -------------------------------------------------------------


def test_territory_totals_worked_by_hand(buyer_client, plan, hospital, other_hospital):
    response = buyer_client.get(reverse("plan:territory"), {"year": "2027"})
    assert response.status_code == 200
    total = response.context["total"]["totals"]
    # Each action once: 2 500 + 2 000 + 500; N 1 883.56 + 1 008.22 + 500; realised 1 200 + 450.
    assert (total.count, total.annual, total.year_n, total.year_n1, total.realised) == (
        3,
        D("5000.00"),
        D("3391.78"),
        D("1608.22"),
        D("1650.00"),
    )
    statuses = {row["label"]: row["totals"] for row in response.context["by_status"]}
    assert statuses["Prévue"].annual == D("2000.00")
    assert statuses["En cours"].annual == D("2500.00")
    assert statuses["Réalisée"].annual == D("500.00") and statuses["Réalisée"].realised == D("450.00")
    assert statuses["Abandonnée"].count == 0
    budgets = {row["label"]: row["totals"].annual for row in response.context["by_budget"]}
    assert budgets == {"Exploitation": D("3000.00"), "Investissement": D("2000.00")}
    entities = {row["label"]: row["totals"] for row in response.context["by_entity"]}
    a, b = entities[str(hospital)], entities[str(other_hospital)]
    # The linen action counts in full for both hospitals: 7 500 over the rows, 5 000 for the territory.
    assert (a.count, a.annual, a.year_n, a.year_n1, a.realised) == (
        2,
        D("4500.00"),
        D("2891.78"),
        D("1608.22"),
        D("1200.00"),
    )
    assert (b.count, b.annual, b.year_n, b.year_n1, b.realised) == (
        2,
        D("3000.00"),
        D("2383.56"),
        D("616.44"),
        D("1650.00"),
    )
    content = html.unescape(response.content.decode())
    # Every figure leads to the list of its actions.
    assert f"{reverse('plan:action_list')}?year=2027&status=planned" in content
    assert f"{reverse('plan:action_list')}?year=2027&entity={other_hospital.pk}" in content
    assert f"{reverse('plan:action_list')}?year=2027&budget=investment" in content
    assert "<caption>Actions 2027 par établissement</caption>" in content


def test_territory_refuses_a_year_that_means_nothing(buyer_client, plan):
    assert buyer_client.get(reverse("plan:territory"), {"year": "deux-mille"}).status_code == 400


def test_entity_view_splits_paat_and_paa(buyer_client, plan, hospital):
    response = buyer_client.get(reverse("plan:entity", args=[hospital.pk]), {"year": "2027"})
    assert response.status_code == 200
    paat, paa = response.context["sections"]
    assert [a.title for a in paat["actions"]] == ["Location-entretien du linge"]
    assert [a.title for a in paa["actions"]] == ["Scanner de bloc"]
    assert paat["row"]["totals"].annual == D("2500.00") and paa["row"]["totals"].annual == D("2000.00")
    total = response.context["total_row"]["totals"]
    assert (total.count, total.annual, total.realised) == (2, D("4500.00"), D("1200.00"))
    assert total.year_n1 == D("1608.22")


# --- Scope ----------------------------------------------------------------------------------------


def test_a_referent_sees_the_actions_of_their_establishment(
    client, role_users, plan, hospital, other_hospital
):
    client.force_login(role_users[Role.REFERENT])  # referent of the member hospital (A)
    listed = client.get(reverse("plan:action_list"), {"year": "2027"})
    assert titles(listed) == {"Location-entretien du linge", "Scanner de bloc"}
    assert list(listed.context["filter"].form.fields["entity"].queryset) == [hospital]
    assert client.get(plan["chairs"].get_absolute_url()).status_code == 404
    assert client.get(reverse("plan:entity", args=[other_hospital.pk])).status_code == 404
    territory = client.get(reverse("plan:territory"), {"year": "2027"})
    assert [row["label"] for row in territory.context["by_entity"]] == [str(hospital)]
    assert territory.context["total"]["totals"].annual == D("4500.00")
    assert client.get(reverse("plan:action_create")).status_code == 403


def test_roles_without_the_gains_do_not_see_the_plan(client, role_users, plan):
    client.force_login(role_users[Role.PRESCRIBER])
    assert client.get(reverse("plan:territory")).status_code == 403


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_menu_entry(client, role_users, role):
    client.force_login(role_users[role])
    page = client.get(reverse("www:home")).content.decode()
    menu = html.unescape(page[page.index('id="navigation"') :].split("</nav>")[0])
    shown = {Role.ADMIN, Role.BUYER, Role.GOVERNANCE, Role.CONTROLLER, Role.REFERENT}
    assert (">Plan d'actions</a>" in menu) == (role in shown)


# --- An action's page and form ----------------------------------------------------------------------


def test_detail_shows_the_method_projects_gains_and_share(buyer_client, plan):
    response = buyer_client.get(plan["linen"].get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert response.context["figures"].explanation in content
    assert "1\u202f883,56" in content and "616,44" in content
    assert response.context["realised"] == D("1200.00")
    assert "48 %" in content.replace("\u202f", " ")  # 1 200 of 2 500
    assert "Validé par le contrôle de gestion" in content


def form_data(hospital, other_hospital, **changes) -> dict:
    data = {
        "year": "2027",
        "origin": "territory",
        "title": "Produits d'incontinence",
        "description": "",
        "family": "",
        "lever": "pooling",
        "entities": [hospital.pk, other_hospital.pk],
        "owner": "",
        "planned_quarter": "2027-T2",
        "status": "planned",
        "budget": "operating",
        "kind": "recurring",
        "reference_unit_price": "12.50",
        "new_unit_price": "10",
        "quantity": "1000",
        "amortisation_years": "",
    }
    data.update(changes)
    return data


def test_create_computes_the_expected_gain(buyer_client, hospital, other_hospital, team):
    from tests.procurements.factories import new_project

    buyer, legal = team
    project = new_project(buyer, entities=[hospital], buyer=buyer, legal_officer=legal)
    data = form_data(hospital, other_hospital, projects=[project.pk])
    response = buyer_client.post(reverse("plan:action_create"), data)
    action = PlanAction.objects.get(title="Produits d'incontinence")
    assert response.status_code == 302 and response.url == action.get_absolute_url()
    # (12.50 − 10) × 1 000 = 2 500 a year; from 1 April 2027, 275 days of 365 in 2027.
    assert action.expected_annual_gain == D("2500.00")
    assert action.expected_gain_year_n == D("1883.56")
    assert action.expected_gain_year_n1 == D("616.44")
    assert set(action.entities.all()) == {hospital, other_hospital}
    assert list(action.projects.all()) == [project]
    page = buyer_client.get(action.get_absolute_url()).content.decode()
    assert project.object in page


def test_create_form_renders_the_establishments_as_a_fieldset(buyer_client, hospital):
    content = buyer_client.get(reverse("plan:action_create")).content.decode()
    assert '<legend class="form-label fs-6 mb-1">Établissements concernés</legend>' in content
    assert 'name="projects"' in content and "multiple" in content


def test_the_method_s_error_is_shown_on_its_field(buyer_client, hospital, other_hospital):
    data = form_data(hospital, other_hospital, budget="investment", amortisation_years="")
    response = buyer_client.post(reverse("plan:action_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["amortisation_years"] == [
        "Indiquez la durée d'amortissement en années."
    ]
    assert not PlanAction.objects.exists()


def test_update_recomputes_and_is_locked(buyer_client, hospital, other_hospital):
    action = make_action(entities=[hospital])
    url = reverse("plan:action_update", args=[action.pk])
    assert buyer_client.get(url).status_code == 200
    data = form_data(hospital, other_hospital, new_unit_price="11.50", version=action.version)
    assert buyer_client.post(url, data).status_code == 302
    action.refresh_from_db()
    assert action.expected_annual_gain == D("1000.00")  # (12.50 − 11.50) × 1 000
    stale = form_data(hospital, other_hospital, new_unit_price="9", version=action.version - 1)
    response = buyer_client.post(url, stale)
    assert response.status_code == 409
    action.refresh_from_db()
    assert action.new_unit_price == D("11.50")
