"""The steering cube: the same figures as the contracts themselves, kept so by every kind of write, and
read only once it is built."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutualis.contracts.services import HolderInput, contract_mark_published, contract_save
from mutualis.organisations.roles import Role
from mutualis.steering.cube import cube_build, cube_refresh
from mutualis.steering.flags import flags_of_kind
from mutualis.steering.indicators import Scope, compute
from mutualis.steering.indicators.contracts import contract_breakdown
from mutualis.steering.indicators.series import contracts_by_year
from mutualis.steering.models import ContractCell, CubeBuild, HolderCell
from mutualis.suppliers.data_imports import supplier_data_import_file
from mutualis.suppliers.models import DataImportKind
from mutualis.suppliers.services import supplier_save
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.contracts.factories import make_contract
from tests.steering import dataset
from tests.suppliers.factories import SupplierFactory
from tests.suppliers.sirene_files import establishment, establishments, legal_unit, legal_units

KEY = ("year", "quarter", "buyer", "family", "procedure")
SCOPES = [Scope(2025), Scope(2024), *(Scope(2025, quarter) for quarter in (1, 2, 3, 4))]


@pytest.fixture
def data(support, hospital, other_hospital, role_users):
    built = dataset.build(
        support=support, hospital=hospital, other_hospital=other_hospital, buyer=role_users[Role.BUYER]
    )
    return SimpleNamespace(family=built["family"], contracts={c.reference: c for c in built["contracts"]})


@pytest.fixture
def director(role_users):
    return role_users[Role.ADMIN]


def _summed(rows) -> list:
    """Rows (key..., figures...) summed per key: a deleted family leaves two cells of one key behind
    (SET_NULL), which say the same as the one a full summing makes."""
    sums = {}
    for *key, figures in rows:
        sums[tuple(key)] = [
            a + b for a, b in zip(sums.get(tuple(key), [0] * len(figures)), figures, strict=True)
        ]
    return sorted(sums.items(), key=lambda item: [str(part) for part in item[0]])


def cells() -> tuple[list, list, list]:
    """Every cell, summed per key (the largest amount: the largest per key)."""
    summed = [name for name in ContractCell.SUMMED if name != "standalone_largest"]
    contract = ContractCell.objects.values_list(*KEY, *summed)
    largest = {}
    for *key, amount in ContractCell.objects.values_list(*KEY, "standalone_largest"):
        largest[tuple(key)] = max(
            [a for a in (largest.get(tuple(key)), amount) if a is not None], default=None
        )
    holder = HolderCell.objects.values_list(*KEY[:-1], "department", "size_category", "amount")
    return (
        _summed((*row[: len(KEY)], row[len(KEY) :]) for row in contract),
        sorted(largest.items(), key=lambda item: [str(part) for part in item[0]]),
        _summed((*row[:-1], [round(Decimal(row[-1]), 2)]) for row in holder),
    )


def assert_fresh() -> None:
    """The cells kept by the writes are those a full summing gives."""
    kept = cells()
    cube_refresh()
    assert cells() == kept


def figures(scope, user) -> dict:
    return {code: item.value for code, item in compute(scope, user).items()}


def live(action):
    """`action()` computed from the contracts: the cube unbuilt for the time of it."""
    built = list(CubeBuild.objects.all())
    CubeBuild.objects.all().delete()
    try:
        return action()
    finally:
        CubeBuild.objects.bulk_create(built)


def test_the_test_database_starts_with_a_built_cube(db):
    """Migrated with an empty registry, the cube is complete from the first contract on."""
    assert CubeBuild.objects.exists()


def test_the_cube_gives_the_figures_the_contracts_give(data, director, support):
    """Every indicator, for the year, the year before, each quarter, one buyer and one family; and the
    breakdowns and the five years' series."""
    assert ContractCell.objects.exists()
    assert_fresh()
    scopes = [*SCOPES, Scope(2025, entity=support), Scope(2025, family=data.family)]
    for scope in scopes:
        assert figures(scope, director) == live(lambda scope=scope: figures(scope, director)), scope
    for field in ("buyer", "family", "procedure"):
        assert contract_breakdown(Scope(2025), director, field) == live(
            lambda field=field: contract_breakdown(Scope(2025), director, field)
        )
    assert contracts_by_year(Scope(2025), director) == live(lambda: contracts_by_year(Scope(2025), director))


def test_the_hand_worked_figures_come_from_the_cube(data, director):
    """The figures test_indicators.py works by hand, read here from the cube alone: the contracts are
    gone from the cube's point of view once their cells are summed (a cell edited by hand shows)."""
    cell = ContractCell.objects.filter(year=2025).first()
    cell.contracts += 100
    cell.save()
    assert figures(Scope(2025), director)["contracts_notified"] == 104


def test_a_reader_of_some_entities_reads_the_contracts(data, role_users):
    """The cube sums the whole registry: a referent, who sees his entities' contracts, is not served from
    it (a cell edited by hand changes nothing for him)."""
    referent = role_users[Role.REFERENT]
    before = figures(Scope(2025), referent)
    ContractCell.objects.filter(year=2025).update(contracts=1000)
    assert figures(Scope(2025), referent) == before


def test_a_contract_edited_moves_between_cells(data, director, hospital, support):
    """Amount, year, buyer and family changed: the old cell loses it (C3 alone is left in the support's
    2025 cells of the family), the new one gets it."""
    contract = data.contracts["C1"]
    contract.amount = Decimal("123456.78")
    contract.notification_date = date(2024, 6, 1)
    contract.buyer = hospital
    contract.family = None
    contract.save()
    assert_fresh()
    assert figures(Scope(2025), director)["contracts_notified"] == 3
    left = ContractCell.objects.filter(year=2025, buyer=support, family=data.family)
    assert [(cell.contracts, cell.amount) for cell in left] == [(1, Decimal(50000))]
    assert ContractCell.objects.filter(year=2024, buyer=hospital, family=None, amount=Decimal("123456.78"))


def test_holders_changed_through_the_service(data, director):
    """C4's large company replaced by two SMEs: the SME share moves, through contract_save."""
    contract = data.contracts["C4"]
    smes = [SupplierFactory(size_category="PME"), SupplierFactory(size_category="PME")]
    before = figures(Scope(2025), director)["sme_amount_share"]
    contract_save(
        actor=None, contract=contract, holders=[HolderInput(supplier=s) for s in smes], available_to=[]
    )
    assert_fresh()
    assert figures(Scope(2025), director)["sme_amount_share"] > before


def test_a_supplier_s_size_and_commune_reach_the_cube(data, director):
    """A holder that becomes an SME, or moves into the territory, changes the shares at once."""
    before = figures(Scope(2025), director)
    large = data.contracts["C4"].holders.get()
    large.size_category = "PME"
    large.insee_code = "21231"
    supplier_save(actor=None, supplier=large)
    assert_fresh()
    after = figures(Scope(2025), director)
    assert after["sme_amount_share"] > before["sme_amount_share"]
    assert after["local_amount_share"] > before["local_amount_share"]


def test_a_sirene_import_reaches_the_cube(data, director, tmp_path):
    """The SIRENE import writes in bulk, without save(): the suppliers' signal refreshes the cells."""
    before = figures(Scope(2025), director)
    large = data.contracts["C4"].holders.get()
    units = legal_units(tmp_path / "ul", [legal_unit(large.identifier[:9], categorieEntreprise="PME")])
    etab = establishments(tmp_path / "etab", [establishment(large.identifier)])  # in Dijon (21231)
    for kind, path in ((DataImportKind.ESTABLISHMENTS, etab), (DataImportKind.LEGAL_UNITS, units)):
        supplier_data_import_file(kind=kind, path=path, data_date=date(2026, 10, 31))
    assert_fresh()
    after = figures(Scope(2025), director)
    assert after["sme_amount_share"] > before["sme_amount_share"]
    assert after["local_amount_share"] > before["local_amount_share"]


def test_a_publication_recorded_in_bulk_reaches_the_cube(data, director, role_users):
    """contract_mark_published writes without save(): the registry's signal refreshes the cells."""
    before = figures(Scope(2025), director)["decp_on_time_share"]
    contract_mark_published(
        actor=role_users[Role.BUYER], contracts=[data.contracts["C3"]], on=date(2025, 7, 1)
    )
    assert_fresh()
    assert figures(Scope(2025), director)["decp_on_time_share"] > before


def test_a_contract_deleted_and_a_family_deleted(data, director, support):
    data.contracts["C2"].delete()
    assert_fresh()
    family = PurchaseFamilyFactory()
    make_contract(buyer=support, family=family, notification_date=date(2025, 5, 5))
    family.delete()  # its contracts and their cells alike lose it (SET_NULL on both sides)
    assert_fresh()
    assert figures(Scope(2025), director) == live(lambda: figures(Scope(2025), director))


def test_a_contract_saved_with_its_holders_refreshes_its_cells_once(support):
    """The contract and each holder would each refresh the cells: the service batches them."""
    with CaptureQueriesContext(connection) as queries:
        make_contract(buyer=support, holders=[SupplierFactory(), SupplierFactory()])
    sql = [query["sql"] for query in queries.captured_queries]
    assert len([q for q in sql if q.startswith("DELETE") and "contractcell" in q]) == 1


def test_until_built_the_cube_is_neither_kept_nor_read(data, director):
    """An installation that had contracts before the cube: writes leave the cells alone, the indicators
    read the contracts, and the command builds it."""
    CubeBuild.objects.all().delete()
    ContractCell.objects.all().delete()
    HolderCell.objects.all().delete()
    expected = figures(Scope(2025), director)
    make_contract(buyer=data.contracts["C1"].buyer, notification_date=date(2025, 2, 1))
    assert not ContractCell.objects.exists()
    assert figures(Scope(2025), director)["contracts_notified"] == expected["contracts_notified"] + 1
    call_command("refresh_steering_cube", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert CubeBuild.objects.exists()
    assert_fresh()
    assert figures(Scope(2025), director)["contracts_notified"] == expected["contracts_notified"] + 1


def test_cube_build_is_idempotent(data):
    cube_build()
    first = cells()
    cube_build()
    assert cells() == first


def test_the_splitting_flags_from_the_cube_are_those_of_the_contracts(director, support, hospital):
    """Per buyer, family and year, from the cube's standalone figures: two 30 000 € supply contracts of
    one buyer cross the waiver together (tests/steering/test_flags.py), one of another buyer does not."""
    family = PurchaseFamilyFactory(code="FOUR")
    for day in (date(2025, 5, 1), date(2025, 9, 1)):
        make_contract(buyer=support, family=family, amount=Decimal(30000), notification_date=day)
    make_contract(buyer=hospital, family=family, amount=Decimal(30000), notification_date=date(2025, 5, 1))
    from_cube = flags_of_kind("splitting", Scope(2025, quarter=2), director)
    assert [flag.key for flag in from_cube] == [f"family:{family.pk}:2025"]
    assert from_cube == live(lambda: flags_of_kind("splitting", Scope(2025, quarter=2), director))


def test_a_registry_import_reaches_the_cube_and_a_refused_one_leaves_it(client, role_users, support):
    """The spreadsheet import writes its rows through save(): batched, its cells summed once per file;
    a refused file (one bad row) leaves no cell behind, its dry run rolled back with it."""
    from tests.contracts.test_contracts import CONTRACT_HEADER, _row
    from tests.helpers import xlsx_upload
    from tests.organisations.factories import make_siret

    client.force_login(role_users[Role.BUYER])
    good = _row("BL-2026", support.siret, make_siret())
    bad = _row("BL-2027", support.siret, make_siret(), **{"Code CPV": "99999999"})
    url = reverse("contracts:contract_import")
    client.post(url, {"file": xlsx_upload([CONTRACT_HEADER, good, bad])})
    assert not ContractCell.objects.exists()
    client.post(url, {"file": xlsx_upload([CONTRACT_HEADER, good])})
    assert list(ContractCell.objects.values_list("year", "buyer", "contracts")) == [(2026, support.pk, 1)]
    assert_fresh()
