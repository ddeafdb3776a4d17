"""Consolidation of a needs campaign with many lines: the time of `consolidate()` (aggregated in SQL).

Usage: .venv/bin/python benchmarks/consolidate_needs.py [--lines 1000000]
       (PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres, same command)
Works in a test database it creates and drops. Prints the insert time, then the median of 5 runs.
"""

import argparse
import random
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import run_in_test_database


def measure(line_count: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from mutualis.demo.services import load_demo
    from mutualis.needs.consolidation import consolidate
    from mutualis.needs.models import Campaign, NeedLine
    from mutualis.opendata.decp_import.bulk import insert_rows
    from mutualis.organisations.models import Entity

    load_demo()
    campaign = Campaign.objects.create(
        title="Banc d'essai", year=2027, deadline=date(2026, 12, 1), launch_date=date(2027, 2, 1)
    )
    families = list(campaign.families.model.objects.all())
    campaign.families.set(families)
    entities = list(Entity.objects.values_list("pk", flat=True))
    rng = random.Random(1)
    start = time.perf_counter()
    now = timezone.now()
    fields = [
        "campaign",
        "entity",
        "family",
        "description",
        "unit",
        "estimated_amount",
        "recurrence",
        "status",
        "created_at",
        "updated_at",
        "version",  # optimistic locking's counter: a record starts at 1
    ]
    batch = []
    for index in range(line_count):
        batch.append(
            (
                campaign.pk,
                rng.choice(entities),
                rng.choice(families).pk,
                "besoin",
                "",
                Decimal(rng.randrange(100, 100_000)),
                rng.choice(["recurring", "one_off"]),
                rng.choice(["submitted", "validated", "draft"]),
                now,
                now,
                1,
            )
        )
        if len(batch) == 20_000 or index == line_count - 1:
            insert_rows(NeedLine, fields, batch)
            batch.clear()
    print(
        f"database: {connection.vendor}; {line_count} lines, {len(families)} families, "
        f"inserted in {time.perf_counter() - start:.1f} s"
    )
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        rows = consolidate(campaign)
        timings.append(time.perf_counter() - start)
    print(
        f"consolidate(): median {statistics.median(timings):.3f} s, best {min(timings):.3f} s "
        f"({len(rows)} families, total {sum(r.estimated_value for r in rows):,.0f} € HT)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    args = parser.parse_args()
    run_in_test_database(lambda: measure(args.lines))


if __name__ == "__main__":
    main()
