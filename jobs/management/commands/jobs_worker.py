"""The database backend's worker (``db_worker``), which also fails the jobs of a dead worker:
once on starting (this machine's worker was killed, say), then every half of ``JOB_STALE_AFTER``
(another machine's). ``make run`` starts it beside the development server; production runs it as
the ``reintegration-worker`` service (deploy/). Its options are db_worker's (``--batch`` runs what
is queued and exits)."""

import os
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from jobs.services import job_fail_stale


def _sweep(stop: threading.Event, every: float) -> None:
    try:
        while not stop.wait(every):
            close_old_connections()
            job_fail_stale()
    finally:
        connection.close()


class Command(DatabaseWorkerCommand):
    help = "Run the background jobs' worker (the database backend), failing the jobs of dead workers"

    def handle(self, *args, **options) -> None:
        watcher = options.get("reload") and not options.get("batch") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        stop = threading.Event()
        if not watcher:  # with --reload, the watching process only restarts the worker: it sweeps nothing
            job_fail_stale()
            every = max(1.0, settings.JOB_STALE_AFTER / 2)
            threading.Thread(target=_sweep, args=(stop, every), daemon=True, name="stale-jobs").start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
