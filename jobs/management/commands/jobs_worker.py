"""The jobs' worker, whichever queue the settings name (``TASKS_BACKEND``): the database
backend's ``db_worker``, or RQ's worker on Redis (``rqworker``). Beside either, a thread

- says every ``JOB_WORKER_BEAT`` seconds that this worker is alive (``jobs.Worker``: the health
  check and the metrics read it), and
- fails the jobs of a dead worker: once on starting (this machine's worker was killed, say),
  then every half of ``JOB_STALE_AFTER`` (another machine's).

``make run`` starts it beside the development server; production runs it as the
``reintegration-worker`` service (deploy/). Its options are db_worker's (``--batch`` runs what is
queued and exits); with RQ, only ``--queue-name`` applies.
"""

import os
import socket
import threading
import time
from argparse import BooleanOptionalAction

from django.conf import settings
from django.core.management import call_command
from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from jobs.services import job_fail_stale, worker_beat, worker_leave


def _watch(stop: threading.Event, name: str) -> None:
    started_at = timezone.now()
    sweep_every = max(1.0, settings.JOB_STALE_AFTER / 2)
    last_sweep = time.monotonic()
    try:
        while True:
            close_old_connections()
            worker_beat(name, started_at=started_at)
            if time.monotonic() - last_sweep >= sweep_every:
                job_fail_stale()
                last_sweep = time.monotonic()
            if stop.wait(settings.JOB_WORKER_BEAT):
                break
        worker_leave(name)
    finally:
        connection.close()


class Command(DatabaseWorkerCommand):
    help = "Run the background jobs' worker, failing the jobs of dead workers"

    def add_arguments(self, parser) -> None:
        if settings.TASKS_BACKEND == "database":
            super().add_arguments(parser)
            return
        parser.add_argument("--queue-name", default="default", help="The queues to take jobs from, comma-separated.")
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then exit.")
        parser.add_argument("--reload", action=BooleanOptionalAction, default=False, help="Ignored with RQ.")

    def handle(self, *args, **options) -> None:
        watcher = options.get("reload") and not options.get("batch") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        stop = threading.Event()
        beating = None
        if not watcher:  # with --reload, the watching process only restarts the worker: it sweeps nothing
            job_fail_stale()
            name = f"{socket.gethostname()}:{os.getpid()}"[:200]
            beating = threading.Thread(target=_watch, args=(stop, name), daemon=True, name="worker-beat")
            beating.start()
        try:
            if settings.TASKS_BACKEND == "rq":
                queues = [queue for queue in options["queue_name"].split(",") if queue]
                call_command("rqworker", *queues, job_class="django_tasks_rq.Job", burst=options["batch"])
            else:
                super().handle(*args, **options)
        finally:
            stop.set()
            if beating is not None:
                beating.join(timeout=10)
