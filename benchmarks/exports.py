"""Time and peak memory of the list exports: 20,000 suppliers and 100,000 registry contracts, CSV and XLSX,
now ("after") and before: the code of another source tree given by --before-src (e.g. main's, extracted
with `git archive main | tar -x -C var/base`), else the whole tablib dataset in memory (the first exports).

Usage: .venv/bin/python benchmarks/exports.py [--suppliers 20000] [--contracts 100000] [--only after]
    [--before-src var/base/src] [--reuse var/bench100k]
SQLite: a fresh file in a temporary folder. PostgreSQL: DATABASE_URL=postgres://…/postgres (a test database
test_<name> is created and dropped). Each measurement runs in its own process, so that its peak memory
(ru_maxrss) is the export's; the baseline is the same process serving one list page. Seconds are wall
time, CPU is the process's user + system time over the request (less sensitive to a shared machine);
the load average is printed before and after.
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
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

LISTS = {"suppliers": "/fournisseurs/", "contracts": "/contrats/"}


def setup_django() -> None:
    os.environ.setdefault("MUTUALIS_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutualis.settings")
    # Every measured export is written in the request, whatever its size.
    os.environ["MUTUALIS_EXPORT_INLINE_MAX_ROWS"] = str(10**9)
    import django

    django.setup()


def legacy_export_response(resource, queryset, *, file_stem, file_format):
    """The export before it streamed: the whole dataset in memory, then the whole file in memory."""
    from mutualis.www.exports import dataset_response

    return dataset_response(resource.export(queryset=queryset), file_stem=file_stem, file_format=file_format)


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(list_name: str, file_format: str, mode: str) -> None:
    """One measurement: the export asked as the director, read to its last byte."""
    setup_django()
    from django.test import Client

    from mutualis.organisations.models import User
    from mutualis.www import lists

    if mode == "before" and not os.environ.get("BENCH_BEFORE_SRC"):
        lists.export_response = legacy_export_response
    client = Client()
    client.force_login(User.objects.get(username="directrice"))
    params = {} if mode == "baseline" else {"export": file_format}
    start, cpu = time.perf_counter(), cpu_seconds()
    response = client.get(LISTS[list_name], params)
    size = sum(len(c) for c in response.streaming_content) if response.streaming else len(response.content)
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    assert response.status_code == 200, response.status_code
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mib": peak, "bytes": size}))


def populate(supplier_count: int, contract_count: int) -> None:
    import random

    from django.db import connection
    from steering_data import contracts, territory

    from mutualis.organisations.models import User
    from mutualis.suppliers.models import Supplier
    from tests.organisations.factories import make_siret

    rng = random.Random(20)
    director, entities, families, _ = territory(rng)
    User.objects.filter(pk=director.pk).update(username="directrice")
    missing = supplier_count - Supplier.objects.count()
    sirets = {make_siret() for _ in range(missing)}
    Supplier.objects.bulk_create(
        [Supplier(identifier=s, siren=s[:9], name=f"Entreprise {i:06d}") for i, s in enumerate(sirets)],
        batch_size=5000,
    )
    suppliers = list(Supplier.objects.values_list("pk", flat=True)[:5000])
    contracts(rng, contract_count, entities, families, suppliers)
    print(
        f"database: {connection.vendor}; suppliers: {Supplier.objects.count()}; contracts: {contract_count}"
    )


def measure(list_name: str, file_format: str, mode: str, env: dict) -> dict:
    if mode == "before" and env.get("BENCH_BEFORE_SRC"):
        env = dict(
            env, PYTHONPATH=os.pathsep.join([env["BENCH_BEFORE_SRC"], os.environ.get("PYTHONPATH", "")])
        )
    command = [sys.executable, __file__, "--child", list_name, file_format, mode]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suppliers", type=int, default=20_000)
    parser.add_argument("--contracts", type=int, default=100_000)
    parser.add_argument("--only", choices=["before", "after"])
    parser.add_argument("--lists", nargs="+", choices=list(LISTS), default=list(LISTS))
    parser.add_argument("--child", nargs=3, metavar=("LIST", "FORMAT", "MODE"))
    parser.add_argument("--before-src", metavar="DIR", help="source tree (its src/) measured as before")
    parser.add_argument(
        "--reuse",
        metavar="DIR",
        help="SQLite folder kept between runs: filled on the first, then read as it is",
    )
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    os.environ["MUTUALIS_DATA_DIR"] = args.reuse or tempfile.mkdtemp(prefix="mutualis-bench-")
    filled = bool(args.reuse) and (Path(args.reuse) / "mutualis.sqlite3").exists()
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]))
    if args.before_src:
        env["BENCH_BEFORE_SRC"] = str(Path(args.before_src).resolve())
    old_name = None
    if connection.vendor == "postgresql":
        old_name = connection.creation.create_test_db(verbosity=0)
        env["DATABASE_URL"] = (
            os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"]
        )
    else:
        call_command("migrate", verbosity=0)  # a reused folder gets the migrations added since
    try:
        if not filled:
            populate(args.suppliers, args.contracts)
        connection.close()
        modes = [m for m in ("before", "after") if args.only in (None, m)]
        print("load average:", " ".join(f"{n:.2f}" for n in os.getloadavg()))
        print(
            f"{'list':<10} {'format':<6} {'mode':<9} {'seconds':>8} {'CPU s':>8} {'peak MiB':>9} {'MiB':>7}"
        )
        for list_name in args.lists:
            base = measure(list_name, "csv", "baseline", env)
            seconds, cpu, peak = base["seconds"], base["cpu"], base["peak_mib"]
            print(f"{list_name:<10} {'page':<6} {'baseline':<9} {seconds:>8.2f} {cpu:>8.2f} {peak:>9.0f}")
            for file_format in ("csv", "xlsx"):
                for mode in modes:
                    r = measure(list_name, file_format, mode, env)
                    print(
                        f"{list_name:<10} {file_format:<6} {mode:<9} {r['seconds']:>8.2f} {r['cpu']:>8.2f} "
                        f"{r['peak_mib']:>9.0f} {r['bytes'] / 2**20:>7.1f}",
                        flush=True,
                    )
        print("load average:", " ".join(f"{n:.2f}" for n in os.getloadavg()))
    finally:
        if old_name is not None:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
