"""`has_element`: whether a JSON list field holds a value, in SQL on both databases.

Django's `contains` on a JSONField is refused by SQLite, and matching the JSON text would depend on how
each database writes it (SQLite keeps Django's ASCII escapes, PostgreSQL normalises jsonb). So the
lookup asks each database in its own words: jsonb containment on PostgreSQL, json_each on SQLite."""

import json

from django.db.models import JSONField, Lookup


@JSONField.register_lookup
class HasElement(Lookup):
    lookup_name = "has_element"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return ("%s", [value])

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} @> %s::jsonb", [*lhs_params, json.dumps([self.rhs])]

    def as_sqlite(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        # `lhs` is the column Django compiled; the value travels as a parameter.
        sql = f"EXISTS (SELECT 1 FROM json_each({lhs}) WHERE json_each.value = %s)"  # noqa: S608
        return sql, [*lhs_params, self.rhs]
