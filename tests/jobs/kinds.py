"""A job kind for the tests alone: it counts to ``params["steps"]``, waiting ``params["pause"]``
seconds at each step, and keeps a text file; slow on purpose, so that a person can cancel it."""

import time

from django.db import transaction

from jobs.registry import register
from jobs.services import job_progress, job_succeed

KIND = "test_count"


def count_run(job) -> None:
    steps = job.params.get("steps", 3)
    for done in range(steps + 1):
        job_progress(job, done, steps)
        if done < steps:
            time.sleep(job.params.get("pause", 0))
    with transaction.atomic():
        job_succeed(job, filename="count.txt", content=f"{steps}\n".encode())


register(KIND, label="Counting (test)", run=count_run)
