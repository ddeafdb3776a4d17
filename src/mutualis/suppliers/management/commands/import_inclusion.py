from django.core.management.base import BaseCommand

from mutualis.suppliers.models import DataImportKind

from ._data_import import data_date, run_and_print


class Command(BaseCommand):
    help = (
        "Marque les fournisseurs connus figurant sur une liste de structures inclusives (SIAE, EA, ESAT : "
        "colonnes siret et kind, comme l'export du marché de l'inclusion), par SIRET puis par SIREN."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Liste des structures (CSV ou .zip)")
        parser.add_argument("--date", required=True, help="Date de la liste (AAAA-MM-JJ)")

    def handle(self, *args, **options):
        run_and_print(self, DataImportKind.INCLUSION, options["file"], data_date(options["date"]))
