"""Adds COUNT contracts to the registry of the database the environment names (benchmarks/load.py's
demo, for its national-scale run): steering_data.py's bulk builder, over the demo's own entities,
families and suppliers, then the steering cube summed again and the planner's statistics, as after an
import.

Usage: DATABASE_URL=… MUTUALIS_ENV=… .venv/bin/python benchmarks/grow_registry.py 100000
"""

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutualis.settings")


def main(count: int) -> None:
    import django

    django.setup()
    import steering_data
    from django.db import connection

    from mutualis.catalogue.models import PurchaseFamily
    from mutualis.organisations.models import Entity
    from mutualis.steering.cube import cube_build
    from mutualis.suppliers.models import Supplier

    started = time.perf_counter()
    rng = random.Random(20)  # synthetic data, the same at every run
    # Not in one transaction: the builder vacuums the tables it filled (a throw-away database anyway).
    steering_data.contracts(
        rng,
        count,
        list(Entity.objects.order_by("pk")),
        list(PurchaseFamily.objects.order_by("pk")),
        list(Supplier.objects.order_by("pk").values_list("pk", flat=True)),
    )
    cube_build()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"registre agrandi de {count} contrats en {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]))
