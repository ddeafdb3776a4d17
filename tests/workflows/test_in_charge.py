"""Who runs a stage has one home (Project.in_charge): the page, "my tasks" and the workflow's roles
read it, at every stage of the map, for every role, with and without a person named."""

import pytest

from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Role
from mutualis.procurements.models import Project
from mutualis.procurements.services import PROJECT
from tests.procurements.factories import new_project


@pytest.mark.parametrize("named", [True, False], ids=["personnes nommées", "personne nommée"])
def test_my_tasks_and_the_stage_buttons_follow_the_person_in_charge(
    named, team, support, hospital, role_users
):
    buyer, legal = team
    people = {"buyer": buyer, "legal_officer": legal} if named else {}
    project = new_project(buyer, entities=[hospital], value="300000", buyer_entity=support, **people)
    for stage in project.process_map.stages.all():
        Project.objects.filter(pk=project.pk).update(stage=stage)
        project = Project.objects.select_related("stage", "buyer", "legal_officer").get(pk=project.pk)
        in_charge = project.in_charge
        assert in_charge.role == stage.responsible_role
        assert in_charge.person == people.get(stage.responsible_role)
        for role, user in role_users.items():
            holds = in_charge.role in access_for(user).roles
            expected = in_charge.person == user or (in_charge.person is None and holds)
            tasks = Project.objects.tasks_for(user)
            assert tasks.filter(pk=project.pk).exists() == expected, (stage.code, role)
            may_advance = PROJECT.transition("advance") in PROJECT.available(project, user)
            assert may_advance == (holds or role == Role.ADMIN), (stage.code, role)


def test_the_project_page_names_who_runs_the_stage(client, project, team):
    buyer, _ = team
    client.force_login(buyer)
    page = client.get(project.get_absolute_url()).content.decode()
    assert f"Acheteur de la cellule achats ({project.in_charge.person})" in page
