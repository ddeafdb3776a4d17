"""The open-data page (« Données ouvertes ») and its downloads, on the demo.

Usage: .venv/bin/python benchmarks/opendata_page.py
       (PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres, same command)
Works in a test database it creates and drops, on top of the demo. Prints the time the background
worker takes to build and validate both exports, then, per page, the number of queries and the median
time of 5 requests. Run against an older checkout (PYTHONPATH=<checkout>/src), where the page built the
exports on every visit, it measures the page as it was (no preparation step there).
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import run_in_test_database, time_page


def measure() -> None:
    from django.db import connection
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from mutualis.contracts.models import Contract
    from mutualis.demo.services import load_demo
    from mutualis.organisations.models import User

    load_demo()
    client = Client()
    client.force_login(User.objects.get(username="acheteur"))
    print(f"Démonstration : {Contract.objects.count()} contrats ({connection.vendor})")
    try:
        prepare = reverse("opendata:exports_prepare")
    except NoReverseMatch:
        print("  (pas d'étape de préparation : la page construit les exports à chaque visite)")
    else:
        start = time.perf_counter()  # the test profile runs the background job at once
        assert client.post(prepare).status_code == 302
        print(f"  {'préparation (tâche de fond)':32}      {(time.perf_counter() - start) * 1000:8.1f} ms")
    for label, url in [
        ("page Données ouvertes", reverse("opendata:exports")),
        ("téléchargement DECP", reverse("opendata:decp_export")),
        ("téléchargement OCDS", reverse("opendata:ocds_export")),
    ]:
        queries, seconds = time_page(client, url)
        print(f"  {label:32} {queries:3} requêtes  {seconds * 1000:8.1f} ms")


if __name__ == "__main__":
    run_in_test_database(measure)
