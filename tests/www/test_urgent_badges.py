"""Late things carry the same red badge, in words, in the lists as on the board and record pages."""

from datetime import date

import pytest
from django.urls import reverse

from mutualis.contracts.models import Contract
from mutualis.organisations.roles import Role
from mutualis.procurements.models import Project
from tests.contracts.factories import make_contract
from tests.procurements.factories import new_project

BADGE = '<span class="badge text-bg-danger">En retard</span>'


@pytest.mark.django_db
def test_registry_shows_late_decisions_and_sorts_by_next_due_date(login, role_users, support):
    later = make_contract(buyer=support, reference="C-LATER")
    late = make_contract(buyer=support, reference="C-LATE")
    none = make_contract(buyer=support, reference="C-NONE")
    Contract.objects.filter(pk=later.pk).update(decision_due_on=date(2099, 1, 1))
    Contract.objects.filter(pk=late.pk).update(decision_due_on=date(2020, 1, 1))
    Contract.objects.filter(pk=none.pk).update(decision_due_on=None, end_date=None)
    html = login(role_users[Role.BUYER]).get(reverse("contracts:contract_list")).content.decode()
    assert html.count(BADGE) == 1
    assert html.index("C-LATE<") < html.index("C-LATER") < html.index("C-NONE")


@pytest.mark.django_db
def test_project_list_and_my_tasks_show_late_projects(login, role_users, support, hospital):
    buyer = role_users[Role.BUYER]
    project = new_project(buyer, entities=[hospital], buyer=buyer, buyer_entity=support)
    Project.objects.filter(pk=project.pk).update(status="in_progress", stage_due_on=date(2020, 1, 1))
    client = login(buyer)
    assert BADGE in client.get(reverse("procurements:project_list")).content.decode()
    tasks = client.get(reverse("procurements:my_tasks")).content.decode()
    assert project.object in tasks and BADGE in tasks
