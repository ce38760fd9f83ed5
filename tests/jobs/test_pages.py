"""The job pages as the cast gets them: the list, a job's page, its polled status, cancelling,
and its result file; each role sees the jobs of its scope only."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from jobs.choices import JobStatus
from jobs.models import Job
from tests.jobs import kinds
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

# A job centre A's coordinator started: HQ sees it; the analyst and another centre do not.
SEES_CENTRE_A_JOB = [
    ("admin", 200),
    ("officer", 200),
    ("analyst", 404),
    ("coordinator_a", 200),
    ("coordinator_b", 404),
    ("anonymous", 302),
]


def a_job(by, *, status=JobStatus.RUNNING, done=3, total=10, result=False) -> Job:
    job = Job.objects.create(
        kind=kinds.KIND, started_by=by, centre=getattr(by, "centre", None), status=status, done=done, total=total
    )
    if result:
        job.result.save("receipts.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
        job.result_name = "receipts-event-1.pdf"
        job.save(update_fields=["result", "result_name"])
    return job


@pytest.mark.parametrize(("role", "expected"), SEES_CENTRE_A_JOB)
@pytest.mark.parametrize("name", ["jobs:detail", "jobs:progress", "jobs:download"])
def test_it_shows_a_centre_job_to_its_scope(cast, client_for, role, expected, name):
    job = a_job(cast["coordinator_a"], status=JobStatus.SUCCEEDED, done=10, result=True)
    response = client_for(cast[role]).get(reverse(name, args=[job.pk]))
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("login"))


def test_it_shows_the_progress_bar_and_polls_while_running(client_for, coordinator_a):
    job = a_job(coordinator_a)
    html = client_for(coordinator_a).get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert '<progress class="job-progress" max="10" value="3"' in html
    assert f'hx-get="{reverse("jobs:progress", args=[job.pk])}"' in html and 'hx-trigger="every 1s"' in html
    assert reverse("jobs:cancel", args=[job.pk]) in html and "data-confirm" in html
    assert "style=" not in html.split("<main", 1)[1]  # the Content Security Policy: no inline style


def test_the_polled_card_stops_polling_and_offers_the_file_once_finished(client_for, coordinator_a):
    job = a_job(coordinator_a, status=JobStatus.SUCCEEDED, done=10, result=True)
    html = client_for(coordinator_a).get(reverse("jobs:progress", args=[job.pk])).content.decode()
    assert "hx-trigger" not in html and 'value="1"' in html
    assert reverse("jobs:download", args=[job.pk]) in html
    assert '<div id="job-cancel" hx-swap-oob="true"></div>' in html  # the cancel button goes


def test_it_shows_the_error_of_a_failed_job(client_for, coordinator_a):
    job = a_job(coordinator_a, status=JobStatus.FAILED)
    Job.objects.filter(pk=job.pk).update(error="Le travail s'est arrêté.")
    html = client_for(coordinator_a).get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "alert-danger" in html and "Le travail s&#x27;est arrêté." in html
    assert reverse("jobs:cancel", args=[job.pk]) not in html


def test_reading_the_page_fails_a_job_whose_worker_died(client_for, coordinator_a, settings):
    job = a_job(coordinator_a)
    Job.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=settings.JOB_STALE_AFTER + 1)
    )
    html = client_for(coordinator_a).get(reverse("jobs:progress", args=[job.pk])).content.decode()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "hx-trigger" not in html and "alert-danger" in html


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", 302),
        ("officer", 403),
        ("analyst", 404),
        ("coordinator_a", 302),
        ("coordinator_b", 404),
        ("anonymous", 302),
    ],
)
def test_cancel_is_for_its_starter_its_centre_and_administrators(cast, client_for, role, expected):
    job = a_job(cast["coordinator_a"])
    response = client_for(cast[role]).post(reverse("jobs:cancel", args=[job.pk]))
    assert response.status_code == expected
    job.refresh_from_db()
    assert job.cancel_requested == (role in ("admin", "coordinator_a"))


def test_cancel_needs_a_post(client_for, coordinator_a):
    job = a_job(coordinator_a)
    assert client_for(coordinator_a).get(reverse("jobs:cancel", args=[job.pk])).status_code == 405


def test_cancelling_a_finished_job_says_so(client_for, coordinator_a):
    job = a_job(coordinator_a, status=JobStatus.SUCCEEDED, done=10)
    response = client_for(coordinator_a).post(reverse("jobs:cancel", args=[job.pk]), follow=True)
    assert b"alert-danger" in response.content
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and not job.cancel_requested


def test_no_result_file_is_a_404(client_for, coordinator_a):
    job = a_job(coordinator_a)
    assert client_for(coordinator_a).get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_the_list_holds_each_roles_jobs_newest_first(cast, client_for):
    own_a = a_job(cast["coordinator_a"])
    own_b = a_job(cast["coordinator_b"])
    by_officer = a_job(cast["officer"])
    by_analyst = a_job(cast["analyst"])
    seen = {
        "admin": [by_analyst, by_officer, own_b, own_a],
        "officer": [by_analyst, by_officer, own_b, own_a],
        "analyst": [by_analyst],
        "coordinator_a": [own_a],
        "coordinator_b": [own_b],
    }
    for role, jobs in seen.items():
        response = client_for(cast[role]).get(reverse("jobs:list"))
        assert response.status_code == 200
        assert list(response.context["page"].object_list) == jobs, role
    assert client_for(None).get(reverse("jobs:list")).status_code == 302


def test_the_list_is_paginated(client_for, coordinator_a):
    for _ in range(30):
        a_job(coordinator_a)
    response = client_for(coordinator_a).get(reverse("jobs:list"))
    assert response.context["page"].paginator.num_pages > 1


def test_the_list_and_the_page_have_query_budgets(client_for, coordinator_a):
    client = client_for(coordinator_a)
    job = a_job(coordinator_a)

    def fetch_list():
        assert client.get(reverse("jobs:list")).status_code == 200

    def fetch_page():
        assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 200

    def grow():
        for _ in range(10):
            a_job(coordinator_a)

    assert_constant_queries(fetch_list, grow, budget=12)
    assert_constant_queries(fetch_page, grow, budget=12)
