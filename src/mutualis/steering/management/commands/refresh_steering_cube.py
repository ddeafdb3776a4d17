import time

from django.core.management.base import BaseCommand

from mutualis.steering.cube import cube_build
from mutualis.steering.models import ContractCell, HolderCell


class Command(BaseCommand):
    help = (
        "Somme à nouveau tout le registre dans le cube des indicateurs de pilotage. Chaque écriture tient "
        "le cube à jour ; à lancer une première fois après l'installation, puis chaque nuit par sûreté."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        cube_build()
        contracts, holders = ContractCell.objects.count(), HolderCell.objects.count()
        self.stdout.write(
            f"Cube de pilotage sommé en {time.perf_counter() - started:.1f} s : "
            f"{contracts} cellules de contrats, {holders} de titulaires."
        )
