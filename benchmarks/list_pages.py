"""Time of the list pages and their exports with many rows.

Usage: .venv/bin/python benchmarks/list_pages.py [--suppliers 20000]
PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres (same command). The script works in
a test database it creates and drops (test_<name>), never in the configured one.
Prints, per page: SQL queries and median time of 5 requests.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import run_in_test_database


def measure(supplier_count: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from mutualis.demo.services import load_demo
    from mutualis.organisations.models import User
    from mutualis.suppliers.models import Supplier
    from tests.organisations.factories import make_siret

    load_demo()
    sirets = {make_siret() for _ in range(supplier_count)}
    Supplier.objects.bulk_create(
        [Supplier(identifier=s, siren=s[:9], name=f"Entreprise {i:06d}") for i, s in enumerate(sirets)],
        batch_size=5000,
        ignore_conflicts=True,
    )
    print(f"database: {connection.vendor}; suppliers: {Supplier.objects.count()}")

    client = Client()
    client.force_login(User.objects.get(username="acheteur"))
    pages = [
        ("supplier list, page 1", "/fournisseurs/", {}),
        ("supplier list, search", "/fournisseurs/", {"q": "Entreprise 0001"}),
        ("supplier list, last page", "/fournisseurs/", {"page": -(-Supplier.objects.count() // 25)}),
        ("supplier export CSV (all rows)", "/fournisseurs/", {"export": "csv"}),
        ("supplier export XLSX (all rows)", "/fournisseurs/", {"export": "xlsx"}),
        ("family list", "/catalogue/familles/", {}),
        ("CPV list, search", "/catalogue/cpv/", {"q": "seringues"}),
    ]
    print(f"{'page':<34} {'queries':>8} {'median ms':>10}")
    for label, url, params in pages:
        timings = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url, params)
                timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        print(f"{label:<34} {len(queries):>8} {statistics.median(timings):>10.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suppliers", type=int, default=20_000)
    args = parser.parse_args()

    run_in_test_database(lambda: measure(args.suppliers))


if __name__ == "__main__":
    main()
