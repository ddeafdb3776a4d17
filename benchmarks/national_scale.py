"""National scale: Mutualis against datasette on the same SQLite file (issue 20, part 1).

Builds, or reuses when complete, a database of 1,000,000 external contracts (opendata.ExternalContract,
loaded through the real `import_decp` from the shipped real records, tests/data/decp, every id made
unique: benchmarks/import_decp.py's build_file) and 100,000 registry contracts (contracts.Contract, by
benchmarks/steering_data.py's bulk builder; their objects then taken from the same real records, so
that a search has words to find). A table `natscale_build` marks a complete build; `--reuse` takes it
as it is.

Then it measures, requests interleaved (Mutualis, datasette, Mutualis…, the order swapped every run),
each question asked to both:
  - the benchmark page (« parangonnage ») for a family and for a CPV division; datasette: the same
    figures by SQL on the same file (count, buyers, sum, average offers; exact median; top 20 buyers),
    CPV prefixes written as ranges so that both use the CPV index; its time is that of the three
    requests, one per query;
  - the text search over published contracts (`/donnees-ouvertes/marches-publies/?q=`); datasette: its
    table page's `_search`, in raw mode with the FTS5 expression Mutualis itself builds, over the FTS5
    table Mutualis already maintains (`<table>_fts`, declared to datasette as fts_table, fts_pk id):
    the same index, the same matches; Mutualis ranks them (bm25), datasette does not;
  - the registry list (`/contrats/`): first page, a filtered page (a family, in force) and a search, at
    100,000 contracts; datasette: its table page with the same filters, 25 rows, `_nofacet=1` and
    `suggest_facets` off, in its default order (rowid);
  - the registry's page 2,000, by OFFSET (`?page=2000`) and by keyset (`?apres=<id>`, the row before
    it); datasette: its table page resumed after the rowid before it (`_next=`).
Both sides run in this process: Mutualis through Django's test Client (HTML pages, a logged-in
administrator), datasette through its own Python API (`Datasette(...).client.get`, HTML pages too), so
that neither pays a network or server cost the other does not.

Prints per question the median and p95 (ms) of each side, the median CPU time of this process (ms), the
ratios Mutualis ÷ datasette of both, and the load average (a shared machine: say it with the figures).

Usage:
  .venv/bin/python benchmarks/national_scale.py [--reuse] [--runs 11] [--data-dir var/natscale]
  .venv/bin/python benchmarks/national_scale.py --database-url postgres://postgres@127.0.0.1:5432/natscale_bench
The PostgreSQL run creates the database when missing and has no datasette column. datasette is an
optional extra, not a development dependency:  .venv/bin/pip install -e '.[bench]'
(or .venv/bin/pip install datasette==0.65.5).
"""

import argparse
import asyncio
import importlib.util
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

MARKER = "natscale_build"
# The benchmark's family: three codes of building work, about a tenth of the real records; the CPV
# question asks for the whole division 45 (construction), more than half of them.
FAMILY_CPV = ("45421000", "45442100", "45454100")
DIVISION = "45000000"
PUBLISHED_SEARCH = "menuiseries"
REGISTRY_SEARCH = "peinture"
DEEP_PAGE = 2000
INSTALL_HINT = (
    "datasette is missing: install the optional extra with  .venv/bin/pip install -e '.[bench]'  "
    "(or  .venv/bin/pip install datasette==0.65.5), or run with --no-datasette."
)


def setup_django(args) -> None:
    os.environ["MUTUALIS_ENV"] = "test"
    os.environ["MUTUALIS_DATA_DIR"] = str(Path(args.data_dir).resolve())
    os.environ.pop("DATABASE_URL", None)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
        create_postgres_database(args.database_url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutualis.settings")
    import django

    django.setup()
    import logging

    logging.getLogger("httpx").setLevel(logging.WARNING)  # datasette's client logs every request


def create_postgres_database(url: str) -> None:
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


# ---------------------------------------------------------------------------------------------- build


def built(cursor) -> dict | None:
    from django.db import connection

    if MARKER not in connection.introspection.table_names(cursor):
        return None
    cursor.execute(f"SELECT external, registry, built_at FROM {MARKER}")  # noqa: S608 - a constant
    row = cursor.fetchone()
    return row and {"external": row[0], "registry": row[1], "built_at": row[2]}


def build(args) -> dict:
    """The database, built once: the registry first (no buyer of the real records is a member, so the
    import puts every record among the external contracts), then the import, then statistics."""
    from django.core.management import call_command
    from django.db import connection

    from mutualis.contracts.models import Contract
    from mutualis.opendata.models import ExternalContract

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        done = built(cursor)
    wanted = {"external": args.external, "registry": args.registry}
    if done and all(done[k] == v for k, v in wanted.items()):
        print(f"reusing the database built at {done['built_at']}: {done}")
        return done
    if done or Contract.objects.exists() or ExternalContract.objects.exists():
        raise SystemExit(
            "The database holds another or an unfinished build: remove it (the SQLite file, or drop the "
            "PostgreSQL database) or choose another --data-dir / --database-url."
        )
    import steering_data
    from import_decp import SOURCE, build_file

    from mutualis.catalogue.models import CpvCode, PurchaseFamily
    from mutualis.opendata.decp_import.service import import_decp

    started = time.perf_counter()
    rng = random.Random(20261201)
    _director, entities, families, suppliers = steering_data.territory(rng)
    family = PurchaseFamily.objects.create(code="NATSCALE", label="Second œuvre", nature="travaux")
    family.cpv_codes.set(CpvCode.objects.filter(code__in=FAMILY_CPV))
    steering_data.contracts(rng, args.registry, entities, families, suppliers)
    objects = []
    for source in sorted(SOURCE.glob("*.json")):
        objects += [m.get("objet", "") for m in json.loads(source.read_text())["marches"].get("marche", [])]
    ids = list(Contract.objects.order_by("pk").values_list("pk", flat=True))
    with connection.cursor() as cursor:  # real objects, so that the registry's search has words to find
        cursor.executemany(
            "UPDATE contracts_contract SET object = %s WHERE id = %s",
            [(objects[n % len(objects)][:1000], pk) for n, pk in enumerate(ids)],
        )
    print(f"registry: {len(ids)} contracts in {time.perf_counter() - started:.0f} s")

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="natscale-") as folder:
        path = Path(folder) / "decp.json"
        size = build_file(path, args.external)
        print(f"DECP file: {args.external} records, {size / 1e6:.0f} MB")
        result = import_decp([path], report_path=Path(folder) / "report.json")
    print(f"import_decp: {result.summary['counts']} in {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        # Statistics as after any import (the planner's row estimates), then the marker.
        cursor.execute("ANALYZE")
        cursor.execute(f"CREATE TABLE {MARKER} (external INTEGER, registry INTEGER, built_at VARCHAR(40))")
        cursor.execute(
            f"INSERT INTO {MARKER} VALUES (%s, %s, %s)",  # noqa: S608 - a constant
            [
                ExternalContract.objects.count(),
                Contract.objects.count(),
                time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            ],
        )
        done = built(cursor)
    print(f"built: {done}")
    return done


# ------------------------------------------------------------------------------------------- questions


def _ranges(codes) -> str:
    """The CPV sub-trees as ranges, as the benchmark page writes them (models.cpv_prefix_range)."""
    parts = []
    for code in codes:
        prefix = code.rstrip("0") or code
        following = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        parts.append(f"(cpv >= '{prefix}' AND cpv < '{following}')")
    return "(" + " OR ".join(parts) + ")"


def benchmark_sql(codes) -> list[str]:
    """The benchmark page's figures by SQL: totals, exact median (an ordered offset), top 20 buyers."""
    table, where = "opendata_externalcontract", _ranges(codes)
    known = f"{where} AND amount IS NOT NULL"
    # Constants and CPV digits only: nothing typed by anyone reaches these strings.
    return [
        f"SELECT count(*), count(DISTINCT buyer_siret), sum(amount), avg(offers_received) "  # noqa: S608
        f"FROM {table} WHERE {where}",
        f"SELECT avg(amount) FROM (SELECT amount FROM {table} WHERE {known} ORDER BY amount "  # noqa: S608
        f"LIMIT 2 - (SELECT count(*) FROM {table} WHERE {known}) % 2 "
        f"OFFSET ((SELECT count(*) FROM {table} WHERE {known}) - 1) / 2)",
        f"SELECT buyer_siret, max(buyer_name) AS name, count(*) AS n, sum(amount) AS total, "  # noqa: S608
        f"max(notification_date) AS last FROM {table} WHERE {where} "
        f"GROUP BY buyer_siret ORDER BY n DESC, total DESC LIMIT 20",
    ]


def questions(database: str) -> list[tuple[str, str, list[str]]]:
    """(label, Mutualis URL, datasette paths) for each question."""
    from django.utils import timezone

    from mutualis.catalogue.models import PurchaseFamily
    from mutualis.contracts.models import Contract
    from mutualis.core.fulltext.query import parse

    family = PurchaseFamily.objects.get(code="NATSCALE")
    # Page 2,000 of the registry: by OFFSET (?page=), and by keyset after the row before it (?apres=);
    # datasette resumes after a rowid (_next=), its own keyset.
    deep = (DEEP_PAGE - 1) * 25
    after = Contract.objects.in_registry_order().values_list("pk", flat=True)[deep - 1]
    after_rowid = Contract.objects.order_by("pk").values_list("pk", flat=True)[deep - 1]
    deep_pages = (("offset", f"/contrats/?page={DEEP_PAGE}"), ("keyset", f"/contrats/?apres={after}"))
    registry_family = PurchaseFamily.objects.get(code="BENCH-00")
    today = timezone.localdate().isoformat()
    table_page = {"_size": 25, "_nofacet": 1}

    def sql(codes):
        return [f"/{database}?" + urlencode({"sql": query}) for query in benchmark_sql(codes)]

    def search(table, text):
        return f"/{database}/{table}?" + urlencode(
            {"_search": parse(text).to_fts5(), "_searchmode": "raw", **table_page}
        )

    return [
        ("benchmark, family (3 CPV)", f"/donnees-ouvertes/parangonnage/?family={family.pk}", sql(FAMILY_CPV)),
        ("benchmark, CPV division 45", f"/donnees-ouvertes/parangonnage/?cpv={DIVISION}", sql([DIVISION])),
        (
            f"published, search « {PUBLISHED_SEARCH} »",
            "/donnees-ouvertes/marches-publies/?" + urlencode({"q": PUBLISHED_SEARCH}),
            [search("opendata_externalcontract", PUBLISHED_SEARCH)],
        ),
        ("registry, first page", "/contrats/", [f"/{database}/contracts_contract?" + urlencode(table_page)]),
        (
            "registry, family + in force",
            f"/contrats/?family={registry_family.pk}&state=in_force",
            [
                f"/{database}/contracts_contract?"
                + urlencode(
                    {
                        "family_id": registry_family.pk,
                        "notification_date__notblank": 1,
                        "end_date__gte": today,
                        "terminated_on__isnull": 1,
                        **table_page,
                    }
                )
            ],
        ),
        (
            f"registry, search « {REGISTRY_SEARCH} »",
            "/contrats/?" + urlencode({"q": REGISTRY_SEARCH}),
            [search("contracts_contract", REGISTRY_SEARCH)],
        ),
        *(
            (
                f"registry, page {DEEP_PAGE:,} ({how})",
                url,
                [f"/{database}/contracts_contract?" + urlencode({"_next": after_rowid, **table_page})],
            )
            for how, url in deep_pages
        ),
    ]


# ------------------------------------------------------------------------------------------- measuring


class DatasetteSide:
    """datasette over the same file, in process: its ASGI app through its own client."""

    def __init__(self, path: Path):
        from datasette.app import Datasette

        fts = {"fts_pk": "id"}
        tables = {
            "opendata_externalcontract": {"fts_table": "opendata_externalcontract_fts", **fts},
            "contracts_contract": {"fts_table": "contracts_contract_fts", **fts},
        }
        self.name = path.stem
        self.app = Datasette(
            [str(path)],
            settings={
                "sql_time_limit_ms": 600_000,  # never cut a query short: the question is answered in full
                "suggest_facets": False,
                "default_page_size": 25,
            },
            metadata={"databases": {self.name: {"tables": tables}}},
        )
        self.loop = asyncio.new_event_loop()
        self.loop.run_until_complete(self.app.invoke_startup())

    def get(self, path: str) -> None:
        response = self.loop.run_until_complete(self.app.client.get(path))
        assert response.status_code == 200, (path, response.status_code, response.text[:500])
        assert "interrupted" not in response.text.lower(), path


def timed(call) -> tuple[float, float]:
    """Wall and CPU milliseconds of the call: CPU time counts this process's threads only (SQLite and
    datasette run here; a PostgreSQL server does not), and is less inflated by a loaded machine."""
    start, cpu = time.perf_counter(), time.process_time()
    call()
    return (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000


def summed(pairs) -> tuple[float, float]:
    pairs = list(pairs)
    return sum(p[0] for p in pairs), sum(p[1] for p in pairs)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(args) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from mutualis.organisations.models import User

    # The test Client's host, without setup_test_environment(): it instruments every template rendering
    # to copy its context for the test's assertions, a cost no served page pays (a quarter of the
    # registry page's time).
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(User.objects.get(username="directeur-bench"))

    def mutualis(url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    datasette = None
    if connection.vendor == "sqlite" and not args.no_datasette:
        if importlib.util.find_spec("datasette") is None:
            raise SystemExit(INSTALL_HINT)
        datasette = DatasetteSide(Path(connection.settings_dict["NAME"]))
    asked = questions(datasette.name if datasette else "db")
    timings = {label: ([], []) for label, _, _ in asked}
    for _label, url, paths in asked:  # one warm-up each: caches and compiled templates
        mutualis(url)
        if datasette:
            for path in paths:
                datasette.get(path)
    loads = [os.getloadavg()[0]]
    print(f"measuring {args.runs} runs on {connection.vendor}; load average {os.getloadavg()}", flush=True)
    for run in range(args.runs):
        for label, url, paths in asked:
            sides = ["mutualis", "datasette"] if datasette else ["mutualis"]
            for side in sides if run % 2 == 0 else reversed(sides):
                if side == "mutualis":
                    timings[label][0].append(timed(lambda url=url: mutualis(url)))
                else:
                    timings[label][1].append(summed(timed(lambda p=p: datasette.get(p)) for p in paths))
        loads.append(os.getloadavg()[0])
    print(
        f"\n{connection.vendor}, {date.today():%d/%m/%Y}, {args.runs} runs, load average (1 min) "
        f"min {min(loads):.1f} / median {statistics.median(loads):.1f} / max {max(loads):.1f}"
    )
    header = f"{'question':<34} {'Mutualis median':>15} {'p95':>7} {'CPU':>6}"
    if datasette:
        header += f" {'datasette median':>16} {'p95':>7} {'CPU':>6} {'ratio':>6} {'CPU ratio':>9}"
    print(header)
    for label, _, _ in asked:
        ours, theirs = ([t[0] for t in side] for side in timings[label])
        ours_cpu, theirs_cpu = (statistics.median([t[1] for t in side] or [0]) for side in timings[label])
        line = f"{label:<34} {statistics.median(ours):>15.0f} {p95(ours):>7.0f} {ours_cpu:>6.0f}"
        if theirs:
            ratio = statistics.median(ours) / statistics.median(theirs)
            line += f" {statistics.median(theirs):>16.0f} {p95(theirs):>7.0f} {theirs_cpu:>6.0f}"
            line += f" {ratio:>6.2f} {ours_cpu / theirs_cpu:>9.2f}"
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--external", type=int, default=1_000_000, help="external contracts to import")
    parser.add_argument("--registry", type=int, default=100_000, help="registry contracts")
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "natscale"), help="SQLite file's folder")
    parser.add_argument("--database-url", help="PostgreSQL (no datasette column)")
    parser.add_argument("--reuse", action="store_true", help="measure only: the database must be built")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--no-datasette", action="store_true")
    args = parser.parse_args()
    setup_django(args)
    if args.reuse:
        from django.db import connection

        with connection.cursor() as cursor:
            done = built(cursor)
        if not done:
            raise SystemExit("--reuse: no complete build in this database; run without --reuse first.")
        print(f"reusing the database built at {done['built_at']}: {done}")
    else:
        build(args)
    if not args.build_only:
        measure(args)


if __name__ == "__main__":
    main()
