"""The spend map's reads: exact sums and shares per family × entity, suppliers by SIREN, off-contract
spend, the years, and the reader's scope."""

from decimal import Decimal

import pytest

from mutualis.core.scoping import scoped
from mutualis.organisations.roles import Role
from mutualis.spend.models import SpendFamilyCell, SpendLine
from mutualis.spend.spendmap import NULL, spend_map
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.contracts.factories import make_contract
from tests.spend.spendmap_rows import make_line

D = Decimal


@pytest.fixture
def families(db):
    return PurchaseFamilyFactory(code="LINGE", nature="services"), PurchaseFamilyFactory(code="GANTS")


@pytest.fixture
def contract(support, hospital):
    return make_contract(buyer=support, available_to=[hospital])


@pytest.fixture
def spend(support, hospital, families, contract):
    """2025: linen 1 000.10 (on) + 500.20 (off) at the hospital, 300.30 (off) at the support; gloves
    0.10 + 0.20 (on, float-prone) at the hospital; 99.99 unclassified at the support. 2024: 7 000 off."""
    linen, gloves = families
    make_line(
        entity=hospital, family=linen, amount="1000.10", contract=contract, siren="111111111", name="Blanc"
    )
    make_line(entity=hospital, family=linen, amount="500.20", siren="111111111", name="Blanchisserie SA")
    make_line(entity=support, family=linen, amount="300.30", siren="222222222", name="Lavage")
    make_line(entity=hospital, family=gloves, amount="0.10", contract=contract, siren="333333333")
    make_line(entity=hospital, family=gloves, amount="0.20", contract=contract, siren="333333333")
    make_line(entity=support, amount="99.99")
    make_line(entity=hospital, family=linen, amount="7000.00", year=2024, siren="111111111")


def everything(user=None):
    """The lines and the family cells, as the map's page gives them (scoped to the reader)."""
    lines, cells = SpendLine.objects.all(), SpendFamilyCell.objects.all()
    return (scoped(lines, user), scoped(cells, user)) if user else (lines, cells)


def test_the_grid_sums_each_family_and_entity_to_the_cent(spend, support, hospital, families):
    linen, gloves = families
    result = spend_map(*everything())
    assert result.year == 2025  # the latest year with spend, by default
    rows = {row.key: row for row in result.rows}
    assert set(rows) == {str(linen.pk), str(gloves.pk), NULL}
    assert rows[str(linen.pk)].cells[hospital.pk].total == D("1500.30")
    assert rows[str(linen.pk)].cells[hospital.pk].on_contract == D("1000.10")
    assert rows[str(linen.pk)].cells[support.pk].total == D("300.30")
    assert rows[str(linen.pk)].total.total == D("1800.60")
    assert rows[str(gloves.pk)].total.total == D("0.30")  # not 0.30000000000000004
    assert result.columns[hospital.pk].total == D("1500.60")
    assert result.columns[support.pk].total == D("400.29")
    assert result.total.total == D("1900.89")
    assert result.total.on_contract == D("1000.40")
    assert result.total.lines == 6 and result.total.off_lines == 3
    # The unclassified lines come last, whatever their amount.
    assert result.rows[-1].key == NULL and result.rows[-1].label.startswith("Non classées")


def test_shares_under_contract_per_family_and_overall(spend, families):
    linen, gloves = families
    result = spend_map(*everything())
    rows = {row.key: row for row in result.rows}
    assert rows[str(linen.pk)].total.share == D("1000.10") / D("1800.60")
    assert rows[str(gloves.pk)].total.share == 1
    assert rows[NULL].total.share == 0
    assert result.total.share == D("1000.40") / D("1900.89")


def test_off_contract_spend_per_family_and_entity(spend, support, hospital, families):
    linen, _ = families
    result = spend_map(*everything())
    row = next(row for row in result.rows if row.family == linen)
    assert row.cells[hospital.pk].off_contract == D("500.20")
    assert row.cells[hospital.pk].off_lines == 1
    assert row.cells[support.pk].off_contract == D("300.30")
    assert result.total.off_contract == D("900.49")


def test_suppliers_are_grouped_by_siren_with_a_name_largest_first(spend):
    result = spend_map(*everything())
    sirens = [supplier.siren for supplier in result.suppliers]
    assert sirens == ["111111111", "222222222", "", "333333333"]
    first = result.suppliers[0]
    assert first.name == "Blanchisserie SA"  # one name per SIREN, whatever the spellings of the lines
    assert first.figures.total == D("1500.30") and first.figures.on_contract == D("1000.10")
    assert first.figures.lines == 2
    assert first.figures.params == {"fiscal_year": 2025, "supplier_siren": "111111111"}
    no_siren = result.suppliers[2]
    assert no_siren.name == "Fournisseurs sans SIREN" and no_siren.figures.params["supplier_siren"] == "aucun"


def test_the_top_keeps_the_largest_suppliers_only(spend):
    result = spend_map(*everything(), top=2)
    assert [supplier.siren for supplier in result.suppliers] == ["111111111", "222222222"]


def test_years_give_total_under_contract_and_off_contract(spend):
    years = dict(spend_map(*everything()).years)
    assert list(years) == [2024, 2025]
    assert years[2024].total == D("7000.00") and years[2024].off_contract == D("7000.00")
    assert years[2025].total == D("1900.89") and years[2025].on_contract == D("1000.40")
    assert years[2024].params == {"fiscal_year": 2024}


def test_a_chosen_year_entity_and_family_narrow_every_table(spend, support, hospital, families):
    linen, _ = families
    result = spend_map(*everything(), year=2024)
    assert result.total.total == D("7000.00")
    result = spend_map(*everything(), year=2025, entity=hospital, family=linen)
    assert [row.family for row in result.rows] == [linen]
    assert [entity.pk for entity in result.entities] == [hospital.pk]
    assert result.total.total == D("1500.30")
    assert [supplier.siren for supplier in result.suppliers] == ["111111111"]
    assert result.total.params == {"fiscal_year": 2025, "entity": hospital.pk, "family": linen.pk}
    assert [year for year, _ in result.years] == [2024, 2025]  # the years of that entity and family


def test_a_year_without_spend_gives_empty_tables(spend):
    result = spend_map(*everything(), year=2019)
    assert result.rows == [] and result.total.total == 0 and result.suppliers == []
    assert result.splitting.flags == []


def test_no_spend_at_all_gives_no_year(db):
    result = spend_map(SpendLine.objects.all(), SpendFamilyCell.objects.all())
    assert result.year is None and result.years == [] and result.splitting is None


def test_a_referent_counts_only_his_entity_and_governance_everything(spend, role_users, hospital):
    referent = spend_map(*everything(role_users[Role.REFERENT]))
    assert [entity.pk for entity in referent.entities] == [hospital.pk]
    assert referent.total.total == D("1500.60")
    assert dict(referent.years)[2024].total == D("7000.00")
    governance = spend_map(*everything(role_users[Role.GOVERNANCE]))
    assert governance.total.total == D("1900.89")


def test_the_map_reads_a_fixed_number_of_queries(spend, django_assert_max_num_queries, support):
    for index in range(20):
        make_line(entity=support, family=PurchaseFamilyFactory(), siren=f"9{index:08d}")
    # years, grid, families, entities, suppliers, supplier names, legal rows, territory
    with django_assert_max_num_queries(8):
        spend_map(*everything())
