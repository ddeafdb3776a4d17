from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mutualis.legal.models import LegalRule
from mutualis.legal.rules import DATA_DIR
from mutualis.legal.services import load_legal_rules


class Command(BaseCommand):
    help = (
        "Charge des règles juridiques datées (seuils, délais, ratios… ; fichiers JSON au format de "
        f"{DATA_DIR}) : un nouveau décret est une nouvelle ligne, sans changement de code. "
        "Sans argument, recharge les tables livrées."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help='Fichiers JSON {"source": …, "rows": […]}.')

    def handle(self, *args, **options):
        try:
            count = load_legal_rules(paths=[Path(name) for name in options["files"]])
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{count} règle(s) chargée(s) ; {LegalRule.objects.count()} dans la table.")
