"""Reads of the indicators and of the public portal from a PostgreSQL read replica (DATABASE_REPLICA_URL).

Only code that asks for it reads from the replica: `replica_reads()` (a context manager and a decorator)
marks the indicators' computation, and ReplicaReadsMiddleware marks the safe requests of the portal, the
cockpit and the indicators API. Everything else, and every write, goes to the primary, so a form never
reads a row (or its version) a few milliseconds older than the one it will write. Two exceptions keep
the primary even inside a marked block: the identity and session tables (a session just opened on the
primary must be found at once), and reads made inside a transaction (they must see its own writes).

Without DATABASE_REPLICA_URL the router is not installed and the marks change nothing.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
# Sessions, accounts and tokens decide who the reader is: always read where they were just written; so is
# the database cache (django_cache), whose counters and versions must never lag.
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "contenttypes", "admin", "tokens", "django_cache"})
# The requests whose reads may lag the primary by the replication delay (GET and HEAD only).
REPLICA_PATHS = ("/portail/", "/api/v1/indicators/", "/pilotage/indicateurs/")
REPLICA_EXACT_PATHS = frozenset({"/pilotage/"})

_marked: ContextVar[bool] = ContextVar("mutualis_replica_reads", default=False)


@contextmanager
def replica_reads():
    """The reads inside may come from the replica, when there is one (also a decorator: @replica_reads())."""
    token = _marked.set(True)
    try:
        yield
    finally:
        _marked.reset(token)


def reading_from_replica() -> bool:
    return _marked.get()


class ReplicaRouter:
    """Marked reads go to the replica; writes, migrations and everything unmarked to the primary."""

    def db_for_read(self, model, **hints):
        if not _marked.get():
            return None
        if model._meta.app_label in PRIMARY_ONLY_APPS or model._meta.label == settings.AUTH_USER_MODEL:
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None  # read-your-writes inside a transaction
        return REPLICA

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: same rows, same ids

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS  # the replica follows the primary's schema by replication


class ReplicaReadsMiddleware:
    """Marks the safe requests of the portal, the cockpit and the indicators API (REPLICA_PATHS)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and (
            request.path in REPLICA_EXACT_PATHS or request.path.startswith(REPLICA_PATHS)
        ):
            with replica_reads():
                return self.get_response(request)
        return self.get_response(request)
