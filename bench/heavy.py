"""Heavy one-shot jobs, measured in a process of their own: wall time and peak memory (RSS).

A page is timed many times in the bench's process (``bench.runner.measure``); a job that runs
for a minute and may hold hundreds of megabytes is run once, by ``manage.py bench_job <name>`` in
a child process, so that its peak memory is its own and not the bench's (nor the previous
case's). ``manage.py bench`` starts the child and reads its resources with ``os.wait4``.

To add one: a function of no argument that runs the job on the bench database (built by
``bench.data``) and returns the number of rows it handled, entered in ``HEAVY`` under its name.
"""

from __future__ import annotations

import json
import os
import subprocess  # nosec B404 # runs our own manage.py only (measure_heavy)
import sys
import time
from collections.abc import Callable
from pathlib import Path

MANAGE = Path(__file__).resolve().parent.parent / "manage.py"
RESULT = "bench-job-result: "  # the child's last line: its result, as JSON


def export_full_200k() -> int:
    """HQ's national export (``reports.full_export``) of the whole data set, in its default
    format, started by a program officer, through the job runner as a worker runs it."""
    from jobs.models import Job
    from jobs.tasks import job_run
    from reintegration.models import User
    from reports import full_export

    officer = User.objects.get(username="officer")
    # The row job_start makes, without queueing its task: this process is the worker.
    job = Job.objects.create(kind=full_export.KIND, started_by=officer, params={"format": full_export.DEFAULT_FORMAT})
    status = job_run.call(job_id=job.pk)
    job.refresh_from_db()
    if status != "succeeded":
        raise RuntimeError(f"the export ended {status}: {job.error}")
    job.result.delete(save=False)  # hundreds of megabytes, each run
    return job.total


def import_50k_rows() -> dict:
    from bench.imports_bench import import_50k_rows as run

    return run()


HEAVY: dict[str, Callable[[], int | dict]] = {
    "export_full_200k": export_full_200k,
    "import_50k_rows": import_50k_rows,
}


def run_here(name: str) -> dict:
    """In the child: run one heavy job and say how many rows it handled and how long it took."""
    start = time.perf_counter()
    result = HEAVY[name]()
    if isinstance(result, dict):  # its own timing (what it prepares first is not counted) and details
        return {"name": name, **result}
    return {"name": name, "n_rows": result, "seconds": round(time.perf_counter() - start, 1)}


def measure_heavy(name: str) -> dict:
    """In the bench: run ``manage.py bench_job <name>`` and read its peak RSS (``ru_maxrss``,
    KiB on Linux: the child's own, its parent's memory not counted)."""
    child = subprocess.Popen(  # nosec B603 # our own manage.py, by a fixed path, with a known name
        [sys.executable, str(MANAGE), "bench_job", name], stdout=subprocess.PIPE, text=True
    )
    output = child.stdout.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    lines = [line for line in output.splitlines() if line.startswith(RESULT)]
    if child.returncode != 0 or not lines:
        raise RuntimeError(f"bench_job {name} exited {child.returncode}:\n{output}")
    result = json.loads(lines[-1].removeprefix(RESULT))
    return {**result, "peak_mb": round(usage.ru_maxrss / 1024, 1)}
