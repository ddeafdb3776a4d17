"""Plain bulk INSERT (COPY on PostgreSQL) for the import's hot path.

At a million records, the ORM's bulk_create spends most of its time compiling SQL row by row; the
rows here are already clean, so they go to the driver's executemany with the same adaptation Django
would apply (JSON through the backend's own adapter, dates and decimals handled by the driver).
"""

from contextlib import nullcontext

from django.db import connection

from mutualis.core.fulltext import FullTextIndex

# SQLite's default limit on a statement's parameters (SQLITE_MAX_VARIABLE_NUMBER since 3.32).
SQLITE_MAX_PARAMETERS = 32766


def insert_rows(model, field_names: list[str], rows: list[tuple]) -> None:
    if not rows:
        return
    fields, columns, rows = _prepared(model, field_names, rows)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy(cursor, table, columns, rows)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)  # noqa: S608 - names from the model


def insert_returning_ids(
    model, field_names: list[str], rows: list[tuple], index: FullTextIndex | None = None
) -> list[int]:
    """Insert the rows and return their ids, in the rows' order, without a second query by key.

    PostgreSQL: the ids are taken from the table's sequence first, then the rows go by COPY with them.
    SQLite: multi-row INSERT … RETURNING (the rows' first column must identify them, since SQLite does
    not promise RETURNING's order). With `index`, the table's full-text rows are written in one
    statement per batch instead of by the per-row trigger, which costs several times the insert.
    """
    if not rows:
        return []
    fields, columns, rows = _prepared(model, field_names, rows)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [model._meta.db_table, len(rows)],
            )
            ids = [row[0] for row in cursor.fetchall()]
            _copy(cursor, table, f"id, {columns}", [(pk, *row) for pk, row in zip(ids, rows, strict=True)])
            return ids
        key_column = connection.ops.quote_name(fields[0].column)
        by_key = {}
        width = len(fields)
        step = SQLITE_MAX_PARAMETERS // width
        placeholders = "(" + ", ".join(["%s"] * width) + ")"
        with index.insert_trigger_paused(cursor) if index else nullcontext(False) as paused:
            for start in range(0, len(rows), step):
                chunk = rows[start : start + step]
                values = ", ".join([placeholders] * len(chunk))
                sql = f"INSERT INTO {table} ({columns}) VALUES {values} RETURNING {key_column}, id"  # noqa: S608 - names from the model
                cursor.execute(sql, [value for row in chunk for value in row])
                by_key.update(cursor.fetchall())
            ids = [by_key[row[0]] for row in rows]
            if paused:
                index.index_rows(cursor, ids)
        return ids


def _prepared(model, field_names: list[str], rows: list[tuple]):
    fields = [model._meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    json_columns = [(i, f.encoder) for i, f in enumerate(fields) if f.get_internal_type() == "JSONField"]
    if json_columns:
        adapt = connection.ops.adapt_json_value  # looked up once: the connection proxy costs per call
        adapted = []
        for row in rows:
            row = list(row)
            for index, encoder in json_columns:
                row[index] = adapt(row[index], encoder)
            adapted.append(row)
        rows = adapted
    return fields, columns, rows


def _copy(cursor, table: str, columns: str, rows) -> None:
    # COPY is PostgreSQL's bulk path: one stream instead of one statement per row.
    with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
