"""The award collects what the DECP 2.0.3 schema requires beyond the project: the place of execution."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mutualis.contracts.models import Contract
from mutualis.opendata.exports.decp import missing_fields
from mutualis.procurements.models import StageCode
from mutualis.procurements.services import lot_award
from tests.procurements.factories import LAUNCH, walk_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def awarding(team, project):
    buyer, legal = team
    return walk_to(project, StageCode.AWARD, buyer=buyer, legal=legal)


def _best(lot):
    return lot.offers.order_by("price").first()  # the cheapest is ranked first in these tests


def test_award_page_records_the_place_of_execution(login, team, awarding):
    lot = awarding.lots.get()
    client = login(team[1])
    url = reverse("procurements:lot_award", args=[lot.pk])
    assert 'name="execution_place_code" value="21231"' in client.get(url).content.decode()
    dates = {"awarded_on": "2026-10-01", "rejections_sent_on": "2026-10-02"}
    place = {"execution_place_code": "21", "execution_place_type": "Code département"}
    client.post(url, {"offer": _best(lot).pk, **dates, **place})
    lot.refresh_from_db()
    contract = lot.contract
    assert (contract.execution_place_code, contract.execution_place_type) == ("21", "Code département")
    assert missing_fields(contract) == []


def test_award_defaults_to_the_buyer_commune(team, awarding):
    lot = awarding.lots.get()
    contract = lot_award(
        actor=team[1], lot=lot, offer=_best(lot), awarded_on=LAUNCH, rejections_sent_on=LAUNCH
    )
    assert (contract.execution_place_code, contract.execution_place_type) == ("21231", "Code commune")
    assert missing_fields(contract) == []


def test_award_without_any_place_names_the_lot_and_field(team, awarding):
    awarding.buyer_entity.insee_code = ""
    awarding.buyer_entity.save()
    lot = awarding.lots.get()
    with pytest.raises(ValidationError) as caught:
        lot_award(actor=team[1], lot=lot, offer=_best(lot), awarded_on=LAUNCH, rejections_sent_on=LAUNCH)
    (message,) = caught.value.message_dict["execution_place_code"]
    assert str(lot) in message and "lieu d'exécution" in message
    assert not Contract.objects.exists()
