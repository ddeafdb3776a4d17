"""The SIRENE stock-file import: real INSEE column names, known suppliers only, one transaction per file."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from mutualis.suppliers.data_imports import supplier_data_import_file
from mutualis.suppliers.models import DataImportKind, DataImportStatus, SireneState, Supplier
from mutualis.suppliers.sirene.layout import ESTABLISHMENT_HEADER
from tests.suppliers.factories import SupplierFactory
from tests.suppliers.sirene_files import establishment, establishments, legal_unit, legal_units

pytestmark = pytest.mark.django_db
DATA_DATE = date(2026, 11, 1)
SIRET = "55210055400013"  # a valid SIRET (check digit)


def run(path, kind=DataImportKind.ESTABLISHMENTS):
    return supplier_data_import_file(kind=kind, path=path, data_date=DATA_DATE)


@pytest.fixture
def supplier():
    return SupplierFactory(identifier=SIRET, name="FOURN. BOURG.", postal_code="75001", city="Paris")


def test_a_known_siret_is_enriched_with_the_commune_code_not_the_postal_code(tmp_path, supplier):
    path = establishments(tmp_path / "StockEtablissement_utf8", [establishment(SIRET)])
    result = run(path)
    supplier.refresh_from_db()
    assert result.status == DataImportStatus.DONE
    assert supplier.insee_code == "21231" and supplier.postal_code == "21000"
    assert supplier.city == "Dijon"  # the COG's name, not INSEE's capitals
    assert supplier.address == "12 bis RUE DE LA LIBERTE, BATIMENT C"
    assert supplier.naf_code == "46.46Z" and supplier.sirene_state == SireneState.ACTIVE
    assert supplier.sirene_date == DATA_DATE
    assert result.counts | {} == {
        "read": 1, "matched": 1, "updated": 1, "unchanged": 0, "rejected": 0, "report_total": 0
    }  # fmt: skip
    # A change with its history row, and the version moved (a form opened before is refused).
    assert supplier.history.first().history_change_reason.startswith("SIRENE : établissements")
    assert supplier.version == 2


def test_the_legal_unit_gives_legal_form_category_ess_and_name(tmp_path, supplier):
    path = legal_units(
        tmp_path / "StockUniteLegale_utf8", [legal_unit(SIRET[:9], economieSocialeSolidaireUniteLegale="O")]
    )
    result = run(path, DataImportKind.LEGAL_UNITS)
    supplier.refresh_from_db()
    assert result.counts["updated"] == 1
    assert supplier.legal_form == "5710" and supplier.legal_form_label.startswith("SAS, société par actions")
    assert supplier.size_category == "PME" and supplier.is_ess
    assert supplier.name == "FOURNITURES BOURGUIGNONNES"
    assert supplier.sirene_date == DATA_DATE


def test_a_ceased_company_closes_its_known_establishment(tmp_path, supplier):
    run(establishments(tmp_path / "etab", [establishment(SIRET)]))
    run(
        legal_units(tmp_path / "ul", [legal_unit(SIRET[:9], etatAdministratifUniteLegale="C")]),
        DataImportKind.LEGAL_UNITS,
    )
    supplier.refresh_from_db()
    assert supplier.sirene_state == SireneState.CEASED


def test_unknown_sirets_are_skipped_and_a_second_run_changes_nothing(tmp_path, supplier):
    rows = [establishment("73282932000074"), establishment(SIRET), establishment("35600000000048")]
    path = establishments(tmp_path / "etab", rows)
    run(path)
    again = run(path)
    assert again.counts["read"] == 3 and again.counts["matched"] == 1
    assert again.counts["updated"] == 0 and again.counts["unchanged"] == 1
    assert Supplier.objects.count() == 1
    assert Supplier.objects.get().history.count() == 2  # created, then the first import only


def test_partially_diffusible_establishment_keeps_no_street_line(tmp_path, supplier):
    row = establishment(SIRET, statutDiffusionEtablissement="P", libelleVoieEtablissement="[ND]")
    run(establishments(tmp_path / "etab", [row]))
    supplier.refresh_from_db()
    assert supplier.address == ""
    assert supplier.insee_code == "21231"


def test_a_supplier_known_by_siren_takes_its_head_office(tmp_path):
    company = SupplierFactory(identifier_kind="SIREN", identifier=SIRET[:9])
    rows = [establishment(SIRET[:9] + "00021", etablissementSiege="false", codeCommuneEtablissement="75056"),
            establishment(SIRET)]  # fmt: skip
    run(establishments(tmp_path / "etab", rows))
    company.refresh_from_db()
    assert company.insee_code == "21231"


def test_a_missing_column_names_it_and_leaves_the_database_unchanged(tmp_path, supplier):
    header = [c for c in ESTABLISHMENT_HEADER if c != "codeCommuneEtablissement"]
    values = establishment(SIRET)
    path = tmp_path / "etab.csv"
    path.write_text(",".join(header) + "\n" + ",".join(values.get(c, "") for c in header) + "\n", "utf-8")
    result = run(path)
    supplier.refresh_from_db()
    assert result.status == DataImportStatus.FAILED
    assert "« codeCommuneEtablissement »" in result.message
    assert supplier.insee_code == "" and supplier.sirene_date is None


def test_a_truncated_file_leaves_the_database_as_it_was(tmp_path, supplier):
    path = establishments(tmp_path / "etab", [establishment(SIRET)] * 600)
    with path.open("a", encoding="utf-8") as handle:
        handle.write('552100554,00013,"55210055400013,O\n')  # a quote never closed
    result = run(path)
    supplier.refresh_from_db()
    assert result.status == DataImportStatus.FAILED
    assert supplier.sirene_date is None and supplier.insee_code == ""


def test_a_bad_row_is_reported_with_its_line_and_column_and_skipped(tmp_path, supplier):
    other = SupplierFactory(identifier="73282932000074")
    rows = [
        establishment(SIRET, codeCommuneEtablissement="21000"),  # a postal code where the commune goes
        establishment("73282932000074"),
        ["552100554", "00013"],  # a short row
    ]
    result = run(establishments(tmp_path / "etab", rows))
    assert result.status == DataImportStatus.DONE
    assert result.counts["rejected"] == 2 and result.counts["updated"] == 1
    assert result.report[0]["line"] == 2 and result.report[0]["field"] == "codeCommuneEtablissement"
    assert result.report[1]["line"] == 4
    other.refresh_from_db()
    supplier.refresh_from_db()
    assert other.insee_code == "21231" and supplier.insee_code == ""


def test_the_zip_published_by_insee_is_read_from_its_member(tmp_path, supplier):
    path = establishments(tmp_path / "StockEtablissement_utf8", [establishment(SIRET)], zipped=True)
    assert path.suffix == ".zip"
    assert run(path).counts["updated"] == 1


def test_semicolons_and_a_bom_are_accepted(tmp_path, supplier):
    path = establishments(tmp_path / "etab", [establishment(SIRET)], delimiter=";")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert run(path).counts["updated"] == 1


def test_the_command_imports_both_files(tmp_path, supplier, capsys):
    etab = establishments(tmp_path / "etab", [establishment(SIRET)])
    units = legal_units(tmp_path / "ul", [legal_unit(SIRET[:9])])
    call_command("import_sirene", str(etab), "--date", "2026-11-01", "--unites-legales", str(units))
    supplier.refresh_from_db()
    assert supplier.insee_code == "21231" and supplier.legal_form == "5710"
    assert "1 mis à jour" in capsys.readouterr().out


def test_the_command_refuses_a_file_without_a_column(tmp_path, supplier):
    path = tmp_path / "etab.csv"
    path.write_text("siren,siret\n552100554,55210055400013\n", "utf-8")
    with pytest.raises(CommandError, match="codeCommuneEtablissement"):
        call_command("import_sirene", str(path), "--date", "2026-11-01")


def test_a_file_without_line_breaks_is_refused_without_being_read_whole(tmp_path, supplier):
    path = tmp_path / "etab.csv"
    path.write_text("siren," * 100_000, "utf-8")
    result = run(path)
    assert result.status == DataImportStatus.FAILED and "sans fin de ligne" in result.message
