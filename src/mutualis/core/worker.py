"""The background worker's heartbeat: a daemon thread rewrites the worker's WorkerHeartbeat row every
MUTUALIS_WORKER_HEARTBEAT seconds while django_tasks_db's loop runs (command `mutualis worker`)."""

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from .models import WorkerHeartbeat

logger = logging.getLogger("mutualis.worker")


def beat(worker_id: str, started_at) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "beat_at": timezone.now(),
        },
    )


def forget_stale_heartbeats() -> None:
    """Each start is a new worker id: rows of workers gone for a day are of no use to anyone."""
    WorkerHeartbeat.objects.filter(beat_at__lt=timezone.now() - timedelta(days=1)).delete()


class Heartbeat(threading.Thread):
    def __init__(self, worker_id: str):
        super().__init__(name="mutualis-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.is_set():
                try:
                    beat(self.worker_id, self.started_at)
                except DatabaseError:
                    # The database may come back: the health page reports the missing beats meanwhile.
                    logger.exception("Signal de vie du travailleur non enregistré")
                self.stopped.wait(settings.MUTUALIS_WORKER_HEARTBEAT)
        finally:
            connection.close()  # this thread's own connection

    def stop(self) -> None:
        self.stopped.set()
