from django.core.management.base import BaseCommand

from mutualis.suppliers.models import DataImportKind

from ._data_import import data_date, run_and_print


class Command(BaseCommand):
    help = (
        "Enrichit les fournisseurs connus à partir d'un fichier stock SIRENE de l'INSEE "
        "(StockEtablissement, CSV ou .zip), et de StockUniteLegale avec --unites-legales. "
        "Aucun accès réseau : seuls les SIRET et SIREN déjà connus sont lus."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="StockEtablissement (CSV ou .zip) ; un extrait suffit")
        parser.add_argument(
            "--date", required=True, help="Date des données (AAAA-MM-JJ), celle du fichier INSEE"
        )
        parser.add_argument("--unites-legales", help="StockUniteLegale (CSV ou .zip) de la même date")

    def handle(self, *args, **options):
        when = data_date(options["date"])
        run_and_print(self, DataImportKind.ESTABLISHMENTS, options["file"], when)
        # After the establishments: a ceased company closes what its establishments said.
        if options["unites_legales"]:
            run_and_print(self, DataImportKind.LEGAL_UNITS, options["unites_legales"], when)
