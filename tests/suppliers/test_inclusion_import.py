"""The inclusion list import: marks the known suppliers by SIRET, then by SIREN, with the list's date."""

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from mutualis.suppliers.data_imports import supplier_data_import_file
from mutualis.suppliers.models import DataImportKind, DataImportStatus
from tests.suppliers.factories import SupplierFactory

pytestmark = pytest.mark.django_db
SIRET = "55210055400013"


def run(path, when=date(2026, 10, 15)):
    return supplier_data_import_file(kind=DataImportKind.INCLUSION, path=path, data_date=when)


def write(tmp_path, text: str):
    path = tmp_path / "structures.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_structure_is_marked_by_siret_with_the_date_of_the_list(tmp_path):
    supplier = SupplierFactory(identifier=SIRET)
    result = run(write(tmp_path, f"siret,kind,name\n{SIRET},EI,Entreprise d'insertion\n"))
    supplier.refresh_from_db()
    assert result.counts["updated"] == 1
    assert supplier.inclusion_kind == "EI" and supplier.inclusion_date == date(2026, 10, 15)
    assert supplier.is_siae and not supplier.is_ea_esat  # derived from the kind


def test_else_by_siren_and_the_marche_de_l_inclusion_column_names(tmp_path):
    company = SupplierFactory(identifier="55210055400021")  # another establishment of the same company
    run(write(tmp_path, f"name;kind;siret\nAtelier;ESAT;{SIRET}\n"))
    company.refresh_from_db()
    assert company.inclusion_kind == "ESAT" and company.is_ea_esat and not company.is_siae


def test_an_unknown_kind_and_a_bad_siret_are_reported_with_their_lines(tmp_path):
    SupplierFactory(identifier=SIRET)
    result = run(write(tmp_path, f"siret,kind\n{SIRET},XYZ\n12AB,EA\n"))
    assert result.status == DataImportStatus.DONE
    assert [(e["line"], e["field"]) for e in result.report] == [(2, "kind")]
    # A SIRET of no known supplier is not looked at: only the known ones are checked.
    assert result.counts["rejected"] == 1


def test_a_missing_kind_column_refuses_the_file(tmp_path):
    supplier = SupplierFactory(identifier=SIRET)
    result = run(write(tmp_path, f"siret,nom\n{SIRET},Atelier\n"))
    supplier.refresh_from_db()
    assert result.status == DataImportStatus.FAILED and "« kind »" in result.message
    assert supplier.inclusion_kind == ""


def test_absent_from_a_newer_list_the_status_stays_with_its_date(tmp_path):
    supplier = SupplierFactory(identifier=SIRET)
    run(write(tmp_path, f"siret,kind\n{SIRET},EA\n"))
    run(write(tmp_path, "siret,kind\n73282932000074,EA\n"), when=date(2026, 11, 15))
    supplier.refresh_from_db()
    assert supplier.inclusion_kind == "EA" and supplier.inclusion_date == date(2026, 10, 15)


def test_the_command(tmp_path, capsys):
    SupplierFactory(identifier=SIRET)
    call_command(
        "import_inclusion", str(write(tmp_path, f"siret,kind\n{SIRET},ACI\n")), "--date", "2026-10-15"
    )
    assert "1 mis à jour" in capsys.readouterr().out


def test_a_kind_chosen_on_the_form_decides_the_flags(client, role_users):
    from mutualis.organisations.roles import Role

    supplier = SupplierFactory(identifier=SIRET, is_siae=True)
    client.force_login(role_users[Role.BUYER])
    data = {
        "identifier_kind": "SIRET", "identifier": SIRET, "name": supplier.name, "inclusion_kind": "EA",
        "is_siae": "on", "version": supplier.version,
    }  # fmt: skip
    response = client.post(reverse("suppliers:supplier_update", args=[supplier.pk]), data)
    assert response.status_code == 302
    supplier.refresh_from_db()
    assert supplier.is_ea_esat and not supplier.is_siae  # the kind wins over the ticked box
    assert "Saisi sur la fiche, sans liste datée." in client.get(supplier.get_absolute_url()).content.decode()
