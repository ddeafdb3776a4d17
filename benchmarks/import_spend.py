"""Spend import at scale: rows per second, peak memory, and the ratio to a floor measured in the same run.

Builds a finance export of N payment orders (CSV, `;`, French amounts with thousands spaces; ~2,000
suppliers, a dozen budget accounts, a contract number on one row in ten), then for each database:
  - floor: parse the same file with the same parser and insert the same rows into a bare table with the
    same columns (no index, no constraint) through the same bulk path (COPY / executemany);
  - import: `spend_import` on the same file, for an entity using 50 contracts of those suppliers
    (key lookups, matching of every row, report, the real table and its indexes).
Each measurement runs in its own process, so that its peak memory (ru_maxrss) is its own.

Usage:
  .venv/bin/python benchmarks/import_spend.py [--rows 1000000] [--postgres postgres://postgres@127.0.0.1:5432/postgres]
The PostgreSQL run uses a database it creates and drops (test_<name>). Figures go to standard output.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUPPLIERS = 2000
CONTRACTS = 50
ACCOUNTS = ["6021", "60221", "60222", "60628", "6063", "6066", "611", "6135", "6152", "6156", "6188", "6228"]


def luhn(body: str) -> str:
    """`body` followed by its Luhn check digit (both a SIREN and its SIRET carry one)."""
    total = 0
    for index, digit in enumerate(reversed(body)):
        value = int(digit) * (1 if index % 2 else 2)
        total += value - 9 if value > 9 else value
    return body + str((10 - total % 10) % 10)


def sirets() -> list[str]:
    chooser = random.Random(14)
    return [luhn(luhn(f"{chooser.randint(10_000_000, 99_999_999)}") + f"{n:04d}") for n in range(SUPPLIERS)]


def reference(n: int) -> str:
    return f"2025-{n:03d}"


def build_file(path: Path, count: int) -> int:
    chooser = random.Random(2025)
    suppliers = sirets()
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("Exercice;N° mandat;Date;SIRET fournisseur;Fournisseur;Montant HT;Montant TTC;Compte;")
        handle.write("Numéro marché;Libellé\r\n")
        for n in range(count):
            supplier = chooser.randrange(SUPPLIERS)
            siret = suppliers[supplier]
            cents = chooser.randint(100, 5_000_000)
            # Thousands separated by a space or a non-breaking space, as finance software writes them.
            units = f"{cents // 100:,}".replace(",", " " if n % 2 else "\u00a0")
            amount = f"{units},{cents % 100:02d}"
            ttc = f"{cents * 12 // 1000},{cents * 12 // 10 % 100:02d}"
            number = reference(chooser.randrange(CONTRACTS + 10)) if n % 10 == 0 else ""
            handle.write(
                f"2025;{n + 1};{chooser.randint(1, 28):02d}/{chooser.randint(1, 12):02d}/2025;"
                f"{siret[:9]} {siret[9:]};Fournisseur {supplier};{amount};{ttc};{chooser.choice(ACCOUNTS)};"
                f"{number};Mandat {n + 1} fournitures diverses\r\n"
            )
    return path.stat().st_size


def child(mode: str, path: str) -> None:
    """Runs in a subprocess: one measurement on a fresh test database, printed as JSON."""
    os.environ.setdefault("MUTUALIS_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutualis.settings")
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]  # this checkout's code; the test factories
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    if connection.vendor == "sqlite":
        # A file, as in production: an in-memory database would count its data as the process's memory.
        connection.settings_dict["TEST"]["NAME"] = str(Path(path).with_suffix(".sqlite3"))
    old = connection.creation.create_test_db(verbosity=0)
    try:
        entity = registry()
        start = time.perf_counter()
        rows = floor(path, entity) if mode == "floor" else full_import(path, entity)
        elapsed = time.perf_counter() - start
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"mode": mode, "vendor": connection.vendor, "rows": rows, "seconds": elapsed,
                      "peak_mib": peak_kib / 1024}))  # fmt: skip


def registry():
    """The entity and 50 contracts held by the file's suppliers, with an account mapping."""
    from mutualis.spend.models import AccountFamily
    from tests.catalogue.factories import PurchaseFamilyFactory
    from tests.contracts.factories import make_contract
    from tests.organisations.factories import EntityFactory
    from tests.suppliers.factories import SupplierFactory

    support = EntityFactory(kind="support")
    entity = EntityFactory()
    family = PurchaseFamilyFactory()
    for account in ACCOUNTS[:6]:
        AccountFamily.objects.create(nomenclature="M21", account=account, family=family)
    for n, siret in enumerate(sirets()[:CONTRACTS]):
        holder = SupplierFactory(identifier=siret)
        make_contract(buyer=support, reference=reference(n), holders=[holder], available_to=[entity])
    return entity


def full_import(path: str, entity) -> int:
    from mutualis.spend.importer import spend_import

    result = spend_import(entity, [path], report_path=Path(path).with_suffix(".report.csv"))
    print(json.dumps({key: result.counts[key] for key in ("created", "rejected", "matched", "warnings")}))
    return result.counts["read"]


def floor(path: str, entity) -> int:
    """Parsing plus bulk insertion of the same rows into a bare table: what any import must pay."""
    from django.db import connection, models, transaction

    from mutualis.opendata.decp_import.bulk import insert_rows
    from mutualis.spend.importer import BATCH_SIZE, INSERTED
    from mutualis.spend.models import SpendLine
    from mutualis.spend.parsing import SpendFile
    from mutualis.spend.rows import RowError, RowParser

    # The same columns, plain: no index, no constraint, no foreign key.
    attrs = {
        "__module__": __name__,
        "Meta": type("Meta", (), {"app_label": "spend", "db_table": "floor_spend"}),
    }
    for name in INSERTED:
        field = SpendLine._meta.get_field(name)
        attrs[name] = models.IntegerField(null=True) if field.is_relation else field.clone()
    bare = type("FloorSpend", (models.Model,), attrs)
    with connection.schema_editor() as editor:
        editor.create_model(bare)
    source, parser, batch, count = SpendFile(path), None, [], 0
    link = (None, None, None, "off_contract", False, None)
    with transaction.atomic():
        for _, raw in source.rows():
            parser = parser or RowParser(source.columns)
            count += 1
            try:
                row = parser.parse(raw)
            except RowError:
                continue
            batch.append((entity.pk, row.fiscal_year, row.mandate_number, *row.values(), *link))
            if len(batch) >= BATCH_SIZE:
                insert_rows(bare, INSERTED, batch)
                batch = []
        insert_rows(bare, INSERTED, batch)
    return count


def measure(mode: str, path: Path, database_url: str | None) -> dict:
    env = {**os.environ, "MUTUALIS_ENV": "test", "MUTUALIS_DATA_DIR": str(path.parent)}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    out = subprocess.run(  # noqa: S603 - our own script, our own arguments
        [sys.executable, __file__, "--child", mode, str(path)], env=env, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    if out.returncode:
        sys.exit(out.stderr)
    lines = out.stdout.strip().splitlines()
    result = json.loads(lines[-1])
    if len(lines) > 1:
        result["counts"] = json.loads(lines[-2])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory(prefix="mutualis-spend-bench-") as folder:
        path = Path(folder) / "mandats.csv"
        start = time.perf_counter()
        size = build_file(path, args.rows)
        print(f"file: {args.rows} rows, {size / 1e6:.0f} MB, built in {time.perf_counter() - start:.0f} s")
        targets = ([] if args.no_sqlite else [("sqlite", None)]) + (
            [("postgresql", args.postgres)] if args.postgres else []
        )
        header = ("database", "run", "rows", "seconds", "rows/s", "peak MiB", "ratio")
        print("{:<11} {:<7} {:>9} {:>8} {:>8} {:>9} {:>6}".format(*header))
        for name, url in targets:
            base = measure("floor", path, url)
            full = measure("import", path, url)
            print(f"{name}: import counts {full.get('counts')}")
            for run in (base, full):
                ratio = run["seconds"] / base["seconds"]
                print(
                    f"{name:<11} {run['mode']:<7} {run['rows']:>9} {run['seconds']:>8.1f} "
                    f"{run['rows'] / run['seconds']:>8.0f} {run['peak_mib']:>9.0f} {ratio:>6.2f}"
                )


if __name__ == "__main__":
    main()
