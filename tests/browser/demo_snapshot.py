"""A copy of the whole test database once the demo is built, put back before each later journey.

PostgreSQL: every table's rows through COPY (exact, typed by the server), written back in one
transaction (Django's foreign keys are deferred, so the order of the tables does not matter).
SQLite (in memory, shared with the live server): the database file itself, through SQLite's backup API.
"""

import io
import sqlite3

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

_copy: dict[str, bytes] = {}
_sqlite: list[sqlite3.Connection] = []


def taken() -> bool:
    return bool(_copy or _sqlite)


def _tables() -> list[str]:
    return connection.introspection.django_table_names(only_existing=True, include_views=False)


def take() -> None:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy)
        _sqlite.append(copy)
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in _tables():
            buffer = io.BytesIO()
            with cursor.cursor.copy(f"COPY {quote(table)} TO STDOUT") as copy:
                for chunk in copy:
                    buffer.write(chunk)
            _copy[table] = buffer.getvalue()


def restore() -> None:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        _sqlite[0].backup(connection.connection)
        return
    quote = connection.ops.quote_name
    # The flush left some rows behind (content types and permissions, recreated after it): replaced too.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE " + ", ".join(quote(table) for table in _copy))
        for table, rows in _copy.items():
            if rows:
                with cursor.cursor.copy(f"COPY {quote(table)} FROM STDIN") as copy:
                    copy.write(rows)
        models = apps.get_models(include_auto_created=True)
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
