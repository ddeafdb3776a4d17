"""What import_sirene and import_inclusion share: the date argument, the run and its printed report."""

from datetime import date

from django.core.management.base import CommandError

from mutualis.suppliers.data_imports import summary_of, supplier_data_import_file
from mutualis.suppliers.models import DataImportStatus


def data_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Date des données « {text} » : la forme AAAA-MM-JJ est attendue.") from None


def run_and_print(command, kind: str, path: str, when: date) -> None:
    run = supplier_data_import_file(kind=kind, path=path, data_date=when)
    command.stdout.write(f"{run.file_name} : {summary_of(run.counts)}")
    for entry in run.report[:20]:
        command.stdout.write(f"  ligne {entry['line']} — {entry['field']} : {entry['reason']}")
    if run.counts.get("report_total", 0) > 20:
        command.stdout.write(
            f"  … {run.counts['report_total']} lignes au rapport : voir la page de l'import."
        )
    if run.status == DataImportStatus.FAILED:
        raise CommandError(run.message)
