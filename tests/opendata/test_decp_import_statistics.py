"""An import leaves the planner fresh statistics (issue 20: « statistics kept fresh »)."""

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mutualis.opendata.decp_import.service import import_decp
from mutualis.opendata.models import ExternalContract, ExternalHolder
from mutualis.opendata.summary import CELLS

DECP = Path(__file__).resolve().parents[1] / "data" / "decp"
DEMATIS = sorted((DECP / "v2-2022-format" / "dematis").glob("*.json"))

pytestmark = pytest.mark.django_db


def analyzed_tables(queries) -> set[str]:
    return {q["sql"].split()[-1].strip('"') for q in queries if q["sql"].upper().startswith("ANALYZE")}


def test_an_import_analyzes_the_tables_it_wrote():
    with CaptureQueriesContext(connection) as queries:
        import_decp(DEMATIS[:1])
    assert ExternalContract.objects.exists()
    # The benchmark's cells too: the import summed them again.
    written = [ExternalContract, ExternalHolder, *CELLS]
    assert analyzed_tables(queries) == {model._meta.db_table for model in written}


def test_a_dry_run_analyzes_nothing():
    with CaptureQueriesContext(connection) as queries:
        import_decp(DEMATIS[:1], dry_run=True)
    assert not analyzed_tables(queries)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's statistics table")
def test_sqlite_statistics_exist_after_an_import():
    # Written in the test's transaction, so rolled back with it: no other test sees them.
    def rows() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if not cursor.fetchone()[0]:
                return 0
            cursor.execute(
                "SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [ExternalContract._meta.db_table]
            )
            return cursor.fetchone()[0]

    assert rows() == 0
    import_decp(DEMATIS[:1])
    assert rows() > 0
