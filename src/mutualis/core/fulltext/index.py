"""A table's text, searchable in French: an FTS5 table on SQLite, a tsvector column on PostgreSQL.

The structures live outside Django's model state, kept by the database itself so that every write
path (ORM saves, bulk imports by COPY, history restores) keeps them current:
- SQLite: an external-content FTS5 table (`<table>_fts`, accents folded) filled by triggers;
- PostgreSQL: a stored generated column `search_document` (configuration `mutualis_fr`: French stems,
  accents removed by `unaccent`) with a GIN index.
`ensure_indexes()` creates what is missing, idempotently, after every `migrate`: SQLite rebuilds a
table to alter it and drops its triggers on the way, so they are put back (and the index rebuilt).
"""

from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import FloatField, Q
from django.db.models.expressions import RawSQL

from .query import parse

_REGISTRY: list["FullTextIndex"] = []
CONFIG = "mutualis_fr"
COLUMN = "search_document"


class FullTextIndex:
    """The text columns of one model's table, each with its weight (A ranks above B)."""

    def __init__(self, model_label: str, columns: dict[str, str]):
        self.model_label = model_label
        self.columns = columns
        _REGISTRY.append(self)

    @property
    def table(self) -> str:
        from django.apps import apps

        return apps.get_model(self.model_label)._meta.db_table

    def matches(self, text: str):
        """A filter on the rows matching what the user typed, or None when it holds no word to find."""
        query = parse(text)
        if not query:
            return None
        table = self.table
        if connection.vendor == "postgresql":
            sql = f"SELECT id FROM {table} WHERE {COLUMN} @@ to_tsquery('{CONFIG}', %s)"
            return Q(pk__in=RawSQL(sql, [query.to_tsquery()]))
        sql = f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s"
        return Q(pk__in=RawSQL(sql, [query.to_fts5()]))

    def search(self, queryset, text: str):
        """The rows matching, best first (a list's own sort still applies over it): bm25 on SQLite,
        ts_rank on PostgreSQL, as `search_rank` (the higher, the better)."""
        query = parse(text)
        if not query:
            return queryset
        table = self.table
        if connection.vendor == "postgresql":
            rank = RawSQL(
                f"ts_rank({table}.{COLUMN}, to_tsquery('{CONFIG}', %s))", [query.to_tsquery()], FloatField()
            )
            queryset = queryset.filter(self.matches(text)).annotate(search_rank=rank)
            return queryset.order_by("-search_rank", "-pk")
        # One pass over the FTS table, joined to the rows by rowid: a rank read by a subquery per row ran
        # the whole full-text query again for each matching row (4.4 s for a common word at 100,000 rows).
        fts = f"{table}_fts"
        return queryset.extra(  # noqa: S610 - a join the ORM cannot express; the user's words are a parameter
            select={"search_rank": f"-{fts}.rank"},
            tables=[fts],
            where=[f"{fts}.rowid = {table}.id", f"{fts} MATCH %s"],
            params=[query.to_fts5()],
        ).order_by("-search_rank", "-pk")

    @contextmanager
    def insert_trigger_paused(self, cursor):
        """SQLite: the per-row insert trigger dropped around a bulk insert, whose caller then indexes
        the new rows with index_rows() (one statement: several times cheaper). Only inside a transaction,
        so that a failed import rolls the index back with the rows. Yields whether it paused anything."""
        if cursor.db.vendor != "sqlite":
            yield False
            return
        if not cursor.db.in_atomic_block:
            raise RuntimeError("the full-text trigger may only be paused inside a transaction")
        name = f"{self.table}_fts_ai"
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [name])
        row = cursor.fetchone()
        if row is None:
            yield False
            return
        cursor.execute(f"DROP TRIGGER {name}")
        try:
            yield True
        finally:
            cursor.execute(row[0])  # its own definition, verbatim

    def index_rows(self, cursor, ids: list[int]) -> None:
        """SQLite: the full-text rows of rows inserted while the trigger was paused."""
        if cursor.db.vendor != "sqlite" or not ids:
            return
        table, names = self.table, ", ".join(self.columns)
        for start in range(0, len(ids), 10_000):
            chunk = ids[start : start + 10_000]
            marks = ", ".join(["%s"] * len(chunk))
            select = f"SELECT id, {names} FROM {table} WHERE id IN ({marks})"
            cursor.execute(f"INSERT INTO {table}_fts(rowid, {names}) {select}", chunk)

    def ensure(self, cursor) -> None:
        if cursor.db.vendor == "postgresql":
            self._ensure_postgresql(cursor)
        elif cursor.db.vendor == "sqlite":
            self._ensure_sqlite(cursor)

    def _ensure_postgresql(self, cursor) -> None:
        quote = connection.ops.quote_name
        # Punctuation becomes a space first, as the query parser splits words: PostgreSQL's parser would
        # otherwise read « 2026-0007 » as 2026 and the signed number -0007, which « 0007 » never finds.
        document = " || ".join(
            f"setweight(to_tsvector('{CONFIG}'::regconfig, "
            f"regexp_replace(coalesce({quote(column)}, ''), '[^[:alnum:]]+', ' ', 'g')), '{weight}')"
            for column, weight in self.columns.items()
        )
        cursor.execute(
            f"ALTER TABLE {quote(self.table)} ADD COLUMN IF NOT EXISTS {COLUMN} tsvector "
            f"GENERATED ALWAYS AS ({document}) STORED"
        )
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {quote(self.table + '_search_idx')} "
            f"ON {quote(self.table)} USING gin ({COLUMN})"
        )

    def _ensure_sqlite(self, cursor) -> None:
        table, fts = self.table, f"{self.table}_fts"
        names = ", ".join(self.columns)
        new = ", ".join(f"new.{c}" for c in self.columns)
        old = ", ".join(f"old.{c}" for c in self.columns)
        triggers = {
            f"{fts}_ai": f"AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new}); END",
            f"{fts}_ad": f"AFTER DELETE ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old}); END",
            f"{fts}_au": f"AFTER UPDATE OF {names} ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old}); "
            f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new}); END",
        }
        cursor.execute("SELECT name FROM sqlite_master WHERE name IN (%s, %s, %s, %s)", [fts, *triggers])
        present = {row[0] for row in cursor.fetchall()}
        if present == {fts, *triggers}:
            return
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({names}, content='{table}', "
            "content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
        )
        for name, body in triggers.items():
            cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
        cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def ensure_indexes(using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_migrate: every registered index exists and is current (idempotent, cheap when it is)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and _REGISTRY:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
            cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [CONFIG])
            if cursor.fetchone() is None:
                cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = french)")
                cursor.execute(
                    f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} "
                    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem"
                )
        for index in _REGISTRY:
            index.ensure(cursor)
