"""The improvement log's pages: the list with its filters and exports, the create page opened from a
project, the edit page's version, an action's page with its buttons, and the scope (404 outside)."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from mutualis.notifications.models import Notification
from mutualis.organisations.roles import Role
from mutualis.procurements.models import StageCode
from mutualis.steering.models import ImprovementAction, ImprovementKind
from mutualis.steering.services.improvements import improvement_transition
from tests.contracts.factories import make_contract
from tests.procurements.factories import new_project
from tests.steering.improvement_factories import make_action

LIST = reverse("steering:improvement_list")


@pytest.fixture
def buyer(role_users):
    return role_users[Role.BUYER]


@pytest.fixture
def referent(role_users):
    return role_users[Role.REFERENT]


@pytest.fixture
def own_project(buyer, support, hospital):
    return new_project(buyer, entities=[hospital], buyer=buyer, buyer_entity=support, object="Linge hôtelier")


@pytest.fixture
def other_project(buyer, support, other_hospital):
    return new_project(buyer, entities=[other_hospital], buyer=buyer, buyer_entity=support, object="Repas")


def _titles(response) -> list[str]:
    return [row.record.title for row in response.context["table"].paginated_rows]


def test_the_list_filters_and_searches(client, buyer, referent, own_project):
    today = timezone.localdate()
    late = make_action(
        buyer, owner=referent, title="Pièces du DCE manquantes", due_on=today - timedelta(days=3)
    )
    make_action(
        buyer, owner=buyer, title="Délais d'analyse", kind=ImprovementKind.IMPROVEMENT, project=own_project
    )
    closed = make_action(buyer, owner=buyer, title="Clause sociale oubliée", stage_code=StageCode.DOCUMENTS)
    improvement_transition(actor=buyer, action=closed, name="close", comment="Modèle de CCAP corrigé.")
    client.force_login(buyer)
    assert sorted(_titles(client.get(LIST))) == [
        "Clause sociale oubliée",
        "Délais d'analyse",
        "Pièces du DCE manquantes",
    ]
    assert _titles(client.get(LIST, {"late": "true"})) == [late.title]
    assert sorted(_titles(client.get(LIST, {"late": "non"}))) == [
        "Clause sociale oubliée",
        "Délais d'analyse",
    ]
    assert _titles(client.get(LIST, {"status": "closed"})) == ["Clause sociale oubliée"]
    assert sorted(_titles(client.get(LIST, {"running": "true"}))) == [
        "Délais d'analyse",
        "Pièces du DCE manquantes",
    ]
    assert _titles(client.get(LIST, {"kind": "improvement"})) == ["Délais d'analyse"]
    assert _titles(client.get(LIST, {"stage_code": "dce"})) == ["Clause sociale oubliée"]
    assert _titles(client.get(LIST, {"owner": referent.pk})) == [late.title]
    assert _titles(client.get(LIST, {"q": "linge"})) == ["Délais d'analyse"]  # the project's object
    page = client.get(LIST, {"late": "true"}).content.decode()
    assert "En retard" in page  # said in words, not by colour alone
    assert client.get(LIST, {"late": "peut-être"}).context["filter"].errors["late"]


def test_the_list_exports_csv_and_xlsx(client, buyer, referent, own_project):
    make_action(
        buyer, owner=referent, title="=Formule piégée", project=own_project, due_on=timezone.localdate()
    )
    client.force_login(buyer)
    response = client.get(LIST, {"export": "csv"})
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Numéro", "Nature", "Intitulé", "Constat", "Étape de la cartographie", "Projet", "Contrat", "Pilote",
        "Échéance", "État", "En retard", "Close le", "Résultat", "Déclarée par",
    ]  # fmt: skip
    action = ImprovementAction.objects.get()
    assert rows[1][:3] == [str(action.pk), "Non-conformité", "'=Formule piégée"]
    assert rows[1][5] == "Linge hôtelier"
    assert rows[1][7:11] == [str(referent), timezone.localdate().isoformat(), "Ouverte", "Non"]
    assert rows[1][13] == str(buyer)
    xlsx = client.get(LIST, {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.getvalue())).active
    assert [cell.value for cell in sheet[1]][:3] == ["Numéro", "Nature", "Intitulé"]
    assert sheet.max_row == 2


def test_a_referent_lists_his_scope_only(client, buyer, referent, own_project, other_project):
    make_action(buyer, owner=buyer, title="Chez lui", project=own_project)
    make_action(buyer, owner=buyer, title="Ailleurs", project=other_project)
    make_action(buyer, owner=referent, title="Confiée à lui", project=other_project)
    client.force_login(referent)
    response = client.get(LIST)
    assert sorted(_titles(response)) == ["Chez lui", "Confiée à lui"]
    assert response.context["create_url_name"] == ""  # he reads the log, does not record in it


def test_the_create_page_opened_from_a_project(client, buyer, referent, own_project):
    client.force_login(buyer)
    url = reverse("steering:improvement_create")
    form = client.get(url, {"project": own_project.pk, "stage": "analyse"}).context["form"]
    assert form.initial["project"] == own_project.pk
    assert form.initial["stage_code"] == "analyse"
    assert form.initial["owner"] == buyer
    ignored = client.get(url, {"project": "abc", "stage": "inconnue"}).context["form"]
    assert "project" not in ignored.initial and "stage_code" not in ignored.initial
    response = client.post(
        url,
        {
            "kind": "non_conformity",
            "title": "Critères non pondérés",
            "project": own_project.pk,
            "stage_code": "analyse",
            "owner": referent.pk,
            "due_on": "2031-06-30",
        },
    )
    action = ImprovementAction.objects.get()
    assert response.status_code == 302 and response["Location"] == action.get_absolute_url()
    assert (action.project, action.stage_code, action.created_by) == (own_project, "analyse", buyer)
    assert Notification.objects.filter(recipient=referent).count() == 1


def test_the_create_page_says_what_an_action_must_be_about(client, buyer):
    client.force_login(buyer)
    response = client.post(
        reverse("steering:improvement_create"),
        {"kind": "improvement", "title": "Sans rattachement", "owner": buyer.pk, "due_on": "2031-06-30"},
    )
    assert response.status_code == 200
    assert "étape de la cartographie, projet ou contrat" in response.content.decode()
    assert not ImprovementAction.objects.exists()


def test_the_edit_page_carries_the_version(client, buyer, role_users):
    action = make_action(buyer, owner=buyer)
    url = reverse("steering:improvement_update", args=[action.pk])
    client.force_login(buyer)
    form = client.get(url).context["form"]
    assert form["version"].value() == action.version
    data = {
        "kind": "corrective",
        "title": "Grille corrigée",
        "stage_code": "analyse",
        "owner": buyer.pk,
        "due_on": "2031-07-31",
        "version": action.version,
    }
    # Someone else changed it meanwhile: the page answers 409 and names what changed.
    improvement_transition(actor=role_users[Role.CONTROLLER], action=action, name="start")
    conflict = client.post(url, data)
    assert conflict.status_code == 409
    assert "a été modifiée par" in conflict.content.decode()
    data["version"] = ImprovementAction.objects.get().version
    assert client.post(url, data).status_code == 302
    action.refresh_from_db()
    assert (action.title, action.kind, action.status) == ("Grille corrigée", "corrective", "in_progress")


def _buttons(response) -> list[str]:
    return [move.name for move in response.context["moves"]]


def test_the_detail_shows_the_buttons_of_each_person(client, buyer, referent, role_users, own_project):
    action = make_action(buyer, owner=referent, project=own_project)
    url = action.get_absolute_url()
    client.force_login(buyer)
    page = client.get(url)
    assert _buttons(page) == ["start", "close", "cancel"]
    html = page.content.decode()
    assert "Prendre en charge" in html and "Commentaire pour « Clore l&#x27;action » (obligatoire)" in html
    assert "Création" in html and "Historique des modifications" in html
    client.force_login(referent)  # the owner moves it forward only
    assert _buttons(client.get(url)) == ["start", "close"]
    client.force_login(role_users[Role.GOVERNANCE])
    reader = client.get(url)
    assert _buttons(reader) == [] and "Aucune action de suivi" in reader.content.decode()


def test_the_owner_closes_from_the_page(client, buyer, referent, own_project):
    action = make_action(buyer, owner=referent, project=own_project)
    url = reverse("steering:improvement_transition", args=[action.pk])
    client.force_login(referent)
    client.post(url, {"move": "close", "comment": ""})
    action.refresh_from_db()
    assert action.status == "open"  # refused: the comment is the outcome
    response = client.post(url, {"move": "close", "comment": "Grille revue."}, follow=True)
    action.refresh_from_db()
    assert (action.status, action.outcome) == ("closed", "Grille revue.")
    assert "L&#x27;action est maintenant : close." in response.content.decode()


def test_outside_the_scope_an_action_is_not_found(client, buyer, referent, other_project):
    action = make_action(buyer, owner=buyer, project=other_project)
    client.force_login(referent)
    assert client.get(action.get_absolute_url()).status_code == 404
    transition = reverse("steering:improvement_transition", args=[action.pk])
    assert client.post(transition, {"move": "start"}).status_code == 404


def test_project_and_contract_pages_list_open_actions_and_offer_the_report_link(
    client, buyer, referent, support, hospital, own_project
):
    contract = make_contract(buyer=support, available_to=[hospital])
    make_action(buyer, owner=buyer, title="Retard de notification", project=own_project)
    closed = make_action(buyer, owner=buyer, title="Déjà traitée", project=own_project)
    improvement_transition(actor=buyer, action=closed, name="close", comment="Fait.")
    make_action(buyer, owner=buyer, title="Livraisons en retard", contract=contract)
    client.force_login(buyer)
    project_page = client.get(own_project.get_absolute_url()).content.decode()
    assert "Retard de notification" in project_page and "Déjà traitée" not in project_page
    assert f"{reverse('steering:improvement_create')}?project={own_project.pk}" in project_page
    contract_page = client.get(contract.get_absolute_url()).content.decode()
    assert "Livraisons en retard" in contract_page
    assert f"{reverse('steering:improvement_create')}?contract={contract.pk}" in contract_page
    client.force_login(referent)  # reads the actions, does not record them
    project_page = client.get(own_project.get_absolute_url()).content.decode()
    assert "Retard de notification" in project_page and "Signaler une non-conformité" not in project_page


def test_the_card_counts_and_links_to_the_list():
    html = render_to_string(
        "www/steering/includes/improvements_card.html", {"improvements": {"open": 4, "late": 1, "mine": 2}}
    )
    text = " ".join(html.split())
    assert "4 actions d'amélioration ouvertes</a>, dont" in text
    assert f'<a href="{LIST}?late=true">1 en retard</a>' in text
    assert f'href="{LIST}?running=true"' in text
    assert "Vous en pilotez 2." in text
    none_late = render_to_string(
        "www/steering/includes/improvements_card.html", {"improvements": {"open": 1, "late": 0, "mine": 0}}
    )
    assert "1 action d'amélioration ouverte</a>, aucune en retard." in " ".join(none_late.split())
