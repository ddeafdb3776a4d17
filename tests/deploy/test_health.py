"""/sante/: database, migrations and the background worker's heartbeat, as JSON, 200 or 503.

The worker's cases run with the production's task backend (the database queue); the test profile runs
tasks at once and has no worker. A real worker process is run in test_gunicorn.py.
"""

from datetime import timedelta

import pytest
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from mutualis.core import health
from mutualis.core.models import WorkerHeartbeat
from mutualis.core.worker import beat, forget_stale_heartbeats

URL = "/sante/"


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MUTUALIS_HEALTH_WORKER_STALE = 60
    settings.MUTUALIS_HEALTH_QUEUE_MAX_WAIT = 900


def _heartbeat(seconds_ago: int) -> WorkerHeartbeat:
    now = timezone.now()
    return WorkerHeartbeat.objects.create(
        worker_id=f"w{seconds_ago}",
        hostname="worker",
        pid=1,
        started_at=now - timedelta(hours=1),
        beat_at=now - timedelta(seconds=seconds_ago),
    )


def test_without_a_worker_to_expect_the_page_says_so_and_is_healthy(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["migrations"]["status"] == "ok"
    assert body["checks"]["worker"]["state"] == "not_used"


def test_a_fresh_heartbeat_is_a_running_worker(client, db, database_queue):
    _heartbeat(seconds_ago=5)
    response = client.get(URL)
    assert response.status_code == 200
    worker = response.json()["checks"]["worker"]
    assert worker["state"] == "running" and worker["status"] == "ok"
    assert 4 <= worker["last_seen_seconds"] <= 7


def test_no_heartbeat_at_all_is_a_stopped_worker(client, db, database_queue):
    response = client.get(URL)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy"
    assert body["checks"]["worker"]["state"] == "stopped"
    assert body["checks"]["database"]["status"] == "ok"


def test_a_stale_heartbeat_is_a_stopped_worker(client, db, database_queue):
    _heartbeat(seconds_ago=61)
    response = client.get(URL)
    assert response.status_code == 503
    worker = response.json()["checks"]["worker"]
    assert worker["state"] == "stopped" and worker["detail"] == "Le travailleur est arrêté."
    assert worker["last_seen_seconds"] >= 61
    # The most recent of several workers counts.
    _heartbeat(seconds_ago=1)
    assert client.get(URL).status_code == 200


def _waiting_task(seconds: int, run_after=None) -> None:
    task = DBTaskResult.objects.create(
        status="READY",
        args_kwargs={"args": [], "kwargs": {}},
        priority=0,
        task_path="mutualis.opendata.tasks.run_decp_import",
        queue_name="default",
        backend_name="default",
        run_after=run_after or get_date_max(),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - timedelta(seconds=seconds))


def test_a_task_waiting_too_long_makes_a_living_worker_unhealthy(client, db, database_queue):
    _heartbeat(seconds_ago=2)
    _waiting_task(seconds=60)  # recently queued: normal
    _waiting_task(seconds=3600, run_after=timezone.now() + timedelta(hours=1))  # not due yet
    assert client.get(URL).status_code == 200
    _waiting_task(seconds=901)
    response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["state"] == "late"


def test_an_unapplied_migration_is_unhealthy(client, db, monkeypatch):
    monkeypatch.setattr(health, "_migrations_seen_applied", False)
    # The app's last migration: the plan starts from the leaves, so an earlier one would go unnoticed.
    MigrationRecorder.Migration.objects.filter(app="core").order_by("-name").first().delete()
    response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"]["status"] == "unhealthy"


def test_the_answer_tells_states_never_business_data(client, db, database_queue):
    _heartbeat(seconds_ago=1)
    _waiting_task(seconds=5000)
    text = client.get(URL).content.decode()
    assert "run_decp_import" not in text and "worker" in text
    assert set(client.get(URL).json()) == {"status", "checks"}


def test_a_heartbeat_rewrites_the_workers_own_row(db):
    started = timezone.now() - timedelta(minutes=3)
    beat("worker-a", started)
    first = WorkerHeartbeat.objects.get(worker_id="worker-a").beat_at
    beat("worker-a", started)
    row = WorkerHeartbeat.objects.get(worker_id="worker-a")
    assert row.beat_at >= first and row.started_at == started
    assert WorkerHeartbeat.objects.count() == 1


def test_a_new_worker_forgets_those_gone_for_a_day(db):
    _heartbeat(seconds_ago=60)
    _heartbeat(seconds_ago=24 * 3600 + 1)
    forget_stale_heartbeats()
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["w60"]


def test_only_get_is_answered(client, db):
    assert client.post(URL).status_code == 405
