"""The member buyers' records, written to the registry by batch: what the record-by-record path gave."""

import copy
import json
from datetime import date
from decimal import Decimal

import pytest

from mutualis.contracts.models import Amendment, Contract, ContractHolder
from mutualis.contracts.services import contract_refresh_schedule
from mutualis.opendata.decp_import.service import import_decp
from mutualis.opendata.models import ExternalContract
from mutualis.steering.cube import cube_build
from mutualis.steering.models import ContractCell
from mutualis.suppliers.models import Supplier
from tests.contracts.factories import make_contract
from tests.opendata.test_decp_import import DEMATIS
from tests.organisations.factories import EntityFactory

pytestmark = pytest.mark.django_db

MEMBER = "80537661300016"


def _template() -> dict:
    """The one record of the member buyer in the shipped files: complete enough for the registry."""
    for path in DEMATIS:
        for record in json.loads(path.read_text(encoding="utf-8"))["marches"]["marche"]:
            if record["acheteur"]["id"] == MEMBER and record["id"] == "2019-006-02":
                return record
    raise AssertionError("the member's record is no longer in the shipped files")


def _record(reference: str, **changes) -> dict:
    record = copy.deepcopy(_template())
    record.update(id=reference, **changes)
    return record


def _write(tmp_path, name: str, records: list[dict]):
    path = tmp_path / name
    path.write_text(json.dumps({"marches": {"marche": records}}, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def member():
    return EntityFactory(name="Acheteur membre", siret=MEMBER)


def test_each_created_contract_holder_supplier_and_amendment_has_its_history_row(tmp_path, member):
    path = _write(tmp_path, "a.json", [_record("R-1"), _record("R-2", modifications=[])])
    result = import_decp([path])
    assert result.summary["counts"]["registry"] == 2 and result.summary["counts"]["created"] == 2
    contracts = Contract.objects.filter(buyer=member)
    assert contracts.count() == 2
    for contract in contracts:
        [row] = contract.history.all()
        # As contract_save from an import: a creation, by no one (no request), with no reason given.
        assert (row.history_type, row.history_user, row.history_change_reason) == ("+", None, None)
        assert row.reference == contract.reference and row.version == 1
        assert contract.end_date is not None  # the schedule is stored with the row
    links = ContractHolder.objects.filter(contract__buyer=member)
    assert links.count() == 8  # four holders each, the same four companies
    for link in links:
        assert [h.history_type for h in link.history.all()] == ["+"]
    # Suppliers new to the directory are created once for the batch, each with its history row.
    assert Supplier.objects.count() == 4
    assert Supplier.history.filter(history_type="+").count() == 4
    amendments = Amendment.objects.filter(contract__reference="R-1").order_by("number")
    assert [a.number for a in amendments] == [1, 2, 3]  # numbered in order, as amendment_add does
    assert amendments[0].data_published_on == date(2022, 8, 19)
    assert all(a.history.filter(history_type="+").count() == 1 for a in amendments)
    assert not Amendment.objects.filter(contract__reference="R-2").exists()


def test_a_bad_record_in_the_middle_of_a_batch_is_reported_and_the_others_stored(tmp_path, member):
    bad = _record("R-2", techniques={"technique": ["Technique inconnue"]})
    path = _write(tmp_path, "b.json", [_record("R-1"), bad, _record("R-3")])
    result = import_decp([path])
    counts = result.summary["counts"]
    assert (counts["registry"], counts["external"], counts["created"]) == (2, 1, 3)
    assert set(Contract.objects.values_list("reference", flat=True)) == {"R-1", "R-3"}
    [entry] = [e for e in result.entries if e.get("uid") == f"{MEMBER}R-2"]
    assert entry["record"] == 2
    [warning] = [w for w in entry["warnings"] if w.startswith("registre")]
    assert "techniques d'achat" in warning and "Technique inconnue" in warning
    # Kept with the external contracts, so nothing is lost.
    assert ExternalContract.objects.filter(uid=f"{MEMBER}R-2").exists()


def test_a_holder_the_directory_refuses_names_the_holder_and_writes_nothing_of_the_record(tmp_path, member):
    bad = _record("R-2", titulaires=[{"titulaire": {"typeIdentifiant": "SIRET", "id": "12345678901234"}}])
    path = _write(tmp_path, "c.json", [_record("R-1"), bad])
    result = import_decp([path])
    [entry] = [e for e in result.entries if e.get("uid") == f"{MEMBER}R-2"]
    assert any("titulaire SIRET 12345678901234" in w for w in entry["warnings"])
    assert not Supplier.objects.filter(identifier="12345678901234").exists()
    assert list(Contract.objects.values_list("reference", flat=True)) == ["R-1"]


def test_a_stored_contract_is_completed_with_its_new_modifications_never_duplicated(tmp_path, member):
    first = _write(tmp_path, "first.json", [_record("R-1", modifications=[])])
    import_decp([first])
    contract = Contract.objects.get(reference="R-1")
    again = _write(tmp_path, "again.json", [_record("R-1")])
    counts = import_decp([again]).summary["counts"]
    assert (counts["created"], counts["updated"], counts["registry"]) == (0, 1, 1)
    assert Contract.objects.filter(buyer=member).count() == 1
    amendments = list(contract.amendments.order_by("number"))
    assert [a.number for a in amendments] == [1, 2, 3]
    assert amendments[0].amount_change == Decimal("36855.00") - contract.amount
    end = contract.end_date
    contract.refresh_from_db()
    stored = (contract.end_date, contract.decision_due_on, contract.decision_kind)
    assert contract.end_date != end  # the second modification changes the duration
    assert contract_refresh_schedule(contract, save=False) and stored == (
        contract.end_date,
        contract.decision_due_on,
        contract.decision_kind,
    )  # what the service computes from the stored rows
    assert import_decp([again]).summary["counts"]["unchanged"] == 1
    assert contract.amendments.count() == 3


def test_a_contract_typed_in_the_registry_is_completed_by_its_publication(tmp_path, member):
    typed = make_contract(buyer=member, reference="R-9", notification_date=date(2020, 5, 15))
    path = _write(tmp_path, "d.json", [_record("R-9")])
    assert import_decp([path]).summary["counts"]["updated"] == 1
    assert Contract.objects.filter(reference="R-9").count() == 1
    assert typed.amendments.count() == 3
    typed.refresh_from_db()
    assert typed.object == "Fourniture de consommables médicaux"  # the typed values are kept


def test_the_steering_cube_counts_the_imported_contracts(tmp_path, member):
    cube_build()
    path = _write(tmp_path, "e.json", [_record("R-1"), _record("R-2")])
    import_decp([path])
    cells = ContractCell.objects.filter(buyer=member, year=2020)
    assert sum(cell.contracts for cell in cells) == 2
