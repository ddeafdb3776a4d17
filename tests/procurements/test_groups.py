"""A member takes part in a group's procedure only once it has signed the convention (DAJ 2019: the
convention is in force before the launch; a late joiner cannot use a procedure already launched)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mutualis.organisations.models import GroupMembership, PurchasingGroup
from mutualis.procurements.models import Project
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.procurements.factories import LAUNCH, new_project
from tests.procurements.test_pages import _form_data


@pytest.fixture
def group(support, hospital, other_hospital):
    group = PurchasingGroup.objects.create(name="Groupement linge", coordinator=support)
    GroupMembership.objects.create(
        group=group, entity=hospital, decision_date=date(2026, 2, 1), signed_on=date(2026, 3, 1)
    )
    # Decided, signed only after the project's date (LAUNCH, 1 September 2026).
    GroupMembership.objects.create(
        group=group, entity=other_hospital, decision_date=date(2026, 2, 1), signed_on=date(2026, 10, 1)
    )
    return group


def test_a_group_project_refuses_a_member_not_signed_at_its_date(team, group, hospital, other_hospital):
    buyer, _ = team
    with pytest.raises(ValidationError) as caught:
        new_project(buyer, entities=[hospital, other_hospital], purchasing_group=group)
    assert caught.value.message_dict == {
        "entities": [
            "Autre centre hospitalier n'a pas signé la convention du groupement "
            "« Groupement linge » au 1 septembre 2026 ; enregistrez d'abord la signature."
        ]
    }
    project = new_project(buyer, entities=[hospital], purchasing_group=group)
    assert project.buyer_entity == group.coordinator
    assert date(2026, 10, 1) > LAUNCH


def test_the_project_form_shows_the_refusal_on_the_entities_field(
    client, team, support, group, hospital, other_hospital
):
    # Not launched yet: the project's date is today, and the member has not signed at all.
    GroupMembership.objects.filter(entity=other_hospital).update(signed_on=None)
    client.force_login(team[0])
    data = _form_data(PurchaseFamilyFactory(), support, hospital, team)
    data.update(purchasing_group=group.pk, entities=[hospital.pk, other_hospital.pk], buyer_entity="")
    response = client.post(reverse("procurements:project_create"), data)
    assert response.status_code == 200 and not Project.objects.exists()
    errors = " ".join(response.context["form"].errors["entities"])
    assert "Autre centre hospitalier n'a pas signé la convention du groupement" in errors
    assert "pas signé la convention du groupement" in response.content.decode()
