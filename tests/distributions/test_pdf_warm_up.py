"""An app server's worker readies the PDF engine before its first request (deploy/gunicorn.conf.py):
the load test found a worker's first receipt taking more than a second, five under load."""

import runpy
from pathlib import Path

from django.conf import settings

from distributions import receipts
from reintegration import pdf

GUNICORN_CONF = Path(settings.BASE_DIR) / "deploy" / "gunicorn.conf.py"


def test_warming_up_parses_the_receipts_style_sheets_and_reads_no_database():
    # No django_db mark: a query here would fail the test (a worker may start while the database
    # is away; the site must still come up).
    pdf.stylesheet.cache_clear()
    receipts.warm_up()
    misses = pdf.stylesheet.cache_info().misses
    assert misses == len(receipts.STYLESHEETS)
    for name in receipts.STYLESHEETS:
        pdf.stylesheet(name)
    assert pdf.stylesheet.cache_info().misses == misses  # what a receipt asks for next is there


class _Log:
    def __init__(self):
        self.errors = []

    def exception(self, message, *args):
        self.errors.append(message % args if args else message)


class _Worker:
    def __init__(self):
        self.log = _Log()


def _hook(monkeypatch, tmp_path):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))  # read when the file is loaded
    return runpy.run_path(str(GUNICORN_CONF))["post_worker_init"]


def test_each_gunicorn_worker_warms_up_before_its_first_request(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr(receipts, "warm_up", lambda: calls.append("warm"))
    worker = _Worker()
    _hook(monkeypatch, tmp_path)(worker)
    assert calls == ["warm"] and worker.log.errors == []


def test_a_failed_warm_up_is_logged_and_the_worker_still_starts(monkeypatch, tmp_path):
    def broken():
        raise OSError("no fonts")

    monkeypatch.setattr(receipts, "warm_up", broken)
    worker = _Worker()
    _hook(monkeypatch, tmp_path)(worker)  # does not raise
    assert worker.log.errors == ["PDF warm-up failed; the first paper printed will be slow or fail"]
