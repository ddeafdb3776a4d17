"""A consultation from the project to the contract in the registry, through the services."""

from mutualis.contracts.models import Contract
from mutualis.notifications.models import Notification
from mutualis.organisations.roles import Role
from mutualis.procurements.models import ProjectStatus, StageCode
from tests.procurements.factories import new_project, walk_to


def test_open_tender_end_to_end_lands_in_the_registry(team, support, hospital, role_users):
    buyer, legal = team
    project = new_project(
        buyer, entities=[hospital], value="300000", buyer=buyer, legal_officer=legal, buyer_entity=support
    )
    assert project.contract_procedure == "Appel d'offres ouvert"
    assert project.stage.code == StageCode.NEED
    project = walk_to(project, StageCode.EXECUTION, buyer=buyer, legal=legal)
    codes = list(project.transitions.values_list("from_stage__code", flat=True))
    assert StageCode.NEGOTIATION not in codes  # no negotiation in an open tender
    lot = project.lots.get()
    contract = Contract.objects.get(pk=lot.contract_id)
    assert contract.procedure == "Appel d'offres ouvert"
    assert contract.offers_received == 3
    assert contract.holders.get() == lot.awarded_offer.supplier
    assert contract.notification_date is not None
    assert set(contract.available_to.all()) == {hospital}
    assert "Critère environnemental" in contract.environmental_considerations
    assert Contract.objects.usable_by_entities([hospital.pk]).filter(pk=contract.pk).exists()
    referent = role_users[Role.REFERENT]
    assert Notification.objects.filter(recipient=referent, url=contract.get_absolute_url()).exists()
    assert project.status == ProjectStatus.IN_PROGRESS
