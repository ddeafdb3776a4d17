"""What the benchmark scripts share: Django set up on a throw-away test database."""

import os
import statistics
import tempfile
import time
from collections.abc import Callable


def run_in_test_database(measure: Callable[[], None], keep: bool = False) -> None:
    """Set Django up (test profile), create a test database, run `measure`, drop the database.

    The configured database is never written: Django creates test_<name> beside it (or a fresh
    SQLite file), as the test suite does. With `keep`, an existing test database is reused and left
    in place afterwards (a large data set is built once, then measured again after each change).
    """
    os.environ.setdefault("MUTUALIS_DATA_DIR", tempfile.mkdtemp(prefix="mutualis-bench-"))
    os.environ.setdefault("MUTUALIS_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutualis.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    # serialize=False: no test here rolls back by reloading the data (a kept 1M-row set would take ages).
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=keep, serialize=False)
    try:
        measure()
    finally:
        if not keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def time_page(client, url: str, runs: int = 5) -> tuple[int, float]:
    """A page's queries and median time over `runs` requests (a streamed body is read to its end)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return len(queries), statistics.median(timings)


def drop_postgres_database(admin_url: str, name: str) -> None:
    """Drops a benchmark's own PostgreSQL database, connected through `admin_url` (sessions closed)."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
