from django.core.management.base import BaseCommand

from mutualis.spend.accounts import account_mapping_load_defaults
from mutualis.spend.models import Nomenclature


class Command(BaseCommand):
    help = (
        "Charge les comptes budgétaires par défaut (M21, M57) vers les familles d'achat du territoire, "
        "choisies par code CPV ; les comptes déjà présents sont gardés sauf avec --replace."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--nomenclature", choices=Nomenclature.values, help="M21 ou M57 (par défaut : les deux)."
        )
        parser.add_argument(
            "--replace", action="store_true", help="Remplacer la famille des comptes déjà présents."
        )

    def handle(self, *args, **options):
        chosen = [options["nomenclature"]] if options["nomenclature"] else Nomenclature.values
        for nomenclature in chosen:
            report = account_mapping_load_defaults(nomenclature, replace=options["replace"])
            self.stdout.write(
                f"{nomenclature} : {report.created} compte(s) créé(s), {report.updated} mis à jour, "
                f"{report.kept} gardé(s), {len(report.skipped)} ignoré(s)."
            )
            for account, reason in report.skipped:
                self.stdout.write(f"  {account} : {reason}")
