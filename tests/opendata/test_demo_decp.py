"""The demo's DECP export, read the way the national pipeline reads it: nothing left out that the
procurement pipeline created, and every contract's current amount and duration come through whole."""

from decimal import Decimal

import pytest
from django.db.models import Count

from mutualis.contracts.models import Amendment, Contract
from mutualis.opendata.exports import ocds
from mutualis.opendata.exports.decp import export_decp
from mutualis.procurements.models import Lot

from .national_pipeline import lost_contracts

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_for_module")]


@pytest.fixture(scope="module")
def export(demo_for_module, django_db_blocker):
    with django_db_blocker.unblock():
        return export_decp()


def test_no_contract_of_the_procurement_pipeline_is_left_out(export):
    assert export.is_valid, export.errors[:3]
    pipeline = set(
        Lot.objects.filter(contract__notification_date__isnull=False).values_list("contract_id", flat=True)
    )
    assert len(pipeline) >= 5
    left_out = {item.contract_id: item.reason for item in export.left_out}
    assert {pk: left_out[pk] for pk in pipeline & left_out.keys()} == {}


def test_no_contract_of_the_demo_has_two_amendments_the_same_day():
    assert Amendment.objects.count() >= 20
    same_day = Amendment.objects.values("contract", "notified_on").annotate(n=Count("id")).filter(n__gt=1)
    assert list(same_day) == []


def test_the_national_pipeline_rule_loses_nothing(export):
    registry = {}
    for contract in Contract.objects.select_related("buyer").prefetch_related("amendments"):
        amendments = list(contract.amendments.all())
        amount = contract.amount + sum((a.amount_change or 0 for a in amendments), Decimal(0))
        months = contract.duration_months + sum(a.duration_change_months or 0 for a in amendments)
        registry[contract.uid] = (amount, months)
    amended = [m for m in export.document["marches"]["marche"] if m.get("modifications")]
    assert len(amended) >= 10  # the rule is exercised on contracts with modifications
    assert lost_contracts(export.document, registry) == {}


def test_ocds_export_of_the_demo_signs_pipeline_contracts_on_their_signature_day():
    result = ocds.export_ocds()
    assert result.is_valid, result.errors[:3]
    awards = {r["ocid"]: r for r in result.package["releases"] if "award" in r["tag"]}
    lots = Lot.objects.filter(signed_on__isnull=False).select_related("contract__buyer")
    assert lots.exists()
    for lot in lots:
        signed = awards[ocds.ocid_of(lot.contract)]["contracts"][0]["dateSigned"]
        assert signed.startswith(lot.signed_on.isoformat()), (lot.contract.reference, signed)
    stamps = [(r["ocid"], r["date"]) for r in result.package["releases"]]
    assert len(set(stamps)) == len(stamps)  # one timestamp per release of a process
    assert {r["tender"].get("procurementMethod") for r in awards.values()} >= {"open", "selective"}
