"""An event's receipts printed as a job past RECEIPTS_INLINE_MAX: progress, the file, and the
numbering all-or-nothing (a job failed, cancelled or killed numbers no receipt)."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from beneficiaries.models import CaseView
from distributions import receipt_jobs
from distributions.models import Handover
from distributions.services import handover_plan, handover_record, receipt_print
from jobs.choices import JobStatus
from jobs.models import Job
from jobs.services import job_cancel, job_fail_stale
from jobs.tasks import job_run
from tests.distributions.conftest import funded_project, pdf_pages, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_inline_max(settings):
    settings.RECEIPTS_INLINE_MAX = 2
    settings.PDF_WORKERS = 1


def numbered() -> int:
    return Handover.objects.exclude(receipt_number=None).count()


def post_receipts(client, event):
    return client.post(reverse("distributions:event_receipts", args=[event.pk]))


def test_a_small_event_still_prints_at_once(client_for, coordinator_a, make_event):
    event = make_event(2)
    response = post_receipts(client_for(coordinator_a), event)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert not Job.objects.exists() and numbered() == 2


def test_a_large_event_starts_a_job_and_goes_to_its_page(client_for, coordinator_a, make_event):
    event = make_event(3)
    response = post_receipts(client_for(coordinator_a), event)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.status, job.started_by, job.centre) == (
        "event_receipts",
        "queued",
        coordinator_a,
        coordinator_a.centre,
    )
    assert numbered() == 0  # nothing numbered until the job has made the whole file
    page = client_for(coordinator_a).get(response["Location"]).content.decode()
    assert f"{event.province.name} — {event.date:%d/%m/%Y}" in page  # the job names its event


def test_the_job_prints_every_receipt_and_numbers_them_at_the_end(
    client_for, coordinator_a, make_event, immediate, django_capture_on_commit_callbacks, tmp_path
):
    event = make_event(10)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_receipts(client_for(coordinator_a), event)
    job = Job.objects.get()
    assert response.status_code == 302
    assert (job.status, job.done, job.total) == ("succeeded", 10, 10), job.error
    numbers = set(Handover.objects.values_list("receipt_number", flat=True))
    assert numbers == {f"PV-2026-03.061-{n:05d}" for n in range(1, 11)}
    download = client_for(coordinator_a).get(reverse("jobs:download", args=[job.pk]))
    content = b"".join(download.streaming_content)
    assert download["Content-Type"] == "application/pdf" and pdf_pages(content, tmp_path) == 10
    text = pdf_text(content, tmp_path)
    assert "PV-2026-03.061-00001" in text and "PV-2026-03.061-00010" in text
    assert CaseView.objects.filter(user=coordinator_a, page="receipt").count() == 10
    # Printed again, they are duplicates: the counts moved, the numbers did not.
    with django_capture_on_commit_callbacks(execute=True):
        post_receipts(client_for(coordinator_a), event)
    assert set(Handover.objects.values_list("print_count", flat=True)) == {2}
    assert set(Handover.objects.values_list("receipt_number", flat=True)) == numbers


def test_it_prints_only_what_its_starter_may_print(
    client_for, coordinator_b, centre_b, officer, envelope, make_event, immediate, django_capture_on_commit_callbacks
):
    event = make_event(3)
    from tests.factories import province

    for _ in range(3):  # centre B's people at centre A's ceremony
        project = funded_project(centre_b, coordinator_b, officer, envelope)
        project.province = province("03.061")
        project.save(update_fields=["province"])
        handover = handover_plan(project=project, event=event, by=officer)
        handover_record(
            handover=handover, items=[], cash_aid=Decimal("3000"), delivered_on=event.date, by=coordinator_b
        )
    with django_capture_on_commit_callbacks(execute=True):
        post_receipts(client_for(coordinator_b), event)
    job = Job.objects.get()
    assert job.status == "succeeded" and job.total == 3 and job.centre == centre_b
    assert set(
        Handover.objects.exclude(receipt_number=None).values_list("project__beneficiary__centre", flat=True)
    ) == {centre_b.pk}


def test_a_job_cancelled_while_running_numbers_nothing(coordinator_a, make_event, monkeypatch):
    event = make_event(10)
    job = receipt_jobs.event_receipts_start(
        event=event,
        recorded=list(Handover.objects.values_list("pk", "project__beneficiary")),
        by=coordinator_a,
        base_url="http://testserver/",
    )
    real = receipt_jobs.render_receipts
    parts = []

    def render_then_cancel(contexts):
        parts.append(len(contexts))
        if len(parts) == 1:  # someone presses Cancel while the first part is laid out
            job_cancel(job=Job.objects.get(pk=job.pk), by=coordinator_a)
        return real(contexts)

    monkeypatch.setattr(receipt_jobs, "render_receipts", render_then_cancel)
    assert job_run.call(job_id=job.pk) == "cancelled"
    job.refresh_from_db()
    assert job.done == receipt_jobs.PART and not job.result and parts == [receipt_jobs.PART]
    assert numbered() == 0 and set(Handover.objects.values_list("print_count", flat=True)) == {0}
    assert not CaseView.objects.filter(page="receipt").exists()


class WorkerKilled(BaseException):
    """What a killed process looks like from inside: it stops, and nothing after runs."""


def test_a_worker_killed_mid_job_leaves_it_failed_and_nothing_numbered(
    coordinator_a, make_event, monkeypatch, settings
):
    event = make_event(10)
    job = receipt_jobs.event_receipts_start(
        event=event,
        recorded=list(Handover.objects.values_list("pk", "project__beneficiary")),
        by=coordinator_a,
        base_url="http://testserver/",
    )
    real = receipt_jobs.render_receipts
    calls = []

    def killed_on_second_part(contexts):
        calls.append(1)
        if len(calls) == 2:
            raise WorkerKilled
        return real(contexts)

    monkeypatch.setattr(receipt_jobs, "render_receipts", killed_on_second_part)
    with pytest.raises(WorkerKilled):
        job_run.call(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.done == receipt_jobs.PART  # as the dead worker left it
    assert job_fail_stale() == 0  # not yet: it may only be slow
    Job.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=settings.JOB_STALE_AFTER + 1)
    )
    assert job_fail_stale() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error and not job.result
    assert numbered() == 0


def test_a_receipt_printed_meanwhile_makes_the_job_lay_out_again(coordinator_a, make_event, monkeypatch):
    event = make_event(3)
    pks = list(Handover.objects.order_by("pk").values_list("pk", "project__beneficiary"))
    job = receipt_jobs.event_receipts_start(event=event, recorded=pks, by=coordinator_a, base_url="http://testserver/")
    real = receipt_jobs.render_receipts
    calls = []

    def someone_prints_one(contexts):
        calls.append(1)
        if len(calls) == 1:  # the handover's own page prints the last receipt while the job runs
            receipt_print(handover=Handover.objects.get(pk=pks[-1][0]))
        return real(contexts)

    monkeypatch.setattr(receipt_jobs, "render_receipts", someone_prints_one)
    assert job_run.call(job_id=job.pk) == "succeeded"
    assert len(calls) == 2  # laid out twice: the first numbers were out of date
    by_pk = dict(Handover.objects.values_list("pk", "receipt_number"))
    assert by_pk[pks[-1][0]] == "PV-2026-03.061-00001"  # printed first, numbered first
    assert sorted(by_pk.values()) == [f"PV-2026-03.061-{n:05d}" for n in (1, 2, 3)]
    assert Handover.objects.get(pk=pks[-1][0]).print_count == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_database_worker_runs_the_job(client_for, coordinator_a, make_event):
    event = make_event(3)
    post_receipts(client_for(coordinator_a), event)
    job = Job.objects.get()
    assert DBTaskResult.objects.get().status == "READY" and job.status == "queued"
    call_command("jobs_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert numbered() == 3 and job.result
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_fails_a_dead_workers_job_when_it_starts(coordinator_a, make_event, settings):
    event = make_event(3)
    job = receipt_jobs.event_receipts_start(
        event=event,
        recorded=list(Handover.objects.values_list("pk", "project__beneficiary")),
        by=coordinator_a,
        base_url="http://testserver/",
    )
    stale = timezone.now() - datetime.timedelta(seconds=settings.JOB_STALE_AFTER + 1)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=stale, heartbeat_at=stale)
    DBTaskResult.objects.update(status="RUNNING")  # its task was taken by the worker that died
    call_command("jobs_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and numbered() == 0
