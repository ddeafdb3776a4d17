"""The pipeline pages with many projects: board, my tasks, project list and its XLSX export.

Usage: .venv/bin/python benchmarks/procurement_pages.py [--projects 2000]
       (PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres, same command)
Works in a test database it creates and drops, on top of the demo. Prints, per page, the number of
queries and the median time of 5 requests.
"""

import argparse
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import run_in_test_database, time_page


def _add_projects(count: int) -> None:
    """Projects spread over the stages of the current map (inserted in bulk: the pages are measured)."""
    from django.utils import timezone

    from mutualis.catalogue.models import PurchaseFamily
    from mutualis.organisations.models import Entity, User
    from mutualis.procurements.models import Lot, ProcessMap, Project

    today = timezone.localdate()
    stages = list(ProcessMap.objects.current().stages.all())
    families = list(PurchaseFamily.objects.all())
    buyer, legal = User.objects.get(username="acheteur"), User.objects.get(username="juriste")
    projects = Project.objects.bulk_create(
        Project(
            object=f"Consultation de banc d'essai n° {n}",
            family=families[n % len(families)],
            estimated_value=Decimal(50_000 + n),
            procedure="procedure_adaptee",
            procedure_explanation="Banc d'essai.",
            thresholds_version="banc",
            contract_procedure="Procédure adaptée",
            planned_launch_quarter="2027-T1",
            process_map=stages[0].process_map,
            stage=stages[n % len(stages)],
            stage_entered_on=today - timedelta(days=n % 40),
            stage_due_on=today + timedelta(days=(n % 60) - 30),
            buyer=buyer,
            legal_officer=legal,
            is_emergency=n % 97 == 0,
            emergency_justification="Banc d'essai." if n % 97 == 0 else "",
        )
        for n in range(count)
    )
    entities = list(Entity.objects.values_list("pk", flat=True))
    through = Project.entities.through
    through.objects.bulk_create(
        through(project_id=p.pk, entity_id=entities[i % len(entities)]) for i, p in enumerate(projects)
    )
    Lot.objects.bulk_create(
        Lot(project=p, number=1, title=p.object, estimated_value=p.estimated_value) for p in projects
    )


def measure(count: int) -> None:
    from django.db import connection
    from django.test import Client

    from mutualis.demo.services import load_demo
    from mutualis.organisations.models import User

    load_demo()
    _add_projects(count)
    client = Client()
    client.force_login(User.objects.get(username="acheteur"))
    print(f"{count} projets de plus que la démonstration ({connection.vendor})")
    for label, url in [
        ("tableau par étape", "/projets/tableau/"),
        ("mes tâches (page 1)", "/projets/mes-taches/"),
        ("liste des projets (page 1)", "/projets/"),
        ("liste filtrée : en retard", "/projets/?late=true"),
        ("export XLSX de la liste", "/projets/?export=xlsx"),
    ]:
        queries, seconds = time_page(client, url)
        print(f"  {label:32} {queries:3} requêtes  {seconds * 1000:8.1f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=2000)
    args = parser.parse_args()
    run_in_test_database(lambda: measure(args.projects))
