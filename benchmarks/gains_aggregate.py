"""The year's synthesis of purchasing gains over many gains: the aggregation the page uses (every
breakdown: establishment, family, buyer, lever, stage), then the synthesis page and the gains list.

Usage: .venv/bin/python benchmarks/gains_aggregate.py [--gains 100000]
       (PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/<name>, same command)
Works in a test database it creates and drops. Gains spread over 5 years, 10 establishments,
30 families, 20 buyers, every kind, lever, stage and status. Prints the insert time, then for each
measure its queries and the median of 5 runs.
"""

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import run_in_test_database, time_page

YEARS = (2022, 2023, 2024, 2025, 2026)
BATCH = 5_000


def populate(gain_count: int):
    """The territory and its gains; returns the administrator who reads them and the establishments."""
    from django.db import connection

    from mutualis.catalogue.models import PurchaseFamily
    from mutualis.gains.method import GainKind
    from mutualis.gains.models import Gain, GainStage, GainStatus, GainTarget, Lever, ReferenceSource
    from mutualis.organisations.models import Entity, Membership, User
    from mutualis.organisations.roles import Role
    from tests.organisations.factories import make_siret

    rng = random.Random(20261130)
    support = Entity.objects.create(name="CHU support", siret=make_siret(), kind="support")
    entities = [support] + [
        Entity.objects.create(name=f"Centre hospitalier {n:02d}", siret=make_siret()) for n in range(1, 10)
    ]
    families = [
        PurchaseFamily.objects.create(code=f"BENCH-{n:02d}", label=f"Famille {n:02d}", nature="supplies")
        for n in range(30)
    ]
    buyers = []
    for n in range(20):
        user = User.objects.create(username=f"acheteur{n:02d}", first_name="Acheteur", last_name=f"{n:02d}")
        Membership.objects.create(user=user, entity=support, role=Role.BUYER)
        buyers.append(user)
    admin = User.objects.create(username="admin-bench")
    Membership.objects.create(user=admin, entity=support, role=Role.ADMIN)
    GainTarget.objects.create(year=2026, amount=Decimal("25000000"))

    kinds, levers, stages = GainKind.values, Lever.values, GainStage.values
    # Most gains end up declared or validated; some are still proposed or returned.
    statuses, weights = GainStatus.values, [15, 35, 45, 5]
    start = time.perf_counter()
    batch = []
    for index in range(gain_count):
        kind = rng.choice(kinds)
        year = rng.choice(YEARS)
        reference = Decimal(rng.randint(1_000, 500_000))
        gain = Gain(
            label=f"Gain de banc d'essai {index:06d}",
            entity=rng.choice(entities),
            family=rng.choice(families) if rng.random() > 0.02 else None,
            buyer=rng.choice(buyers),
            kind=kind,
            reference_source=ReferenceSource.PREVIOUS_CONTRACT,
            reference_unit_price=reference,
            # Mostly savings, a few surcharges (a dearer new situation).
            new_unit_price=(reference * Decimal(rng.randint(70, 105)) / 100).quantize(Decimal("0.01")),
            quantity=Decimal(1),
            amortisation_years=rng.randint(3, 10) if kind == GainKind.INVESTMENT else None,
            notification_date=date(year, 1, 1) + timedelta(days=rng.randint(0, 364)),
            lever=rng.choice(levers),
            stage=rng.choice(stages),
            status=rng.choices(statuses, weights)[0],
        )
        gain.recompute()
        batch.append(gain)
        if len(batch) == BATCH:
            Gain.objects.bulk_create(batch)
            batch = []
    Gain.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        # What autovacuum does after such an insert: statistics, and the visibility map that lets the
        # synthesis read its covering index alone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE gains_gain")
    print(f"database: {connection.vendor}; gains: {Gain.objects.count()}; "
          f"inserted in {time.perf_counter() - start:.1f} s")  # fmt: skip
    return admin, entities


def measure(gain_count: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from mutualis.core.scoping import scoped
    from mutualis.gains.models import Gain
    from mutualis.gains.summary import year_summary

    admin, entities = populate(gain_count)
    gains = scoped(Gain.objects.all(), admin)
    timings = []
    for _ in range(5):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            summary = year_summary(gains, 2026)
            timings.append(time.perf_counter() - started)
    totals = summary.totals
    print(
        f"2026: {totals.records} gains counted, total {totals.total} €, validated {totals.validated_total} €"
    )
    print(f"{'measure':<40} {'queries':>8} {'median ms':>10}")
    median = statistics.median(timings) * 1000
    print(f"{'aggregation (5 breakdowns + target)':<40} {len(queries):>8} {median:>10.1f}")

    client = Client()
    client.force_login(admin)
    for label, url in [
        ("synthesis page", "/gains/?year=2026"),
        ("synthesis XLSX", "/gains/synthese.xlsx?year=2026"),
        ("gains list, year 2026, page 1", "/gains/liste/?year=2026"),
        ("gains list, counted, by entity", f"/gains/liste/?year=2026&counted=true&entity={entities[3].pk}"),
    ]:
        count, median = time_page(client, url)
        print(f"{label:<40} {count:>8} {median * 1000:>10.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gains", type=int, default=100_000)
    args = parser.parse_args()
    run_in_test_database(lambda: measure(args.gains))


if __name__ == "__main__":
    main()
