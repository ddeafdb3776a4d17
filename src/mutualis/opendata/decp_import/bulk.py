"""Plain bulk INSERT (COPY on PostgreSQL) for the import's hot path.

At a million records, the ORM's bulk_create spends most of its time compiling SQL row by row; the
rows here are already clean, so they go to the driver's executemany with the same adaptation Django
would apply (JSON through the backend's own adapter, dates and decimals handled by the driver).
"""

from django.db import connection


def insert_rows(model, field_names: list[str], rows: list[tuple]) -> None:
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names from the model
    json_columns = [(i, f.encoder) for i, f in enumerate(fields) if f.get_internal_type() == "JSONField"]
    if json_columns:
        adapted = []
        for row in rows:
            row = list(row)
            for index, encoder in json_columns:
                row[index] = connection.ops.adapt_json_value(row[index], encoder)
            adapted.append(row)
        rows = adapted
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY is PostgreSQL's bulk path: one stream instead of one statement per row.
            with cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(sql, rows)
