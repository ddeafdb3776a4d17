"""Portal load: 50 anonymous clients against the public portal's home and planned-purchases list, and
against a minimal Django view served by the same gunicorn (the floor), in the same run.

Usage: .venv/bin/python benchmarks/portal_load.py [--clients 50] [--duration 20] [--workers 2]
       [--database-url postgres://postgres@127.0.0.1:5432/postgres]

It builds a throw-away database (a SQLite file by default; with --database-url, a database
mutualis_portal_load created on that local PostgreSQL server and dropped at the end), migrates it and
loads the demo (its planned projects are published), collects the static files, and starts
`gunicorn` with the production profile through benchmarks/portal_floor.py (its URLconf,
portal_floor_urls.py: the application's URLs plus `/plancher/`). Each target is then run on its own
for `duration` seconds by `clients` threads requesting it in a loop without pause, with no conditional
headers (the pages come from the server's per-page cache after the first request); between two
targets it waits for the closed connections in TIME_WAIT to drain, so that no target pays for the
previous one's local ports. Printed per target: requests, errors, requests/s, median and p95, and the
ratio of its throughput to the floor's. The clients run on the same machine as the server and share
its cores: on a small shared machine the figures are noisy. Only 127.0.0.1 is ever contacted (load.py's
Client).
"""

import argparse
import http.client
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from harness import drop_postgres_database
from load import HOST, Client, Results, free_port, percentile, production_environment, wait_for

DATABASE = "mutualis_portal_load"
TARGETS = [
    ("plancher", "/plancher/"),
    ("portail : accueil", "/portail/"),
    ("achats prévus", "/portail/achats-prevus/"),
]
BENCHMARKS = Path(__file__).resolve().parent


def hammer(port: int, path: str, deadline: float, results: Results, label: str) -> None:
    client = Client(port)
    while time.monotonic() < deadline:
        start = time.perf_counter()
        try:
            status, _, _ = client.request("GET", path)
            error = None if status == 200 else f"{path} → {status}"
        except (OSError, http.client.HTTPException) as failure:
            error = f"{path} → {type(failure).__name__}"
        results.record(label, time.perf_counter() - start, error)


def run_target(
    port: int, label: str, path: str, clients: int, duration: float
) -> tuple[int, int, float, float, float]:
    results = Results()
    deadline = time.monotonic() + duration
    threads = [
        threading.Thread(target=hammer, args=(port, path, deadline, results, label)) for _ in range(clients)
    ]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    values = results.latencies[label]
    for error in results.errors[:5]:
        print("erreur :", error)
    return (
        len(values),
        len(results.errors),
        len(values) / elapsed,
        statistics.median(values),
        percentile(values, 0.95),
    )


def settle(limit: int = 1000, seconds: float = 75) -> None:
    """Wait for the sockets in TIME_WAIT to drain: the floor alone opens ~30 000 connections in 20 s,
    near the range of local ports, and the next target would pay for finding a free one."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            fields = Path("/proc/net/sockstat").read_text().split("TCP:")[1].split()
            waiting = int(fields[fields.index("tw") + 1])
        except (OSError, IndexError, ValueError):
            return  # not Linux: nothing to read, nothing to wait for
        if waiting < limit:
            return
        time.sleep(1)


def postgres_database(admin_url: str) -> str:
    import psycopg

    parts = urllib.parse.urlsplit(admin_url)
    if parts.hostname not in {HOST, "localhost"}:
        raise SystemExit("Ce banc d'essai ne vise qu'un serveur local (127.0.0.1).")
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    return urllib.parse.urlunsplit(parts._replace(path=f"/{DATABASE}"))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=20, help="secondes par cible")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--database-url", default="", help="serveur PostgreSQL local (défaut : un fichier SQLite)"
    )
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="mutualis-portal-load-"))
    environment = production_environment(
        data_dir,
        DATABASE_URL=postgres_database(args.database_url) if args.database_url else "",
        # This checkout's code, whichever checkout the virtual environment was installed from.
        PYTHONPATH=os.pathsep.join(
            filter(None, [str(BENCHMARKS.parent / "src"), os.environ.get("PYTHONPATH")])
        ),
    )
    mutualis = [sys.executable, "-m", "mutualis"]
    server = None
    try:
        started = time.perf_counter()
        for command in (["migrate", "--no-input"], ["load_demo"], ["collectstatic", "--no-input"]):
            subprocess.run(  # noqa: S603 (our own command, fixed arguments)
                mutualis + command, env=environment, check=True, stdout=subprocess.DEVNULL
            )
        print(f"base de démonstration prête en {time.perf_counter() - started:.0f} s")
        port = free_port()
        served = dict(
            environment,
            DJANGO_SETTINGS_MODULE="portal_floor",
            PYTHONPATH=os.pathsep.join(filter(None, [str(BENCHMARKS), environment.get("PYTHONPATH", "")])),
        )
        server = subprocess.Popen(  # noqa: S603 (gunicorn, fixed arguments)
            [sys.executable, "-m", "gunicorn", "mutualis.wsgi", "--workers", str(args.workers),
             "--bind", f"{HOST}:{port}", "--log-level", "warning"],
            env=served,
        )  # fmt: skip
        wait_for(port, server)
        database = "PostgreSQL" if args.database_url else "SQLite"
        print(
            f"{args.clients} clients sans pause, {args.duration:.0f} s par cible, gunicorn {args.workers} "
            f"processus, {database}, clients et serveur sur la même machine"
        )
        print(
            f"{'cible':<22}{'n':>7}{'erreurs':>9}{'req/s':>9}{'médiane ms':>12}{'p95 ms':>9}"
            f"{'/ plancher':>11}"
        )
        floor_rate = None
        for label, path in TARGETS:
            settle()
            Client(port).request("GET", path)  # the first render fills the page's cache
            count, errors, rate, median, p95 = run_target(port, label, path, args.clients, args.duration)
            floor_rate = floor_rate or rate
            print(
                f"{label:<22}{count:>7}{errors:>9}{rate:>9.1f}{median * 1000:>12.0f}{p95 * 1000:>9.0f}"
                f"{rate / floor_rate:>11.2f}"
            )
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
        if args.database_url:
            drop_postgres_database(args.database_url, DATABASE)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
