"""A worker killed in the middle of an import (its machine stopped, ``kill -9``): the database
is as before the import, the job is marked failed, and the file can be imported again. A real
worker process on PostgreSQL, so that its transaction is a real one on its own connection."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from beneficiaries.models import Beneficiary
from imports.choices import ImportStatus
from imports.models import ImportBatch
from imports.selectors import import_get_for_user
from imports.services import import_confirm, import_upload
from jobs.models import Job
from jobs.services import job_fail_stale
from tests.imports.conftest import csv_bytes, person, upload

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
MANAGE = Path(__file__).resolve().parents[2] / "manage.py"


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (CI runs it): a worker process of its own on the test database")


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    return tmp_path


@pytest.fixture
def worker(media):
    """``worker()`` starts ``manage.py jobs_worker`` on the test database; killed after the test."""
    processes = []
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "PRIVATE_MEDIA_ROOT": str(media),
        "JOB_HEARTBEAT": "1",
        "TASKS_BACKEND": "database",
    }

    def start() -> subprocess.Popen:
        processes.append(
            subprocess.Popen(
                [sys.executable, str(MANAGE), "jobs_worker", "--no-reload"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        return processes[-1]

    yield start
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait()


def wait_for(condition, seconds: float = 120):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_a_worker_killed_mid_import_leaves_the_database_as_it_was(coordinator_a, worker, settings):
    rows = [
        person(cin=f"XT{n:06d}", birth_date=f"{1 + n % 28:02d}/{1 + n // 28 % 12:02d}/{1950 + n // 336}")
        for n in range(6_000)
    ]
    batch = import_upload(
        by=coordinator_a, kind="cases", centre=coordinator_a.centre, upload=upload(csv_bytes(rows), "many.csv")
    )
    process = worker()
    wait_for(lambda: ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.CHECKED)
    batch.refresh_from_db()
    assert batch.report["counts"]["new"] == 6_000
    batch = import_confirm(batch=batch, by=coordinator_a, on_existing="report", on_probable="skip")
    # its heartbeat says rows are being written, in a transaction not yet committed
    wait_for(lambda: Job.objects.get(pk=batch.import_job_id).done > 0)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert not Beneficiary.objects.exists()

    settings.JOB_STALE_AFTER = 1
    time.sleep(1.5)
    assert job_fail_stale() == 1
    job = Job.objects.get(pk=batch.import_job_id)
    assert job.status == "failed" and "stopped before the end" in job.error
    assert import_get_for_user(user=coordinator_a, pk=batch.pk).status == ImportStatus.CHECKED  # ready again
    assert not Beneficiary.objects.exists()
