import time

from django.core.management.base import BaseCommand

from mutualis.opendata.models import BenchmarkCpvCell
from mutualis.opendata.summary import analyze_cells, benchmark_summary_build


class Command(BaseCommand):
    help = (
        "Somme à nouveau tous les marchés publiés importés dans les cellules du parangonnage. Chaque import "
        "DECP les tient à jour ; à lancer une fois après l'installation si des marchés publiés existent "
        "déjà (la page lit les marchés eux-mêmes d'ici là). Sans effet sur les chiffres si elles sont à jour."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        benchmark_summary_build()
        analyze_cells()
        self.stdout.write(
            f"Parangonnage sommé en {time.perf_counter() - started:.1f} s : "
            f"{BenchmarkCpvCell.objects.count()} codes CPV."
        )
