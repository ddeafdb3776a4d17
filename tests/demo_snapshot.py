"""A copy of the whole test database once the demo is built, put back wherever the demo is needed again.

Building the demo through the services takes most of a minute; putting the copy back takes a second or
two. Used by the test modules that read the demo (conftest.demo_for_module, inside a transaction rolled
back after the module) and by the browser journeys (after each flush).

PostgreSQL: every table's rows through COPY (exact, typed by the server), written back after a
TRUNCATE, both transactional. SQLite: every table's stored values read and written back through the
raw driver (no conversion either way). Django's foreign keys are deferred on both engines, so the order
of the tables does not matter. The copy is of one day: the demo is dated from the day it is loaded, so
on another day it is built again.
"""

import io

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

_copy: dict[str, object] = {}  # table -> COPY bytes (PostgreSQL) or (columns, rows) (SQLite)
_day: list = []


def load(build=None) -> None:
    """The demo in the database: its copy put back if one was taken today, else built and copied.
    `build`: what builds it (default: load_demo)."""
    if taken():
        restore()
        return
    if build is None:
        from mutualis.demo.services import load_demo as build
    build()
    take()


def taken() -> bool:
    return bool(_copy) and _day == [timezone.localdate()]


def _tables() -> list[str]:
    return connection.introspection.django_table_names(only_existing=True, include_views=False)


def take() -> None:
    """Copy every table as it stands now (the demo just built)."""
    connection.ensure_connection()
    _copy.clear()
    _day[:] = [timezone.localdate()]
    quote = connection.ops.quote_name
    if connection.vendor == "sqlite":
        raw = connection.connection.cursor()
        for table in _tables():
            raw.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - Django's own table names
            _copy[table] = ([column[0] for column in raw.description], raw.fetchall())
        return
    with connection.cursor() as cursor:
        for table in _tables():
            buffer = io.BytesIO()
            with cursor.cursor.copy(f"COPY {quote(table)} TO STDOUT") as copy:
                for chunk in copy:
                    buffer.write(chunk)
            _copy[table] = buffer.getvalue()


def restore() -> None:
    """Put the copy back: every table emptied (rows left by a flush or a test included) and refilled."""
    connection.ensure_connection()
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            raw = connection.connection.cursor()
            for table, (columns, rows) in _copy.items():
                raw.execute(f"DELETE FROM {quote(table)}")  # noqa: S608 - as above
                if rows:
                    names = ", ".join(quote(column) for column in columns)
                    marks = ", ".join("?" * len(columns))
                    insert = f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"  # noqa: S608 - as above
                    raw.executemany(insert, rows)
            return
        cursor.execute("TRUNCATE " + ", ".join(quote(table) for table in _copy))
        for table, rows in _copy.items():
            if rows:
                with cursor.cursor.copy(f"COPY {quote(table)} FROM STDIN") as copy:
                    copy.write(rows)
        models = apps.get_models(include_auto_created=True)
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
