"""Figures a national operator scrapes (Prometheus text format, ``/metrics``).

- request latency by view (``reintegration_request_seconds``, labelled by the URL's name, not
  its path: no id, no search term), observed by ``RequestLogMiddleware``;
- reads sent to the replica (``reintegration_replica_reads_total``);
- the jobs: how many wait and run (``reintegration_jobs``), how long the finished ones took by
  kind (``reintegration_job_seconds``), and the workers heard from lately
  (``reintegration_job_workers``) — read from the database when scraped, so every application
  server gives the same answer whichever worker ran the job.

Under gunicorn, each worker process counts in its own file of ``PROMETHEUS_MULTIPROC_DIR``
(set and emptied by ``deploy/gunicorn.conf.py``) and a scrape adds them up; without that
variable (development, tests) the process counts in memory.
"""

from __future__ import annotations

import hmac
import os
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily

from jobs.choices import JobStatus
from jobs.models import Job, Worker

REQUEST_SECONDS = Histogram(
    "reintegration_request_seconds",
    "Time to answer a request, by view (the URL's name) and method.",
    ["view", "method", "status"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
REPLICA_READS = Counter("reintegration_replica_reads", "Queries sent to the read replica.")

# Job durations, in seconds: a receipt batch takes seconds, an import of 50,000 rows a minute.
JOB_BUCKETS = (1, 5, 15, 60, 300, 900, 3600)


class JobsCollector:
    """The jobs' figures, read from the database at each scrape (three small aggregate queries)."""

    def collect(self):
        jobs = GaugeMetricFamily("reintegration_jobs", "Jobs waiting or running, by status.", labels=["status"])
        waiting = Job.objects.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
        counts = dict(waiting.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
        for status in (JobStatus.QUEUED, JobStatus.RUNNING):
            jobs.add_metric([str(status)], counts.get(status, 0))
        yield jobs

        duration = ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())
        finished = Job.objects.filter(started_at__isnull=False, finished_at__isnull=False).annotate(took=duration)
        aggregates = {"count": Count("pk"), "total": Sum("took")}
        for bound in JOB_BUCKETS:
            aggregates[f"le_{bound}"] = Count("pk", filter=Q(took__lte=timedelta(seconds=bound)))
        histogram = HistogramMetricFamily(
            "reintegration_job_seconds", "Time finished jobs took, by kind and outcome.", labels=["kind", "status"]
        )
        for row in finished.values("kind", "status").annotate(**aggregates).order_by("kind", "status"):
            buckets = [(str(float(bound)), row[f"le_{bound}"]) for bound in JOB_BUCKETS] + [("+Inf", row["count"])]
            total = row["total"].total_seconds() if row["total"] else 0.0
            histogram.add_metric([row["kind"], row["status"]], buckets, total)
        yield histogram

        recent = timezone.now() - timedelta(seconds=settings.JOB_WORKER_SILENT_AFTER)
        workers = GaugeMetricFamily("reintegration_job_workers", "Job workers heard from lately.")
        workers.add_metric([], Worker.objects.filter(beat_at__gte=recent).count())
        yield workers


def _allowed(request: HttpRequest) -> bool:
    """With ``METRICS_TOKEN`` set, a scraper sends it as a bearer token; without it, only a
    request from this host that came through no proxy (nginx refuses ``/metrics`` as well)."""
    token = settings.METRICS_TOKEN
    if token:
        sent = request.META.get("HTTP_AUTHORIZATION", "")
        return hmac.compare_digest(sent.encode(), f"Bearer {token}".encode())
    direct = "HTTP_X_FORWARDED_FOR" not in request.META
    return direct and request.META.get("REMOTE_ADDR") in {"127.0.0.1", "::1"}


def metrics_view(request: HttpRequest) -> HttpResponse:
    if not _allowed(request):
        return HttpResponse(status=403)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)
    else:
        processes = REGISTRY
    jobs = CollectorRegistry()
    jobs.register(JobsCollector())
    response = HttpResponse(generate_latest(processes) + generate_latest(jobs), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response
