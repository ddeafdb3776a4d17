"""The ready-made states the factories give are the states they claim, reached through the services."""

from decimal import Decimal

from mutualis.procurements.analysis import project_analysis
from mutualis.procurements.models import LotStatus, StageCode
from tests.contracts.factories import contract_with_amendments
from tests.procurements.factories import project_awarded, project_in_analysis


def test_project_in_analysis_has_three_scored_offers(team, support, hospital):
    buyer, legal = team
    project = project_in_analysis(buyer=buyer, legal=legal, entities=[hospital], buyer_entity=support)
    assert project.stage.code == StageCode.ANALYSIS
    [analysis] = project_analysis(project)[1]
    assert len(analysis.offers) == 3
    assert all(row.total is not None for row in analysis.offers)
    assert analysis.best.offer.price == Decimal("100000")  # cheapest and well rated: ranked first


def test_project_awarded_has_its_contract_in_the_registry(team, support, hospital):
    buyer, legal = team
    project = project_awarded(buyer=buyer, legal=legal, entities=[hospital], buyer_entity=support)
    assert project.stage.code == StageCode.NOTIFICATION
    lot = project.lots.get()
    assert lot.status == LotStatus.AWARDED and lot.contract is not None
    assert lot.contract.notification_date is None  # notified only after the standstill
    assert list(lot.contract.available_to.all()) == [hospital]


def test_contract_with_amendments_dates_them_on_distinct_days(support):
    contract = contract_with_amendments(buyer=support, changes=(("5000", 0), ("2500", 6), ("0", 3)))
    amendments = list(contract.amendments.order_by("number"))
    assert [a.number for a in amendments] == [1, 2, 3]
    assert len({a.notified_on for a in amendments}) == 3
    assert sum(a.amount_change for a in amendments) == Decimal("7500")
    assert sum(a.duration_change_months or 0 for a in amendments) == 9
