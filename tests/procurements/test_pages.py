"""Project pages: list and exports, board, my tasks, the project page with its stage panel, the form,
the transition form and the process map page."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from mutualis.contracts.enums import Procedure
from mutualis.organisations.roles import Role
from mutualis.procurements.models import Lot, ProcessMap, Project, ProjectStatus, StageCode
from mutualis.procurements.services import (
    lot_save,
    process_map_draft,
    process_map_publish,
    project_transition,
)
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.contracts.factories import make_contract
from tests.helpers import read_xlsx
from tests.organisations.factories import MembershipFactory
from tests.procurements.factories import LAUNCH, new_project, project_awarded, walk_to


def rows_of(response):
    return [row.record for row in response.context["table"].paginated_rows]


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _not_late(project):
    Project.objects.filter(pk=project.pk).update(stage_due_on=timezone.localdate() + timedelta(days=5))


def test_list_shows_flags_as_text_and_links(client, team, project):
    client.force_login(team[0])
    response = client.get(reverse("procurements:project_list"))
    assert rows_of(response) == [project]
    page = response.content.decode()
    assert project.reference in page and project.get_absolute_url() in page
    assert "En retard" in page  # created on LAUNCH, its first stage is overdue today
    assert "Appel d&#x27;offres ouvert" in page
    for url in ("board", "my_tasks", "process_map", "project_create"):
        assert reverse(f"procurements:{url}") in page
    assert "Nouveau projet" in page


def test_list_filters(client, team, other_hospital, project):
    buyer = team[0]
    urgent = new_project(
        buyer, entities=[other_hospital], is_emergency=True, emergency_justification="Inondation du bloc.",
        contract_procedure=Procedure.NO_COMPETITION, object="Réfection du bloc",
    )  # fmt: skip
    _not_late(urgent)
    client.force_login(buyer)
    url = reverse("procurements:project_list")
    assert rows_of(client.get(url, {"late": "true"})) == [project]
    assert rows_of(client.get(url, {"late": "false"})) == [urgent]
    assert rows_of(client.get(url, {"is_emergency": "true"})) == [urgent]
    assert rows_of(client.get(url, {"entity": other_hospital.pk})) == [urgent]
    assert rows_of(client.get(url, {"buyer": buyer.pk})) == [project]
    assert rows_of(client.get(url, {"family": project.family_id})) == [project]
    assert rows_of(client.get(url, {"stage": StageCode.SOURCING})) == []
    assert set(rows_of(client.get(url, {"stage": StageCode.NEED}))) == {project, urgent}
    assert rows_of(client.get(url, {"q": "bloc"})) == [urgent]
    assert rows_of(client.get(url, {"status": ProjectStatus.CLOSED})) == []
    assert "Urgence impérieuse" in client.get(url, {"is_emergency": "true"}).content.decode()


def test_list_exports_csv_and_xlsx(client, team, project):
    client.force_login(team[0])
    url = reverse("procurements:project_list")
    response = client.get(url, {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    lines = response.getvalue().decode("utf-8").lstrip("\ufeff").strip().splitlines()
    assert lines[0].startswith("Référence;Objet;Famille (code);Étape;Échéance de l'étape;En retard;")
    assert len(lines) == 2 and project.reference in lines[1] and ";Oui;" in lines[1]
    rows = read_xlsx(client.get(url, {"export": "xlsx"}).getvalue())
    header, row = rows[0], rows[1]
    assert header[:3] == ["Référence", "Objet", "Famille (code)"]
    record = dict(zip(header, row, strict=True))
    assert record["Objet"] == project.object
    assert record["Étape"] == "Analyse du besoin"
    assert record["Procédure retenue"] == "Appel d'offres ouvert"
    assert record["Urgence impérieuse"] == "Non"
    assert str(team[0]) == record["Acheteur en charge"]


def test_referent_sees_only_the_projects_of_their_entity(client, role_users, team, hospital, other_hospital):
    mine = new_project(team[0], entities=[hospital])
    other = new_project(team[0], entities=[other_hospital])
    client.force_login(role_users[Role.REFERENT])
    assert rows_of(client.get(reverse("procurements:project_list"))) == [mine]
    assert client.get(reverse("procurements:project_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("procurements:project_detail", args=[other.pk])).status_code == 404
    board = client.get(reverse("procurements:board"))
    assert [p for c in board.context["columns"] for p in c.projects] == [mine]
    export = client.get(reverse("procurements:project_list"), {"export": "csv"}).getvalue().decode()
    assert mine.object in export and other.reference not in export


def _count(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


def test_board_groups_by_stage_code_across_map_versions(client, team, role_users, hospital, project):
    buyer, legal = team
    project = walk_to(project, StageCode.STRATEGY, buyer=buyer, legal=legal)
    v1 = ProcessMap.objects.current()
    admin = role_users[Role.ADMIN]
    process_map_publish(actor=admin, draft=process_map_draft(actor=admin, source=v1))
    newer = new_project(buyer, entities=[hospital], object="Sur la nouvelle version")
    assert newer.process_map != project.process_map
    client.force_login(buyer)
    response = client.get(reverse("procurements:board"))
    columns = {c.code: c.projects for c in response.context["columns"]}
    assert list(columns)[:3] == [StageCode.NEED, StageCode.SOURCING, StageCode.STRATEGY]
    assert columns[StageCode.NEED] == [newer] and columns[StageCode.STRATEGY] == [project]
    page = response.content.decode()
    assert 'id="etape-strategie"' in page and "En retard" in page
    assert 'role="region" aria-label=' in page
    only = client.get(reverse("procurements:board"), {"stage": StageCode.STRATEGY}).context["columns"]
    assert [(c.code, c.projects) for c in only] == [(StageCode.STRATEGY, [project])]
    family = client.get(reverse("procurements:board"), {"family": newer.family_id}).context["columns"]
    assert [p for c in family for p in c.projects] == [newer]


def test_board_and_tasks_queries_do_not_grow_with_projects(
    client, team, hospital, django_assert_max_num_queries
):
    buyer = team[0]
    family = PurchaseFamilyFactory()
    for n in range(2):
        new_project(buyer, entities=[hospital], buyer=buyer, family=family, object=f"Projet {n}")
    client.force_login(buyer)
    urls = [reverse("procurements:board"), reverse("procurements:my_tasks")]
    few = [_count(client, url) for url in urls]
    for n in range(2, 15):
        new_project(buyer, entities=[hospital], buyer=buyer, family=family, object=f"Projet {n}")
    for url, queries in zip(urls, few, strict=True):
        with django_assert_max_num_queries(queries):
            response = client.get(url)
        assert "Projet 14" in response.content.decode()


def test_my_tasks_lists_what_waits_for_me_soonest_first(client, team, support, hospital, project):
    buyer, legal = team
    later = new_project(buyer, entities=[hospital], buyer=buyer, object="Plus tard")
    Project.objects.filter(pk=later.pk).update(stage_due_on=project.stage_due_on + timedelta(days=30))
    colleague = MembershipFactory(entity=support, role=Role.BUYER).user
    someone_elses = new_project(buyer, entities=[hospital], buyer=colleague, object="Pas le mien")
    client.force_login(buyer)
    response = client.get(reverse("procurements:my_tasks"))
    assert rows_of(response) == [project, later]
    assert someone_elses not in rows_of(response)
    page = response.content.decode()
    assert "Recueillir et reformuler le besoin" in page  # what the stage expects
    assert "En retard" in page
    csv = client.get(reverse("procurements:my_tasks"), {"export": "csv"}).getvalue().decode()
    assert project.reference in csv and "Ce qui est attendu" in csv
    client.force_login(legal)  # the need analysis is run by the buyer
    assert rows_of(client.get(reverse("procurements:my_tasks"))) == []


def test_menu_offers_my_tasks_to_the_team(client, role_users):
    for role, shown in ((Role.BUYER, True), (Role.LEGAL_OFFICER, True), (Role.REFERENT, False)):
        client.force_login(role_users[role])
        page = client.get(reverse("www:home")).content.decode()
        assert (">Mes tâches</a>" in page) is shown


def test_project_page_shows_fields_stage_panel_and_timeline(client, team, project):
    buyer, legal = team
    client.force_login(buyer)
    page = client.get(project.get_absolute_url()).content.decode()
    assert escape(project.procedure_explanation) in page and escape(project.thresholds_version) not in page
    assert "seuils en vigueur au 1er avril 2026 (" in page  # the version written as a sentence
    assert "Ce qu'il reste à faire" in page
    assert "Tout est prêt" in page
    assert 'value="advance"' in page and 'value="abandon"' in page
    assert 'value="send_back"' not in page  # first stage
    assert "Prévisions" in page and "Historique des modifications" in page
    assert reverse("procurements:project_update", args=[project.pk]) in page
    project = walk_to(project, StageCode.SOURCING, buyer=buyer, legal=legal)
    page = client.get(project.get_absolute_url()).content.decode()
    assert 'value="send_back"' in page
    assert "Étape validée" in page and "Analyse du besoin → Sourcing et benchmark" in page


def test_emergency_is_shown_at_the_top(client, team, hospital):
    project = new_project(
        team[0], entities=[hospital], is_emergency=True, emergency_justification="Inondation du bloc.",
        contract_procedure=Procedure.NO_COMPETITION,
    )  # fmt: skip
    client.force_login(team[0])
    page = client.get(project.get_absolute_url()).content.decode()
    assert page.index("Urgence impérieuse (R2122-1)") < page.index("Objet et périmètre")
    assert "Inondation du bloc." in page


@pytest.mark.parametrize("role", [Role.LEGAL_OFFICER, Role.GOVERNANCE, Role.REFERENT])
def test_no_action_form_for_who_may_not_act(client, role_users, project, role):
    client.force_login(role_users[role])
    page = client.get(project.get_absolute_url()).content.decode()
    assert reverse("procurements:project_transition", args=[project.pk]) not in page
    assert "Ce qu'il reste à faire" not in page


def test_transition_form_advances_the_project(client, team, project):
    client.force_login(team[0])
    url = reverse("procurements:project_transition", args=[project.pk])
    response = client.post(url, {"action": "advance", "comment": "Besoin validé avec les services."})
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    project.refresh_from_db()
    assert project.stage.code == StageCode.SOURCING
    assert messages_of(response) == ["Le projet est passé à l'étape « Sourcing et benchmark »."]
    assert project.transitions.get().comment == "Besoin validé avec les services."
    assert client.get(url).status_code == 405


def test_transition_refused_shows_each_precondition(client, team, hospital):
    project = new_project(team[0], entities=[hospital])  # no buyer entity, nobody in charge
    client.force_login(team[0])
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Désignez le juriste en charge." in page  # announced on the stage panel
    response = client.post(
        reverse("procurements:project_transition", args=[project.pk]), {"action": "advance"}
    )
    assert response.status_code == 302
    shown = messages_of(response)
    assert "Indiquez l'entité acheteuse." in shown
    assert "Désignez l'acheteur en charge." in shown and "Désignez le juriste en charge." in shown
    project.refresh_from_db()
    assert project.stage.code == StageCode.NEED
    response = client.post(
        reverse("procurements:project_transition", args=[project.pk]), {"action": "abandon"}
    )
    assert "Un commentaire est obligatoire pour cette action." in messages_of(response)


@pytest.mark.parametrize("role", [Role.LEGAL_OFFICER, Role.GOVERNANCE, Role.REFERENT])
def test_transition_refused_to_other_roles(client, role_users, project, role):
    client.force_login(role_users[role])
    response = client.post(
        reverse("procurements:project_transition", args=[project.pk]), {"action": "advance"}
    )
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.stage.code == StageCode.NEED and not project.transitions.exists()


def test_abandon_through_the_form(client, team, project):
    client.force_login(team[0])
    url = reverse("procurements:project_transition", args=[project.pk])
    response = client.post(url, {"action": "abandon", "comment": "Besoin disparu."})
    assert messages_of(response) == ["Le projet est désormais sans suite."]
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Projet sans suite" in page and 'value="advance"' not in page
    assert reverse("procurements:project_update", args=[project.pk]) not in page


def _form_data(family, support, hospital, team, **changes):
    buyer, legal = team
    data = {
        "object": "Gants d'examen",
        "family": family.pk,
        "cpv": "33141000",
        "estimated_value": "300000",
        "entities": [hospital.pk],
        "buyer_entity": support.pk,
        "buyer": buyer.pk,
        "legal_officer": legal.pk,
        "contract_procedure": "",
        "planned_launch_quarter": "2027-T1",
        "ccag": "Fournitures courantes et services",
        "price_form": "Unitaire",
        "price_types": ["Définitif révisable"],
        "duration_months": "12",
        "renewal_count": "3",
        "renewal_period_months": "12",
        "environmental_condition": "on",
        "social_condition": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_create_project_through_the_form(client, team, support, hospital):
    client.force_login(team[0])
    url = reverse("procurements:project_create")
    page = client.get(url).content.decode()
    assert "<legend" in page and "Entités concernées" in page
    response = client.post(url, _form_data(PurchaseFamilyFactory(), support, hospital, team))
    project = Project.objects.get()
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    assert project.procedure == "procedure_formalisee" and project.procedure_explanation
    assert project.contract_procedure == Procedure.OPEN
    assert project.stage.code == StageCode.NEED and project.process_map == ProcessMap.objects.current()
    assert list(project.entities.all()) == [hospital]
    assert project.cpv_id == "33141000" and project.price_types == ["Définitif révisable"]
    assert project.lots.count() == 1 and project.created_by == team[0]


def test_service_error_lands_on_its_field(client, team, support, hospital):
    client.force_login(team[0])
    data = _form_data(PurchaseFamilyFactory(), support, hospital, team, contract_procedure=Procedure.ADAPTED)
    response = client.post(reverse("procurements:project_create"), data)
    assert response.status_code == 200 and not Project.objects.exists()
    form = response.context["form"]
    assert "procédure moins exigeante" in " ".join(form.errors["procedure_override_reason"])
    assert 'href="#id_procedure_override_reason"' in response.content.decode()


def test_emergency_without_justification_is_explained_on_its_field(client, team, support, hospital):
    client.force_login(team[0])
    data = _form_data(PurchaseFamilyFactory(), support, hospital, team, is_emergency="on")
    response = client.post(reverse("procurements:project_create"), data)
    assert "R2122-1" in " ".join(response.context["form"].errors["emergency_justification"])


def test_form_checks_the_typed_values(client, team, support, hospital):
    client.force_login(team[0])
    data = _form_data(
        PurchaseFamilyFactory(), support, hospital, team, cpv="99999999", planned_launch_quarter="T1"
    )
    errors = client.post(reverse("procurements:project_create"), data).context["form"].errors
    assert set(errors) == {"cpv", "planned_launch_quarter"}


def test_update_project_and_refusal_once_closed(client, team, support, hospital, project):
    client.force_login(team[0])
    url = reverse("procurements:project_update", args=[project.pk])
    data = _form_data(
        project.family, support, hospital, team, object="Gants nitrile", estimated_value="90000"
    )
    response = client.post(url, {**data, "version": project.version})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.object == "Gants nitrile" and project.procedure == "procedure_adaptee"
    project = project_transition(
        actor=team[0], project=project, action="abandon", comment="Abandon", today=LAUNCH
    )
    response = client.post(url, {**data, "version": project.version})
    assert response.status_code == 200
    assert "il ne change plus" in " ".join(response.context["form"].non_field_errors())
    assert "ne peut plus être modifié" in client.get(url).content.decode()


def test_contract_page_links_back_to_its_project(client, team, project):
    buyer, legal = team
    project = walk_to(project, StageCode.EXECUTION, buyer=buyer, legal=legal)
    contract = project.lots.get().contract
    client.force_login(buyer)
    page = client.get(contract.get_absolute_url()).content.decode()
    assert "Projet d'achat d'origine" in page and project.get_absolute_url() in page
    project_page = client.get(project.get_absolute_url()).content.decode()
    assert "Contrats issus du projet" in project_page and contract.get_absolute_url() in project_page


def test_contract_without_project_has_no_link(client, team, support):
    client.force_login(team[0])
    page = client.get(make_contract(buyer=support).get_absolute_url()).content.decode()
    assert "Projet d'achat d'origine" not in page


def test_process_map_page(client, role_users, project):
    client.force_login(role_users[Role.PRESCRIBER])
    response = client.get(reverse("procurements:process_map"))
    page = response.content.decode()
    assert "<caption>" in page and '<th scope="row">Analyse du besoin</th>' in page
    assert "sans échéance" in page  # the execution follow-up has no due date
    assert "Acheteur de la cellule achats" in page and "Oui" in page
    assert [(v.version, v.project_count) for v in response.context["versions"]] == [(1, 1)]
    assert "Préparer une nouvelle version" not in page
    client.force_login(role_users[Role.ADMIN])
    assert "Préparer une nouvelle version" in client.get(reverse("procurements:process_map")).content.decode()


def test_an_administrator_drafts_adjusts_and_publishes_a_new_map_version(client, role_users, project, team):
    admin, first = role_users[Role.ADMIN], project.process_map
    client.force_login(team[0])
    assert client.post(reverse("procurements:process_map_draft_create")).status_code == 403
    client.force_login(admin)
    response = client.post(reverse("procurements:process_map_draft_create"))
    draft = ProcessMap.objects.get(published_at__isnull=True)
    assert response.url == reverse("procurements:process_map_draft", args=[draft.pk])
    page = client.get(response.url)
    formset = page.context["formset"]
    data = {f"etapes-{key}": value for key, value in formset.management_form.initial.items()}
    for index, form in enumerate(formset.forms):
        stage = form.instance
        data.update({
            f"etapes-{index}-id": stage.pk,
            f"etapes-{index}-position": stage.position,
            f"etapes-{index}-label": stage.label,
            f"etapes-{index}-responsible_role": stage.responsible_role,
            f"etapes-{index}-expected_days": 45 if stage.code == StageCode.SOURCING else stage.expected_days,
            f"etapes-{index}-description": stage.description,
            f"etapes-{index}-procedures": stage.procedures,
        })  # fmt: skip
    wrong = {**data, "etapes-0-responsible_role": Role.GOVERNANCE}
    refused = client.post(response.url, wrong)
    assert refused.status_code == 400 and "responsible_role" in refused.context["formset"].forms[0].errors
    assert client.post(response.url, data).status_code == 302
    assert draft.stages.get(code=StageCode.SOURCING).expected_days == 45
    assert ProcessMap.objects.current() == first  # not before it is published
    client.post(reverse("procurements:process_map_publish", args=[draft.pk]))
    assert ProcessMap.objects.current() == draft
    assert first.stages.get(code=StageCode.SOURCING).expected_days != 45  # the running project's version
    frozen = client.post(response.url, data)
    assert frozen.status_code == 400
    assert "est publiée" in " ".join(str(m) for m in frozen.context["messages"])


def test_a_crowded_board_column_shows_the_most_urgent_and_links_to_the_list(
    client, team, hospital, monkeypatch
):
    from mutualis.www.procurements import board

    monkeypatch.setattr(board, "CARDS_PER_COLUMN", 2)
    buyer = team[0]
    projects = [new_project(buyer, entities=[hospital], object=f"Projet {n}") for n in range(3)]
    Project.objects.filter(pk=projects[2].pk).update(
        stage_due_on=projects[0].stage_due_on - timedelta(days=5)
    )
    client.force_login(buyer)
    response = client.get(reverse("procurements:board"))
    need = response.context["columns"][0]
    assert (need.total, need.hidden) == (3, 1)
    assert need.projects[0] == projects[2]  # the most urgent first
    page = response.content.decode()
    assert "1 de plus : voir les 3 projets" in page and "?stage=besoin&amp;status=in_progress" in page


def test_project_page_lists_the_decisions_on_its_lots(client, team, support, hospital):
    buyer, legal = team
    project = project_awarded(buyer=buyer, legal=legal, entities=[hospital], buyer_entity=support)
    client.force_login(buyer)
    page = client.get(project.get_absolute_url()).content.decode()
    section = page[page.index("Décisions sur les lots") :]
    assert "Attribution" in section and "En consultation → Attribué" in section
    assert escape(str(legal)) in section  # the legal officer awarded it (factories.prepare)


def test_project_page_queries_do_not_grow_with_awarded_lots(client, team, support, hospital):
    buyer, legal = team

    def awarded_project(lots):
        project = new_project(buyer, entities=[hospital], value="300000", buyer=buyer, legal_officer=legal,
                              buyer_entity=support)  # fmt: skip
        for number in range(2, lots + 1):
            lot_save(actor=buyer, lot=Lot(project=project, title=f"Lot {number}", estimated_value=100000))
        return walk_to(project, StageCode.NOTIFICATION, buyer=buyer, legal=legal)

    client.force_login(buyer)

    def queries_on(project):
        assert project.lots.filter(status="awarded").count() == project.lots.count()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(project.get_absolute_url()).status_code == 200
        return len(queries)

    assert queries_on(awarded_project(3)) == queries_on(awarded_project(1))
