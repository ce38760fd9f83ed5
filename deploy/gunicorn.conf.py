# gunicorn settings for the reintegration application (docs/deploy.md).
#
# `systemctl reload reintegration` (SIGHUP) starts new workers on the new code and stops the old
# ones once they have answered what they hold: a release without a refused request. The app is
# therefore not preloaded in the master (it would keep the old code).
import multiprocessing
import os
import shutil
from pathlib import Path

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
wsgi_app = "reintegration.wsgi:application"
# The pages are Python work on the CPU (templates, PDFs): about two processes per core, each
# with two threads for the time spent waiting on PostgreSQL and Redis.
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
timeout = 60  # an event's receipts printed in the request take a few seconds; longer work is a job
graceful_timeout = 30
keepalive = 5  # nginx keeps its connections to us open (upstream keepalive)
max_requests = 2000
max_requests_jitter = 200
# The application logs each request itself (reintegration.observability: path, view, status,
# time, request id, user id; never a query string), so gunicorn writes errors only.
accesslog = None
errorlog = "-"

# Request figures (reintegration.metrics): each worker counts in its own file of this folder, a
# scrape of /metrics adds them up. Emptied when gunicorn starts, a dead worker's files merged.
metrics_dir = Path(os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", "/run/reintegration/metrics"))


def on_starting(server):
    shutil.rmtree(metrics_dir, ignore_errors=True)
    metrics_dir.mkdir(parents=True, exist_ok=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker):
    """Each worker readies the PDF engine before its first request: a first receipt otherwise
    took more than a second (several under load) to load fonts, style sheets and templates."""
    from distributions.receipts import warm_up

    try:
        warm_up()
    except Exception:  # a paper that cannot be printed must not keep the rest of the site down
        worker.log.exception("PDF warm-up failed; the first paper printed will be slow or fail")
