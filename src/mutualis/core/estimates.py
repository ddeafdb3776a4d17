"""An estimated row count for very large unfiltered lists on PostgreSQL: COUNT(*) reads every row, while
the planner's statistics (pg_class.reltuples, kept by ANALYZE and autovacuum) answer at once."""

from django.db import connections

ESTIMATE_FROM = 10_000  # under this, the exact count is cheap enough


def estimated_count(queryset) -> int | None:
    """The table's estimated rows when `queryset` reads the whole table on PostgreSQL and the estimate
    passes ESTIMATE_FROM; None otherwise (a filter, a scope, a grouping: count exactly)."""
    query = queryset.query
    connection = connections[queryset.db]
    if connection.vendor != "postgresql" or query.where or query.distinct or query.group_by:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [queryset.model._meta.db_table]
        )
        row = cursor.fetchone()
    # -1 when the table was never analysed.
    return row[0] if row and row[0] >= ESTIMATE_FROM else None
