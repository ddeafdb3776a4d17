from pathlib import Path

from django.core.management.base import BaseCommand

from mutualis.catalogue.models import Threshold
from mutualis.catalogue.thresholds import THRESHOLDS_FILE, load_thresholds


class Command(BaseCommand):
    help = (
        "Charge des seuils datés (fichier JSON au format de catalogue/data/thresholds.json) : "
        "un nouveau décret est une nouvelle ligne, sans changement de code. "
        "Sans argument, recharge la table livrée."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(THRESHOLDS_FILE))

    def handle(self, *args, **options):
        count = load_thresholds(Threshold, Path(options["file"]))
        self.stdout.write(f"{count} seuil(s) chargé(s) ; {Threshold.objects.count()} dans la table.")
