"""`mutualis worker`: django_tasks_db's `db_worker`, plus a heartbeat the health page reads (/sante/).

Same options as db_worker (--interval, --queue-name, --batch…). Use it instead of db_worker, so that a
stopped worker shows as unhealthy.
"""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from mutualis.core.worker import Heartbeat, forget_stale_heartbeats


class Command(DbWorkerCommand):
    help = "Lance le travailleur de fond (tâches en base) et enregistre son signal de vie."

    def handle(self, *args, **options):
        if options["reload"] and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            # With --reload this process only watches the files: the child it starts runs the tasks and beats.
            return super().handle(*args, **options)
        forget_stale_heartbeats()
        heartbeat = Heartbeat(options["worker_id"])
        heartbeat.start()
        try:
            return super().handle(*args, **options)
        finally:
            heartbeat.stop()
