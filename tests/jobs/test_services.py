"""Starting a job, its progress, cancelling it, and failing the jobs of a dead worker."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs.choices import JobStatus
from jobs.models import Job
from jobs.services import (
    JobCancelled,
    job_begin,
    job_cancel,
    job_fail_stale,
    job_progress,
    job_results_prune,
    job_start,
    job_succeed,
)
from jobs.tasks import job_run
from tests.jobs import kinds

pytestmark = pytest.mark.django_db


def start(by, **params) -> Job:
    return job_start(kind=kinds.KIND, by=by, scope=getattr(by, "centre", None), params=params)


def test_it_records_the_job_and_queues_its_task_once_committed(coordinator_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = start(coordinator_a, steps=2)
        assert not DBTaskResult.objects.exists()  # not before the commit: a worker must find the job
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert (job.status, job.started_by, job.centre, job.params) == (
        "queued",
        coordinator_a,
        coordinator_a.centre,
        {"steps": 2},
    )
    queued = DBTaskResult.objects.get()
    assert job.task_id == str(queued.id) and queued.args_kwargs["kwargs"] == {"job_id": job.pk}


def test_it_refuses_an_unknown_kind(coordinator_a):
    with pytest.raises(ValueError):
        job_start(kind="no_such_kind", by=coordinator_a, scope=None, params={})


def test_it_runs_a_job_to_the_end_with_its_result(coordinator_a):
    job = start(coordinator_a, steps=3)
    assert job_run.call(job_id=job.pk) == "succeeded"
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.percent) == ("succeeded", 3, 3, 100)
    assert job.result.read() == b"3\n" and job.result_name == "count.txt"
    assert job.started_at <= job.heartbeat_at and job.finished_at


def test_progress_updates_and_heartbeats(coordinator_a):
    job = start(coordinator_a)
    assert job_begin(job)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(minutes=5))
    job_progress(job, 4, 10)
    job.refresh_from_db()
    assert (job.done, job.total, job.percent) == (4, 10, 40)
    assert timezone.now() - job.heartbeat_at < datetime.timedelta(seconds=5)


def test_progress_raises_once_a_cancel_is_asked(coordinator_a):
    job = start(coordinator_a)
    job_begin(job)
    job_cancel(job=job, by=coordinator_a)
    with pytest.raises(JobCancelled):
        job_progress(job, 1, 10)


def test_cancelling_a_queued_job_stops_it_before_it_starts(coordinator_a):
    job = start(coordinator_a)
    job = job_cancel(job=job, by=coordinator_a)
    assert job.status == JobStatus.CANCELLED and job.finished_at
    assert job_run.call(job_id=job.pk) == "cancelled"  # the worker takes it later: nothing runs
    job.refresh_from_db()
    assert not job.result and job.done == 0


def test_cancelling_a_running_job_asks_its_worker_and_keeps_no_result(coordinator_a, monkeypatch):
    job = start(coordinator_a, steps=5)
    real = kinds.job_progress

    def progress_then_cancel(job, done, total):
        if done == 2:
            job_cancel(job=Job.objects.get(pk=job.pk), by=coordinator_a)
        return real(job, done, total)

    monkeypatch.setattr(kinds, "job_progress", progress_then_cancel)
    assert job_run.call(job_id=job.pk) == "cancelled"
    job.refresh_from_db()
    assert job.cancel_requested and job.done == 2 and not job.result


def test_a_finished_job_cannot_be_cancelled(coordinator_a):
    job = start(coordinator_a)
    job_run.call(job_id=job.pk)
    with pytest.raises(ValidationError):
        job_cancel(job=job, by=coordinator_a)


def test_only_its_starter_its_centre_or_an_administrator_cancels_it(officer, coordinator_a, coordinator_b, admin_user):
    from tests.factories import CoordinatorFactory

    job = start(coordinator_a)
    for user in (officer, coordinator_b):
        with pytest.raises(PermissionDenied):
            job_cancel(job=job, by=user)
    colleague = CoordinatorFactory(centre=coordinator_a.centre)
    assert job_cancel(job=job, by=colleague).status == JobStatus.CANCELLED
    assert start(officer).writable_by(admin_user)


def test_a_running_job_whose_worker_stopped_reporting_is_failed(coordinator_a, settings):
    settings.JOB_STALE_AFTER = 60
    old, fresh = start(coordinator_a), start(coordinator_a)
    for job in (old, fresh):
        job_begin(job)
        job_progress(job, 3, 10)
    Job.objects.filter(pk=old.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(seconds=61))
    assert job_fail_stale() == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.status == JobStatus.FAILED and old.finished_at
    assert "3" in old.error and "10" in old.error
    assert fresh.status == JobStatus.RUNNING
    with pytest.raises(JobCancelled):  # should the worker come back after all, it stops there
        job_progress(old, 4, 10)


def test_the_stale_message_is_in_the_starters_language(coordinator_a):
    type(coordinator_a).objects.filter(pk=coordinator_a.pk).update(language="fr")
    job = start(type(coordinator_a).objects.get(pk=coordinator_a.pk))
    job_begin(job)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(days=1))
    job_fail_stale()
    job.refresh_from_db()
    assert job.error.startswith(("Le ", "L’", "L'", "The "))  # French once translated; English until then


def test_an_unexpected_error_fails_the_job_with_a_message(coordinator_a, monkeypatch):
    def broken(job, done, total):
        raise RuntimeError("disk full")

    monkeypatch.setattr(kinds, "job_progress", broken)
    job = start(coordinator_a)
    assert job_run.call(job_id=job.pk) == "failed"
    job.refresh_from_db()
    assert job.error and "disk full" not in job.error  # the detail is in the log, not on the page


def test_result_files_older_than_the_retention_are_deleted_and_the_jobs_kept(
    coordinator_a, settings, django_capture_on_commit_callbacks
):
    """Receipts and exports name people: their files go JOB_RESULT_DAYS after the job."""
    settings.JOB_RESULT_DAYS = 7
    old, recent = start(coordinator_a, steps=1), start(coordinator_a, steps=1)
    for job in (old, recent):
        job_run.call(job_id=job.pk)
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - datetime.timedelta(days=8))
    old.refresh_from_db()
    storage, name = old.result.storage, old.result.name
    with django_capture_on_commit_callbacks(execute=True):
        assert job_results_prune() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert not old.result and old.result_name == "count.txt" and not storage.exists(name)
    assert old.status == "succeeded"  # the record of who made what stays
    assert recent.result.read() == b"1\n"


def test_a_job_whose_file_was_deleted_says_so_on_its_page(client_for, coordinator_a, settings):
    settings.JOB_RESULT_DAYS = 7
    job = start(coordinator_a, steps=1)
    job_run.call(job_id=job.pk)
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - datetime.timedelta(days=8))
    job_results_prune()
    html = client_for(coordinator_a).get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'id="job-result-deleted"' in html and "7 days after the job" in html and 'id="job-result"' not in html


class ChunkedReader(io.BytesIO):
    """A file that remembers how much each read asked for."""

    def __init__(self, content: bytes):
        super().__init__(content)
        self.asked: list[int | None] = []

    def read(self, size=-1):
        self.asked.append(size)
        return super().read(size)


def test_a_result_made_on_disk_is_kept_from_its_path_or_its_open_file_chunk_by_chunk(coordinator_a, tmp_path):
    """A large result (a national export) is copied into storage chunk by chunk, never read whole."""
    content = bytes(range(256)) * 1024  # 256 KiB: several chunks
    path = tmp_path / "made.bin"
    path.write_bytes(content)
    handle = ChunkedReader(content)
    handle.seek(100)  # read from the start all the same
    for given, name in ((path, "from-path.bin"), (handle, "from-file.bin")):
        job = start(coordinator_a)
        job_begin(job)
        with transaction.atomic():
            job_succeed(job, filename=name, content=given)
        job.refresh_from_db()
        assert job.status == JobStatus.SUCCEEDED and job.result_name == name
        with job.result.open("rb") as stored:
            assert stored.read() == content
    assert len(handle.asked) > 2 and all(0 < size <= 64 * 1024 for size in handle.asked)
    assert path.exists()  # the caller's own file: theirs to delete
