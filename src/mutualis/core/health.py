"""The application's health, for the proxy and monitoring: the database answers, every migration is
applied, the background worker is alive. Nothing here reads business data: states, never counts.

The worker's liveness is its heartbeat (core/worker.py writes a WorkerHeartbeat row every few seconds);
a fresh heartbeat is not enough if the worker is stuck on a task, so tasks waiting in the queue longer
than a threshold also make it unhealthy.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

OK, UNHEALTHY = "ok", "unhealthy"


@dataclass
class Health:
    checks: dict = field(default_factory=dict)

    @property
    def healthy(self) -> bool:
        return all(check["status"] == OK for check in self.checks.values())

    def as_dict(self) -> dict:
        return {"status": OK if self.healthy else UNHEALTHY, "checks": self.checks}


def _check(status: str, detail: str, **extra) -> dict:
    return {"status": status, "detail": detail, **extra}


def database_check() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return _check(UNHEALTHY, "La base de données ne répond pas.")
    return _check(OK, "La base de données répond.")


# Reading the migration files costs tens of milliseconds: once a process has seen them all applied, it
# stops asking (a deployment that brings new migrations starts new processes).
_migrations_seen_applied = False


def migrations_check() -> dict:
    global _migrations_seen_applied
    if not _migrations_seen_applied:
        try:
            executor = MigrationExecutor(connection)
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError:
            return _check(UNHEALTHY, "Les migrations n'ont pas pu être lues dans la base.")
        if pending:
            return _check(UNHEALTHY, "Des migrations ne sont pas appliquées (mutualis migrate).")
        _migrations_seen_applied = True
    return _check(OK, "Toutes les migrations sont appliquées.")


def worker_expected() -> bool:
    """A worker is needed when background jobs go to the database queue (not run at once, as in tests)."""
    from django_tasks_db import DatabaseBackend

    backend = import_string(settings.TASKS["default"]["BACKEND"])
    return issubclass(backend, DatabaseBackend)


def worker_check(now=None) -> dict:
    from django_tasks_db.models import DBTaskResult, get_date_max

    from .models import WorkerHeartbeat

    if not worker_expected():
        return _check(OK, "Pas de travailleur : les tâches s'exécutent immédiatement.", state="not_used")
    now = now or timezone.now()
    try:
        last = WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
        waiting_since = now - timedelta(seconds=settings.MUTUALIS_HEALTH_QUEUE_MAX_WAIT)
        late = (
            DBTaskResult.objects.ready()
            .filter(enqueued_at__lt=waiting_since)
            .filter(Q(run_after=get_date_max()) | Q(run_after__lt=waiting_since))
            .exists()
        )
    except DatabaseError:
        return _check(UNHEALTHY, "L'état du travailleur n'a pas pu être lu.", state="unknown")
    if last is None:
        return _check(UNHEALTHY, "Aucun travailleur n'a jamais donné signe de vie.", state="stopped")
    age = int((now - last).total_seconds())
    if age > settings.MUTUALIS_HEALTH_WORKER_STALE:
        return _check(UNHEALTHY, "Le travailleur est arrêté.", state="stopped", last_seen_seconds=age)
    if late:
        return _check(
            UNHEALTHY,
            "Des tâches attendent depuis trop longtemps : le travailleur est bloqué ou débordé.",
            state="late",
            last_seen_seconds=age,
        )
    return _check(OK, "Le travailleur est en marche.", state="running", last_seen_seconds=age)


def health(now=None) -> Health:
    result = Health()
    result.checks["database"] = database_check()
    if result.checks["database"]["status"] != OK:
        # Nothing else can be read without the database.
        return result
    result.checks["migrations"] = migrations_check()
    result.checks["worker"] = worker_check(now)
    return result
