"""The steering indicators over a large registry: compute() for the latest year (territory, one entity,
one family), GET /api/v1/indicators/, the cockpit page /pilotage/ and the home page, as the director.

Usage: .venv/bin/python benchmarks/steering.py [--contracts 1000000] [--runs 7] [--explain] [--keep]
       (PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/<name>, same command)
Works in a test database it creates and drops. Data: benchmarks/steering_data.py (10 entities, 40
families, 5,000 suppliers, the contracts over 10 notification years, contracts / 50 projects with lots and
stage moves, 2,000 gains, 50,000 spend lines), inserted through the bulk path, then the steering cube
summed once. Prints the insert and summing times, then for each measure its queries, the median and the
max of the runs, and what keeping the cube costs one contract saved through the service. --explain
prints the plans of compute()'s slowest queries. --keep leaves the test database in place and reuses
it on the next run with --keep (the data and its cube are built once).
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import run_in_test_database


def timed(action, runs: int, before=None) -> tuple[int, float, float, object]:
    """Queries of the last run, median and max in ms, and the last result; `before` runs untimed
    before each run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    for _ in range(runs):
        if before:
            before()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = action()
            timings.append(time.perf_counter() - started)
    return len(queries), statistics.median(timings) * 1000, max(timings) * 1000, result


def check_json_lists(expected: dict, year: int) -> None:
    """The JSON lists were stored as Django stores them: has_element finds what was generated."""
    from mutualis.contracts.models import Contract
    from mutualis.steering.measures import ENVIRONMENTAL, RESERVED, SOCIAL

    of_year = Contract.objects.filter(notification_date__year=year)
    found = {
        "social_2026": of_year.filter(SOCIAL).count(),
        "reserved_2026": of_year.filter(RESERVED).count(),
        "environmental_2026": of_year.filter(ENVIRONMENTAL).count(),
    }
    assert found == expected, (found, expected)
    print(f"JSON lists read back by has_element: {found}")


def explain_slowest(action, count: int = 4) -> None:
    """The plans of the slowest queries of one run of `action`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        action()
    slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))
    print(
        "\nqueries of one run, slowest first (ms): "
        + ", ".join(f"{float(q['time']) * 1000:.0f}" for q in slowest)
    )
    slowest = slowest[:count]
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    for query in slowest:
        print(f"\n--- {float(query['time']) * 1000:.1f} ms: {query['sql'][:600]}")
        with connection.cursor() as cursor:
            cursor.execute(prefix + query["sql"])
            for row in cursor.fetchall():
                print("   ", " | ".join(str(cell) for cell in row))


def reuse():
    """The director, entities and families of a data set left by an earlier run with --keep, if any."""
    from django.db.models import Q

    from mutualis.catalogue.models import PurchaseFamily
    from mutualis.organisations.models import Entity, User

    director = User.objects.filter(username="directeur-bench").first()
    if director is None:
        return None
    named = Q(name="CHU support") | Q(name__startswith="Centre hospitalier ")
    entities = list(Entity.objects.filter(named).order_by("pk"))
    families = list(PurchaseFamily.objects.filter(code__startswith="BENCH-").order_by("code"))
    return director, entities, families


def measure(contract_count: int, runs: int, explain: bool, keep: bool = False) -> None:
    from steering_data import YEARS, populate

    from mutualis.steering.cube import cube_build, cube_ready

    year = YEARS[-1]
    found = reuse() if keep else None
    if found:
        director, entities, families = found
        print("data set of an earlier run reused (--keep)")
    else:
        director, entities, families, expected = populate(contract_count)
        check_json_lists(expected, year)
    if found and cube_ready():
        print("steering cube of the earlier run kept (the service writes since kept it up to date)")
    else:
        started = time.perf_counter()
        cube_build()  # the rows went in through the bulk path, which the cube does not hear
        print(f"steering cube summed in {time.perf_counter() - started:.1f} s")
    measure_all(director, entities, families, year, runs, explain)
    measure_write(director, entities, families, year, runs)


def measure_write(director, entities, families, year: int, runs: int) -> None:
    """What keeping the cube costs a write: one contract saved through the service, with its holder."""
    from datetime import date
    from decimal import Decimal

    from mutualis.contracts.models import Contract
    from mutualis.contracts.services import HolderInput, contract_save
    from mutualis.suppliers.models import Supplier

    supplier = Supplier.objects.first()
    template = Contract.objects.filter(notification_date__year=year, buyer=entities[3]).first()
    start = Contract.objects.filter(reference__startswith="BENCH").count()  # a kept database has some
    counter = iter(range(start, start + 10**6))

    def save():
        contract = Contract.objects.get(pk=template.pk)
        contract.pk, contract.id, contract.version = None, None, 1
        contract.reference = f"BENCH{next(counter):06d}"
        contract.notification_date, contract.amount = date(year, 5, 1), Decimal("12345.00")
        contract_save(actor=director, contract=contract, holders=[HolderInput(supplier)], available_to=[])

    count, median, worst, _ = timed(save, runs)
    print(f"{'contract_save (one new contract, cube kept)':<52} {count:>8} {median:>10.1f} {worst:>8.1f}")


def measure_all(director, entities, families, year: int, runs: int, explain: bool) -> None:
    from django.test import Client

    from mutualis.steering.indicators import Scope, compute

    print(f"{'measure':<52} {'queries':>8} {'median ms':>10} {'max ms':>8}")

    def show(label, count, median, worst):
        print(f"{label:<52} {count:>8} {median:>10.1f} {worst:>8.1f}")

    scopes = [
        (f"compute({year}), territory", Scope(year)),
        (f"compute({year}), one entity", Scope(year, entity=entities[3])),
        (f"compute({year}), one family", Scope(year, family=families[0])),
    ]
    # Cold: as after any write to the registry, the cached territory-wide figures are left behind
    # (steering/figures_cache.py); warm: the same figures asked again before the next write.
    try:
        from mutualis.steering.figures_cache import bump as cold
    except ImportError:  # a tree from before the cache, measured on the same kept data (--keep)
        cold = None
    for label, scope in scopes:
        if cold:
            count, median, worst, _ = timed(lambda s=scope: compute(s, director), runs, before=cold)
            show(label + ", cold", count, median, worst)
        count, median, worst, _ = timed(lambda s=scope: compute(s, director), runs)
        show(label + (", warm" if cold else ""), count, median, worst)
    values = compute(Scope(year), director)
    print("  " + ", ".join(f"{code}={item.value}" for code, item in values.items()))

    api = f"/api/v1/indicators/?year={year}"
    pages = [
        (f"GET /api/v1/indicators/?year={year}", api),
        (
            "GET /api/v1/indicators/ (one entity)",
            f"/api/v1/indicators/?year={year}&entity={entities[3].siret}",
        ),
        (
            "GET /api/v1/indicators/ (one family)",
            f"/api/v1/indicators/?year={year}&family={families[0].code}",
        ),
        (f"GET /pilotage/?year={year} (cockpit)", f"/pilotage/?year={year}"),
        ("GET / (home, administrator)", "/"),
    ]
    client = Client()
    client.force_login(director)
    for label, url in pages:

        def get(url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        get()  # the first request warms the templates and the session
        if cold:
            count, median, worst, _ = timed(get, runs, before=cold)
            show(label + ", cold", count, median, worst)
        count, median, worst, _ = timed(get, runs)
        show(label + (", warm" if cold else ""), count, median, worst)

    if explain:
        if cold:
            cold()
        explain_slowest(lambda: compute(Scope(year), director))
        print("\n=== GET / (home, administrator)")
        if cold:
            cold()
        explain_slowest(lambda: client.get("/"), count=3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--explain", action="store_true", help="print the plans of compute()'s slowest queries"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the test database, and reuse the one kept before"
    )
    args = parser.parse_args()
    run_in_test_database(lambda: measure(args.contracts, args.runs, args.explain, args.keep), keep=args.keep)


if __name__ == "__main__":
    main()
