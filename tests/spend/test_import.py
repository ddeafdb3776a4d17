"""The spend import service: rows written, re-imports that change nothing, replacements, bad rows
skipped and reported, refused files leaving nothing, dry runs, and the matching of every row."""

import csv
from datetime import date
from decimal import Decimal

import pytest

from mutualis.spend.importer import spend_import
from mutualis.spend.models import AccountFamily, MatchMethod, SpendImport, SpendImportStatus, SpendLine
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.contracts.factories import make_contract
from tests.spend.import_files import HEADER, new_siret, rows, write_csv, write_xlsx
from tests.suppliers.factories import SupplierFactory

pytestmark = pytest.mark.django_db


def table() -> list[tuple]:
    """Every value of every spend line but the run that wrote it."""
    fields = [f.attname for f in SpendLine._meta.concrete_fields if f.name != "spend_import"]
    return list(SpendLine.objects.order_by("pk").values_list(*fields))


def test_rows_are_written(hospital, tmp_path):
    siret = new_siret()
    result = spend_import(hospital, [write_csv(tmp_path, rows(siret, 3))])
    assert result.counts["read"] == 3 and result.counts["created"] == 3 and result.counts["rejected"] == 0
    line = SpendLine.objects.get(mandate_number="M00002")
    assert line.entity == hospital and line.fiscal_year == 2025 and line.paid_on == date(2025, 3, 3)
    assert line.amount_ht == Decimal("200.50") and line.amount_ttc == Decimal("220.60")
    assert line.supplier_siret == siret and line.supplier_siren == siret[:9] and line.account == "60628"
    assert line.spend_import == result.run and result.run.status == SpendImportStatus.DONE


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_every_encoding_imports_the_same_text(hospital, tmp_path, encoding):
    spend_import(hospital, [write_csv(tmp_path, rows(new_siret(), 2), encoding=encoding, sep=";")])
    assert set(SpendLine.objects.values_list("supplier_name", flat=True)) == {"Société Générale d'Hygiène"}
    assert SpendLine.objects.filter(label="Fournitures n° 1 — été").exists()


def test_xlsx_imports(hospital, tmp_path):
    siret = new_siret()
    path = write_xlsx(tmp_path, [[2025, 1, date(2025, 3, 1), siret, "A", 10.5, None, 6021, "", "x"]])
    result = spend_import(hospital, [path])
    assert result.counts["created"] == 1
    assert SpendLine.objects.get().amount_ht == Decimal("10.50")


def test_a_second_import_of_the_same_file_changes_nothing(hospital, tmp_path):
    path = write_csv(tmp_path, rows(new_siret(), 5))
    spend_import(hospital, [path])
    before = table()
    result = spend_import(hospital, [path])
    assert table() == before
    assert result.counts["unchanged"] == 5 and result.counts["created"] == result.counts["replaced"] == 0


def test_a_changed_row_replaces_the_stored_one_and_is_reported(hospital, tmp_path):
    lines = rows(new_siret(), 3)
    spend_import(hospital, [write_csv(tmp_path, lines)])
    lines[1][5] = "999,99"
    result = spend_import(hospital, [write_csv(tmp_path, lines, name="corrige.csv")])
    assert result.counts["replaced"] == 1 and result.counts["unchanged"] == 2
    assert SpendLine.objects.get(mandate_number="M00002").amount_ht == Decimal("999.99")
    assert SpendLine.objects.count() == 3
    (entry,) = [e for e in result.run.report if e["kind"] == "remplacé"]
    assert entry["line"] == 3 and entry["field"] == "montant_ht" and entry["file"] == "corrige.csv"


@pytest.mark.parametrize(
    ("column", "value", "field"),
    [("montant_ht", "douze", "montant_ht"), ("date", "31/02/2025", "date"),
     ("numero_mandat", "", "numero_mandat"), ("compte", "", "compte"),
     ("siret_fournisseur", "BAD", "siret_fournisseur")],
)  # fmt: skip
def test_a_bad_row_is_reported_and_skipped_the_rest_goes_in(hospital, tmp_path, column, value, field):
    lines = rows(new_siret(), 4)
    lines[2][HEADER.index(column)] = value
    result = spend_import(hospital, [write_csv(tmp_path, lines)])
    assert result.counts["created"] == 3 and result.counts["rejected"] == 1
    assert not SpendLine.objects.filter(mandate_number="M00003").exists()
    (entry,) = result.run.report
    assert (entry["line"], entry["field"], entry["kind"]) == (4, field, "rejeté")


def test_a_siret_with_a_bad_check_digit_is_rejected(hospital, tmp_path):
    siret = new_siret()
    lines = rows(siret, 2)
    lines[0][3] = siret[:-1] + str((int(siret[-1]) + 1) % 10)
    result = spend_import(hospital, [write_csv(tmp_path, lines)])
    (entry,) = result.run.report
    assert entry["line"] == 2 and entry["field"] == "siret_fournisseur" and "clé" in entry["reason"]
    assert list(SpendLine.objects.values_list("mandate_number", flat=True)) == ["M00002"]


def test_the_same_key_twice_in_a_file_keeps_the_first(hospital, tmp_path):
    lines = rows(new_siret(), 3)
    lines[2][1] = lines[0][1]
    result = spend_import(hospital, [write_csv(tmp_path, lines)])
    assert SpendLine.objects.count() == 2
    assert SpendLine.objects.get(mandate_number="M00001").amount_ht == Decimal("100.50")
    (entry,) = result.run.report
    assert entry["line"] == 4 and entry["field"] == "numero_mandat" and "déjà présent" in entry["reason"]


def test_a_truncated_file_leaves_the_database_identical(hospital, tmp_path):
    spend_import(hospital, [write_csv(tmp_path, rows(new_siret(), 3), name="avant.csv")])
    before = table()
    lines = rows(new_siret(), 8)
    lines[0][5] = "1,00"
    path = write_csv(tmp_path, lines, name="coupe.csv")
    path.write_bytes(path.read_bytes() + b'2025;M9;01/03/2025;;"Soci')
    result = spend_import(hospital, [path], batch_size=2)  # batches written before the cut are undone
    assert table() == before
    assert result.refused and result.refused[0][0] == "coupe.csv"
    assert result.run.status == SpendImportStatus.FAILED and "tronqué" in result.run.message
    assert result.counts["created"] == 0


def test_one_refused_file_does_not_stop_the_others(hospital, tmp_path):
    good = write_csv(tmp_path, rows(new_siret(), 2), name="bon.csv")
    bad = write_csv(
        tmp_path, rows(new_siret(), 2), name="sans_compte.csv", header=[*HEADER[:7], "x", *HEADER[8:]]
    )
    result = spend_import(hospital, [bad, good])
    assert SpendLine.objects.count() == 2 and result.counts["files_refused"] == 1
    assert result.run.status == SpendImportStatus.DONE and "sans_compte.csv" in result.run.message


def test_dry_run_writes_no_line(hospital, tmp_path):
    result = spend_import(hospital, [write_csv(tmp_path, rows(new_siret(), 3))], dry_run=True)
    assert result.counts["created"] == 3
    assert not SpendLine.objects.exists()
    assert SpendImport.objects.get().dry_run


def test_full_report_goes_to_a_csv_file(hospital, tmp_path):
    lines = rows(new_siret(), 3)
    lines[0][5] = "douze"
    report = tmp_path / "rapport.csv"
    spend_import(hospital, [write_csv(tmp_path, lines, name="=1+1.csv")], report_path=report)
    with report.open(encoding="utf-8-sig") as handle:
        header, entry = list(csv.reader(handle, delimiter=";"))
    assert header[:2] == ["fichier", "ligne"] and entry[1] == "2" and entry[2] == "montant_ht"
    assert entry[0] == "'=1+1.csv" and entry[3] == "rejeté"  # a cell that would be a formula is escaped


def test_matching_by_contract_number_by_supplier_and_by_account(hospital, support, tmp_path):
    family, account_family = PurchaseFamilyFactory(), PurchaseFamilyFactory()
    AccountFamily.objects.create(nomenclature="M21", account="606", family=account_family)
    holder, lone_holder, stranger = SupplierFactory(), SupplierFactory(), SupplierFactory()
    by_number = make_contract(buyer=support, available_to=[hospital], holders=[holder], family=family,
                              reference="2025-017")  # fmt: skip
    by_supplier = make_contract(buyer=support, available_to=[hospital], holders=[lone_holder])
    # Paid in March 2026, while both contracts (notified on 1 January 2026, for a year) run.
    lines = rows(holder.identifier, 1, year=2026, reference="2025-017")
    lines += [[*row[:1], "S1", *row[2:]] for row in rows(lone_holder.identifier, 1, year=2026)]
    lines += [[*row[:1], "O1", *row[2:]] for row in rows(stranger.identifier, 1, year=2026)]
    result = spend_import(hospital, [write_csv(tmp_path, lines)])
    first = SpendLine.objects.get(mandate_number="M00001")
    assert (first.contract, first.family, first.match_method) == (by_number, family, MatchMethod.REFERENCE)
    assert first.supplier == holder
    second = SpendLine.objects.get(mandate_number="S1")
    assert (second.contract, second.match_method) == (by_supplier, MatchMethod.SUPPLIER)
    third = SpendLine.objects.get(mandate_number="O1")
    assert third.contract is None and third.match_method == MatchMethod.OFF_CONTRACT
    assert third.family == account_family
    assert result.counts["matched"] == 2 and result.counts["off_contract"] == 1
    assert result.touched_contract_ids == {by_number.pk, by_supplier.pk}


def test_of_a_supplier_s_several_contracts_the_account_s_family_chooses(hospital, support, tmp_path):
    """Two lots of one holder: the line goes to the lot of its budget account's family; with no lot of
    that family, it stays off contract and the report says why."""
    supplies, other = PurchaseFamilyFactory(), PurchaseFamilyFactory()
    AccountFamily.objects.create(nomenclature="M21", account="606", family=supplies)
    holder = SupplierFactory()
    lot_1 = make_contract(buyer=support, available_to=[hospital], holders=[holder], family=supplies)
    make_contract(buyer=support, available_to=[hospital], holders=[holder], family=other)
    result = spend_import(hospital, [write_csv(tmp_path, rows(holder.identifier, 1, year=2026))])
    line = SpendLine.objects.get()
    assert (line.contract, line.family, line.match_method) == (lot_1, supplies, MatchMethod.SUPPLIER_FAMILY)
    assert result.run.report == []
    lot_1.family = other
    lot_1.save()
    again = [[*row[:1], "M2", *row[2:]] for row in rows(holder.identifier, 1, year=2026)]
    result = spend_import(hospital, [write_csv(tmp_path, again)])
    assert SpendLine.objects.get(mandate_number="M2").contract is None
    assert "2 contrats en cours pour ce fournisseur" in result.run.report[0]["reason"]


def test_an_unknown_contract_number_is_a_warning(hospital, tmp_path):
    result = spend_import(hospital, [write_csv(tmp_path, rows(new_siret(), 1, reference="INCONNU"))])
    (entry,) = result.run.report
    assert entry["kind"] == "avertissement" and "INCONNU" in entry["reason"] and entry["line"] == 2
    assert SpendLine.objects.get().contract is None


def test_a_buyer_correction_survives_a_replacement(hospital, tmp_path, support):
    contract = make_contract(buyer=support, available_to=[hospital])
    lines = rows(new_siret(), 1)
    spend_import(hospital, [write_csv(tmp_path, lines)])
    SpendLine.objects.update(contract=contract, match_method=MatchMethod.MANUAL)
    lines[0][5] = "5,00"
    spend_import(hospital, [write_csv(tmp_path, lines)])
    line = SpendLine.objects.get()
    assert line.amount_ht == Decimal("5.00") and line.contract == contract
    assert line.match_method == MatchMethod.MANUAL


def test_a_broken_xlsx_leaves_the_database_identical(hospital, tmp_path):
    spend_import(hospital, [write_csv(tmp_path, rows(new_siret(), 2))])
    before = table()
    path = write_xlsx(tmp_path, rows(new_siret(), 50))
    path.write_bytes(path.read_bytes()[:-300])  # cut inside the zip's directory
    result = spend_import(hospital, [path])
    assert table() == before and result.refused and result.run.status == SpendImportStatus.FAILED


def test_a_siren_column_instead_of_the_siret(hospital, support, tmp_path):
    holder = SupplierFactory()
    contract = make_contract(buyer=support, available_to=[hospital], holders=[holder])
    header = ["siren" if h == "siret_fournisseur" else h for h in HEADER]
    lines = [[*row[:3], holder.identifier[:9], *row[4:]] for row in rows("", 1, year=2026)]
    spend_import(hospital, [write_csv(tmp_path, lines, header=header)])
    line = SpendLine.objects.get()
    assert (line.supplier_siret, line.supplier_siren) == ("", holder.identifier[:9])
    assert line.contract == contract and line.supplier == holder
