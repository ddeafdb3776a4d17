"""Words follow the territory: a GHT has « établissements », an agglomeration « membres », a region
« directions », on the pages, in the lists' headers and filters and in the exports."""

import html
import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutualis.organisations.models import Territory, TerritoryKind
from mutualis.organisations.roles import Role
from mutualis.organisations.vocabulary import (
    DIRECTORATES,
    ESTABLISHMENTS,
    WORDS,
    Words,
    current_words,
    words_for,
)


def territory(kind) -> Territory:
    return Territory.objects.create(name="Territoire de test", short_name="Test", kind=kind)


def page(client, user, url_name, **params) -> str:
    client.force_login(user)
    response = client.get(reverse(url_name), params)
    assert response.status_code == 200
    # The addresses keep their words (/plan-actions/etablissements/…): the text is what is read.
    return re.sub(r'href="[^"]*"', "", html.unescape(response.content.decode()))


# --- The words ------------------------------------------------------------------------------------


def test_every_territory_kind_has_its_words():
    assert set(WORDS) == set(TerritoryKind.values)
    assert all(isinstance(words, Words) for words in WORDS.values())


def test_the_ght_keeps_its_establishments_and_no_territory_keeps_them_too():
    ght = Territory(kind=TerritoryKind.GHT)
    assert words_for(ght) is ESTABLISHMENTS
    assert words_for(None) is ESTABLISHMENTS  # pages written before the territory is configured
    words = ESTABLISHMENTS
    assert (words.one, words.many, words.one_cap, words.many_cap) == (
        "établissement",
        "établissements",
        "Établissement",
        "Établissements",
    )
    assert (words.the_one, words.of_one, words.of_the_one, words.to_the_one, words.to_the_many) == (
        "l'établissement",
        "d'établissement",
        "de l'établissement",
        "à l'établissement",
        "aux établissements",
    )
    assert (words.a_one, words.no_one_cap, words.all_many, words.every, words.e) == (
        "un établissement",
        "Aucun établissement",
        "tous les établissements",
        "Tous",
        "",
    )
    assert words.your_one == "votre établissement" and words.each_of_them == "chacun d'eux"


@pytest.mark.parametrize(
    "kind",
    [
        TerritoryKind.AGGLOMERATION,
        TerritoryKind.URBAN_COMMUNITY,
        TerritoryKind.METROPOLIS,
        TerritoryKind.COMMUNITY_OF_COMMUNES,
    ],
)
def test_an_intercommunality_has_members_not_establishments(kind):
    words = words_for(Territory(kind=kind))
    assert (words.one, words.the_one, words.of_one, words.of_the_one, words.to_the_one) == (
        "membre",
        "le membre",
        "de membre",
        "du membre",
        "au membre",
    )
    assert words.your_one == "votre commune ou service"  # « votre membre » would not say who


@pytest.mark.parametrize("kind", [TerritoryKind.REGION, TerritoryKind.DEPARTMENT])
def test_a_region_or_a_departement_has_directorates_and_they_agree_in_the_feminine(kind):
    words = words_for(Territory(kind=kind))
    assert words is DIRECTORATES
    assert f"{words.many_cap} concerné{words.e}s" == "Directions concernées"
    assert (words.the_one, words.of_the_one, words.a_one, words.no_one_cap) == (
        "la direction",
        "de la direction",
        "une direction",
        "Aucune direction",
    )
    assert (words.all_many, words.every) == ("toutes les directions", "Toutes")
    assert (words.each, words.each_of_them) == ("chacune", "chacune d'elles")


@pytest.mark.django_db
def test_outside_a_request_the_words_are_read_each_time():
    assert current_words() is ESTABLISHMENTS
    territory(TerritoryKind.REGION)
    assert current_words() is DIRECTORATES  # nothing kept from before: a job or a shell sees the change


# --- The pages ------------------------------------------------------------------------------------


def test_an_agglomeration_s_pages_say_members(client, role_users):
    territory(TerritoryKind.AGGLOMERATION)
    buyer = role_users[Role.BUYER]

    plan = page(client, buyer, "plan:territory")
    assert '<h2 class="h4">Par membre</h2>' in plan
    assert "plans propres des membres (PAA)" in plan
    assert "compte en entier pour chacun d'eux" in plan
    assert "tablissement" not in plan

    gains = client.get(reverse("gains:gain_list"))
    assert str(gains.context["table"].columns["entity"].header) == "Membre"
    entity_filter = gains.context["filter"].form["entity"]
    assert entity_filter.label == "Membre" and entity_filter.field.empty_label == "Tous"
    assert "tablissement" not in html.unescape(gains.content.decode())

    actions = page(client, buyer, "plan:action_list")
    assert "plans propres aux membres (PAA)" in actions and "(une feuille par membre)" in actions


def test_a_region_s_referent_reads_about_their_directorate_at_home(client, role_users):
    territory(TerritoryKind.REGION)
    home = page(client, role_users[Role.REFERENT], "www:home")
    assert "Besoins de votre direction" in home
    assert "votre établissement" not in home and "Référent achats" in home  # a role named for every territory


def test_the_ght_keeps_its_establishments_on_the_same_pages(client, role_users):
    territory(TerritoryKind.GHT)
    buyer = role_users[Role.BUYER]
    plan = page(client, buyer, "plan:territory")
    assert '<h2 class="h4">Par établissement</h2>' in plan
    assert "plans propres des établissements (PAA)" in plan
    gains = client.get(reverse("gains:gain_list"))
    assert str(gains.context["table"].columns["entity"].header) == "Établissement"
    assert gains.context["filter"].form["entity"].label == "Établissement"
    assert "Besoins de votre établissement" in page(client, role_users[Role.REFERENT], "www:home")


def test_the_territory_is_read_once_per_request(client, role_users):
    territory(TerritoryKind.AGGLOMERATION)
    client.force_login(role_users[Role.BUYER])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("gains:gain_list"))
    assert response.status_code == 200
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "organisations_territory"' in q["sql"]]
    assert len(reads) == 1  # shared by `territory`, `words`, the table's header and the filter's label


# --- The exports ----------------------------------------------------------------------------------


def csv_header(client, url_name) -> str:
    response = client.get(reverse(url_name), {"export": "csv"})
    assert response.status_code == 200
    return response.getvalue().decode("utf-8-sig").splitlines()[0]


@pytest.mark.parametrize(
    ("kind", "gains_column", "plan_column"),
    [
        (TerritoryKind.GHT, "Établissement", "Établissements concernés"),
        (TerritoryKind.METROPOLIS, "Membre", "Membres concernés"),
        (TerritoryKind.DEPARTMENT, "Direction", "Directions concernées"),
    ],
)
def test_export_headers_follow_the_territory(client, role_users, kind, gains_column, plan_column):
    territory(kind)
    client.force_login(role_users[Role.BUYER])
    assert gains_column in csv_header(client, "gains:gain_list").split(";")
    assert plan_column in csv_header(client, "plan:action_list").split(";")


@pytest.mark.django_db
def test_the_need_workflow_names_the_entity_as_the_territory_does():
    from mutualis.needs.workflow import NEED_LINE

    moves = {transition.name: transition for transition in NEED_LINE.transitions}
    assert str(moves["propose"].label) == "Proposer au référent de l'établissement"
    territory(TerritoryKind.REGION)
    assert str(moves["propose"].label) == "Proposer au référent de la direction"
    assert str(moves["return"].comment_hint) == "Dites à la direction ce qu'elle doit corriger."


def test_the_paat_workbook_follows_the_territory(client, role_users):
    territory(TerritoryKind.DEPARTMENT)
    client.force_login(role_users[Role.BUYER])
    response = client.get(reverse("plan:export_xlsx"), {"year": 2027})
    assert response.status_code == 200
    summary = openpyxl.load_workbook(io.BytesIO(response.content))["Synthèse"]
    values = list(summary.iter_rows(values_only=True))
    assert "plusieurs directions figure sur la feuille de chacune" in values[1][0]
    assert "une feuille par direction" in values[2][0]
    assert values[4][0] == "Direction"
