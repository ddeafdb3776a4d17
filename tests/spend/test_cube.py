"""The spend map's cubes follow every write of lines: an import, a buyer's correction, a reclassification,
a contract's deletion; a cell is always the sum of its lines."""

from collections import defaultdict
from decimal import Decimal

import pytest
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, Sum

from mutualis.core.scoping import scoped
from mutualis.organisations.roles import Role
from mutualis.spend.importer import spend_import
from mutualis.spend.models import AccountFamily, MatchMethod, SpendFamilyCell, SpendLine, SpendSupplierCell
from mutualis.spend.services import spend_line_relink, spend_reclassify_off_contract
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.contracts.factories import make_contract
from tests.spend.import_files import new_siret, rows, write_csv

pytestmark = pytest.mark.django_db


def sums_of_lines(*keys):
    totals = defaultdict(lambda: [Decimal(0), 0])
    grouped = (
        SpendLine.objects.values(*keys)
        .annotate(
            off=ExpressionWrapper(Q(contract__isnull=True), output_field=BooleanField()),
            amount=Sum("amount_ht"),
            count=Count("*"),
        )
        .order_by()
    )
    for row in grouped:
        totals[(*(row[k] for k in keys), row["off"])] = [row["amount"], row["count"]]
    return dict(totals)


def sums_of_cells(model, *keys):
    return {(*(c[k] for k in keys), c["off"]): [c["amount"], c["lines"]] for c in model.objects.values()}


def assert_cells_match_lines():
    family_keys = ("entity_id", "fiscal_year", "family_id")
    assert sums_of_cells(SpendFamilyCell, *family_keys) == sums_of_lines(*family_keys)
    supplier_keys = ("entity_id", "fiscal_year", "supplier_siren")
    assert sums_of_cells(SpendSupplierCell, *supplier_keys) == sums_of_lines(*supplier_keys)


@pytest.fixture
def imported(hospital, tmp_path):
    family = PurchaseFamilyFactory()
    AccountFamily.objects.create(nomenclature="M21", account="606", family=family)
    spend_import(hospital, [write_csv(tmp_path, rows(new_siret(), count=6))])
    return family


def test_an_import_fills_the_cells_and_a_dry_run_leaves_them(hospital, imported, tmp_path):
    assert SpendFamilyCell.objects.exists()
    assert_cells_match_lines()
    before = list(SpendFamilyCell.objects.values())
    spend_import(hospital, [write_csv(tmp_path, rows(new_siret(), count=2, year=2024))], dry_run=True)
    assert list(SpendFamilyCell.objects.values()) == before


def test_a_correction_and_a_reclassification_move_the_sums(hospital, support, imported, role_users):
    buyer = role_users[Role.BUYER]
    contract = make_contract(buyer=support, available_to=[hospital], family=PurchaseFamilyFactory())
    line = SpendLine.objects.filter(match_method=MatchMethod.OFF_CONTRACT).first()
    spend_line_relink(line, contract=contract, user=buyer)
    assert SpendFamilyCell.objects.filter(family=contract.family, off=False, lines=1).exists()
    assert_cells_match_lines()
    other = PurchaseFamilyFactory()
    AccountFamily.objects.create(nomenclature="M21", account="6062", family=other)
    assert spend_reclassify_off_contract(actor=buyer) == 5
    assert SpendFamilyCell.objects.get(family=other).lines == 5
    assert_cells_match_lines()


def test_deleting_a_contract_puts_its_lines_off_contract_in_the_cells(
    hospital, support, imported, role_users, django_capture_on_commit_callbacks
):
    contract = make_contract(buyer=support, available_to=[hospital])
    spend_line_relink(SpendLine.objects.first(), contract=contract, user=role_users[Role.BUYER])
    assert SpendFamilyCell.objects.filter(off=False).exists()
    with django_capture_on_commit_callbacks(execute=True):
        contract.delete()
    assert not SpendFamilyCell.objects.filter(off=False).exists()
    assert_cells_match_lines()


def test_cells_are_scoped_like_the_lines(hospital, support, imported, role_users, tmp_path):
    spend_import(support, [write_csv(tmp_path, rows(new_siret(), count=1, year=2025))])
    referent = role_users[Role.REFERENT]
    entities = set(scoped(SpendFamilyCell.objects.all(), referent).values_list("entity_id", flat=True))
    lines = set(scoped(SpendLine.objects.all(), referent).values_list("entity_id", flat=True))
    assert entities == lines
    assert len(set(SpendFamilyCell.objects.values_list("entity_id", flat=True))) == 2
