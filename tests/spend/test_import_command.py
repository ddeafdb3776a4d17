"""`mutualis import_spend FILE… --entity SIRET [--dry-run] [--report FILE]`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from mutualis.spend.models import SpendImport, SpendLine
from tests.spend.import_files import HEADER, new_siret, rows, write_csv

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_spend", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_imports_for_the_entity_and_prints_a_french_summary(hospital, tmp_path):
    lines = rows(new_siret(), 3)
    lines[1][5] = "beaucoup"
    report = tmp_path / "rapport.csv"
    out, _ = run(str(write_csv(tmp_path, lines)), "--entity", hospital.siret, "--report", str(report))
    assert "3 mandats lus : 2 créés" in out and "1 rejetés" in out
    assert "rejeté : mandats.csv ligne 3 — montant_ht" in out
    assert SpendLine.objects.filter(entity=hospital).count() == 2
    assert "ligne;colonne" in report.read_text(encoding="utf-8-sig")


def test_dry_run_writes_nothing(hospital, tmp_path):
    out, _ = run(str(write_csv(tmp_path, rows(new_siret(), 2))), "--entity", hospital.siret, "--dry-run")
    assert out.startswith("Simulation") and "2 créés" in out
    assert not SpendLine.objects.exists()


def test_a_refused_file_fails_the_command(hospital, tmp_path):
    path = write_csv(tmp_path, rows(new_siret(), 2), header=[h for h in HEADER if h != "compte"])
    with pytest.raises(CommandError, match="1 fichier"):
        run(str(path), "--entity", hospital.siret)
    assert not SpendLine.objects.exists()
    assert "compte" in SpendImport.objects.get().message


def test_an_unknown_entity_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="Aucune entité"):
        run(str(write_csv(tmp_path, rows(new_siret(), 1))), "--entity", "12345678901234")
