"""The spend map (cartographie des achats) over many payment orders: the map's reads (spend/spendmap.py:
grid, suppliers, years, splitting check), then the rendered page as a buyer and as a referent, the
workbook, and the spend line list behind a figure.

Usage: .venv/bin/python benchmarks/spend_map.py [--rows 1000000] [--runs 7] [--explain]
       (PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/<name>, same command)
Works in a test database it creates and drops. Lines spread over 10 entities, 40 families (few large,
many small), 2,000 suppliers, 3 fiscal years, about 70 % under contract. Prints the insert time, then
for each measure its queries, the median and the max of the runs.
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

from harness import run_in_test_database

YEARS = (2024, 2025, 2026)
BATCH = 10_000
NATURES = ("fournitures", "services", "travaux")


def populate(row_count: int):
    """The territory, its contracts and its spend lines; returns a buyer, a referent and the entities."""
    from django.db import connection

    from mutualis.catalogue.models import PurchaseFamily
    from mutualis.organisations.models import Entity, Membership, User
    from mutualis.organisations.roles import Role
    from mutualis.spend.models import MatchMethod, SpendLine
    from tests.contracts.factories import make_contract
    from tests.organisations.factories import make_siret

    rng = random.Random(20261130)
    support = Entity.objects.create(name="CHU support", siret=make_siret(), kind="support")
    entities = [support] + [
        Entity.objects.create(name=f"Centre hospitalier {n:02d}", siret=make_siret()) for n in range(1, 10)
    ]
    families = [
        PurchaseFamily.objects.create(code=f"BENCH-{n:02d}", label=f"Famille {n:02d}", nature=NATURES[n % 3])
        for n in range(40)
    ]
    contracts = [
        make_contract(buyer=support, available_to=entities[1:], family=family, reference=f"BENCH-{n:02d}")
        for n, family in enumerate(families)
    ]
    sirets = [make_siret() for _ in range(2_000)]
    buyer = User.objects.create(username="acheteur-bench")
    Membership.objects.create(user=buyer, entity=support, role=Role.BUYER)
    referent = User.objects.create(username="referent-bench")
    Membership.objects.create(user=referent, entity=entities[3], role=Role.REFERENT)

    # A few families and suppliers carry most of the spend, as in real accounts.
    family_weights = [1 / (n + 1) for n in range(len(families))]
    supplier_weights = [1 / (n + 1) ** 0.8 for n in range(len(sirets))]
    start = time.perf_counter()
    batch = []
    for index in range(row_count):
        year = YEARS[index % 3]
        family_index = rng.choices(range(len(families)), family_weights)[0]
        siret = rng.choices(sirets, supplier_weights)[0]
        on_contract = rng.random() < 0.7
        batch.append(
            SpendLine(
                entity=entities[index % 10],
                fiscal_year=year,
                mandate_number=f"{index:08d}",
                paid_on=date(year, 1, 1) + timedelta(days=rng.randint(0, 364)),
                supplier_siret=siret,
                supplier_siren=siret[:9],
                supplier_name=f"Entreprise {siret[:9]}",
                amount_ht=Decimal(rng.randint(500, 500_000)) / 100,
                account="6021",
                contract=contracts[family_index] if on_contract else None,
                # Some off-contract lines are in no family: accounts the mapping does not know.
                family=None if not on_contract and rng.random() < 0.03 else families[family_index],
                match_method=MatchMethod.REFERENCE if on_contract else MatchMethod.OFF_CONTRACT,
            )
        )
        if len(batch) == BATCH:
            SpendLine.objects.bulk_create(batch)
            batch = []
    SpendLine.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        # What autovacuum does after such an insert: statistics and the visibility map.
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {SpendLine._meta.db_table}")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"database: {connection.vendor}; spend lines: {SpendLine.objects.count()}; "
          f"inserted in {time.perf_counter() - start:.1f} s")  # fmt: skip
    # What every import does at its end for its entity: the map's cubes, summed in SQL.
    from mutualis.spend.cube import spend_cube_refresh
    from mutualis.spend.models import SpendFamilyCell, SpendSupplierCell

    started = time.perf_counter()
    spend_cube_refresh()
    family_cells, supplier_cells = SpendFamilyCell.objects.count(), SpendSupplierCell.objects.count()
    print(f"cubes rebuilt from every line in {time.perf_counter() - started:.1f} s: "
          f"{family_cells} family cells, {supplier_cells} supplier cells")  # fmt: skip
    started = time.perf_counter()
    spend_cube_refresh([entities[0].pk])
    print(f"cubes of one entity (a tenth of the lines) rebuilt in {time.perf_counter() - started:.2f} s")
    return buyer, referent, entities, families


def timed(action, runs: int) -> tuple[int, float, float, object]:
    """Queries of the last run, median and max in ms, and the last result."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = action()
            timings.append(time.perf_counter() - started)
    return len(queries), statistics.median(timings) * 1000, max(timings) * 1000, result


def _explain(cells, group_by) -> str:
    from django.db.models import Sum

    query = cells.order_by().values(*group_by, "off").annotate(amount=Sum("amount"), count=Sum("lines"))
    return query.explain(analyze=True) if _postgres() else query.explain()


def _postgres() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def measure(row_count: int, runs: int, explain: bool = False) -> None:
    from django.test import Client

    from mutualis.core.scoping import scoped
    from mutualis.spend.models import SpendFamilyCell, SpendLine
    from mutualis.spend.spendmap import spend_map, sums

    buyer, referent, entities, families = populate(row_count)
    lines = scoped(SpendLine.objects.all(), buyer)
    cells = scoped(SpendFamilyCell.objects.all(), buyer)
    print(f"{'measure':<48} {'queries':>8} {'median ms':>10} {'max ms':>8}")

    def show(label, count, median, worst):
        print(f"{label:<48} {count:>8} {median:>10.1f} {worst:>8.1f}")

    count, median, worst, result = timed(lambda: spend_map(lines, cells), runs)
    show("map reads (latest year, whole territory)", count, median, worst)
    print(f"  {result.year}: {result.total.total} € HT, {result.total.lines} lines, "
          f"{len(result.rows)} families, {len(result.splitting.flags)} splitting flags")  # fmt: skip
    count, median, worst, _ = timed(lambda: spend_map(lines, cells, family=families[0]), runs)
    show("map reads (one family)", count, median, worst)
    year = result.year
    for label, group_by, narrowed in [
        ("  query: years", ("fiscal_year",), cells),
        ("  query: family × entity", ("family", "entity"), cells.filter(fiscal_year=year)),
    ]:
        count, median, worst, _ = timed(lambda g=group_by, n=narrowed: sums(n, *g), runs)
        show(label, count, median, worst)
        if explain:
            print(_explain(narrowed, group_by))

    pages = [
        ("map page, buyer", buyer, "/depenses/"),
        ("map page, buyer, 2025, one entity", buyer, f"/depenses/?fiscal_year=2025&entity={entities[4].pk}"),
        ("map page, buyer, one family", buyer, f"/depenses/?family={families[1].pk}"),
        ("map page, referent (one entity)", referent, "/depenses/"),
        ("map workbook (XLSX), buyer", buyer, "/depenses/cartographie.xlsx"),
        (
            "line list behind a cell, page 1",
            buyer,
            f"/depenses/lignes/?fiscal_year=2026&entity={entities[2].pk}&family={families[5].pk}",
        ),
    ]
    for label, user, url in pages:
        client = Client()
        client.force_login(user)

        def get(client=client, url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        client.get(url)  # the first request warms the templates and the session
        count, median, worst, _ = timed(get, runs)
        show(label, count, median, worst)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--explain", action="store_true", help="print the plans of the three grouped queries")
    args = parser.parse_args()
    run_in_test_database(lambda: measure(args.rows, args.runs, args.explain))


if __name__ == "__main__":
    main()
