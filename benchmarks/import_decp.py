"""DECP import at scale: records per second, peak memory, and the ratio to a floor measured in the same run.

Builds a large 2022-format file from the real published records (tests/data/decp, every id made
unique), then for each database:
  - floor: parse the same file (ijson) and bulk-insert the same rows into bare tables (no checks);
  - import: `import_decp` on the same file (normalisation, repairs, upsert by uid, holders, report).
With --registry-share S, that share of the records is published by a member buyer (an entity of the
territory), so that those complete enough go to the registry (contracts, suppliers, amendments,
history): the CPU time per record, printed too, compares the two paths (S=1 against S=0).
Each measurement runs in its own process, so that its peak memory (ru_maxrss) is its own. The last
column is the import's CPU time per record in the first and in the last tenth of its batches: equal
figures mean a batch costs the same however full the tables already are (no superlinear slowdown).

Usage:
  .venv/bin/python benchmarks/import_decp.py [--records 1000000] [--registry-share 0.1]
      [--postgres postgres://postgres@127.0.0.1:5432/postgres] [--no-sqlite] [--no-floor]
The PostgreSQL run uses a database it creates and drops (test_<name>). Figures go to standard output.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "tests" / "data" / "decp" / "v2-2022-format" / "dematis"
MEMBER_SIRET = "80537661300016"  # a real buyer of those files, made a member for --registry-share


def build_file(path: Path, count: int, registry_share: float = 0.0) -> int:
    """Write `count` records cycling over the real ones, each with a unique id; returns the size."""
    records = []
    for source in sorted(SOURCE.glob("*.json")):
        records += json.loads(source.read_text(encoding="utf-8"))["marches"].get("marche", [])
    with path.open("w", encoding="utf-8") as handle:
        handle.write('{"marches": {"marche": [\n')
        for index in range(count):
            record = dict(records[index % len(records)])
            record["id"] = f"B{index:08d}"  # unique ids: every record is a new contract
            if registry_share and int((index + 1) * registry_share) > int(index * registry_share):
                record["acheteur"] = {"id": MEMBER_SIRET}
            handle.write((",\n" if index else "") + json.dumps(record, ensure_ascii=False))
        handle.write("\n]}}\n")
    return path.stat().st_size


def child(mode: str, path: str) -> None:
    """Runs in a subprocess: one measurement on a fresh test database, printed as JSON."""
    os.environ.setdefault("MUTUALIS_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutualis.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    if connection.vendor == "sqlite":
        # A file, as in production: an in-memory database would count its data as the process's memory.
        connection.settings_dict["TEST"]["NAME"] = str(Path(path).with_suffix(".sqlite3"))
    old = connection.creation.create_test_db(verbosity=0)
    counts = {}
    try:
        if mode == "members":  # only then: the member's own records are in the shipped files too
            _member()
        start, cpu = time.perf_counter(), time.process_time()
        if mode == "floor":
            records = floor(path)
        else:
            counts = full_import(path)
            records = counts["read"]
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "mode": mode,
                "vendor": connection.vendor,
                "records": records,
                "seconds": elapsed,
                "cpu": cpu,
                "registry": counts.get("registry", 0),
                "first_tenth": counts.get("first_tenth"),
                "last_tenth": counts.get("last_tenth"),
                "peak_mib": peak_kib / 1024,
            }
        )
    )


def _member() -> None:
    """The buyer whose records --registry-share rewrites, as an entity of the territory."""
    from mutualis.organisations.models import Entity, EntityKind, PurchasingMode

    Entity.objects.create(
        name="Acheteur membre",
        siret=MEMBER_SIRET,
        kind=EntityKind.MEMBER_HOSPITAL,
        purchasing_mode=PurchasingMode.SUPPORT,
        city="Dijon",
        postal_code="21000",
        insee_code="21231",
    )


def full_import(path: str) -> dict:
    """The import, with the processor time of each batch noted through its progress hook: CPU per
    record in the first and last tenth of the batches tells whether a batch costs more as the table
    grows (a superlinear import), which the total alone hides."""
    from mutualis.opendata.decp_import import service
    from mutualis.opendata.models import ImportRun, ImportStatus

    marks = []  # (records read, CPU time) at the end of each batch: the reading's set-up left out

    def noted(progress, file_index, fraction, records_read):
        marks.append((records_read, time.process_time()))

    service.Progress.update = noted
    run = ImportRun.objects.create(status=ImportStatus.RUNNING)
    result = service.import_decp([path], report_path=Path(path).with_suffix(".report.json"), run=run)
    tenth = max(1, len(marks) // 10)
    counts = dict(result.summary["counts"])
    counts["first_tenth"] = _cpu_per_record(marks[: tenth + 1])
    counts["last_tenth"] = _cpu_per_record(marks[-tenth - 1 :])
    return counts


def _cpu_per_record(marks: list) -> float:
    (first_count, first_cpu), (last_count, last_cpu) = marks[0], marks[-1]
    return 1000 * (last_cpu - first_cpu) / max(last_count - first_count, 1)


def floor(path: str) -> int:
    """Parsing plus bulk insertion of the same rows into bare tables: what any import must pay."""
    import ijson
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE floor_contract (id INTEGER PRIMARY KEY, uid VARCHAR(40), buyer VARCHAR(14), "
            "reference VARCHAR(40), object TEXT, procedure VARCHAR(80), cpv VARCHAR(8), "
            "amount NUMERIC(16,2), notified DATE, duration INTEGER, offers INTEGER, social TEXT, "
            "environmental TEXT)"
        )
        cursor.execute(
            "CREATE TABLE floor_holder (contract_id INTEGER, kind VARCHAR(10), identifier VARCHAR(40))"
        )
    contracts, holders, count = [], [], 0
    with open(path, "rb") as handle, transaction.atomic(), connection.cursor() as cursor:
        for record in ijson.items(handle, "marches.marche.item"):
            count += 1
            buyer = record["acheteur"]["id"]
            contracts.append(
                (
                    count,
                    buyer + record["id"],
                    buyer,
                    record["id"],
                    record.get("objet"),
                    record.get("procedure"),
                    str(record.get("codeCPV", ""))[:8],
                    record.get("montant"),
                    record.get("dateNotification"),
                    record.get("dureeMois"),
                    record.get("offresRecues"),
                    json.dumps(record.get("considerationsSociales")),
                    json.dumps(record.get("considerationsEnvironnementales")),
                )
            )
            holders += [
                (count, t["titulaire"]["typeIdentifiant"], t["titulaire"]["id"]) for t in record["titulaires"]
            ]
            if len(contracts) >= 2000:
                _flush(cursor, contracts, holders)
        _flush(cursor, contracts, holders)
    return count


def _flush(cursor, contracts, holders) -> None:
    placeholders = ", ".join(["%s"] * 13)
    cursor.executemany(f"INSERT INTO floor_contract VALUES ({placeholders})", contracts)  # noqa: S608
    cursor.executemany("INSERT INTO floor_holder VALUES (%s, %s, %s)", holders)
    contracts.clear()
    holders.clear()


def measure(mode: str, path: Path, database_url: str | None) -> dict:
    env = {**os.environ, "MUTUALIS_ENV": "test", "MUTUALIS_DATA_DIR": str(path.parent)}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    out = subprocess.run(  # noqa: S603 - our own script, our own arguments
        [sys.executable, __file__, "--child", mode, str(path)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--registry-share", type=float, default=0.0)
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--no-floor", action="store_true", help="the import only (ratio left out)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    sys.path.insert(0, str(ROOT / "src"))
    with tempfile.TemporaryDirectory(prefix="mutualis-decp-bench-") as folder:
        path = Path(folder) / "decp.json"
        start = time.perf_counter()
        size = build_file(path, args.records, args.registry_share)
        print(
            f"file: {args.records} records, {size / 1e6:.0f} MB, built in {time.perf_counter() - start:.0f} s"
        )
        targets = ([] if args.no_sqlite else [("sqlite", None)]) + (
            [("postgresql", args.postgres)] if args.postgres else []
        )
        header = (
            "database",
            "run",
            "records",
            "registry",
            "seconds",
            "rec/s",
            "CPU ms/rec",
            "peak MiB",
            "ratio",
            "CPU 1st/last 10%",
        )
        print("{:<11} {:<7} {:>9} {:>8} {:>8} {:>8} {:>10} {:>9} {:>6}  {}".format(*header))
        for name, url in targets:
            base = None if args.no_floor else measure("floor", path, url)
            full = measure("members" if args.registry_share else "import", path, url)
            for run in filter(None, (base, full)):
                ratio = f"{run['seconds'] / base['seconds']:>6.2f}" if base else "     -"
                tenths = f"{run['first_tenth']:.3f} / {run['last_tenth']:.3f}" if run["first_tenth"] else "-"
                print(
                    f"{name:<11} {run['mode']:<7} {run['records']:>9} {run['registry']:>8} "
                    f"{run['seconds']:>8.1f} {run['records'] / run['seconds']:>8.0f} "
                    f"{1000 * run['cpu'] / run['records']:>10.2f} {run['peak_mib']:>9.0f} {ratio}  {tenths}"
                )


if __name__ == "__main__":
    main()
