"""Full-text search in French with one query syntax on SQLite (FTS5) and PostgreSQL (tsvector).

`query.parse()` reads what a user types; `index.FullTextIndex` keeps a table's text searchable and
filters a QuerySet with it. The structures live outside Django's model state: see `index`.
"""

from .index import FullTextIndex, ensure_indexes
from .query import parse

__all__ = ["FullTextIndex", "ensure_indexes", "parse"]
