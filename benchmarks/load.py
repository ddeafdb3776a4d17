"""Load: N logged-in clients browse the main pages of the demo against gunicorn on PostgreSQL.

Usage: .venv/bin/python benchmarks/load.py [--clients 50] [--duration 120] [--workers 2] [--think 1.0]
       [--web-processes 1] [--cache-url URL] [--keep] [--admin-url postgres://postgres@127.0.0.1:5432/postgres]
       [--registry 100000]

It creates a throw-away database (mutualis_load) on the PostgreSQL server, migrates it, loads the demo
(with --registry N, N more contracts in its registry: benchmarks/grow_registry.py, the national-scale
run), collects the static files, starts `gunicorn mutualis.wsgi` with the production profile on
127.0.0.1, then runs the clients: each logs in as one of the demo accounts (all roles in turn), finds
detail pages in the lists it is allowed to see, and requests its pages in a loop until the end, waiting
`think` seconds on average between two pages (uniformly 0.5x to 1.5x; 0 for no pause). It prints the number of
requests, errors (any status other than 200, or no answer within 30 s), throughput and the latency
percentiles, overall and per page, then drops the database.

--web-processes N (N > 1) is the scaling check (README, « Passer à l'échelle »): N separate gunicorn
servers, each on its own port with --workers processes, on the same database and the same data folder,
as N web containers behind nginx. Each request goes to the next server in turn (nginx's round-robin),
so a client logs in on one server and reads its pages from the others. Before the load, it checks what
must be shared between the servers: the session (a page read on another server than the login's), the
login guard's counters (failures spread over the servers lock the account) and the portal's data version
(the same ETag from every server). The load then runs twice, first on one server, then on N, with the
same clients, and both reports are printed. --cache-url sets MUTUALIS_CACHE_URL for the servers (the
production default is a file cache in the data folder; `locmemcache://` shows what a per-process cache
breaks).

The clients only ever talk to 127.0.0.1: the request loop is bounded in time and never leaves the machine.
Requests carry `X-Forwarded-Proto: https`, as the HTTPS proxy of the production recipe does.
"""

import argparse
import http.client
import itertools
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

from harness import drop_postgres_database

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


class Servers:
    """The web servers' ports, handed out in turn to the requests of every client (nginx's round-robin)."""

    def __init__(self, ports: list[int]):
        self.ports = ports
        self.turn = itertools.count()
        self.lock = threading.Lock()

    def next(self) -> int:
        with self.lock:
            return self.ports[next(self.turn) % len(self.ports)]


class Client:
    """One browser: its cookies, a login, and GETs through the HTTPS proxy's headers.

    The cookies are kept whatever the server: behind one proxy, the browser sees one site."""

    def __init__(self, servers: Servers):
        self.servers = servers
        self.cookies: dict[str, str] = {}
        self.timeout = 120  # logging in, all at once; 30 s once the measure starts

    def request(
        self, method: str, path: str, body: str | None = None, port: int | None = None
    ) -> tuple[int, str, dict]:
        port = port or self.servers.next()
        headers = {
            "Host": HOST,  # one site name, whichever server answers
            "X-Forwarded-Proto": "https",
            "Referer": f"https://{HOST}/compte/connexion/",
            "Connection": "close",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(HOST, port, timeout=self.timeout)
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


def browse(
    servers: Servers, username: str, start: "Start", think: float, results: Results, seed: int
) -> None:
    randomness = random.Random(seed)
    client = Client(servers)
    try:
        client.log_in(username)
        pages = client.pages()
    except Exception as error:  # a client that cannot start is an error, not a crash of the run
        results.record("connexion", 0.0, f"{username}: {error}")
        start.barrier.wait()
        return
    # Every client logged in before the clock starts: the logins' rush is not the load measured.
    start.barrier.wait()
    deadline, client.timeout = start.deadline, 30
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


class Start:
    """The clients wait for each other at the barrier; the last one in starts the clock."""

    def __init__(self, clients: int, duration: float):
        self.duration = duration
        self.began = self.deadline = 0.0
        self.barrier = threading.Barrier(clients, action=self.go)

    def go(self) -> None:
        self.began = time.monotonic()
        self.deadline = self.began + self.duration


def check_shared_state(servers: Servers, failures_allowed: int) -> list[str]:
    """What several web servers must share, each checked across them; the problems found, in French."""
    problems = []
    ports = servers.ports
    # The session: logged in through one server, a page read from each of the others.
    client = Client(Servers(ports[:1]))
    client.log_in(ACCOUNTS[0])
    for port in ports[1:]:
        status, _, _ = client.request("GET", "/contrats/", port=port)
        if status != 200:
            problems.append(f"session ouverte sur un serveur, inconnue d'un autre ({status})")
    # The login guard: failures spread over the servers add up to one lock.
    stranger = Client(Servers(ports))
    username = f"inconnu-{secrets.token_hex(4)}"
    statuses = []
    for attempt in range(failures_allowed + 1):
        port = ports[attempt % len(ports)]
        _, page, _ = stranger.request("GET", "/compte/connexion/", port=port)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": username, "password": "mauvais-mot-de-passe"}
        )
        status, _, _ = stranger.request("POST", "/compte/connexion/", form, port=port)
        statuses.append(status)
    if statuses[-1] != 429:
        problems.append(
            f"{failures_allowed} échecs répartis sur les serveurs ne bloquent pas le compte "
            f"(réponses {statuses}) : les compteurs ne sont pas partagés"
        )
    # The portal's data version: the same ETag from every server.
    etags = {Client(Servers([port])).request("GET", "/portail/")[2].get("ETag") for port in ports}
    if len(etags) != 1 or None in etags:
        problems.append(
            f"le portail n'a pas la même version sur tous les serveurs ({sorted(map(str, etags))})"
        )
    return problems


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
    print(f"{'page':<24}{'n':>7}{'req/s':>7}{'médiane ms':>12}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for label, values in sorted(results.latencies.items(), key=lambda item: item[0]):
        if label == "connexion":
            continue
        print(
            f"{label:<24}{len(values):>7}{len(values) / duration:>7.1f}"
            f"{statistics.median(values) * 1000:>12.0f}"
            f"{percentile(values, 0.95) * 1000:>9.0f}{percentile(values, 0.99) * 1000:>9.0f}"
            f"{max(values) * 1000:>9.0f}"
        )
    if everything:
        print(
            f"{'ensemble':<24}{len(everything):>7}{len(everything) / duration:>7.1f}"
            f"{statistics.median(everything) * 1000:>12.0f}"
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


def recreate_database(admin_url: str, keep: bool = False) -> tuple[str, bool]:
    """The benchmark database's URL, and whether it was kept from an earlier run (--keep)."""
    import psycopg

    parts = urllib.parse.urlsplit(admin_url)
    if parts.hostname not in {HOST, "localhost"}:
        raise SystemExit("Ce banc d'essai ne vise qu'un serveur local (127.0.0.1).")
    url = urllib.parse.urlunsplit(parts._replace(path=f"/{DATABASE}"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone()
        if keep and exists:
            return url, True
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    return url, False


def production_environment(data_dir: Path, **extra: str) -> dict:
    """The environment of a production server on this machine, its data in `data_dir`."""
    return dict(
        os.environ,
        MUTUALIS_ENV="production",
        MUTUALIS_SECRET_KEY=secrets.token_urlsafe(40),
        MUTUALIS_ALLOWED_HOSTS=HOST,
        MUTUALIS_DATA_DIR=str(data_dir),
        MUTUALIS_STATIC_ROOT=str(data_dir / "static"),
        MUTUALIS_LOG_LEVEL="WARNING",
        **extra,
    )


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
    parser.add_argument(
        "--web-processes",
        type=int,
        default=1,
        help="serveurs gunicorn distincts sur la même base (plus de 1 : mesure sur 1 puis sur N)",
    )
    parser.add_argument("--cache-url", help="MUTUALIS_CACHE_URL des serveurs (défaut : celui de production)")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="garder la base de démonstration après la mesure, et reprendre celle gardée avant",
    )
    parser.add_argument("--admin-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument(
        "--registry",
        type=int,
        default=0,
        help="contrats ajoutés au registre de la démonstration (échelle nationale : 100000)",
    )
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="mutualis-load-"))
    environment = production_environment(data_dir)
    environment["DATABASE_URL"], kept = recreate_database(args.admin_url, args.keep)
    if args.cache_url:
        environment["MUTUALIS_CACHE_URL"] = args.cache_url
    mutualis = [sys.executable, "-m", "mutualis"]
    servers = []
    try:
        started = time.perf_counter()
        setup = (
            ["migrate", "--no-input"],
            ["createcachetable"],  # the database cache's table, when MUTUALIS_CACHE_URL=dbcache://…
            ["load_demo"],
            ["collectstatic", "--no-input"],
        )
        for command in setup[-1:] if kept else setup:  # a kept database has its demo already
            subprocess.run(  # noqa: S603 (our own command, fixed arguments)
                mutualis + command, env=environment, check=True, stdout=subprocess.DEVNULL
            )
        if args.registry and not kept:
            subprocess.run(  # noqa: S603 (our own script, an integer argument)
                [sys.executable, str(Path(__file__).parent / "grow_registry.py"), str(args.registry)],
                env=environment,
                check=True,
            )
        print(f"base de démonstration prête en {time.perf_counter() - started:.0f} s")
        servers = [start_server(environment, args.workers) for _ in range(max(args.web_processes, 1))]
        ports = [port for port, _ in servers]
        if len(ports) > 1:
            failures = int(environment.get("MUTUALIS_LOGIN_ACCOUNT_FAILURES", "5"))
            problems = check_shared_state(Servers(ports), failures)
            print(
                f"état partagé entre {len(ports)} serveurs (session, compteurs de connexion, version du "
                f"portail) : {'vérifié' if not problems else 'ÉCHEC'}"
            )
            for problem in problems:
                print("  -", problem)
        rounds = [ports[:1], ports] if len(ports) > 1 else [ports]
        for used in rounds:
            load(Servers(used), args)
    finally:
        for _, server in servers:
            server.terminate()
        for _, server in servers:
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:  # a loaded machine: do not leave it behind
                server.kill()
                server.wait()
        if not args.keep:
            drop_postgres_database(args.admin_url, DATABASE)
        shutil.rmtree(data_dir, ignore_errors=True)


def start_server(environment: dict, workers: int) -> tuple[int, subprocess.Popen]:
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 (gunicorn, fixed arguments)
        [
            sys.executable,
            "-m",
            "gunicorn",
            "mutualis.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"{HOST}:{port}",
            "--log-level",
            "warning",
        ],
        env=environment,
    )
    wait_for(port, server)
    return port, server


def load(servers: Servers, args) -> None:
    results = Results()
    start = Start(args.clients, args.duration)
    clients = [
        threading.Thread(
            target=browse,
            args=(servers, ACCOUNTS[n % len(ACCOUNTS)], start, args.think, results, n),
        )
        for n in range(args.clients)
    ]
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    count = len(servers.ports)
    print(
        f"\n{args.clients} clients connectés, {args.duration:.0f} s, {count} serveur{'s' * (count > 1)} "
        f"gunicorn de {args.workers} processus, PostgreSQL, pause moyenne {args.think} s"
    )
    report(results, time.monotonic() - start.began)


if __name__ == "__main__":
    main()
