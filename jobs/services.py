"""Writes on jobs: starting one, reporting its progress, finishing, cancelling, and failing the
ones whose worker died.

A job's state moves by conditional updates (``filter(status=...).update(...)``), never by saving
an object read earlier: the worker, the person cancelling and the stale-job sweep may act on the
same row at the same moment, and only the first move from a state counts.
"""

from __future__ import annotations

import datetime
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jobs.choices import JobStatus
from jobs.models import Job, Worker
from jobs.registry import KINDS
from reintegration.models import Centre, User
from reintegration.uploads import delete_file_on_commit

logger = logging.getLogger(__name__)


class JobCancelled(Exception):
    """Raised in the worker by ``job_progress`` when the job is to stop: cancel asked, or the job
    already marked failed (its worker was thought dead). The work unwinds, writing nothing."""


def language_of(user: User) -> str:
    return user.language or settings.LANGUAGE_CODE


@transaction.atomic
def job_start(*, kind: str, by: User, scope: Centre | None, params: dict) -> Job:
    """Record the job and queue its task once the transaction commits (a worker must find the row)."""
    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    if not (by.is_authenticated and by.is_active):
        raise PermissionDenied
    job = Job(kind=kind, started_by=by, centre=scope, params=params)
    job.full_clean()
    job.save()
    transaction.on_commit(partial(_enqueue, job.pk))
    return job


def _enqueue(pk: int) -> None:
    from jobs.tasks import job_run  # the task module imports this one

    result = job_run.enqueue(job_id=pk)
    Job.objects.filter(pk=pk).update(task_id=str(result.id))


def job_begin(job: Job) -> bool:
    """The worker takes a queued job; False if it is no longer queued (cancelled meanwhile)."""
    now = timezone.now()
    taken = Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now
    )
    if taken:
        job.status, job.started_at, job.heartbeat_at = JobStatus.RUNNING, now, now
    return bool(taken)


def job_progress(job: Job, done: int, total: int) -> Job:
    """Say how far the job is (and that its worker lives); raises ``JobCancelled`` when it is to stop.

    Call it outside the transaction that writes the job's data: inside, other connections would
    not see the progress until the end (and a cancel would wait on the row).
    """
    now = timezone.now()
    done = min(done, total)
    Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(done=done, total=total, heartbeat_at=now)
    state = Job.objects.filter(pk=job.pk).values_list("status", "cancel_requested").first()
    if state != (JobStatus.RUNNING, False):
        raise JobCancelled
    job.done, job.total, job.heartbeat_at = done, total, now
    return job


def job_succeed(job: Job, *, filename: str = "", content: bytes | Path | IO[bytes] | None = None) -> Job:
    """The job's last step, inside the transaction that writes its data: the job row is locked,
    a cancel asked until now wins (``JobCancelled`` rolls the data back), the result file is kept.

    ``content`` is the result file's bytes or, for a large file made on disk, its ``Path`` or an
    open binary file: copied into storage chunk by chunk, never read whole into memory. The file
    on disk stays the caller's to delete (a ``tempfile`` used as a context manager does it).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("job_succeed belongs in the transaction that writes the job's data")
    locked = Job.objects.select_for_update().get(pk=job.pk)
    if locked.status != JobStatus.RUNNING or locked.cancel_requested:
        raise JobCancelled
    now = timezone.now()
    locked.status, locked.done, locked.finished_at, locked.heartbeat_at = JobStatus.SUCCEEDED, locked.total, now, now
    fields = ["status", "done", "finished_at", "heartbeat_at", "updated_at"]
    if content is not None:
        with _result_file(content) as result:
            locked.result.save(filename, result, save=False)
        locked.result_name = filename
        fields += ["result", "result_name"]
    locked.save(update_fields=fields)
    return locked


@contextmanager
def _result_file(content: bytes | Path | IO[bytes]) -> Iterator[File]:
    if isinstance(content, bytes):
        yield ContentFile(content)
    elif isinstance(content, os.PathLike):
        with open(content, "rb") as handle:
            yield File(handle)
    else:
        yield File(content)  # its chunks are read from the start, whatever was read before


def job_finish(job: Job, *, status: str, error: str = "") -> bool:
    """A running job ends without a result (failed or cancelled); False if it had already ended."""
    now = timezone.now()
    return bool(
        Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
            status=status, error=error, finished_at=now, heartbeat_at=now
        )
    )


@transaction.atomic
def job_cancel(*, job: Job, by: User) -> Job:
    """A queued job is cancelled at once; a running one is asked to stop, which its worker does at
    its next report of progress, undoing what it was writing."""
    if not job.writable_by(by):
        raise PermissionDenied
    now = timezone.now()
    cancelled = Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.CANCELLED, cancel_requested=True, finished_at=now
    )
    asked = cancelled or Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(cancel_requested=True)
    if not asked:
        raise ValidationError(_("This job has already finished."))
    job.refresh_from_db()
    return job


def job_fail_stale() -> int:
    """Mark failed every running job whose worker has not reported for ``JOB_STALE_AFTER`` seconds
    (it was killed, or its machine stopped); returns how many. The worker calls it on starting and
    then periodically, and the job pages when they are read."""
    now = timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.JOB_STALE_AFTER)
    stale = Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=cutoff)
    failed = 0
    for job in stale.select_related("started_by"):
        with translation.override(language_of(job.started_by)):
            error = _(
                "The worker running this job stopped before the end (%(done)s of %(total)s done). "
                "Nothing it was doing was saved: start it again."
            ) % {"done": job.done, "total": job.total}
        failed += stale.filter(pk=job.pk).update(status=JobStatus.FAILED, error=error, finished_at=now)
    if failed:
        logger.warning("%d job(s) marked failed: their worker stopped reporting", failed)
    return failed


@transaction.atomic
def job_results_prune(*, now: datetime.datetime | None = None) -> int:
    """Delete the result files of jobs finished more than ``JOB_RESULT_DAYS`` ago (receipts and
    exports name people: they are downloaded, not kept); the job itself stays, as the record of
    who made what and when. Returns how many files were deleted."""
    limit = (now or timezone.now()) - datetime.timedelta(days=settings.JOB_RESULT_DAYS)
    old = list(Job.objects.select_for_update().filter(finished_at__lt=limit).exclude(result=""))
    for job in old:
        delete_file_on_commit(job.result)
    Job.objects.filter(pk__in=[job.pk for job in old]).update(result="")  # its name says what it was
    return len(old)


def worker_beat(name: str, *, started_at: datetime.datetime) -> None:
    """Say that the worker ``name`` (host:pid) is alive (``jobs_worker``, every ``JOB_WORKER_BEAT``
    seconds); workers silent for a day (a machine that went away) are forgotten."""
    now = timezone.now()
    Worker.objects.update_or_create(
        name=name, defaults={"beat_at": now}, create_defaults={"started_at": started_at, "beat_at": now}
    )
    Worker.objects.filter(beat_at__lt=now - datetime.timedelta(days=1)).delete()


def worker_leave(name: str) -> None:
    Worker.objects.filter(name=name).delete()


def workers_alive() -> int:
    """How many workers reported within ``JOB_WORKER_SILENT_AFTER`` seconds."""
    recent = timezone.now() - datetime.timedelta(seconds=settings.JOB_WORKER_SILENT_AFTER)
    return Worker.objects.filter(beat_at__gte=recent).count()
