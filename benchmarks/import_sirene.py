"""SIRENE stock-file import at scale: rows per second and peak memory, on a 100 MB and a 1 GB file.

Writes (streamed) a StockEtablissement-shaped CSV (the 53 columns of the INSEE file, format 3.11) of
about --size-mb MB, in which the --suppliers known SIRETs are spread evenly among millions of unknown
ones, and its first tenth as a second file. Each import runs in its own process on a fresh test
database (an SQLite file, or test_<name> on PostgreSQL with --database-url) holding the known suppliers,
so that its peak memory (ru_maxrss) is its own: a streamed import peaks the same on both files.

Usage:
  .venv/bin/python benchmarks/import_sirene.py [--size-mb 1000] [--suppliers 20000] [--database-url URL]
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mutualis.suppliers.sirene.layout import ESTABLISHMENT_HEADER  # noqa: E402 - no Django needed

COMMUNES = [("21231", "21000", "DIJON"), ("75108", "75008", "PARIS 8"), ("69383", "69003", "LYON 3EME")]
# One row of the INSEE file, the identifiers and address put in; about 190 bytes, as many empty columns.
ROW = (
    "{siren},{nic},{siret},O,2012-05-14,11,2022,,2024-03-22T10:12:01,{head},3,,{number},,,,RUE,"
    "DE LA REPUBLIQUE,{postal},{city},,,{commune},,,,,,{x},{y},,,,,,,,,,,,,,,2019-01-01,{state},,,,,"
    "46.46Z,NAFRev2,O\n"
)


def known_siret(n: int) -> str:
    return f"{100_000_000 + n:09d}{10 + n % 7:05d}"


def build(path: Path, size_mb: int, suppliers: int) -> tuple[int, int]:
    """The file, written row by row; returns (rows, rows of the first tenth)."""
    target = size_mb * 1_000_000
    rows_estimate = target // 205  # rows are 190-200 bytes: every known SIRET is written early enough
    step = max(rows_estimate // suppliers, 1)
    written, rows, tenth_rows, known = 0, 0, 0, 0
    tenth = path.with_name("tenth.csv")
    with path.open("w", encoding="utf-8", newline="") as out, tenth.open("w", encoding="utf-8") as first:
        header = ",".join(ESTABLISHMENT_HEADER) + "\n"
        out.write(header)
        first.write(header)
        while written < target:
            if rows % step == 0 and known < suppliers:
                siret, known = known_siret(known), known + 1
            else:
                siret = f"{900_000_000 + rows:09d}00017"  # nobody the territory knows
            commune, postal, city = COMMUNES[rows % 3]
            line = ROW.format(
                siren=siret[:9], nic=siret[9:], siret=siret, head="true" if rows % 4 else "false",
                number=rows % 150 + 1, postal=postal, city=city, commune=commune, x=651000 + rows % 9999,
                y=6860000 + rows % 7777, state="A" if rows % 9 else "F",
            )  # fmt: skip
            out.write(line)
            written += len(line)
            rows += 1
            if written < target // 10:
                first.write(line)
                tenth_rows = rows
    return rows, tenth_rows


def child(path: str, suppliers: int) -> None:
    """In a subprocess: a fresh test database, the known suppliers, the import; printed as JSON."""
    os.environ.setdefault("MUTUALIS_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutualis.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    from mutualis.suppliers.data_imports import supplier_data_import_file
    from mutualis.suppliers.models import DataImportKind, Supplier

    setup_test_environment()
    if connection.vendor == "sqlite":  # a file: an in-memory database would count as the process's memory
        connection.settings_dict["TEST"]["NAME"] = str(Path(path).with_suffix(".sqlite3"))
    old = connection.creation.create_test_db(verbosity=0)
    try:
        Supplier.objects.bulk_create(
            (Supplier(identifier=known_siret(n), siren=known_siret(n)[:9], name=f"Fournisseur {n}")
             for n in range(suppliers)), batch_size=2000,
        )  # fmt: skip
        before_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        run = supplier_data_import_file(
            kind=DataImportKind.ESTABLISHMENTS, path=path, data_date=date(2026, 10, 31)
        )
        elapsed = time.perf_counter() - start
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"vendor": connection.vendor, "counts": run.counts, "seconds": elapsed,
                      "before_mib": before_kib / 1024, "peak_mib": peak_kib / 1024}))  # fmt: skip


def measure(path: Path, suppliers: int, database_url: str | None) -> dict:
    env = {**os.environ, "MUTUALIS_ENV": "test", "MUTUALIS_DATA_DIR": str(path.parent)}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    out = subprocess.run(  # noqa: S603 - our own script, our own arguments
        [sys.executable, __file__, "--child", str(path), str(suppliers)], env=env, capture_output=True,
        text=True, check=False,
    )  # fmt: skip
    if out.returncode:
        sys.exit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1000)
    parser.add_argument("--suppliers", type=int, default=20_000)
    parser.add_argument("--database-url", help="PostgreSQL (test_<name> is created); SQLite by default")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return
    with tempfile.TemporaryDirectory(prefix="mutualis-sirene-bench-") as folder:
        path = Path(folder) / "StockEtablissement_utf8.csv"
        start = time.perf_counter()
        rows, tenth_rows = build(path, args.size_mb, args.suppliers)
        tenth = path.with_name("tenth.csv")
        megabytes = path.stat().st_size / 1e6, tenth.stat().st_size / 1e6
        print(
            f"files: {megabytes[0]:.0f} MB ({rows} rows) and {megabytes[1]:.0f} MB ({tenth_rows} rows), "
            f"written in {time.perf_counter() - start:.0f} s; {args.suppliers} known suppliers"
        )
        titles = ("database", "file MB", "rows", "seconds", "rows/s", "matched", "before MiB", "peak MiB")
        print("{:<11} {:>9} {:>10} {:>8} {:>9} {:>8} {:>10} {:>9}".format(*titles))
        for file in (tenth, path):
            result = measure(file, args.suppliers, args.database_url)
            counts = result["counts"]
            rate = counts["read"] / result["seconds"]
            print(
                f"{result['vendor']:<11} {file.stat().st_size / 1e6:>9.0f} {counts['read']:>10} "
                f"{result['seconds']:>8.1f} {rate:>9.0f} {counts['matched']:>8} "
                f"{result['before_mib']:>10.0f} {result['peak_mib']:>9.0f}"
            )


if __name__ == "__main__":
    main()
