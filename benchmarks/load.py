"""Load: N logged-in clients browse the main pages of the demo against gunicorn on PostgreSQL.

Usage: .venv/bin/python benchmarks/load.py [--clients 50] [--duration 120] [--workers 2] [--think 1.0]
       [--admin-url postgres://postgres@127.0.0.1:5432/postgres]

It creates a throw-away database (mutualis_load) on the PostgreSQL server, migrates it, loads the demo,
collects the static files, starts `gunicorn mutualis.wsgi` with the production profile on 127.0.0.1,
then runs the clients: each logs in as one of the demo accounts (all roles in turn), finds detail pages
in the lists it is allowed to see, and requests its pages in a loop until the end, waiting `think`
seconds on average between two pages (uniformly 0.5x to 1.5x; 0 for no pause). It prints the number of
requests, errors (any status other than 200, or no answer within 30 s), throughput and the latency
percentiles, overall and per page, then drops the database.

The clients only ever talk to 127.0.0.1: the request loop is bounded in time and never leaves the machine.
Requests carry `X-Forwarded-Proto: https`, as the HTTPS proxy of the production recipe does.
"""

import argparse
import http.client
import os
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"  # never anything else: see the module's docstring
DATABASE = "mutualis_load"
PASSWORD = "demo-mutualis"  # noqa: S105 (the demo accounts' published password)
ACCOUNTS = [
    "acheteur",
    "referent",
    "juriste",
    "prescripteur",
    "admin",
    "correspondant",
    "acheteuse",
    "gouvernance",
]
# (label, path) browsed by every client; detail pages are found in the lists the client sees.
PAGES = [
    ("accueil", "/"),
    ("contrats", "/contrats/"),
    ("contrats (recherche)", "/contrats/?q=nettoyage"),
    ("contrats utilisables", "/contrats/utilisables/"),
    ("échéancier", "/contrats/echeancier/"),
    ("projets", "/projets/"),
    ("tableau des projets", "/projets/tableau/"),
    ("mes tâches", "/projets/mes-taches/"),
    ("fournisseurs", "/fournisseurs/"),
    ("besoins", "/besoins/"),
    ("lignes de besoin", "/besoins/lignes/"),
    ("familles", "/catalogue/familles/"),
    ("entités", "/organisations/entites/"),
    ("notifications", "/notifications/"),
]
DETAILS = [
    ("fiche contrat", "/contrats/", r'href="(/contrats/\d+/)"'),
    ("fiche projet", "/projets/", r'href="(/projets/\d+/)"'),
    ("fiche fournisseur", "/fournisseurs/", r'href="(/fournisseurs/\d+/)"'),
]


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, label: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies[label].append(seconds)
            if error:
                self.errors.append(f"{label}: {error}")


class Client:
    """One browser: its cookies, a login, and GETs through the HTTPS proxy's headers."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str, dict]:
        headers = {
            "Host": f"{HOST}:{self.port}",
            "X-Forwarded-Proto": "https",
            "Referer": f"https://{HOST}:{self.port}/compte/connexion/",
            "Connection": "close",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
            return response.status, text, dict(response.getheaders())
        finally:
            connection.close()

    def log_in(self, username: str) -> None:
        _, page, _ = self.request("GET", "/compte/connexion/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
        )
        status, _, _ = self.request("POST", "/compte/connexion/", form)
        if status != 302:
            raise RuntimeError(f"connexion de {username} refusée ({status})")

    def pages(self) -> list[tuple[str, str]]:
        found = list(PAGES)
        for label, list_path, pattern in DETAILS:
            _, text, _ = self.request("GET", list_path)
            found += [(label, path) for path in sorted(set(re.findall(pattern, text)))[:5]]
        return found


def browse(port: int, username: str, deadline: float, think: float, results: Results, seed: int) -> None:
    randomness = random.Random(seed)
    client = Client(port)
    try:
        client.log_in(username)
        pages = client.pages()
    except Exception as error:  # a client that cannot start is an error, not a crash of the run
        results.record("connexion", 0.0, f"{username}: {error}")
        return
    while time.monotonic() < deadline:
        label, path = randomness.choice(pages)
        start = time.perf_counter()
        try:
            status, _, _ = client.request("GET", path)
            error = None if status == 200 else f"{path} → {status}"
        except (OSError, http.client.HTTPException) as failure:
            error = f"{path} → {type(failure).__name__}"
        results.record(label, time.perf_counter() - start, error)
        if think:
            time.sleep(randomness.uniform(0.5 * think, 1.5 * think))


def percentile(values: list[float], share: float) -> float:
    return (
        statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]
        if len(values) > 1
        else values[0]
    )


def report(results: Results, duration: float) -> None:
    everything = [v for values in results.latencies.values() for v in values]
    print(
        f"requêtes : {len(everything)}   erreurs : {len(results.errors)}   "
        f"débit : {len(everything) / duration:.1f}/s"
    )
    print(f"{'page':<24}{'n':>7}{'médiane ms':>12}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for label, values in sorted(results.latencies.items(), key=lambda item: item[0]):
        if label == "connexion":
            continue
        print(
            f"{label:<24}{len(values):>7}{statistics.median(values) * 1000:>12.0f}"
            f"{percentile(values, 0.95) * 1000:>9.0f}{percentile(values, 0.99) * 1000:>9.0f}"
            f"{max(values) * 1000:>9.0f}"
        )
    if everything:
        print(
            f"{'ensemble':<24}{len(everything):>7}{statistics.median(everything) * 1000:>12.0f}"
            f"{percentile(everything, 0.95) * 1000:>9.0f}{percentile(everything, 0.99) * 1000:>9.0f}"
            f"{max(everything) * 1000:>9.0f}"
        )
    for error in results.errors[:20]:
        print("erreur :", error)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def wait_for(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn s'est arrêté au démarrage")
        try:
            socket.create_connection((HOST, port), 1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn ne répond pas")


def recreate_database(admin_url: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    parts = urllib.parse.urlsplit(admin_url)
    if parts.hostname not in {HOST, "localhost"}:
        raise SystemExit("Ce banc d'essai ne vise qu'un serveur local (127.0.0.1).")
    return urllib.parse.urlunsplit(parts._replace(path=f"/{DATABASE}"))


def drop_database(admin_url: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=120)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--think", type=float, default=1.0, help="pause moyenne entre deux pages, en secondes"
    )
    parser.add_argument("--admin-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="mutualis-load-"))
    environment = dict(
        os.environ,
        MUTUALIS_ENV="production",
        MUTUALIS_SECRET_KEY=secrets.token_urlsafe(40),
        MUTUALIS_ALLOWED_HOSTS=HOST,
        MUTUALIS_DATA_DIR=str(data_dir),
        MUTUALIS_STATIC_ROOT=str(data_dir / "static"),
        MUTUALIS_LOG_LEVEL="WARNING",
        DATABASE_URL=recreate_database(args.admin_url),
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
        server = subprocess.Popen(  # noqa: S603 (gunicorn, fixed arguments)
            [
                sys.executable,
                "-m",
                "gunicorn",
                "mutualis.wsgi",
                "--workers",
                str(args.workers),
                "--bind",
                f"{HOST}:{port}",
                "--log-level",
                "warning",
            ],
            env=environment,
        )
        wait_for(port, server)
        results = Results()
        deadline = time.monotonic() + args.duration
        clients = [
            threading.Thread(
                target=browse,
                args=(port, ACCOUNTS[n % len(ACCOUNTS)], deadline, args.think, results, n),
            )
            for n in range(args.clients)
        ]
        began = time.monotonic()
        for client in clients:
            client.start()
        for client in clients:
            client.join()
        print(
            f"{args.clients} clients connectés, {args.duration:.0f} s, gunicorn {args.workers} processus, "
            f"PostgreSQL, pause moyenne {args.think} s"
        )
        report(results, time.monotonic() - began)
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
        drop_database(args.admin_url)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
