"""A large event's receipts printed as a job, followed in the browser until its file downloads;
and a running job cancelled from its page. The database backend's worker runs in a thread beside
the live server: on PostgreSQL on its own connection, as it would in its own process; on the
tests' in-memory SQLite on the live server's connection (a second connection to an in-memory
database meets "table is locked"), started once the page has signed in and the job is queued so
that its transactions cross only the job page's reads and the Cancel button's."""

import threading
import time

import pytest
from django.db import connections
from django_tasks_db.management.commands.db_worker import Worker

from distributions.models import Handover
from jobs.services import job_start
from tests.browser_helpers import login_in_browser, set_language
from tests.jobs import kinds
from tests.jobs.conftest import envelope, make_event, private_media  # noqa: F401 — the jobs tests' fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The values the progress bar takes, kept by the page itself as htmx swaps the card in (run
# through the DevTools protocol, so the Content Security Policy does not apply to it).
RECORD_PROGRESS = """() => {
  window.progressSeen = [];
  const keep = () => { const bar = document.querySelector('#job-status progress');
    if (bar) window.progressSeen.push([bar.getAttribute('value'), bar.getAttribute('max')]); };
  keep();
  new MutationObserver(keep).observe(document.body, {subtree: true, childList: true});
}"""


def wait_for_progress(page, *, at_least: int, seconds: float = 20) -> None:
    """Until the bar shows ``at_least`` done (polled from here: a predicate run in the page would
    be an eval, which the Content Security Policy refuses)."""
    deadline = time.monotonic() + seconds
    bar = page.locator("#job-status progress")
    while int(bar.get_attribute("value") or 0) < at_least:
        assert time.monotonic() < deadline, "the job did not progress"
        page.wait_for_timeout(100)


class WorkerThread(threading.Thread):
    """The database worker, taking what is queued until told to stop."""

    def __init__(self, shared: dict):
        super().__init__(daemon=True, name="jobs-worker")
        self.shared = shared
        self.worker = Worker(
            queue_names=["default"],
            interval=0.5,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="browser-test",
            excluded_queue_names=[],
        )

    def run(self):
        for alias, connection in self.shared.items():
            connections[alias] = connection
        try:
            self.worker.run()
        finally:
            if not self.shared:
                connections.close_all()

    def stop(self):
        self.worker.running = False
        self.join(timeout=30)
        assert not self.is_alive(), "the worker did not stop"


@pytest.fixture
def start_worker(live_server):
    """``start_worker()`` starts the worker; it is stopped after the test."""
    threads = []

    def start() -> WorkerThread:
        threads.append(WorkerThread(live_server.thread.connections_override))
        threads[-1].start()
        return threads[-1]

    yield start
    for thread in threads:
        if thread.is_alive():
            thread.stop()


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_a_large_events_receipts_print_as_a_job_followed_to_the_download(
    browser_page,
    make_event,  # noqa: F811 — the fixture imported above
    coordinator_a,
    settings,
    start_worker,
    shot,
    language,
):
    settings.RECEIPTS_INLINE_MAX = 3
    settings.PDF_WORKERS = 1
    event = make_event(12)
    set_language(coordinator_a, language)
    page = browser_page
    login_in_browser(page, coordinator_a.username)
    page.goto(f"/distributions/events/{event.pk}/")
    with page.context.expect_page() as opened:  # the print button opens a tab of its own
        page.click(f"form[action$='/events/{event.pk}/receipts.pdf'] button")
    job_page = opened.value
    job_page.wait_for_url("**/jobs/*/")
    job_page.evaluate(RECORD_PROGRESS)
    worker = start_worker()
    job_page.wait_for_selector("#job-status[data-status=succeeded]", timeout=90_000)
    bar = job_page.locator("#job-status progress")
    assert bar.get_attribute("value") == bar.get_attribute("max")
    seen = job_page.evaluate("window.progressSeen")
    assert seen[-1][0] == seen[-1][1] and len(seen) >= 2, seen  # it moved on the page before the end
    assert job_page.locator("#job-cancel button").count() == 0
    shot(job_page, f"done-{language}")

    href = job_page.locator("#job-result").get_attribute("href")
    download = job_page.request.get(href)
    assert download.ok and download.headers["content-type"] == "application/pdf"
    assert download.body().startswith(b"%PDF")
    worker.stop()  # before the test reads the database itself, on a connection of its own
    assert Handover.objects.exclude(receipt_number=None).count() == 12


def test_a_running_job_is_cancelled_from_its_page(browser_page, coordinator_a, start_worker, shot):
    set_language(coordinator_a, "fr")
    job = job_start(kind=kinds.KIND, by=coordinator_a, scope=coordinator_a.centre, params={"steps": 200, "pause": 0.1})
    page = browser_page
    login_in_browser(page, coordinator_a.username)
    page.goto(f"/jobs/{job.pk}/")
    worker = start_worker()
    page.wait_for_selector("#job-status[data-status=running]")
    wait_for_progress(page, at_least=2)
    shot(page, "running")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#job-cancel button")
    page.wait_for_selector("#job-status[data-status=cancelled]", timeout=30_000)
    shot(page, "cancelled")
    worker.stop()
    job.refresh_from_db()
    assert job.status == "cancelled" and job.done < job.total and not job.result
