"""The cockpit, an indicator's page and the objectives' pages."""

import base64
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutualis.organisations.roles import Role
from mutualis.steering.models import Objective
from tests.contracts.factories import make_contract
from tests.procurements.factories import new_project
from tests.steering import dataset


@pytest.fixture
def data(support, hospital, other_hospital, role_users):
    return dataset.build(
        support=support, hospital=hospital, other_hospital=other_hospital, buyer=role_users[Role.BUYER]
    )


def test_the_cockpit_shows_each_figure_its_definition_trend_and_target(data, login, role_users):
    Objective.objects.create(indicator="environmental_share", year=2025, target=Decimal(60))
    page = login(role_users[Role.GOVERNANCE]).get(reverse("steering:cockpit"), {"year": 2025})
    assert page.status_code == 200
    html = page.content.decode()
    assert "500\u202f000,00\u202f€" in html  # the amount notified
    assert "MISSING" not in html.split("<main", 1)[1]
    assert 'role="tooltip"' in html and "notifiés dans la période" in html  # definitions
    assert "Non atteint</span> −10\u202fpoints" in html  # 50 % against 60 %
    # the amount links to the registry's rows, and those rows are the four contracts
    rows = reverse("contracts:contract_list") + "?notified_from=2025-01-01&amp;notified_to=2025-12-31"
    assert rows in html
    listed = login(role_users[Role.GOVERNANCE]).get(
        reverse("contracts:contract_list"), {"notified_from": "2025-01-01", "notified_to": "2025-12-31"}
    )
    assert {c.reference for c in listed.context["table"].data} == {"C1", "C2", "C3", "C4"}


def test_every_chart_is_an_image_with_its_alternative_and_its_table(data, login, role_users):
    page = login(role_users[Role.BUYER]).get(reverse("steering:cockpit"), {"year": 2025})
    charts = page.context["charts"]
    assert {chart.kind for chart in charts} == {"bar", "line", "stacked"}
    html = page.content.decode()
    for chart in charts:
        assert f'alt="{chart.alt}"' in html.replace("&#x27;", "'")
        assert f"Données du graphique « {chart.title} »" in html.replace("&#x27;", "'")
        svg = base64.b64decode(chart.data_uri().split(",", 1)[1]).decode()
        assert "<script" not in svg.replace('<script type="text/javascript">', "") or "http" not in svg
        assert "kozea.github.io" not in svg  # no external host
    by_year = next(chart for chart in charts if chart.title == "Contrats notifiés par année")
    assert by_year.labels[-2:] == ["2024", "2025"] and by_year.series[0].values[-2:] == [1, 4]


def test_a_bad_year_is_said_and_the_current_year_shown(db, login, role_users):
    page = login(role_users[Role.BUYER]).get(reverse("steering:cockpit"), {"year": "vingt"})
    assert page.status_code == 200
    assert page.context["scope"].year == date.today().year
    assert 'role="alert"' in page.content.decode()


def test_an_indicators_page_breaks_it_down_and_links_the_rows(data, login, role_users, support):
    page = login(role_users[Role.BUYER]).get(
        reverse("steering:indicator_detail", args=["environmental_share"]), {"year": 2025}
    )
    tables = {table.caption: table for table in page.context["tables"]}
    by_buyer = tables["Contrats avec une considération environnementale par entité acheteuse"]
    support_row = next(row for row in by_buyer.rows if str(row[0]) == str(support))
    assert support_row[1:] == ["2", "150\u202f000,00\u202f€", "50\u00a0%".replace("\u00a0", "\u202f")]
    assert f"buyer={support.pk}" in support_row[0].url


def test_the_lead_times_page_lists_the_projects(data, login, role_users):
    page = login(role_users[Role.BUYER]).get(
        reverse("steering:indicator_detail", args=["lead_time_median"]), {"year": 2025}
    )
    projects = page.context["tables"][1]
    assert sorted(row[3] for row in projects.rows) == ["60\u202fj", "62\u202fj", "99\u202fj"]


def test_an_unknown_indicator_is_404(db, login, role_users):
    assert login(role_users[Role.BUYER]).get("/pilotage/indicateurs/inconnu/").status_code == 404


def _grow(count, support, hospital, buyer):
    for index in range(count):
        make_contract(
            buyer=support if index % 2 else hospital,
            notification_date=date(2025, 1 + index % 12, 1),
            offers_received=1 + index % 3,
            social_considerations=["Clause sociale"] if index % 2 else ["Pas de considération sociale"],
        )
        new_project(buyer, entities=[support], buyer=buyer, buyer_entity=support)


@pytest.mark.parametrize("role", [Role.GOVERNANCE, Role.REFERENT])
def test_the_cockpit_holds_its_query_count(db, login, role_users, support, hospital, role):
    client, buyer = login(role_users[role]), role_users[Role.BUYER]
    counts = []
    for count in (3, 6):
        _grow(count, support, hospital, buyer)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("steering:cockpit"), {"year": 2025}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


class TestObjectives:
    def test_management_control_sets_a_target(self, db, login, role_users, hospital):
        client = login(role_users[Role.CONTROLLER])
        answer = client.post(
            reverse("steering:objective_create"),
            {"indicator": "environmental_share", "year": 2026, "entity": hospital.pk, "target": "50",
             "source": "SPASER 2026"},
        )  # fmt: skip
        assert answer.status_code == 302
        objective = Objective.objects.get()
        assert (objective.entity, objective.target, objective.history.count()) == (hospital, 50, 1)

    def test_a_second_target_for_the_same_scope_is_refused(self, db, login, role_users):
        Objective.objects.create(indicator="social_share", year=2026, target=Decimal(30))
        answer = login(role_users[Role.ADMIN]).post(
            reverse("steering:objective_create"), {"indicator": "social_share", "year": 2026, "target": "40"}
        )
        assert answer.status_code == 200
        assert "existe déjà" in str(answer.context["form"].errors["indicator"])
        assert Objective.objects.count() == 1

    def test_a_share_above_100_is_refused(self, db, login, role_users):
        answer = login(role_users[Role.ADMIN]).post(
            reverse("steering:objective_create"), {"indicator": "social_share", "year": 2026, "target": "120"}
        )
        assert "100 au plus" in str(answer.context["form"].errors["target"])
        assert not Objective.objects.exists()

    def test_the_gains_target_stays_on_the_gains_page(self, db, login, role_users):
        form = login(role_users[Role.ADMIN]).get(reverse("steering:objective_create")).context["form"]
        assert "gains" not in dict(form.fields["indicator"].choices)

    def test_update_and_delete(self, db, login, role_users):
        objective = Objective.objects.create(indicator="social_share", year=2026, target=Decimal(30))
        client = login(role_users[Role.ADMIN])
        client.post(
            reverse("steering:objective_update", args=[objective.pk]),
            {"indicator": "social_share", "year": 2026, "target": "35"},
        )
        objective.refresh_from_db()
        assert objective.target == 35
        client.post(reverse("steering:objective_delete", args=[objective.pk]))
        assert not Objective.objects.exists()
        assert Objective.history.filter(history_type="-").exists()

    def test_the_list_exports(self, db, login, role_users):
        Objective.objects.create(indicator="social_share", year=2026, target=Decimal(30), source="=1+1")
        answer = login(role_users[Role.GOVERNANCE]).get(reverse("steering:objective_list"), {"export": "csv"})
        body = answer.getvalue().decode("utf-8-sig")
        assert "Contrats avec une considération sociale" in body and "'=1+1" in body
