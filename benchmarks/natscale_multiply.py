"""Makes a database built by national_scale.py N times larger, for when the real import of that many
records does not fit in the time at hand: every published contract and its holders copied N-1 times under
a new uid by SQL (as the build's generator, which repeats the same real records), the benchmark page's
cells summed again, statistics refreshed, and the build's marker updated so that `--reuse` takes it.

Usage (the database as national_scale.py chose it, through the environment; copy the SQLite file first):
  MUTUALIS_ENV=test MUTUALIS_DATA_DIR=var/natscale-1m .venv/bin/python benchmarks/natscale_multiply.py 10
  MUTUALIS_ENV=test DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME \
      .venv/bin/python benchmarks/natscale_multiply.py 10
"""

import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutualis.settings")


def main(factor: int) -> None:
    import django

    django.setup()
    from django.db import connection, transaction

    from mutualis.opendata.models import ExternalContract, ExternalHolder
    from mutualis.opendata.summary import benchmark_summary_build

    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(f.column) for f in ExternalContract._meta.concrete_fields if f.column not in ("id", "uid")
    )
    contracts, holders = ExternalContract._meta.db_table, ExternalHolder._meta.db_table
    start = time.perf_counter()
    # Table and column names from the models, the copy number an integer: nothing typed reaches the SQL.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT max(id) FROM {contracts}")  # noqa: S608
        last = cursor.fetchone()[0]
        for copy in range(1, factor):
            cursor.execute(
                f"INSERT INTO {contracts} (uid, {columns}) SELECT uid || '~{copy}', {columns} "  # noqa: S608
                f"FROM {contracts} WHERE id <= %s ORDER BY id",
                [last],
            )
            cursor.execute(
                f"INSERT INTO {holders} (contract_id, identifier_kind, identifier, name) "  # noqa: S608
                f"SELECT n.id, h.identifier_kind, h.identifier, h.name FROM {holders} h "
                f"JOIN {contracts} o ON o.id = h.contract_id "
                f"JOIN {contracts} n ON n.uid = o.uid || '~{copy}' WHERE o.id <= %s",
                [last],
            )
            print(f"copy {copy}: {time.perf_counter() - start:.0f} s", flush=True)
        benchmark_summary_build()
        cursor.execute(f"SELECT count(*) FROM {contracts}")  # noqa: S608
        total = cursor.fetchone()[0]
        cursor.execute("UPDATE natscale_build SET external = %s", [total])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"{total} published contracts in {time.perf_counter() - start:.0f} s; load average {os.getloadavg()}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]))
