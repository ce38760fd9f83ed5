"""A job's pulse while its worker is inside a long transaction.

``job_progress`` writes on the job's row, which a transaction would hide from everyone else until
it ends (and a cancel would wait on the row). A job that writes its data in one transaction
(an import: all or nothing) runs it inside ``heartbeat(job)``: a thread, on a database connection
of its own, writes how far the job is and that its worker lives every ``JOB_HEARTBEAT`` seconds,
and reads whether a cancel was asked; ``Pulse.report`` in the worker's thread raises
``JobCancelled`` once it was, which rolls the transaction back.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from jobs.choices import JobStatus
from jobs.models import Job
from jobs.services import JobCancelled

logger = logging.getLogger(__name__)


class Pulse:
    def __init__(self, job: Job):
        self.job = job
        self.done = job.done
        self.total = job.total
        self.cancelled = threading.Event()
        self.stop = threading.Event()

    def report(self, done: int, total: int) -> None:
        """How far the work is; raises ``JobCancelled`` once a cancel was asked."""
        self.done, self.total = min(done, total), total
        if self.cancelled.is_set():
            raise JobCancelled

    def beat(self) -> None:
        now = timezone.now()
        Job.objects.filter(pk=self.job.pk, status=JobStatus.RUNNING).update(
            done=self.done, total=self.total, heartbeat_at=now
        )
        state = Job.objects.filter(pk=self.job.pk).values_list("status", "cancel_requested").first()
        if state != (JobStatus.RUNNING, False):
            self.cancelled.set()

    def run(self) -> None:
        try:
            while not self.stop.wait(settings.JOB_HEARTBEAT):
                try:
                    self.beat()
                except DatabaseError:  # SQLite busy with the job's own transaction: try again later
                    logger.debug("job %s: heartbeat skipped", self.job.pk)
        finally:
            connection.close()  # this thread's own connection


@contextmanager
def heartbeat(job: Job) -> Iterator[Pulse]:
    pulse = Pulse(job)
    thread = threading.Thread(target=pulse.run, name=f"job-{job.pk}-heartbeat", daemon=True)
    thread.start()
    try:
        yield pulse
    finally:
        pulse.stop.set()
        thread.join()
